using System.Buffers.Binary;
using System.Globalization;

namespace Buses.Netlink;

/// <summary>
/// A netlink socket address (<c>struct sockaddr_nl</c>, 12 bytes): a port id and a bitmask of legacy
/// multicast groups. Text form <c>netlink:&lt;portid&gt;[:&lt;groups&gt;]</c>, e.g. <c>netlink:0</c> (the
/// kernel) or <c>netlink:0:0x1</c> (the kernel, group mask 1); groups are written in hex and left out when 0.
/// </summary>
/// <param name="PortId">nl_pid: 0 is the kernel (as destination) or "assign one" (in bind).</param>
/// <param name="Groups">nl_groups: the legacy 32-group bitmask; groups above 32 need <c>NETLINK_ADD_MEMBERSHIP</c>.</param>
public readonly record struct NetlinkAddress(uint PortId, uint Groups = 0) : ISocketAddress<NetlinkAddress>
{
    /// <summary>The size of <c>sockaddr_nl</c>.</summary>
    public const int Size = 12;

    /// <summary>The kernel's address (port id 0, no groups).</summary>
    public static NetlinkAddress Kernel => default;

    /// <inheritdoc/>
    public static string Scheme => "netlink";

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Netlink;

    /// <inheritdoc/>
    public int EncodedSize => Size;

    /// <inheritdoc/>
    public int Encode(Span<byte> destination)
    {
        Span<byte> bytes = SocketAddressCodec.BeginEncode(destination, SocketFamily.Netlink, Size, "sockaddr_nl");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[4..], PortId);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[8..], Groups);
        return Size;
    }

    /// <inheritdoc/>
    public static NetlinkAddress Decode(ReadOnlySpan<byte> sockaddr)
    {
        SocketAddressCodec.CheckDecode(sockaddr, SocketFamily.Netlink, Size, "sockaddr_nl");

        return new NetlinkAddress(BinaryPrimitives.ReadUInt32LittleEndian(sockaddr[4..]), BinaryPrimitives.ReadUInt32LittleEndian(sockaddr[8..]));
    }

    /// <inheritdoc/>
    public static NetlinkAddress ParseBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string portText = colon < 0 ? text : text[..colon];
        uint port = ParseNumber(text, portText, "port id");
        uint groups = 0;
        if (colon >= 0)
        {
            groups = ParseNumber(text, text[(colon + 1)..], "group mask");
        }

        return new NetlinkAddress(port, groups);
    }

    /// <summary>Parses <c>netlink:&lt;portid&gt;[:&lt;groups&gt;]</c>.</summary>
    /// <param name="text">The whole text, with the scheme.</param>
    public static NetlinkAddress Parse(string text) => SocketAddressParser.Parse<NetlinkAddress>(text);

    /// <summary>The canonical text.</summary>
    public override string ToString() => Groups == 0
        ? string.Create(CultureInfo.InvariantCulture, $"netlink:{PortId}")
        : string.Create(CultureInfo.InvariantCulture, $"netlink:{PortId}:0x{Groups:x}");

    private static uint ParseNumber(string body, string part, string what)
    {
        bool hex = part.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        bool ok = uint.TryParse(hex ? part.AsSpan(2) : part, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out uint value);
        if (!ok)
        {
            throw SocketAddressParser.Malformed(Scheme, body, part, $"is not a {what}: a decimal or 0x-hex number from 0 to 4294967295");
        }

        return value;
    }
}
