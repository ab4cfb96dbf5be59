using System.Collections.ObjectModel;
using Buses.Netlink.Interop;
using static Buses.Netlink.Interop.NetlinkConstants;

namespace Buses.Netlink;

/// <summary>A generic netlink family as the controller (<c>nlctrl</c>) describes it.</summary>
/// <param name="Name">The family name (<c>TIPCv2</c>, <c>nlctrl</c>, …).</param>
/// <param name="Id">The family id: the <c>nlmsg_type</c> of its messages.</param>
/// <param name="Version">The family's version.</param>
/// <param name="HeaderSize">The size of the family's own header after <c>genlmsghdr</c>.</param>
/// <param name="MaxAttribute">The highest attribute type it accepts.</param>
/// <param name="MulticastGroups">Multicast group names and their ids (for <see cref="NetlinkSocket.JoinGroup"/>).</param>
public sealed record GenericNetlinkFamily(string Name, ushort Id, uint Version, uint HeaderSize, uint MaxAttribute, IReadOnlyDictionary<string, uint> MulticastGroups)
{
    /// <summary>The size of <c>struct genlmsghdr</c>.</summary>
    public const int GenericHeaderSize = 4;

    /// <summary>Decodes a <c>CTRL_CMD_NEWFAMILY</c> reply.</summary>
    /// <param name="message">The reply.</param>
    /// <exception cref="FormatException">The message lacks the family id or name, or is malformed.</exception>
    public static GenericNetlinkFamily Parse(NetlinkMessage message)
    {
        string? name = null;
        ushort? id = null;
        uint version = 0, headerSize = 0, maxAttribute = 0;
        var groups = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (NetlinkAttribute attribute in message.GetAttributes(GenericHeaderSize))
        {
            switch (attribute.Type)
            {
                case CTRL_ATTR_FAMILY_ID: id = attribute.GetU16(); break;
                case CTRL_ATTR_FAMILY_NAME: name = attribute.GetString(); break;
                case CTRL_ATTR_VERSION: version = attribute.GetU32(); break;
                case CTRL_ATTR_HDRSIZE: headerSize = attribute.GetU32(); break;
                case CTRL_ATTR_MAXATTR: maxAttribute = attribute.GetU32(); break;
                case CTRL_ATTR_MCAST_GROUPS:
                    // An array: each element is a nested attribute (type = index) holding name and id.
                    foreach (NetlinkAttribute group in attribute.GetNested())
                    {
                        string? groupName = null;
                        uint? groupId = null;
                        foreach (NetlinkAttribute field in group.GetNested())
                        {
                            if (field.Type == CTRL_ATTR_MCAST_GRP_NAME)
                            {
                                groupName = field.GetString();
                            }
                            else if (field.Type == CTRL_ATTR_MCAST_GRP_ID)
                            {
                                groupId = field.GetU32();
                            }
                        }

                        if (groupName is not null && groupId is not null)
                        {
                            groups[groupName] = groupId.Value;
                        }
                    }

                    break;
            }
        }

        if (name is null || id is null)
        {
            throw new FormatException($"Generic netlink family reply at offset {message.Offset} lacks CTRL_ATTR_FAMILY_{(id is null ? "ID" : "NAME")}.");
        }

        return new GenericNetlinkFamily(name, id.Value, version, headerSize, maxAttribute, new ReadOnlyDictionary<string, uint>(groups));
    }
}

/// <summary>
/// Generic netlink: resolves families by name through the controller (<c>CTRL_CMD_GETFAMILY</c>), with
/// their multicast groups. TIPC node configuration and other generic families build on it.
/// </summary>
public sealed class GenericNetlink : IDisposable
{
    /// <summary>The controller's family id (<c>GENL_ID_CTRL</c>).</summary>
    public const ushort ControllerId = GENL_ID_CTRL;

    private readonly NetlinkMessageBuilder _builder = new();

    /// <summary>Opens a <c>NETLINK_GENERIC</c> socket.</summary>
    public GenericNetlink() => Socket = new NetlinkSocket(NetlinkProtocol.Generic);

    /// <summary>The underlying socket.</summary>
    public NetlinkSocket Socket { get; }

    /// <summary>Writes a <c>CTRL_CMD_GETFAMILY</c> request for <paramref name="name"/>.</summary>
    /// <param name="builder">The builder (a message is appended).</param>
    /// <param name="name">The family name.</param>
    public static void WriteGetFamily(NetlinkMessageBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        // GENL_NAMSIZ is 16 including the NUL.
        if (System.Text.Encoding.UTF8.GetByteCount(name) > 15)
        {
            throw new ArgumentException($"Generic netlink family name '{name}' is longer than 15 bytes (GENL_NAMSIZ − 1).", nameof(name));
        }

        builder.BeginMessage(GENL_ID_CTRL, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        builder.WriteFamilyHeader(new genlmsghdr { cmd = CTRL_CMD_GETFAMILY });
        builder.AddString(CTRL_ATTR_FAMILY_NAME, name);
        builder.EndMessage();
    }

    /// <summary>Resolves a family by name.</summary>
    /// <param name="name">The family name, e.g. <c>TIPCv2</c>.</param>
    /// <returns>The family with its id and multicast groups.</returns>
    /// <exception cref="BusException"><see cref="Errno.ENOENT"/> when the kernel has no such family (module not loaded).</exception>
    public GenericNetlinkFamily ResolveFamily(string name)
    {
        _builder.Reset();
        WriteGetFamily(_builder, name);
        GenericNetlinkFamily? family = null;
        Socket.Query(_builder, m => family = GenericNetlinkFamily.Parse(m), "CTRL_CMD_GETFAMILY", name);
        return family ?? throw new BusException((int)Errno.ENOENT, "CTRL_CMD_GETFAMILY", name, "the kernel sent no family");
    }

    /// <summary>Resolves a family by name asynchronously.</summary>
    /// <param name="name">The family name.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async ValueTask<GenericNetlinkFamily> ResolveFamilyAsync(string name, CancellationToken cancellationToken = default)
    {
        _builder.Reset();
        WriteGetFamily(_builder, name);
        List<GenericNetlinkFamily> families = await Socket.QueryAsync(_builder, GenericNetlinkFamily.Parse, "CTRL_CMD_GETFAMILY", name, cancellationToken).ConfigureAwait(false);
        return families.Count > 0 ? families[0] : throw new BusException((int)Errno.ENOENT, "CTRL_CMD_GETFAMILY", name, "the kernel sent no family");
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => Socket.Dispose();
}
