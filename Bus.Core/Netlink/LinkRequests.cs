using Buses.Netlink.Interop;
using static Buses.Netlink.Interop.NetlinkConstants;

namespace Buses.Netlink;

/// <summary>Writes a kind's attributes into <c>IFLA_INFO_DATA</c> (e.g. Bus.Can's <c>IFLA_CAN_BITTIMING</c>).</summary>
/// <param name="builder">The builder, positioned inside <c>IFLA_INFO_DATA</c>.</param>
public delegate void LinkKindDataWriter(NetlinkMessageBuilder builder);

/// <summary>
/// The route netlink link requests, written into a <see cref="NetlinkMessageBuilder"/> without sending,
/// byte-identical to what <c>ip link</c> (iproute2 6.1) sends apart from sequence number and port id.
/// <see cref="RouteNetlink"/> sends them; tests compare them with captured vectors.
/// </summary>
public static class LinkRequests
{
    /// <summary><c>ip link show NAME</c>: an <c>RTM_GETLINK</c> for one link by name.</summary>
    /// <param name="builder">The builder (a message is appended).</param>
    /// <param name="name">The interface name.</param>
    public static void WriteGetLink(NetlinkMessageBuilder builder, string name)
    {
        Interfaces.ValidateName(name, nameof(name));
        ArgumentNullException.ThrowIfNull(builder);
        builder.BeginMessage(RTM_GETLINK, NetlinkMessageFlags.Request);
        builder.WriteFamilyHeader(new ifinfomsg { ifi_family = (byte)SocketFamily.Packet });
        builder.AddString(IFLA_IFNAME, name);
        builder.AddU32(IFLA_EXT_MASK, RTEXT_FILTER_VF);
        builder.EndMessage();
    }

    /// <summary>An <c>RTM_GETLINK</c> for one link by index.</summary>
    /// <param name="builder">The builder (a message is appended).</param>
    /// <param name="index">The interface index (positive).</param>
    public static void WriteGetLink(NetlinkMessageBuilder builder, int index)
    {
        ValidateIndex(index, nameof(index));
        ArgumentNullException.ThrowIfNull(builder);
        builder.BeginMessage(RTM_GETLINK, NetlinkMessageFlags.Request);
        builder.WriteFamilyHeader(new ifinfomsg { ifi_family = (byte)SocketFamily.Packet, ifi_index = index });
        builder.AddU32(IFLA_EXT_MASK, RTEXT_FILTER_VF);
        builder.EndMessage();
    }

