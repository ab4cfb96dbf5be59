namespace Buses.Tipc;

/// <summary>How far a binding is published (<c>enum tipc_scope</c>).</summary>
/// <remarks>
/// The kernel treats every scope but <see cref="Node"/> as cluster: 0 and the deprecated
/// <c>TIPC_ZONE_SCOPE</c> (1) included, so addresses decoded with those read as <see cref="Cluster"/>.
/// </remarks>
public enum TipcScope
{
    /// <summary>Every node of the cluster sees the binding (TIPC_CLUSTER_SCOPE). The default.</summary>
    Cluster = 2,

    /// <summary>Only this node sees the binding (TIPC_NODE_SCOPE).</summary>
    Node = 3,
}

/// <summary>Which arm of <c>sockaddr_tipc</c>'s union an address uses (its <c>addrtype</c>).</summary>
public enum TipcAddressKind
{
    /// <summary>No address (<see langword="default"/>).</summary>
    None = 0,

    /// <summary>A service range (TIPC_SERVICE_RANGE, old TIPC_ADDR_NAMESEQ and TIPC_ADDR_MCAST).</summary>
    ServiceRange = 1,

    /// <summary>A service address (TIPC_SERVICE_ADDR, old TIPC_ADDR_NAME).</summary>
    Service = 2,

    /// <summary>A socket address (TIPC_SOCKET_ADDR, old TIPC_ADDR_ID).</summary>
    Socket = 3,
}
