using System.Globalization;
using static Buses.Tipc.Interop.TipcUapi;

namespace Buses.Tipc;

/// <summary>
/// A TIPC service range (<c>struct tipc_service_range</c>, old name <c>tipc_name_seq</c>): service
/// <see cref="Type"/>, instances <see cref="Lower"/> to <see cref="Upper"/>. Bind one to publish the
/// instances, send to one to multicast to every socket bound within it. Text form
/// <c>tipc:{type,lower,upper}</c>, with <c>/node</c> for node scope.
/// </summary>
public readonly struct TipcServiceRange : ISocketAddress<TipcServiceRange>
{
    private TipcServiceRange(uint type, uint lower, uint upper, TipcScope scope, bool trusted)
    {
        _ = trusted;
        Type = type;
        Lower = lower;
        Upper = upper;
        Scope = scope;
    }

    /// <summary>The range <paramref name="lower"/> to <paramref name="upper"/> of service <paramref name="type"/>.</summary>
    /// <param name="type">The service type; types below 64 are the kernel's own and cannot be bound.</param>
    /// <param name="lower">The first instance.</param>
    /// <param name="upper">The last instance, not below <paramref name="lower"/>.</param>
    /// <param name="scope">Where a binding of the range is seen.</param>
    /// <exception cref="ArgumentOutOfRangeException">Lower above upper, or an unknown scope.</exception>
    public TipcServiceRange(uint type, uint lower, uint upper, TipcScope scope = TipcScope.Cluster)
        : this(type, lower, upper, CheckScope(scope), trusted: true)
    {
        if (lower > upper)
        {
            throw new ArgumentOutOfRangeException(nameof(lower), lower, $"TIPC service range {{{type},{lower},{upper}}}: lower {lower} is above upper {upper}.");
        }
    }

    /// <summary>The single instance <paramref name="instance"/> of service <paramref name="type"/>, as a range.</summary>
    /// <param name="type">The service type.</param>
    /// <param name="instance">The instance.</param>
    /// <param name="scope">Where a binding is seen.</param>
    /// <returns>The range.</returns>
    public static TipcServiceRange Single(uint type, uint instance, TipcScope scope = TipcScope.Cluster) => new(type, instance, instance, scope);

    /// <summary>Every instance of service <paramref name="type"/> (0 to 4294967295).</summary>
    /// <param name="type">The service type.</param>
    /// <param name="scope">Where a binding is seen.</param>
    /// <returns>The range.</returns>
    public static TipcServiceRange All(uint type, TipcScope scope = TipcScope.Cluster) => new(type, 0, uint.MaxValue, scope);

    internal static TipcServiceRange Trusted(uint type, uint lower, uint upper, TipcScope scope) => new(type, lower, upper, scope, trusted: true);

    /// <inheritdoc/>
    public static string Scheme => TipcAddress.Scheme;

    /// <summary>The service type.</summary>
    public uint Type { get; }

    /// <summary>The first instance.</summary>
    public uint Lower { get; }

    /// <summary>The last instance.</summary>
    public uint Upper { get; }

    /// <summary>Where a binding of this range is seen.</summary>
    public TipcScope Scope { get; }

    /// <summary>Whether <paramref name="instance"/> is in the range.</summary>
    /// <param name="instance">The instance.</param>
    /// <returns>Whether <see cref="Lower"/> ≤ <paramref name="instance"/> ≤ <see cref="Upper"/>.</returns>
    public bool Contains(uint instance) => instance >= Lower && instance <= Upper;

    /// <summary>This range in another scope.</summary>
    /// <param name="scope">The scope.</param>
    /// <returns>The range.</returns>
    public TipcServiceRange WithScope(TipcScope scope) => new(Type, Lower, Upper, CheckScope(scope), trusted: true);

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Tipc;

    /// <inheritdoc/>
    public int EncodedSize => TipcAddress.Size;

    /// <inheritdoc/>
    public int Encode(Span<byte> destination) => ((TipcAddress)this).Encode(destination);

    /// <inheritdoc/>
    public static TipcServiceRange Decode(ReadOnlySpan<byte> sockaddr) => TipcAddress.Decode(sockaddr) is { Kind: TipcAddressKind.ServiceRange } a
        ? a.ServiceRange
        : throw new FormatException("This sockaddr_tipc is not a service range (addrtype TIPC_SERVICE_RANGE).");

    /// <inheritdoc/>
    public static TipcServiceRange ParseBody(string text) => TipcAddress.ParseBody(text) is { Kind: TipcAddressKind.ServiceRange } a
        ? a.ServiceRange
        : throw SocketAddressParser.Malformed(Scheme, text, text, "is not a service range {type,lower,upper}");

    /// <summary>Parses <c>tipc:{type,lower,upper}</c> (optionally ending in <c>/node</c>).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The range.</returns>
    public static TipcServiceRange Parse(string text) => SocketAddressParser.Parse<TipcServiceRange>(text);

    /// <inheritdoc/>
    public bool Equals(TipcServiceRange other) => Type == other.Type && Lower == other.Lower && Upper == other.Upper && Scope == other.Scope;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TipcServiceRange other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Type, Lower, Upper, Scope);

    /// <summary>The canonical text, <c>tipc:{type,lower,upper}</c> or <c>tipc:{type,lower,upper}/node</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"tipc:{{{Type},{Lower},{Upper}}}{TipcAddress.ScopeSuffix(Scope)}");

    /// <summary>Equality of type, bounds and scope.</summary>
    public static bool operator ==(TipcServiceRange left, TipcServiceRange right) => left.Equals(right);

    /// <summary>Inequality of type, bounds or scope.</summary>
    public static bool operator !=(TipcServiceRange left, TipcServiceRange right) => !left.Equals(right);

    /// <summary>Throws unless the type may be bound (64 and above: below are the kernel's own services).</summary>
    internal void CheckBindable(string paramName) => CheckUserType(Type, paramName, "bound");

    internal static void CheckUserType(uint type, string paramName, string verb)
    {
        if (type < TIPC_RESERVED_TYPES)
        {
            throw new ArgumentOutOfRangeException(paramName, type, $"TIPC service type {type} is reserved (below TIPC_RESERVED_TYPES, 64): only types 64 and above can be {verb}.");
        }
    }

    internal static TipcScope CheckScope(TipcScope scope, string paramName = "scope") =>
        scope is TipcScope.Cluster or TipcScope.Node
            ? scope
            : throw new ArgumentOutOfRangeException(paramName, scope, $"TIPC scope {(int)scope} is neither Cluster (2) nor Node (3).");
}
