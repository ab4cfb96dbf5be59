using System.Globalization;

namespace Buses.Tipc;

/// <summary>
/// A TIPC service address (<c>struct tipc_service_addr</c>, old name <c>tipc_name</c>): one
/// <see cref="Instance"/> of service <see cref="Type"/>, optionally looked up on one node only. Send to
/// one to reach one socket bound to it (anycast, round robin among several); connect to one for a
/// stream or seqpacket connection. Text form <c>tipc:{type,instance}</c>, then
/// <c>@&lt;z.c.n&gt;</c> for a lookup node and <c>/node</c> for node scope.
/// </summary>
/// <param name="Type">The service type.</param>
/// <param name="Instance">The instance.</param>
/// <param name="LookupNode">The node the name is looked up on (<c>addr.name.domain</c>); <see cref="TipcNodeAddress.None"/> looks it up in this node's name table, which holds the cluster's bindings.</param>
/// <param name="Scope">Where a binding of this address is seen (binding it publishes the one-instance range).</param>
/// <remarks>
/// A lookup node other than this one sends the message there unresolved: the name is looked up on that
/// node, and a message it cannot deliver comes back rejected with <see cref="TipcErrorCode.NoName"/>
/// (when the sender is not <see cref="TipcSocket.DestinationDroppable"/>) instead of failing the send
/// with EHOSTUNREACH as a local lookup does.
/// </remarks>
public readonly record struct TipcServiceAddress(uint Type, uint Instance, TipcNodeAddress LookupNode = default, TipcScope Scope = TipcScope.Cluster)
    : ISocketAddress<TipcServiceAddress>
{
    /// <inheritdoc/>
    public static string Scheme => TipcAddress.Scheme;

    /// <summary>The topology server's address (<c>{TIPC_TOP_SRV, TIPC_TOP_SRV}</c>), which <see cref="TipcTopology"/> connects to.</summary>
    public static TipcServiceAddress TopologyServer => new(Interop.TipcUapi.TIPC_TOP_SRV, Interop.TipcUapi.TIPC_TOP_SRV);

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Tipc;

    /// <inheritdoc/>
    public int EncodedSize => TipcAddress.Size;

    /// <summary>This instance as a one-instance range (what binding it publishes).</summary>
    public TipcServiceRange ToRange() => new(Type, Instance, Instance, TipcServiceRange.CheckScope(Scope));

    /// <inheritdoc/>
    public int Encode(Span<byte> destination) => ((TipcAddress)this).Encode(destination);

    /// <inheritdoc/>
    public static TipcServiceAddress Decode(ReadOnlySpan<byte> sockaddr) => TipcAddress.Decode(sockaddr) is { Kind: TipcAddressKind.Service } a
        ? a.Service
        : throw new FormatException("This sockaddr_tipc is not a service address (addrtype TIPC_SERVICE_ADDR).");

    /// <inheritdoc/>
    public static TipcServiceAddress ParseBody(string text) => TipcAddress.ParseBody(text) is { Kind: TipcAddressKind.Service } a
        ? a.Service
        : throw SocketAddressParser.Malformed(Scheme, text, text, "is not a service address {type,instance}");

    /// <summary>Parses <c>tipc:{type,instance}</c>, <c>tipc:{type,instance}@&lt;z.c.n&gt;</c>, either ending in <c>/node</c> or not.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The address.</returns>
    public static TipcServiceAddress Parse(string text) => SocketAddressParser.Parse<TipcServiceAddress>(text);

    /// <summary>The canonical text.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"tipc:{{{Type},{Instance}}}{(LookupNode.IsNone ? string.Empty : "@" + LookupNode.ToString())}{TipcAddress.ScopeSuffix(Scope)}");
}
