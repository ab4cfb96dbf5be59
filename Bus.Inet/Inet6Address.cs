using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Buses.Inet;

/// <summary>
/// An IPv6 socket address (<c>sockaddr_in6</c>) with Python's four parts: host, port, flow info and
/// scope id. Canonical text <c>inet6:[fe80::1%2]:80</c>, with <c>,flowinfo=N</c> appended when the flow
/// info is not zero.
/// </summary>
/// <remarks>
/// The scope may be written as an interface name (<c>inet6:[fe80::1%eth0]:80</c>); it is resolved to the
/// interface index when parsed and printed as the number, because an index is what the kernel keeps and
/// a name can vanish. An empty host (<c>inet6:[]:80</c>) means <c>in6addr_any</c>, as <c>''</c> does in Python.
/// The text form takes numeric addresses only; resolve names with <see cref="InetSockets.ResolveAsync"/>.
/// </remarks>
public readonly struct Inet6Address : ISocketAddress<Inet6Address>
{
    /// <summary><c>sizeof(struct sockaddr_in6)</c>.</summary>
    public const int Size = 28;

    /// <summary>The largest flow info: <c>IPV6_FLOWINFO_MASK</c>, the traffic class and flow label bits.</summary>
    /// <remarks>
    /// Python refuses flow info above the 20-bit flow label when building an address, but the kernel
    /// reports the traffic class bits too in the flow info of some received addresses; accepting all 28
    /// bits keeps every address the kernel returns printable and parsable.
    /// </remarks>
    public const uint MaxFlowInfo = 0x0FFF_FFFF;

    private const string FlowInfoKey = ",flowinfo=";

    private readonly ulong _high;
    private readonly ulong _low;
    private readonly ushort _port;
    private readonly uint _flowInfo;
    private readonly uint _scopeId;

    /// <summary>Creates an address from an IPv6 <see cref="IPAddress"/> (its scope id is used), a port and flow info.</summary>
    /// <param name="address">An IPv6 address.</param>
    /// <param name="port">0 to 65535.</param>
    /// <param name="flowInfo">0 to <see cref="MaxFlowInfo"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not IPv6.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> or <paramref name="flowInfo"/> is out of range.</exception>
    public Inet6Address(IPAddress address, int port, uint flowInfo = 0)
        : this(Bytes(address), port, flowInfo, (uint)address.ScopeId)
    {
    }

    /// <summary>Creates an address from its 16 bytes, a port, flow info and scope id.</summary>
    /// <param name="address">Exactly 16 bytes, network order.</param>
    /// <param name="port">0 to 65535.</param>
    /// <param name="flowInfo">0 to <see cref="MaxFlowInfo"/>.</param>
    /// <param name="scopeId">The interface index for a link-local address, or 0.</param>
    public Inet6Address(ReadOnlySpan<byte> address, int port, uint flowInfo = 0, uint scopeId = 0)
    {
        if (address.Length != 16)
        {
            throw new ArgumentException($"An IPv6 address is 16 bytes, not {address.Length}.", nameof(address));
        }

        if (flowInfo > MaxFlowInfo)
        {
            throw new ArgumentOutOfRangeException(nameof(flowInfo), flowInfo, $"Flow info 0x{flowInfo:X} is not 0 to 0x{MaxFlowInfo:X}.");
        }

        _high = BinaryPrimitives.ReadUInt64BigEndian(address);
        _low = BinaryPrimitives.ReadUInt64BigEndian(address[8..]);
        _port = InetText.CheckPort(port, nameof(port));
        _flowInfo = flowInfo;
        _scopeId = scopeId;
    }

    /// <summary><c>in6addr_any</c> (<c>::</c>) with <paramref name="port"/>.</summary>
    /// <param name="port">0 to 65535.</param>
    public static Inet6Address Any(int port = 0) => new(stackalloc byte[16], port);

    /// <summary><c>in6addr_loopback</c> (<c>::1</c>) with <paramref name="port"/>.</summary>
    /// <param name="port">0 to 65535.</param>
    public static Inet6Address Loopback(int port = 0) => new([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], port);

    /// <inheritdoc/>
    public static string Scheme => "inet6";

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Inet6;

    /// <inheritdoc/>
    public int EncodedSize => Size;

    /// <summary>The port.</summary>
    public int Port => _port;

    /// <summary>The flow info (<c>sin6_flowinfo</c>, host order).</summary>
    public uint FlowInfo => _flowInfo;

    /// <summary>The scope id (<c>sin6_scope_id</c>): the interface index of a link-local address, or 0.</summary>
    public uint ScopeId => _scopeId;

    /// <summary>The address as an <see cref="IPAddress"/> with the scope id (allocates).</summary>
    public IPAddress Address
    {
        get
        {
            Span<byte> bytes = stackalloc byte[16];
            WriteAddress(bytes);
            return new IPAddress(bytes, _scopeId);
        }
    }

    /// <summary>Writes the 16 address bytes, network order.</summary>
    /// <param name="destination">At least 16 bytes.</param>
    public void WriteAddress(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
    }

    /// <summary>Returns the same address with another port.</summary>
    /// <param name="port">0 to 65535.</param>
    public Inet6Address WithPort(int port)
    {
        Span<byte> bytes = stackalloc byte[16];
        WriteAddress(bytes);
        return new Inet6Address(bytes, port, _flowInfo, _scopeId);
    }

    /// <inheritdoc/>
    public int Encode(Span<byte> destination)
    {
        Span<byte> bytes = InetText.WriteHeader(destination, SocketFamily.Inet6, Size, "sockaddr_in6", _port);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[4..], _flowInfo);
        WriteAddress(bytes[8..]);
        BitConverter.TryWriteBytes(bytes[24..], _scopeId);
        return Size;
    }

    /// <inheritdoc/>
    public static Inet6Address Decode(ReadOnlySpan<byte> sockaddr)
    {
        ushort port = InetText.ReadHeader(sockaddr, SocketFamily.Inet6, 24, "sockaddr_in6");
        uint flowInfo = BinaryPrimitives.ReadUInt32BigEndian(sockaddr[4..]);
        if (flowInfo > MaxFlowInfo)
        {
            throw new FormatException($"A sockaddr_in6 with flow info 0x{flowInfo:X} has bits outside 0x{MaxFlowInfo:X} set.");
        }

        // The kernel accepts the 24-byte RFC 2133 sockaddr_in6 without a scope id.
        uint scopeId = sockaddr.Length >= Size ? BitConverter.ToUInt32(sockaddr[24..]) : 0;
        return new Inet6Address(sockaddr.Slice(8, 16), port, flowInfo, scopeId);
    }

    /// <inheritdoc/>
    public static Inet6Address ParseBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string rest = text;
        uint flowInfo = 0;
        int comma = rest.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            string option = rest[comma..];
            if (!option.StartsWith(FlowInfoKey, StringComparison.Ordinal))
            {
                throw SocketAddressParser.Malformed(Scheme, text, option, $"is not '{FlowInfoKey}N', the only option after the port");
            }

            string number = option[FlowInfoKey.Length..];
            if (!uint.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out flowInfo) || flowInfo > MaxFlowInfo)
            {
                throw SocketAddressParser.Malformed(Scheme, text, number, $"is not a flow info number from 0 to {MaxFlowInfo}");
            }

            rest = rest[..comma];
        }

        int close = rest.IndexOf(']', StringComparison.Ordinal);
        if (rest.Length == 0 || rest[0] != '[' || close < 0)
        {
            throw SocketAddressParser.Malformed(Scheme, text, rest, "is not '[address]:port' (the address goes in brackets)");
        }

        if (close + 1 >= rest.Length || rest[close + 1] != ':')
        {
            throw SocketAddressParser.Malformed(Scheme, text, rest[(close + 1)..], "is not ':port' after the ']'");
        }

        ushort port = InetText.ParsePort(Scheme, text, rest[(close + 2)..]);
        string inside = rest[1..close];
        int percent = inside.IndexOf('%', StringComparison.Ordinal);
        string host = percent < 0 ? inside : inside[..percent];
        uint scopeId = percent < 0 ? 0 : ParseScope(text, inside[(percent + 1)..]);

        Span<byte> bytes = stackalloc byte[16];
        if (host.Length != 0)
        {
            if (!IPAddress.TryParse(host, out IPAddress? ip) || ip.AddressFamily != AddressFamily.InterNetworkV6 || host.Contains('%', StringComparison.Ordinal))
            {
                throw SocketAddressParser.Malformed(Scheme, text, host, "is not an IPv6 address ('' means in6addr_any)");
            }

            ip.TryWriteBytes(bytes, out _);
        }

        return new Inet6Address(bytes, port, flowInfo, scopeId);
    }

    /// <summary>Parses <c>inet6:[address%scope]:port[,flowinfo=N]</c>.</summary>
    /// <param name="text">The whole text, scheme included.</param>
    /// <exception cref="FormatException">The text is malformed or names an unknown interface; the message names the bad part.</exception>
    public static Inet6Address Parse(string text) => SocketAddressParser.Parse<Inet6Address>(text);

    /// <summary>Converts an IPv6 <see cref="IPEndPoint"/> (its address's scope id included).</summary>
    /// <param name="endPoint">An IPv6 end point.</param>
    /// <exception cref="ArgumentException">The end point is not IPv6.</exception>
    public static Inet6Address FromIPEndPoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return new Inet6Address(endPoint.Address, endPoint.Port);
    }

    /// <summary>Converts to an <see cref="IPEndPoint"/> (allocates; <see cref="IPEndPoint"/> has no flow info, so it is dropped).</summary>
    public IPEndPoint ToIPEndPoint() => new(Address, _port);

    /// <summary>Converts an IPv6 <see cref="IPEndPoint"/>.</summary>
    /// <param name="endPoint">An IPv6 end point.</param>
    public static explicit operator Inet6Address(IPEndPoint endPoint) => FromIPEndPoint(endPoint);

    /// <summary>Converts to an <see cref="IPEndPoint"/>; the flow info is dropped.</summary>
    /// <param name="address">The address.</param>
    public static explicit operator IPEndPoint(Inet6Address address) => address.ToIPEndPoint();

    /// <inheritdoc/>
    public bool Equals(Inet6Address other) =>
        _high == other._high && _low == other._low && _port == other._port && _flowInfo == other._flowInfo && _scopeId == other._scopeId;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Inet6Address other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_high, _low, _port, _flowInfo, _scopeId);

    /// <summary>The canonical text, <c>inet6:[address%scope]:port[,flowinfo=N]</c> (RFC 5952 address form).</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[16];
        WriteAddress(bytes);
        string host = new IPAddress(bytes).ToString();
        string scope = _scopeId == 0 ? "" : "%" + _scopeId.ToString(CultureInfo.InvariantCulture);
        string flow = _flowInfo == 0 ? "" : FlowInfoKey + _flowInfo.ToString(CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"inet6:[{host}{scope}]:{_port}{flow}");
    }

    /// <summary>Equality of all four parts.</summary>
    public static bool operator ==(Inet6Address left, Inet6Address right) => left.Equals(right);

    /// <summary>Inequality of any part.</summary>
    public static bool operator !=(Inet6Address left, Inet6Address right) => !left.Equals(right);

    private static byte[] Bytes(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException($"Address {address} is not an IPv6 address; use InetAddress for IPv4.", nameof(address));
        }

        return address.GetAddressBytes();
    }

    private static uint ParseScope(string body, string scope)
    {
        if (scope.Length == 0)
        {
            throw SocketAddressParser.Malformed(Scheme, body, "%", "is not followed by a scope (an interface name or index)");
        }

        if (char.IsAsciiDigit(scope[0]))
        {
            return uint.TryParse(scope, NumberStyles.None, CultureInfo.InvariantCulture, out uint id)
                ? id
                : throw SocketAddressParser.Malformed(Scheme, body, scope, "is not an interface index from 0 to 4294967295");
        }

        try
        {
            return (uint)Interfaces.IndexOf(scope);
        }
        catch (ArgumentException e)
        {
            throw SocketAddressParser.Malformed(Scheme, body, scope, "is not an interface name: " + e.Message);
        }
        catch (BusException)
        {
            throw SocketAddressParser.Malformed(Scheme, body, scope, "is not the name of a network interface on this host");
        }
    }
}
