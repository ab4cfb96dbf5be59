using System.Globalization;
using System.Runtime.InteropServices;
using Buses.Can.Interop;

namespace Buses.Can;

/// <summary>
/// An ISO-TP socket address: the ISO-TP arm of <c>struct sockaddr_can</c> (interface, the CAN ID received
/// on, the CAN ID sent with). Text form: <c>isotp:vcan0/7E8/7E0</c> (interface/rx/tx, standard IDs as 3 hex
/// digits, extended as 8), or <c>isotp:#3/7E8/7E0</c> for an interface index.
/// </summary>
/// <remarks>The IDs carry the CAN_EFF_FLAG for 29-bit IDs, as the kernel expects. Remote and error IDs cannot be ISO-TP addresses.</remarks>
public readonly struct IsoTpAddress : ISocketAddress<IsoTpAddress>
{
    private readonly CanAddress _interface;

    /// <summary>An address on an interface.</summary>
    /// <param name="interfaceName">The interface, e.g. <c>vcan0</c>.</param>
    /// <param name="receiveId">The ID this socket receives on (the peer's transmit ID); also where flow control is expected.</param>
    /// <param name="transmitId">The ID this socket sends with.</param>
    /// <exception cref="ArgumentException">A bad interface name, or a remote or error ID.</exception>
    public IsoTpAddress(string interfaceName, CanId receiveId, CanId transmitId)
        : this(new CanAddress(interfaceName), receiveId, transmitId)
    {
        if (_interface.IsAny)
        {
            throw new ArgumentException("An ISO-TP socket needs one interface; 'any' is not one.", nameof(interfaceName));
        }
    }

    private IsoTpAddress(CanAddress interfaceAddress, CanId receiveId, CanId transmitId)
    {
        CheckId(receiveId, nameof(receiveId));
        CheckId(transmitId, nameof(transmitId));
        _interface = interfaceAddress;
        ReceiveId = receiveId;
        TransmitId = transmitId;
    }

    /// <summary>An address on interface index <paramref name="interfaceIndex"/>.</summary>
    /// <param name="interfaceIndex">1 or more.</param>
    /// <param name="receiveId">The ID received on.</param>
    /// <param name="transmitId">The ID sent with.</param>
    /// <returns>The address.</returns>
    public static IsoTpAddress FromIndex(int interfaceIndex, CanId receiveId, CanId transmitId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(interfaceIndex);
        return new IsoTpAddress(CanAddress.FromIndex(interfaceIndex), receiveId, transmitId);
    }

    /// <inheritdoc/>
    public static string Scheme => "isotp";

    /// <summary>The interface.</summary>
    public CanAddress Interface => _interface;

    /// <summary>The CAN ID received on (<c>can_addr.tp.rx_id</c>).</summary>
    public CanId ReceiveId { get; }

    /// <summary>The CAN ID sent with (<c>can_addr.tp.tx_id</c>).</summary>
    public CanId TransmitId { get; }

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Can;

    /// <inheritdoc/>
    public int EncodedSize => System.Runtime.CompilerServices.Unsafe.SizeOf<sockaddr_can>();

    /// <inheritdoc/>
    /// <exception cref="BusException">No interface has the name (ENODEV).</exception>
    public int Encode(Span<byte> destination)
    {
        Span<byte> bytes = SocketAddressCodec.BeginEncode(destination, SocketFamily.Can, EncodedSize, "sockaddr_can");
        MemoryMarshal.Write(bytes[4..], _interface.ResolveIndex());
        MemoryMarshal.Write(bytes[8..], ReceiveId.Raw);
        MemoryMarshal.Write(bytes[12..], TransmitId.Raw);
        return bytes.Length;
    }

    /// <inheritdoc/>
    public static IsoTpAddress Decode(ReadOnlySpan<byte> sockaddr)
    {
        SocketAddressCodec.CheckDecode(sockaddr, SocketFamily.Can, IsoTpUapi.ISOTP_MIN_NAMELEN, "sockaddr_can (ISO-TP)");
        int index = MemoryMarshal.Read<int>(sockaddr[4..]);
        CanId rx = CanId.FromRaw(MemoryMarshal.Read<uint>(sockaddr[8..]));
        CanId tx = CanId.FromRaw(MemoryMarshal.Read<uint>(sockaddr[12..]));
        if (rx.IsRemote || rx.IsError || tx.IsRemote || tx.IsError)
        {
            throw new FormatException($"A sockaddr_can with ISO-TP IDs {rx.Raw:X8}/{tx.Raw:X8} has remote or error flags, which no ISO-TP address has.");
        }

        return new IsoTpAddress(CanAddress.FromIndex(index), rx, tx);
    }

    /// <inheritdoc/>
    public static IsoTpAddress ParseBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        if (parts.Length != 3)
        {
            throw SocketAddressParser.Malformed(Scheme, text, text, "is not interface/rx/tx (e.g. vcan0/7E8/7E0)");
        }

        CanAddress iface;
        try
        {
            iface = CanAddress.ParseBody(parts[0]);
        }
        catch (FormatException)
        {
            throw SocketAddressParser.Malformed(Scheme, text, parts[0], "is not an interface name or '#index'");
        }

        if (iface.IsAny)
        {
            throw SocketAddressParser.Malformed(Scheme, text, parts[0], "is 'any'; an ISO-TP socket needs one interface");
        }

        return new IsoTpAddress(iface, ParsePart(text, parts[1]), ParsePart(text, parts[2]));
    }

    /// <summary>Parses <c>isotp:vcan0/7E8/7E0</c>.</summary>
    /// <param name="text">The text, with the scheme.</param>
    /// <returns>The address.</returns>
    public static IsoTpAddress Parse(string text) => SocketAddressParser.Parse<IsoTpAddress>(text);

    /// <inheritdoc/>
    public bool Equals(IsoTpAddress other) => _interface == other._interface && ReceiveId == other.ReceiveId && TransmitId == other.TransmitId;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is IsoTpAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_interface, ReceiveId, TransmitId);

    /// <summary>The canonical text: <c>isotp:vcan0/7E8/7E0</c>.</summary>
    public override string ToString() => $"isotp:{_interface.ToString()["can:".Length..]}/{FormatCanId(ReceiveId)}/{FormatCanId(TransmitId)}";

    /// <summary>Equality of interface and IDs.</summary>
    public static bool operator ==(IsoTpAddress left, IsoTpAddress right) => left.Equals(right);

    /// <summary>Inequality of interface or IDs.</summary>
    public static bool operator !=(IsoTpAddress left, IsoTpAddress right) => !left.Equals(right);

    /// <summary>Parses a CAN ID the way isotpsend's <c>-s</c>/<c>-d</c> do: hex, and more than 7 digits means an extended ID.</summary>
    /// <param name="text">1 to 8 hex digits.</param>
    /// <returns>The ID.</returns>
    /// <exception cref="FormatException">Not 1 to 8 hex digits.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A standard ID above 0x7FF.</exception>
    public static CanId ParseCanId(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length is 0 or > 8 || !uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value))
        {
            throw new FormatException($"'{text}' is not a CAN ID of 1 to 8 hex digits.");
        }

        return text.Length > 7 ? CanId.Extended(value) : CanId.Standard(value);
    }

    /// <summary>Writes a CAN ID as the ISO-TP tools do: 3 hex digits standard, 8 extended.</summary>
    /// <param name="id">The ID.</param>
    /// <returns>The text.</returns>
    public static string FormatCanId(CanId id) => id.IsExtended ? id.Value.ToString("X8", CultureInfo.InvariantCulture) : id.Value.ToString("X3", CultureInfo.InvariantCulture);

    private static CanId ParsePart(string whole, string part)
    {
        try
        {
            return ParseCanId(part);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException)
        {
            throw SocketAddressParser.Malformed(Scheme, whole, part, "is not a CAN ID (3 hex digits standard, 8 extended)");
        }
    }

    private static void CheckId(CanId id, string name)
    {
        if (id.IsRemote || id.IsError)
        {
            throw new ArgumentException($"CAN ID {id} is a {(id.IsRemote ? "remote" : "error")} ID, which ISO-TP cannot use.", name);
        }
    }
}
