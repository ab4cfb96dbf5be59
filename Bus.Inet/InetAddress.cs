using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Buses.Inet;

/// <summary>
/// An IPv4 socket address (<c>sockaddr_in</c>): canonical text <c>inet:127.0.0.1:8080</c>.
/// </summary>
/// <remarks>
/// As in Python's socket module, an empty host (<c>inet::80</c>) means <c>INADDR_ANY</c> and
/// <c>&lt;broadcast&gt;</c> (<c>inet:&lt;broadcast&gt;:9</c>) means <c>INADDR_BROADCAST</c>; both print back in
/// dotted-quad form. The text form takes numeric addresses only (host names need a resolver, which a
/// parser must not call); resolve names with <see cref="InetSockets.ResolveAsync"/>. Only the four-part dotted
/// decimal form is accepted, so <c>127.1</c> or <c>010.0.0.1</c> (which <c>inet_aton</c> reads as octal) are not
/// silently reinterpreted.
/// </remarks>
public readonly struct InetAddress : ISocketAddress<InetAddress>
{
    /// <summary><c>sizeof(struct sockaddr_in)</c>.</summary>
    public const int Size = 16;

    // The address as a number: 127.0.0.1 is 0x7F000001.
    private readonly uint _address;
    private readonly ushort _port;

    /// <summary>Creates an address from an IPv4 <see cref="IPAddress"/> and a port.</summary>
    /// <param name="address">An IPv4 address (<see cref="AddressFamily.InterNetwork"/>).</param>
    /// <param name="port">0 to 65535.</param>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not IPv4.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is out of range.</exception>
    public InetAddress(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"Address {address} is not an IPv4 address; use Inet6Address for IPv6.", nameof(address));
        }

        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        _address = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        _port = InetText.CheckPort(port, nameof(port));
    }

    /// <summary>Creates an address from its 32-bit value (<c>0x7F000001</c> is 127.0.0.1) and a port.</summary>
    /// <param name="address">The address, most significant byte first.</param>
    /// <param name="port">0 to 65535.</param>
    public InetAddress(uint address, int port)
    {
        _address = address;
        _port = InetText.CheckPort(port, nameof(port));
    }

    /// <summary><c>INADDR_ANY</c> (0.0.0.0) with <paramref name="port"/>.</summary>
    /// <param name="port">0 to 65535.</param>
    public static InetAddress Any(int port = 0) => new(0u, port);

    /// <summary><c>INADDR_LOOPBACK</c> (127.0.0.1) with <paramref name="port"/>.</summary>
    /// <param name="port">0 to 65535.</param>
    public static InetAddress Loopback(int port = 0) => new(0x7F000001u, port);

    /// <summary><c>INADDR_BROADCAST</c> (255.255.255.255) with <paramref name="port"/>.</summary>
    /// <param name="port">0 to 65535.</param>
    public static InetAddress Broadcast(int port = 0) => new(uint.MaxValue, port);

    /// <inheritdoc/>
    public static string Scheme => "inet";

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Inet;

    /// <inheritdoc/>
    public int EncodedSize => Size;

    /// <summary>The address as a number, most significant byte first (<c>0x7F000001</c> is 127.0.0.1).</summary>
    public uint Value => _address;

    /// <summary>The port.</summary>
    public int Port => _port;

    /// <summary>The address as an <see cref="IPAddress"/> (allocates).</summary>
    public IPAddress Address
    {
        get
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, _address);
            return new IPAddress(bytes);
        }
    }

    /// <summary>Returns the same address with another port.</summary>
    /// <param name="port">0 to 65535.</param>
    public InetAddress WithPort(int port) => new(_address, port);

    /// <inheritdoc/>
    public int Encode(Span<byte> destination)
    {
        Span<byte> bytes = InetText.WriteHeader(destination, SocketFamily.Inet, Size, "sockaddr_in", _port);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[4..], _address);
        return Size;
    }

    /// <inheritdoc/>
    public static InetAddress Decode(ReadOnlySpan<byte> sockaddr)
    {
        ushort port = InetText.ReadHeader(sockaddr, SocketFamily.Inet, 8, "sockaddr_in");
        return new InetAddress(BinaryPrimitives.ReadUInt32BigEndian(sockaddr[4..]), port);
    }

    /// <inheritdoc/>
    public static InetAddress ParseBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            throw SocketAddressParser.Malformed(Scheme, text, text, "has no ':' between the host and the port");
        }

        string host = text[..colon];
        ushort port = InetText.ParsePort(Scheme, text, text[(colon + 1)..]);
        return new InetAddress(ParseHost(text, host), port);
    }

    /// <summary>Parses <c>inet:host:port</c>.</summary>
    /// <param name="text">The whole text, scheme included.</param>
    /// <exception cref="FormatException">The text is malformed; the message names the bad part.</exception>
    public static InetAddress Parse(string text) => SocketAddressParser.Parse<InetAddress>(text);

    /// <summary>Converts an IPv4 <see cref="IPEndPoint"/>.</summary>
    /// <param name="endPoint">An IPv4 end point.</param>
    /// <exception cref="ArgumentException">The end point is not IPv4.</exception>
    public static InetAddress FromIPEndPoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return new InetAddress(endPoint.Address, endPoint.Port);
    }

    /// <summary>Converts to an <see cref="IPEndPoint"/> (allocates).</summary>
    public IPEndPoint ToIPEndPoint() => new(Address, _port);

    /// <summary>Converts an IPv4 <see cref="IPEndPoint"/>.</summary>
    /// <param name="endPoint">An IPv4 end point.</param>
    public static explicit operator InetAddress(IPEndPoint endPoint) => FromIPEndPoint(endPoint);

    /// <summary>Converts to an <see cref="IPEndPoint"/>.</summary>
    /// <param name="address">The address.</param>
    public static explicit operator IPEndPoint(InetAddress address) => address.ToIPEndPoint();

    /// <inheritdoc/>
    public bool Equals(InetAddress other) => _address == other._address && _port == other._port;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is InetAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_address, _port);

    /// <summary>The canonical text, <c>inet:a.b.c.d:port</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"inet:{_address >> 24}.{(_address >> 16) & 0xFF}.{(_address >> 8) & 0xFF}.{_address & 0xFF}:{_port}");

    /// <summary>Equality of address and port.</summary>
    public static bool operator ==(InetAddress left, InetAddress right) => left.Equals(right);

    /// <summary>Inequality of address or port.</summary>
    public static bool operator !=(InetAddress left, InetAddress right) => !left.Equals(right);

    private static uint ParseHost(string body, string host)
    {
        switch (host)
        {
            case "":
                return 0;
            case "<broadcast>":
                return uint.MaxValue;
        }

        // IPAddress also takes inet_aton's short and octal forms; the canonical text is four decimal
        // parts without leading zeros, and anything else is refused rather than reinterpreted.
        if (!IsDottedQuad(host) || !IPAddress.TryParse(host, out IPAddress? ip) || ip.AddressFamily != AddressFamily.InterNetwork)
        {
            throw SocketAddressParser.Malformed(Scheme, body, host,
                "is not an IPv4 address in dotted-decimal form (a.b.c.d, each 0 to 255), '' for INADDR_ANY or '<broadcast>'");
        }

        Span<byte> bytes = stackalloc byte[4];
        ip.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static bool IsDottedQuad(string host)
    {
        int parts = 0;
        foreach (Range part in host.AsSpan().Split('.'))
        {
            ReadOnlySpan<char> digits = host.AsSpan()[part];
            if (digits.Length is 0 or > 3 || (digits.Length > 1 && digits[0] == '0') || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > 255)
            {
                return false;
            }

            parts++;
        }

        return parts == 4;
    }
}
