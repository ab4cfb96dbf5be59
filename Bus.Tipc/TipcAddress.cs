using System.Globalization;
using System.Runtime.InteropServices;
using Buses.Tipc.Interop;
using static Buses.Tipc.Interop.TipcUapi;

namespace Buses.Tipc;

/// <summary>
/// Any TIPC socket address (<c>struct sockaddr_tipc</c>, 16 bytes): a <see cref="TipcServiceRange"/>,
/// a <see cref="TipcServiceAddress"/> or a <see cref="TipcSocketAddress"/>. This is the type
/// <see cref="SocketAddressParser"/> decodes AF_TIPC addresses to and parses <c>tipc:</c> texts with;
/// each kind converts to and from it implicitly.
/// </summary>
/// <remarks>
/// Text forms: <c>tipc:{type,lower,upper}</c> (range), <c>tipc:{type,instance}</c> (service, with
/// <c>@&lt;z.c.n&gt;</c> for a lookup node), <c>tipc:&lt;z.c.n:ref&gt;</c> (socket); a range or service
/// in node scope ends in <c>/node</c>.
/// </remarks>
public readonly struct TipcAddress : ISocketAddress<TipcAddress>
{
    /// <summary>The size of <c>struct sockaddr_tipc</c>.</summary>
    public const int Size = 16;

    private readonly uint _a;
    private readonly uint _b;
    private readonly uint _c;

    private TipcAddress(TipcAddressKind kind, TipcScope scope, uint a, uint b, uint c)
    {
        Kind = kind;
        Scope = scope;
        _a = a;
        _b = b;
        _c = c;
    }

    /// <inheritdoc/>
    public static string Scheme => "tipc";

    /// <summary>Which kind of address this is.</summary>
    public TipcAddressKind Kind { get; }

    /// <summary>The scope of a range or service address (<see cref="TipcScope.Cluster"/> for a socket address, which has none).</summary>
    public TipcScope Scope { get; }

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Tipc;

    /// <inheritdoc/>
    public int EncodedSize => Size;

    /// <summary>The service range this holds.</summary>
    /// <exception cref="InvalidOperationException">It holds another kind.</exception>
    public TipcServiceRange ServiceRange => Kind == TipcAddressKind.ServiceRange ? TipcServiceRange.Trusted(_a, _b, _c, Scope) : throw WrongKind(TipcAddressKind.ServiceRange);

    /// <summary>The service address this holds.</summary>
    /// <exception cref="InvalidOperationException">It holds another kind.</exception>
    public TipcServiceAddress Service => Kind == TipcAddressKind.Service ? new TipcServiceAddress(_a, _b, new TipcNodeAddress(_c), Scope) : throw WrongKind(TipcAddressKind.Service);

    /// <summary>The socket address this holds.</summary>
    /// <exception cref="InvalidOperationException">It holds another kind.</exception>
    public TipcSocketAddress Socket => Kind == TipcAddressKind.Socket ? new TipcSocketAddress(_a, new TipcNodeAddress(_b)) : throw WrongKind(TipcAddressKind.Socket);

    /// <summary>A range as an address.</summary>
    /// <param name="range">The range.</param>
    public static implicit operator TipcAddress(TipcServiceRange range) => new(TipcAddressKind.ServiceRange, range.Scope, range.Type, range.Lower, range.Upper);

    /// <summary>A service address as an address.</summary>
    /// <param name="service">The service address.</param>
    public static implicit operator TipcAddress(TipcServiceAddress service) => new(TipcAddressKind.Service, service.Scope, service.Type, service.Instance, service.LookupNode.Value);

    /// <summary>A socket address as an address.</summary>
    /// <param name="socket">The socket address.</param>
    public static implicit operator TipcAddress(TipcSocketAddress socket) => new(TipcAddressKind.Socket, TipcScope.Cluster, socket.Reference, socket.Node.Value, 0);

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The address is <see langword="default"/> (no kind).</exception>
    public int Encode(Span<byte> destination) => Encode(destination, Kind == TipcAddressKind.Socket ? (sbyte)0 : (sbyte)Scope);

    /// <summary>Encodes with a scope byte of the caller's choosing: negative withdraws a binding.</summary>
    internal int Encode(Span<byte> destination, sbyte scope)
    {
        if (Kind == TipcAddressKind.None)
        {
            throw new InvalidOperationException("An empty TipcAddress (default) cannot be encoded: it names no range, service or socket.");
        }

        Span<byte> bytes = SocketAddressCodec.BeginEncode(destination, SocketFamily.Tipc, Size, nameof(sockaddr_tipc));
        ref sockaddr_tipc s = ref MemoryMarshal.AsRef<sockaddr_tipc>(bytes);
        s.addrtype = (byte)Kind;
        s.scope = scope;
        s.nameseq_type = _a;
        s.nameseq_lower = _b;
        s.nameseq_upper = _c;
        return Size;
    }

    /// <inheritdoc/>
    public static TipcAddress Decode(ReadOnlySpan<byte> sockaddr)
    {
        SocketAddressCodec.CheckDecode(sockaddr, SocketFamily.Tipc, Size, nameof(sockaddr_tipc));
        return TryRead(sockaddr, out TipcAddress address, out string? error) ? address : throw new FormatException(error);
    }

    /// <summary>Decodes like <see cref="Decode"/> but reports failure instead of throwing (what receive paths use).</summary>
    /// <param name="sockaddr">The bytes as the kernel returned them.</param>
    /// <param name="address">The address, or <see langword="default"/>.</param>
    /// <returns>Whether the bytes are a TIPC address.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> sockaddr, out TipcAddress address)
    {
        address = default;
        return SocketAddressCodec.ReadFamily(sockaddr) == SocketFamily.Tipc && sockaddr.Length >= Size && TryRead(sockaddr, out address, out _);
    }

    private static bool TryRead(ReadOnlySpan<byte> sockaddr, out TipcAddress address, out string? error)
    {
        sockaddr_tipc s = MemoryMarshal.Read<sockaddr_tipc>(sockaddr);
        TipcScope scope = s.scope == TIPC_NODE_SCOPE ? TipcScope.Node : TipcScope.Cluster;
        error = null;
        switch (s.addrtype)
        {
            case TIPC_SERVICE_RANGE when s.nameseq_lower <= s.nameseq_upper:
                address = new TipcAddress(TipcAddressKind.ServiceRange, scope, s.nameseq_type, s.nameseq_lower, s.nameseq_upper);
                return true;
            case TIPC_SERVICE_RANGE:
                error = $"A sockaddr_tipc service range {{{s.nameseq_type},{s.nameseq_lower},{s.nameseq_upper}}} has lower above upper.";
                break;
            case TIPC_SERVICE_ADDR:
                address = new TipcAddress(TipcAddressKind.Service, scope, s.name_type, s.name_instance, s.name_domain);
                return true;
            case TIPC_SOCKET_ADDR:
                address = new TipcAddress(TipcAddressKind.Socket, TipcScope.Cluster, s.id_ref, s.id_node, 0);
                return true;
            default:
                error = $"A sockaddr_tipc has addrtype {s.addrtype}, not TIPC_SERVICE_RANGE (1), TIPC_SERVICE_ADDR (2) or TIPC_SOCKET_ADDR (3).";
                break;
        }

        address = default;
        return false;
    }

    /// <inheritdoc/>
    public static TipcAddress ParseBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.StartsWith('<') ? TipcSocketAddress.ParseBody(text) : ParseName(text);
    }

    /// <summary>Parses any TIPC address text, scheme included.</summary>
    /// <param name="text">E.g. <c>tipc:{18888,0,100}</c>.</param>
    /// <returns>The address.</returns>
    public static TipcAddress Parse(string text) => SocketAddressParser.Parse<TipcAddress>(text);

    /// <summary>
    /// The address of a Python <c>socket</c> tuple <c>(addr_type, v1, v2, v3[, scope])</c>, read as
    /// CPython's <c>getsockaddrarg</c> reads it: <c>TIPC_ADDR_NAMESEQ</c> (1) is (type, lower, upper),
    /// <c>TIPC_ADDR_NAME</c> (2) is (type, instance, domain) and <c>TIPC_ADDR_ID</c> (3) is (node, ref, ignored).
    /// </summary>
    /// <param name="addressType">1, 2 or 3.</param>
    /// <param name="v1">The first value.</param>
    /// <param name="v2">The second value.</param>
    /// <param name="v3">The third value.</param>
    /// <param name="scope">Python's default is TIPC_CLUSTER_SCOPE (2); 3 is node scope.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An unknown address type, a value outside 0–4294967295, or lower above upper.</exception>
    public static TipcAddress FromPythonTuple(int addressType, long v1, long v2, long v3, int scope = TIPC_CLUSTER_SCOPE)
    {
        uint a = U32(v1, nameof(v1));
        uint b = U32(v2, nameof(v2));
        uint c = U32(v3, nameof(v3));
        TipcScope s = scope == TIPC_NODE_SCOPE ? TipcScope.Node : TipcScope.Cluster;
        return addressType switch
        {
            TIPC_ADDR_NAMESEQ => new TipcServiceRange(a, b, c, s),
            TIPC_ADDR_NAME => new TipcServiceAddress(a, b, new TipcNodeAddress(c), s),
            TIPC_ADDR_ID => new TipcSocketAddress(b, new TipcNodeAddress(a)),
            _ => throw new ArgumentOutOfRangeException(nameof(addressType), addressType, $"Python's TIPC address type {addressType} is not TIPC_ADDR_NAMESEQ (1), TIPC_ADDR_NAME (2) or TIPC_ADDR_ID (3)."),
        };
    }

    /// <summary>
    /// The Python <c>socket</c> tuple <c>(addr_type, v1, v2, v3, scope)</c> that
    /// <see cref="FromPythonTuple"/> (and CPython's <c>getsockaddrarg</c>) reads back to this address.
    /// </summary>
    /// <remarks>
    /// CPython's <c>makesockaddr</c> gives the same tuples for ranges and socket addresses (a socket
    /// address's scope is 0 both ways); for a service address it repeats the instance where the lookup
    /// domain stood, since the kernel never returns one.
    /// </remarks>
    /// <returns>The tuple's five values.</returns>
    /// <exception cref="InvalidOperationException">The address is <see langword="default"/>.</exception>
    public (int AddressType, uint V1, uint V2, uint V3, int Scope) ToPythonTuple() => Kind switch
    {
        TipcAddressKind.ServiceRange or TipcAddressKind.Service => ((int)Kind, _a, _b, _c, (int)Scope),
        TipcAddressKind.Socket => (TIPC_ADDR_ID, _b, _a, 0, 0),
        _ => throw new InvalidOperationException("An empty TipcAddress (default) has no Python tuple."),
    };

    /// <inheritdoc/>
    public bool Equals(TipcAddress other) => Kind == other.Kind && Scope == other.Scope && _a == other._a && _b == other._b && _c == other._c;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TipcAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Scope, _a, _b, _c);

    /// <summary>The canonical text of the address held (<c>tipc:none</c> for <see langword="default"/>).</summary>
    public override string ToString() => Kind switch
    {
        TipcAddressKind.ServiceRange => ServiceRange.ToString(),
        TipcAddressKind.Service => Service.ToString(),
        TipcAddressKind.Socket => Socket.ToString(),
        _ => "tipc:none",
    };

    /// <summary>Equality of kind, scope and values.</summary>
    public static bool operator ==(TipcAddress left, TipcAddress right) => left.Equals(right);

    /// <summary>Inequality of kind, scope or values.</summary>
    public static bool operator !=(TipcAddress left, TipcAddress right) => !left.Equals(right);

    // {type,lower,upper}[/node] or {type,instance}[@<z.c.n>][/node]
    private static TipcAddress ParseName(string text)
    {
        ReadOnlySpan<char> rest = text;
        TipcScope scope = TipcScope.Cluster;
        if (rest.EndsWith("/node", StringComparison.Ordinal))
        {
            scope = TipcScope.Node;
            rest = rest[..^5];
        }
        else if (rest.EndsWith("/cluster", StringComparison.Ordinal))
        {
            rest = rest[..^8];
        }

        TipcNodeAddress lookup = default;
        bool hasLookup = false;
        int at = rest.IndexOf('@');
        if (at >= 0)
        {
            string nodeText = rest[(at + 1)..].ToString();
            if (!TipcNodeAddress.TryParse(nodeText, out lookup, out string? error))
            {
                throw SocketAddressParser.Malformed(Scheme, text, nodeText, error + " (a lookup node)");
            }

            hasLookup = true;
            rest = rest[..at];
        }

        if (rest.Length < 2 || rest[0] != '{' || rest[^1] != '}')
        {
            throw SocketAddressParser.Malformed(Scheme, text, rest.ToString(), "is not {type,instance}, {type,lower,upper} or <z.c.n:ref>");
        }

        ReadOnlySpan<char> inner = rest[1..^1];
        Span<Range> parts = stackalloc Range[4];
        int count = inner.Split(parts, ',');
        if (count is not (2 or 3))
        {
            throw SocketAddressParser.Malformed(Scheme, text, rest.ToString(), "is not {type,instance} or {type,lower,upper}");
        }

        Span<uint> values = stackalloc uint[3];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<char> part = inner[parts[i]].Trim();
            if (!uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                throw SocketAddressParser.Malformed(Scheme, text, part.ToString(), "is not a number 0–4294967295");
            }
        }

        if (count == 2)
        {
            return new TipcServiceAddress(values[0], values[1], lookup, scope);
        }

        if (hasLookup)
        {
            throw SocketAddressParser.Malformed(Scheme, text, "@" + lookup.ToString(), "is a lookup node, which only a service address {type,instance} has");
        }

        if (values[1] > values[2])
        {
            throw SocketAddressParser.Malformed(Scheme, text, rest.ToString(), $"has lower {values[1]} above upper {values[2]}");
        }

        return new TipcServiceRange(values[0], values[1], values[2], scope);
    }

    internal static string ScopeSuffix(TipcScope scope) => scope == TipcScope.Node ? "/node" : string.Empty;

    private InvalidOperationException WrongKind(TipcAddressKind wanted) => new($"This TIPC address is a {Kind} address ({this}), not a {wanted} address.");

    private static uint U32(long value, string paramName) =>
        value is < 0 or > uint.MaxValue
            ? throw new ArgumentOutOfRangeException(paramName, value, $"A TIPC address value is a 32-bit unsigned number (0–4294967295); {value} is outside that range.")
            : (uint)value;
}
