using System.Buffers.Binary;
using System.Globalization;

namespace Buses.Packet;

/// <summary>
/// An AF_PACKET address (<c>struct sockaddr_ll</c>, 20 bytes): interface, protocol and, on received
/// frames, packet type, hardware type and the sender's hardware address. Python's
/// <c>(ifname, proto[, pkttype[, hatype[, addr]]])</c> with the same limits: the protocol is given in
/// host order (converted to network order in <c>sockaddr_ll</c>), the hardware address is at most 8 bytes.
/// </summary>
/// <remarks>
/// Text form: <c>packet:&lt;interface&gt;:&lt;protocol&gt;[:&lt;pkttype&gt;[:&lt;hatype&gt;[:&lt;hex address&gt;]]]</c>,
/// e.g. <c>packet:eth0:0x0800</c> or <c>packet:veth0:0x88b5:broadcast:1:525400123456</c>. The interface is a
/// name (resolved to its index in the calling thread's network namespace when parsed), <c>#N</c> for an
/// index, or empty for index 0 ("any"). Trailing fields at their defaults are left out.
/// </remarks>
public readonly struct PacketAddress : ISocketAddress<PacketAddress>
{
    /// <summary>The size of <c>sockaddr_ll</c>.</summary>
    public const int Size = 20;

    /// <summary>The longest hardware address <c>sockaddr_ll</c> holds.</summary>
    public const int MaxHardwareAddressLength = 8;

    private static readonly string[] s_packetTypeNames = ["host", "broadcast", "multicast", "otherhost", "outgoing", "loopback", "user", "kernel"];

    private readonly ulong _address;
    private readonly byte _addressLength;

    /// <summary>Creates an address from an interface index.</summary>
    /// <param name="interfaceIndex">The interface index; 0 means any interface (receive only).</param>
    /// <param name="protocol">The <c>ETH_P_*</c> protocol in host order (see <see cref="EtherType"/>).</param>
    /// <param name="packetType">The packet type (meaningful on received frames).</param>
    /// <param name="hardwareType">The <c>ARPHRD_*</c> hardware type (meaningful on received frames).</param>
    /// <param name="hardwareAddress">The hardware address: the destination when sending, the source when received; at most 8 bytes.</param>
    /// <exception cref="ArgumentException">The hardware address is longer than 8 bytes, or the index is negative.</exception>
    public PacketAddress(int interfaceIndex, ushort protocol, PacketType packetType = PacketType.Host, ushort hardwareType = 0, ReadOnlySpan<byte> hardwareAddress = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(interfaceIndex);
        if (hardwareAddress.Length > MaxHardwareAddressLength)
        {
            throw new ArgumentException($"Hardware address of {hardwareAddress.Length} bytes is longer than the {MaxHardwareAddressLength} bytes sockaddr_ll holds.", nameof(hardwareAddress));
        }

        InterfaceIndex = interfaceIndex;
        Protocol = protocol;
        PacketType = packetType;
        HardwareType = hardwareType;
        Span<byte> bytes = stackalloc byte[8];
        bytes.Clear();
        hardwareAddress.CopyTo(bytes);
        _address = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        _addressLength = (byte)hardwareAddress.Length;
    }

    /// <summary>Creates an address from an interface name, as Python's <c>(ifname, proto, …)</c> tuple does.</summary>
    /// <param name="interfaceName">The interface name (resolved in the calling thread's network namespace); empty for index 0.</param>
    /// <param name="protocol">The protocol in host order: 0 to 65535.</param>
    /// <param name="packetType">The packet type.</param>
    /// <param name="hardwareType">The hardware type.</param>
    /// <param name="hardwareAddress">At most 8 bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException">The protocol is outside 0–65535.</exception>
    /// <exception cref="BusException">No interface has that name (ENODEV).</exception>
    public static PacketAddress Create(string interfaceName, int protocol, PacketType packetType = PacketType.Host, ushort hardwareType = 0, ReadOnlySpan<byte> hardwareAddress = default)
    {
        ArgumentNullException.ThrowIfNull(interfaceName);
        if ((uint)protocol > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol, $"Protocol {protocol} is outside 0–65535 (give it in host order; it is converted to network order).");
        }

        if (hardwareAddress.Length > MaxHardwareAddressLength)
        {
            throw new ArgumentException($"Hardware address of {hardwareAddress.Length} bytes is longer than the {MaxHardwareAddressLength} bytes sockaddr_ll holds.", nameof(hardwareAddress));
        }

        if (interfaceName.Length > 0)
        {
            Interfaces.ValidateName(interfaceName, nameof(interfaceName));
        }

        int index = interfaceName.Length == 0 ? 0 : Interfaces.IndexOf(interfaceName);
        return new PacketAddress(index, (ushort)protocol, packetType, hardwareType, hardwareAddress);
    }

    /// <summary>The interface index (<c>sll_ifindex</c>); 0 is any interface.</summary>
    public int InterfaceIndex { get; }

    /// <summary>The protocol in host order (<c>ntohs(sll_protocol)</c>).</summary>
    public ushort Protocol { get; }

    /// <summary>The packet type (<c>sll_pkttype</c>).</summary>
    public PacketType PacketType { get; }

    /// <summary>The hardware type (<c>sll_hatype</c>, <c>ARPHRD_*</c>).</summary>
    public ushort HardwareType { get; }

    /// <summary>The length of the hardware address (<c>sll_halen</c>), 0 to 8.</summary>
    public int HardwareAddressLength => _addressLength;

    /// <summary>The hardware address as a new array.</summary>
    public byte[] GetHardwareAddress()
    {
        var bytes = new byte[_addressLength];
        CopyHardwareAddressTo(bytes);
        return bytes;
    }

    /// <summary>Copies the hardware address without allocating.</summary>
    /// <param name="destination">At least <see cref="HardwareAddressLength"/> bytes.</param>
    /// <returns>The number of bytes copied.</returns>
    public int CopyHardwareAddressTo(Span<byte> destination)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, _address);
        bytes[.._addressLength].CopyTo(destination);
        return _addressLength;
    }

    /// <inheritdoc/>
    public static string Scheme => "packet";

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Packet;

    /// <inheritdoc/>
    public int EncodedSize => Size;

    /// <inheritdoc/>
    public int Encode(Span<byte> destination)
    {
        Span<byte> bytes = SocketAddressCodec.BeginEncode(destination, SocketFamily.Packet, Size, "sockaddr_ll");
        BinaryPrimitives.WriteUInt16BigEndian(bytes[2..], Protocol);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[4..], InterfaceIndex);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[8..], HardwareType);
        bytes[10] = (byte)PacketType;
        bytes[11] = _addressLength;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[12..], _address);
        return Size;
    }

    /// <inheritdoc/>
    /// <remarks><c>getsockname</c> reports <c>offsetof(sll_addr) + sll_halen</c> bytes, so fewer than 20 are accepted.</remarks>
    public static PacketAddress Decode(ReadOnlySpan<byte> sockaddr)
    {
        const int AddressOffset = 12;
        SocketAddressCodec.CheckDecode(sockaddr, SocketFamily.Packet, AddressOffset, "sockaddr_ll");

        int halen = sockaddr[11];
        if (halen > MaxHardwareAddressLength || AddressOffset + halen > sockaddr.Length)
        {
            throw new FormatException($"sockaddr_ll sll_halen {halen} does not fit: at most {MaxHardwareAddressLength} and {sockaddr.Length - AddressOffset} byte(s) present.");
        }

        int index = BinaryPrimitives.ReadInt32LittleEndian(sockaddr[4..]);
        if (index < 0)
        {
            throw new FormatException($"sockaddr_ll sll_ifindex {index} is negative.");
        }

        return new PacketAddress(
            index,
            BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]),
            (PacketType)sockaddr[10],
            BinaryPrimitives.ReadUInt16LittleEndian(sockaddr[8..]),
            sockaddr.Slice(AddressOffset, halen));
    }

    /// <inheritdoc/>
    public static PacketAddress ParseBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(':');
        if (parts.Length is < 2 or > 5)
        {
            throw SocketAddressParser.Malformed(Scheme, text, text, "must be interface:protocol[:pkttype[:hatype[:hexaddress]]]");
        }

        int index;
        string ifPart = parts[0];
        if (ifPart.Length == 0)
        {
            index = 0;
        }
        else if (ifPart[0] == '#')
        {
            if (!int.TryParse(ifPart.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out index))
            {
                throw SocketAddressParser.Malformed(Scheme, text, ifPart, "is not '#' followed by an interface index");
            }
        }
        else
        {
            try
            {
                Interfaces.ValidateName(ifPart, "interface");
            }
            catch (ArgumentException e)
            {
                throw SocketAddressParser.Malformed(Scheme, text, ifPart, "is not a valid interface name (" + e.Message + ")");
            }

            index = Interfaces.IndexOf(ifPart);
        }

        ushort protocol = (ushort)ParseNumber(text, parts[1], ushort.MaxValue, "protocol");
        var pkttype = PacketType.Host;
        if (parts.Length > 2)
        {
            int named = Array.IndexOf(s_packetTypeNames, parts[2]);
            pkttype = (PacketType)(named >= 0 ? named : ParseNumber(text, parts[2], byte.MaxValue, "packet type (host, broadcast, multicast, otherhost, outgoing, loopback, user, kernel or 0–255)"));
        }

        ushort hatype = parts.Length > 3 ? (ushort)ParseNumber(text, parts[3], ushort.MaxValue, "hardware type") : (ushort)0;
        byte[] address = [];
        if (parts.Length > 4)
        {
            try
            {
                address = Convert.FromHexString(parts[4]);
            }
            catch (FormatException)
            {
                throw SocketAddressParser.Malformed(Scheme, text, parts[4], "is not an even number of hex digits");
            }

            if (address.Length > MaxHardwareAddressLength)
            {
                throw SocketAddressParser.Malformed(Scheme, text, parts[4], $"is {address.Length} bytes; a hardware address is at most {MaxHardwareAddressLength}");
            }
        }

        return new PacketAddress(index, protocol, pkttype, hatype, address);
    }

    /// <summary>Parses <c>packet:&lt;interface&gt;:&lt;protocol&gt;…</c>.</summary>
    /// <param name="text">The whole text, with the scheme.</param>
    public static PacketAddress Parse(string text) => SocketAddressParser.Parse<PacketAddress>(text);

    /// <summary>The canonical text. The interface is shown by name when the index resolves in this network namespace, otherwise as <c>#N</c>.</summary>
    public override string ToString()
    {
        string name = InterfaceIndex == 0 ? "" : TryNameOf(InterfaceIndex) ?? "#" + InterfaceIndex.ToString(CultureInfo.InvariantCulture);
        return ToString(name);
    }

    /// <summary>The canonical text with the interface written as <c>#N</c>, without any lookup.</summary>
    public string ToIndexString() => ToString(InterfaceIndex == 0 ? "" : "#" + InterfaceIndex.ToString(CultureInfo.InvariantCulture));

    private string ToString(string interfaceText)
    {
        var text = new System.Text.StringBuilder();
        text.Append("packet:").Append(interfaceText).Append(CultureInfo.InvariantCulture, $":0x{Protocol:x4}");
        bool address = _addressLength > 0, hatype = address || HardwareType != 0, pkttype = hatype || PacketType != PacketType.Host;
        if (pkttype)
        {
            text.Append(':').Append((int)PacketType < s_packetTypeNames.Length ? s_packetTypeNames[(int)PacketType] : ((int)PacketType).ToString(CultureInfo.InvariantCulture));
        }

        if (hatype)
        {
            text.Append(':').Append(HardwareType.ToString(CultureInfo.InvariantCulture));
        }

        if (address)
        {
            text.Append(':').Append(Convert.ToHexStringLower(GetHardwareAddress()));
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(PacketAddress other) =>
        InterfaceIndex == other.InterfaceIndex && Protocol == other.Protocol && PacketType == other.PacketType &&
        HardwareType == other.HardwareType && _addressLength == other._addressLength && _address == other._address;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PacketAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(InterfaceIndex, Protocol, PacketType, HardwareType, _address, _addressLength);

    /// <summary>Equality of all fields.</summary>
    public static bool operator ==(PacketAddress left, PacketAddress right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(PacketAddress left, PacketAddress right) => !left.Equals(right);

    private static int ParseNumber(string body, string part, int max, string what)
    {
        bool hex = part.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        bool ok = int.TryParse(hex ? part.AsSpan(2) : part, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out int value);
        if (!ok || value < 0 || value > max)
        {
            throw SocketAddressParser.Malformed(Scheme, body, part, $"is not a {what} from 0 to {max} (decimal or 0x-hex)");
        }

        return value;
    }

    private static string? TryNameOf(int index)
    {
        try
        {
            return Interfaces.NameOf(index);
        }
        catch (BusException)
        {
            return null;
        }
    }
}