    /// <summary><c>ip link show</c>: an <c>RTM_GETLINK</c> dump of every link.</summary>
    /// <param name="builder">The builder (a message is appended).</param>
    public static void WriteDumpLinks(NetlinkMessageBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var header = new ifinfomsg { ifi_family = (byte)SocketFamily.Packet };
        builder.BeginMessage(RTM_GETLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        builder.WriteFamilyHeader(header);
        builder.AddU32(IFLA_EXT_MASK, RTEXT_FILTER_VF);
        builder.EndMessage();
    }

    /// <summary><c>ip link add dev NAME type KIND</c>, optionally with the kind's own attributes.</summary>
    /// <param name="builder">The builder (a message is appended).</param>
    /// <param name="name">The new interface's name.</param>
    /// <param name="kind">The link kind (<c>vcan</c>, <c>veth</c>, <c>dummy</c>, …).</param>
    /// <param name="kindData">Writes the attributes that go in <c>IFLA_INFO_DATA</c>; <see langword="null"/> for none.</param>
    public static void WriteAddLink(NetlinkMessageBuilder builder, string name, string kind, LinkKindDataWriter? kindData = null)
    {
        Interfaces.ValidateName(name, nameof(name));
        ValidateKind(kind);
        Begin(builder, RTM_NEWLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Exclusive | NetlinkMessageFlags.Create, 0);
        builder.AddString(IFLA_IFNAME, name);
        NetlinkMessageBuilder.NestToken linkInfo = builder.BeginNested(IFLA_LINKINFO);
        // ip link sends the kind without its NUL; the kernel accepts either.
        builder.AddString(IFLA_INFO_KIND, kind, nulTerminated: false);
        if (kindData is not null)
        {
            NetlinkMessageBuilder.NestToken data = builder.BeginNested(IFLA_INFO_DATA);
            kindData(builder);
            builder.EndNested(data);
        }

        builder.EndNested(linkInfo);
        builder.EndMessage();
    }

    /// <summary><c>ip link add dev NAME type veth|vxcan peer name PEER</c>: a pair of linked interfaces.</summary>
    /// <param name="builder">The builder (a message is appended).</param>
    /// <param name="name">The first interface's name.</param>
    /// <param name="kind"><c>veth</c> or <c>vxcan</c> (any kind whose data is a <c>*_INFO_PEER</c> = 1 ifinfomsg).</param>
    /// <param name="peerName">The peer's name.</param>
    public static void WriteAddPair(NetlinkMessageBuilder builder, string name, string kind, string peerName)
    {
        Interfaces.ValidateName(peerName, nameof(peerName));
        WriteAddLink(builder, name, kind, b =>
        {
            // VETH_INFO_PEER (= VXCAN_INFO_PEER) carries a whole ifinfomsg followed by the peer's attributes.
            NetlinkMessageBuilder.NestToken peer = b.BeginNested(VETH_INFO_PEER);
            b.WriteFamilyHeader(default(ifinfomsg));
            b.AddString(IFLA_IFNAME, peerName);
            b.EndNested(peer);
        });
    }

    /// <summary><c>ip link del NAME</c>: an <c>RTM_DELLINK</c> by index.</summary>
    /// <param name="builder">The builder (a message is appended).</param>
    /// <param name="index">The interface index.</param>
    public static void WriteDeleteLink(NetlinkMessageBuilder builder, int index)
    {
        ValidateIndex(index, nameof(index));
        Begin(builder, RTM_DELLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, index);
        builder.EndMessage();
    }

    /// <summary><c>ip link set NAME up|down</c>: changes only <c>IFF_UP</c> (<c>ifi_change = IFF_UP</c>).</summary>
    /// <param name="builder">The builder (a message is appended).</param>
    /// <param name="index">The interface index.</param>
    /// <param name="up">Up or down.</param>
    public static void WriteSetUp(NetlinkMessageBuilder builder, int index, bool up)
    {
        ValidateIndex(index, nameof(index));
        ArgumentNullException.ThrowIfNull(builder);
        builder.BeginMessage(RTM_NEWLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        builder.WriteFamilyHeader(new ifinfomsg { ifi_index = index, ifi_flags = up ? (uint)LinkFlags.Up : 0, ifi_change = (uint)LinkFlags.Up });
        builder.EndMessage();
    }

    /// <summary><c>ip link set NAME mtu N</c>.</summary>
    /// <param name="builder">The builder (a message is appended).</param>
    /// <param name="index">The interface index.</param>
    /// <param name="mtu">The new MTU; the driver enforces its own range (EINVAL with an extended-ACK text).</param>
    public static void WriteSetMtu(NetlinkMessageBuilder builder, int index, uint mtu)
    {
        ValidateIndex(index, nameof(index));
        Begin(builder, RTM_NEWLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, index);
        builder.AddU32(IFLA_MTU, mtu);
        builder.EndMessage();
    }

    /// <summary><c>ip link set NAME name NEWNAME</c> (the link must be down).</summary>
    /// <param name="builder">The builder (a message is appended).</param>
    /// <param name="index">The interface index.</param>
    /// <param name="newName">The new name.</param>
    public static void WriteSetName(NetlinkMessageBuilder builder, int index, string newName)
    {
        ValidateIndex(index, nameof(index));
        Interfaces.ValidateName(newName, nameof(newName));
        Begin(builder, RTM_NEWLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, index);
        builder.AddString(IFLA_IFNAME, newName);
        builder.EndMessage();
    }

    /// <summary><c>ip link set NAME netns FD</c>: moves the link into the namespace an open file descriptor refers to.</summary>
    /// <param name="builder">The builder (a message is appended).</param>
    /// <param name="index">The interface index.</param>
    /// <param name="namespaceFileDescriptor">An fd of <c>/proc/PID/ns/net</c> or <c>/run/netns/NAME</c>.</param>
    public static void WriteSetNamespaceByFd(NetlinkMessageBuilder builder, int index, int namespaceFileDescriptor)
    {
        ValidateIndex(index, nameof(index));
        ArgumentOutOfRangeException.ThrowIfNegative(namespaceFileDescriptor);
        Begin(builder, RTM_NEWLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, index);
        builder.AddU32(IFLA_NET_NS_FD, (uint)namespaceFileDescriptor);
        builder.EndMessage();
    }

    /// <summary><c>ip link set NAME netns PID</c>: moves the link into the network namespace of a process.</summary>
    /// <param name="builder">The builder (a message is appended).</param>
    /// <param name="index">The interface index.</param>
    /// <param name="processId">The process whose network namespace receives the link.</param>
    public static void WriteSetNamespaceByProcess(NetlinkMessageBuilder builder, int index, int processId)
    {
        ValidateIndex(index, nameof(index));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(processId);
        Begin(builder, RTM_NEWLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, index);
        builder.AddU32(IFLA_NET_NS_PID, (uint)processId);
        builder.EndMessage();
    }

    /// <summary>
    /// <c>ip link set NAME type KIND …</c>: changes kind-specific settings. Bus.Can passes <c>can</c> and
    /// writes <c>IFLA_CAN_BITTIMING</c> etc. in <paramref name="kindData"/> to get the exact bytes of
    /// <c>ip link set can0 type can bitrate 500000</c>.
    /// </summary>
    /// <param name="builder">The builder (a message is appended).</param>
    /// <param name="index">The interface index.</param>
    /// <param name="kind">The link's kind, which the kernel checks against the device's.</param>
    /// <param name="kindData">Writes the attributes that go in <c>IFLA_INFO_DATA</c>.</param>
    public static void WriteSetLinkKindData(NetlinkMessageBuilder builder, int index, string kind, LinkKindDataWriter kindData)
    {
        ValidateIndex(index, nameof(index));
        ValidateKind(kind);
        ArgumentNullException.ThrowIfNull(kindData);
        Begin(builder, RTM_NEWLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, index);
        NetlinkMessageBuilder.NestToken linkInfo = builder.BeginNested(IFLA_LINKINFO);
        builder.AddString(IFLA_INFO_KIND, kind, nulTerminated: false);
        NetlinkMessageBuilder.NestToken data = builder.BeginNested(IFLA_INFO_DATA);
        kindData(builder);
        builder.EndNested(data);
        builder.EndNested(linkInfo);
        builder.EndMessage();
    }

    private static void ValidateKind(string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        if (kind.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Link kind '{kind}' contains a NUL character.", nameof(kind));
        }
    }

    private static void ValidateIndex(int index, string parameterName)
    {
        if (index <= 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, index, $"Interface index {index} is not positive.");
        }
    }

    private static void Begin(NetlinkMessageBuilder builder, ushort type, NetlinkMessageFlags flags, int index)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.BeginMessage(type, flags);
        builder.WriteFamilyHeader(new ifinfomsg { ifi_index = index });
    }
}
