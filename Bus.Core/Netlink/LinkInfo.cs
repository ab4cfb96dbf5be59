using System.Buffers.Binary;
using static Buses.Netlink.Interop.NetlinkConstants;

namespace Buses.Netlink;

/// <summary>
/// A network interface as route netlink describes it (<c>RTM_NEWLINK</c>): name, index, kind, flags,
/// MTU, state, link-layer address, counters, and the kind-specific attributes kept raw so a family
/// (Bus.Can for <c>IFLA_CAN_*</c>) decodes them itself through <see cref="KindDataAttributes"/>.
/// </summary>
public sealed class LinkInfo
{
    private LinkInfo()
    {
    }

    /// <summary>The interface index (<c>ifi_index</c>).</summary>
    public int Index { get; private init; }

    /// <summary>The interface name (<c>IFLA_IFNAME</c>).</summary>
    public string Name { get; private init; } = "";

    /// <summary>The link kind (<c>IFLA_INFO_KIND</c>: <c>veth</c>, <c>vcan</c>, <c>can</c>, …), or <see langword="null"/> for a physical device without one.</summary>
    public string? Kind { get; private init; }

    /// <summary>The kind of the link's master when it is enslaved (<c>IFLA_INFO_SLAVE_KIND</c>), or <see langword="null"/>.</summary>
    public string? SlaveKind { get; private init; }

    /// <summary>The link-layer type (<c>ifi_type</c>, <c>ARPHRD_*</c>: 1 Ethernet, 280 CAN, 772 loopback).</summary>
    public ushort HardwareType { get; private init; }

    /// <summary>The interface flags.</summary>
    public LinkFlags Flags { get; private init; }

    /// <summary>Whether the interface is administratively up.</summary>
    public bool IsUp => (Flags & LinkFlags.Up) != 0;

    /// <summary>The MTU (<c>IFLA_MTU</c>), or 0 when absent.</summary>
    public uint Mtu { get; private init; }

    /// <summary>How many holders keep the link promiscuous (<c>IFLA_PROMISCUITY</c>): packet sockets' memberships count here, not in <see cref="Flags"/>.</summary>
    public uint Promiscuity { get; private init; }

    /// <summary>The transmit queue length (<c>IFLA_TXQLEN</c>), or 0 when absent.</summary>
    public uint TransmitQueueLength { get; private init; }

    /// <summary>The operational state (<c>IFLA_OPERSTATE</c>).</summary>
    public LinkOperationalState OperationalState { get; private init; }

    /// <summary>The link-layer address (<c>IFLA_ADDRESS</c>); empty when the type has none (CAN).</summary>
    public ReadOnlyMemory<byte> Address { get; private init; }

    /// <summary>The link-layer broadcast address (<c>IFLA_BROADCAST</c>); empty when none.</summary>
    public ReadOnlyMemory<byte> BroadcastAddress { get; private init; }

    /// <summary>The index of the link this one is tied to (<c>IFLA_LINK</c>: a veth's peer), or <see langword="null"/>.</summary>
    /// <remarks>When <see cref="LinkNamespaceId"/> is set the index belongs to another network namespace.</remarks>
    public int? ParentIndex { get; private init; }

    /// <summary>The namespace id of <see cref="ParentIndex"/>'s namespace (<c>IFLA_LINK_NETNSID</c>), or <see langword="null"/>.</summary>
    public int? LinkNamespaceId { get; private init; }

    /// <summary>The master's index (<c>IFLA_MASTER</c>), or <see langword="null"/>.</summary>
    public int? MasterIndex { get; private init; }

    /// <summary>The counters (<c>IFLA_STATS64</c>), or <see langword="null"/> when the kernel left them out.</summary>
    public LinkStatistics? Statistics { get; private init; }

    /// <summary>The raw payload of <c>IFLA_INFO_DATA</c>: the kind's own attributes; empty when absent.</summary>
    public ReadOnlyMemory<byte> KindData { get; private init; }

    /// <summary>The raw payload of <c>IFLA_INFO_XSTATS</c>: the kind's own statistics (<c>struct can_device_stats</c> for CAN); empty when absent.</summary>
    public ReadOnlyMemory<byte> KindStatistics { get; private init; }

    /// <summary>A reader over <see cref="KindData"/>'s attributes (<c>IFLA_CAN_*</c> for a CAN device).</summary>
    public NetlinkAttributeReader KindDataAttributes => new(KindData.Span);

