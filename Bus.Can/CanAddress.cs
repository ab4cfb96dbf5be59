using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using Buses.Can.Interop;

namespace Buses.Can;

/// <summary>
/// A CAN socket address (<c>struct sockaddr_can</c>, 24 bytes): one interface by name or index, or
/// every interface (<c>any</c>, index 0). Text form: <c>can:vcan0</c>, <c>can:any</c>, or
/// <c>can:#5</c> for an index whose name is not known.
/// </summary>
/// <remarks>
/// A name is turned into an index when the address is encoded (at bind or send time), so an address
/// parsed before the interface exists still works once it does. Addresses compare by what they hold:
/// <c>can:vcan0</c> and <c>can:#3</c> differ even if vcan0 has index 3.
/// </remarks>
public readonly struct CanAddress : ISocketAddress<CanAddress>
{
    private const string AnyText = "any";

    private readonly string? _name;
    private readonly int _index;

    /// <summary>An address for the interface named <paramref name="interfaceName"/>.</summary>
    /// <param name="interfaceName">1 to 15 bytes, no '/', ':' or whitespace; <c>any</c> (or Python's <c>''</c>) means every interface.</param>
    /// <exception cref="ArgumentException">The name breaks the kernel's naming rules.</exception>
    public CanAddress(string interfaceName)
    {
        // Python's socket module takes '' for every interface; "any" is this library's text form of it.
        if (interfaceName is AnyText or "")
        {
            return;
        }

        Interfaces.ValidateName(interfaceName, nameof(interfaceName));
        _name = interfaceName;
    }

    private CanAddress(int index) => _index = index;

    /// <summary>Every CAN interface (<c>can_ifindex = 0</c>): a RAW socket bound so receives from all of them.</summary>
    public static CanAddress Any => default;

    /// <summary>An address for interface index <paramref name="interfaceIndex"/> (0 = any).</summary>
    /// <param name="interfaceIndex">0 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative index.</exception>
    public static CanAddress FromIndex(int interfaceIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(interfaceIndex);
        return new CanAddress(interfaceIndex);
    }

    /// <inheritdoc/>
    public static string Scheme => "can";

    /// <summary>The interface name, or <see langword="null"/> for <see cref="Any"/> and index-only addresses.</summary>
    public string? InterfaceName => _name;

    /// <summary>The interface index held (0 for any and for name-only addresses, which resolve when encoded).</summary>
    public int InterfaceIndex => _index;

    /// <summary>Whether this is every interface.</summary>
    public bool IsAny => _name is null && _index == 0;

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Can;

    /// <inheritdoc/>
    public int EncodedSize => Unsafe.SizeOf<sockaddr_can>();

    /// <summary>The interface index to send to the kernel, resolving a name now.</summary>
    /// <exception cref="BusException">No interface has the name (ENODEV).</exception>
    public int ResolveIndex() => _name is null ? _index : Interfaces.IndexOf(_name);

    /// <inheritdoc/>
    /// <exception cref="BusException">No interface has the name (ENODEV).</exception>
    public int Encode(Span<byte> destination)
    {
        int index = ResolveIndex();
        Span<byte> bytes = SocketAddressCodec.BeginEncode(destination, SocketFamily.Can, EncodedSize, "sockaddr_can");
        BinaryPrimitives.WriteInt32LittleEndian(bytes[4..], index);
        return bytes.Length;
    }

    /// <inheritdoc/>
    public static CanAddress Decode(ReadOnlySpan<byte> sockaddr)
    {
        SocketAddressCodec.CheckDecode(sockaddr, SocketFamily.Can, sockaddr_can.RAW_MIN_NAMELEN, "sockaddr_can");
        return new CanAddress(BinaryPrimitives.ReadInt32LittleEndian(sockaddr[4..]));
    }

    /// <inheritdoc/>
    public static CanAddress ParseBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == AnyText)
        {
            return Any;
        }

        if (text.StartsWith('#'))
        {
            if (!int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                throw SocketAddressParser.Malformed(Scheme, text, text, "is not '#' followed by an interface index");
            }

            return new CanAddress(index);
        }

        try
        {
            // The text form has one spelling of every interface, 'any'; Python's '' is for the constructor.
            return text.Length == 0 ? throw new ArgumentException("An interface name cannot be empty.") : new CanAddress(text);
        }
        catch (ArgumentException ex)
        {
            throw SocketAddressParser.Malformed(Scheme, text, text, "is not an interface name, 'any' or '#index': " + ex.Message.Split(" (Parameter", 2)[0]);
        }
    }

    /// <summary>Parses <c>can:vcan0</c>, <c>can:any</c> or <c>can:#5</c>.</summary>
    /// <param name="text">The text, with the scheme.</param>
    public static CanAddress Parse(string text) => SocketAddressParser.Parse<CanAddress>(text);

    /// <inheritdoc/>
    public bool Equals(CanAddress other) => _name == other._name && _index == other._index;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CanAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_name, _index);

    /// <summary>The canonical text: <c>can:vcan0</c>, <c>can:any</c> or <c>can:#5</c>.</summary>
    public override string ToString() =>
        _name is not null ? "can:" + _name : _index == 0 ? "can:any" : "can:#" + _index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Equality of name and index.</summary>
    public static bool operator ==(CanAddress left, CanAddress right) => left.Equals(right);

    /// <summary>Inequality of name or index.</summary>
    public static bool operator !=(CanAddress left, CanAddress right) => !left.Equals(right);
}