    /// <summary>Decodes an <c>RTM_NEWLINK</c>/<c>RTM_DELLINK</c> message.</summary>
    /// <param name="message">The message.</param>
    /// <exception cref="FormatException">The message is not a link message or is malformed.</exception>
    public static LinkInfo Parse(NetlinkMessage message)
    {
        if (message.Type is not (RTM_NEWLINK or RTM_DELLINK or RTM_GETLINK))
        {
            throw new FormatException($"Netlink message type {message.Type} at offset {message.Offset} is not a link message (RTM_NEWLINK {RTM_NEWLINK} or RTM_DELLINK {RTM_DELLINK}).");
        }

        NetlinkAttributeReader attributes = message.GetAttributes(IFINFOMSG_LEN);
        ReadOnlySpan<byte> header = message.Payload;
        string name = "";
        string? kind = null, slaveKind = null;
        uint mtu = 0, txqlen = 0, promiscuity = 0;
        LinkOperationalState state = LinkOperationalState.Unknown;
        byte[]? address = null, broadcast = null, kindData = null, kindStatistics = null;
        int? parent = null, master = null, netnsid = null;
        LinkStatistics? statistics = null;
        foreach (NetlinkAttribute attribute in attributes)
        {
            switch (attribute.Type)
            {
                case IFLA_IFNAME: name = attribute.GetString(); break;
                case IFLA_MTU: mtu = attribute.GetU32(); break;
                case IFLA_TXQLEN: txqlen = attribute.GetU32(); break;
                case IFLA_PROMISCUITY: promiscuity = attribute.GetU32(); break;
                case IFLA_OPERSTATE: state = (LinkOperationalState)attribute.GetU8(); break;
                case IFLA_ADDRESS: address = attribute.Payload.ToArray(); break;
                case IFLA_BROADCAST: broadcast = attribute.Payload.ToArray(); break;
                case IFLA_LINK: parent = attribute.GetS32(); break;
                case IFLA_MASTER: master = attribute.GetS32(); break;
                case IFLA_LINK_NETNSID: netnsid = attribute.GetS32(); break;
                case IFLA_STATS64: statistics = ReadStatistics(attribute); break;
                case IFLA_LINKINFO:
                    foreach (NetlinkAttribute info in attribute.GetNested())
                    {
                        switch (info.Type)
                        {
                            case IFLA_INFO_KIND: kind = info.GetString(); break;
                            case IFLA_INFO_SLAVE_KIND: slaveKind = info.GetString(); break;
                            case IFLA_INFO_DATA:
                                info.GetNested().Validate();
                                kindData = info.Payload.ToArray();
                                break;
                            case IFLA_INFO_XSTATS: kindStatistics = info.Payload.ToArray(); break;
                        }
                    }

                    break;
            }
        }

        return new LinkInfo
        {
            HardwareType = BinaryPrimitives.ReadUInt16LittleEndian(header[2..]),
            Index = BinaryPrimitives.ReadInt32LittleEndian(header[4..]),
            Flags = (LinkFlags)BinaryPrimitives.ReadUInt32LittleEndian(header[8..]),
            Name = name,
            Kind = kind,
            SlaveKind = slaveKind,
            Mtu = mtu,
            TransmitQueueLength = txqlen,
            Promiscuity = promiscuity,
            OperationalState = state,
            Address = address,
            BroadcastAddress = broadcast,
            ParentIndex = parent,
            MasterIndex = master,
            LinkNamespaceId = netnsid,
            Statistics = statistics,
            KindData = kindData,
            KindStatistics = kindStatistics,
        };
    }

    /// <summary>The link-layer address as colon-separated hex (<c>52:54:00:12:34:56</c>), empty when none.</summary>
    public string FormatAddress() => FormatHardwareAddress(Address.Span);

    /// <summary>Formats a link-layer address as colon-separated lower-case hex.</summary>
    /// <param name="address">The address bytes.</param>
    public static string FormatHardwareAddress(ReadOnlySpan<byte> address)
    {
        if (address.IsEmpty)
        {
            return "";
        }

        return string.Create(address.Length * 3 - 1, address.ToArray(), static (span, bytes) =>
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                if (i > 0)
                {
                    span[i * 3 - 1] = ':';
                }

                bytes[i].TryFormat(span[(i * 3)..], out _, "x2", System.Globalization.CultureInfo.InvariantCulture);
            }
        });
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Index}: {Name} kind={Kind ?? "-"} flags={Flags} mtu={Mtu} state={OperationalState}";

    private static LinkStatistics ReadStatistics(NetlinkAttribute attribute)
    {
        const int Fields = 10;
        ReadOnlySpan<byte> p = attribute.Payload;
        if (p.Length < Fields * 8)
        {
            throw new FormatException($"IFLA_STATS64 at offset {attribute.Offset} has {p.Length} bytes; at least {Fields * 8} are needed.");
        }

        return new LinkStatistics(U64(p, 0), U64(p, 1), U64(p, 2), U64(p, 3), U64(p, 4), U64(p, 5), U64(p, 6), U64(p, 7), U64(p, 8), U64(p, 9));
    }

    private static ulong U64(ReadOnlySpan<byte> p, int field) => BinaryPrimitives.ReadUInt64LittleEndian(p.Slice(field * 8, 8));
}
