using static Buses.Tipc.Interop.TipcUapi;

namespace Buses.Tipc;

/// <summary>How important a socket's messages are (TIPC_IMPORTANCE): under congestion, less important ones are refused first.</summary>
public enum TipcImportance
{
    /// <summary>TIPC_LOW_IMPORTANCE, the default.</summary>
    Low = 0,

    /// <summary>TIPC_MEDIUM_IMPORTANCE.</summary>
    Medium = 1,

    /// <summary>TIPC_HIGH_IMPORTANCE.</summary>
    High = 2,

    /// <summary>TIPC_CRITICAL_IMPORTANCE.</summary>
    Critical = 3,
}

/// <summary>Why a message came back undelivered (the error code of TIPC_ERRINFO).</summary>
public enum TipcErrorCode
{
    /// <summary>Delivered (TIPC_OK): no rejection.</summary>
    None = 0,

    /// <summary>No socket is bound to the service on the node it was looked up on (TIPC_ERR_NO_NAME).</summary>
    NoName = 1,

    /// <summary>The destination socket does not exist (TIPC_ERR_NO_PORT).</summary>
    NoPort = 2,

    /// <summary>The destination node is unreachable (TIPC_ERR_NO_NODE).</summary>
    NoNode = 3,

    /// <summary>The destination's receive queue was full (TIPC_ERR_OVERLOAD).</summary>
    Overload = 4,

    /// <summary>The connection was lost or shut down by the peer (TIPC_CONN_SHUTDOWN).</summary>
    ConnectionShutdown = 5,
}

/// <summary>How multicast is carried to other nodes (TIPC_MCAST_BROADCAST, TIPC_MCAST_REPLICAST).</summary>
public enum TipcMulticastMethod
{
    /// <summary>One broadcast over the bearer's broadcast link.</summary>
    Broadcast,

    /// <summary>One unicast copy per destination node.</summary>
    Replicast,
}

/// <summary>The SOL_TIPC socket options, for <see cref="BusSocket.Get(IntOption)"/> and <see cref="BusSocket.Set(IntOption, int)"/>.</summary>
/// <remarks>
/// TIPC_MCAST_BROADCAST, TIPC_MCAST_REPLICAST and TIPC_GROUP_LEAVE take no argument and cannot be read,
/// so they are no descriptors: use <see cref="TipcSocket.SetMulticastMethod"/> and <see cref="TipcGroup.Leave"/>.
/// </remarks>
public static class TipcOption
{
    private const int L = SocketLevel.Tipc;

    /// <summary>TIPC_IMPORTANCE: 0 (low) to 3 (critical).</summary>
    public static readonly IntOption Importance = new(L, TIPC_IMPORTANCE, "TIPC_IMPORTANCE", 0, 3);

    /// <summary>TIPC_SRC_DROPPABLE: messages may be dropped under congestion instead of blocking the sender.</summary>
    public static readonly BoolOption SourceDroppable = new(L, TIPC_SRC_DROPPABLE, "TIPC_SRC_DROPPABLE");

    /// <summary>TIPC_DEST_DROPPABLE: undeliverable messages are dropped instead of returned.</summary>
    public static readonly BoolOption DestinationDroppable = new(L, TIPC_DEST_DROPPABLE, "TIPC_DEST_DROPPABLE");

    /// <summary>TIPC_CONN_TIMEOUT: how long a connect waits, in milliseconds (default 8000).</summary>
    public static readonly IntOption ConnectionTimeout = new(L, TIPC_CONN_TIMEOUT, "TIPC_CONN_TIMEOUT", 0);

    /// <summary>TIPC_NODE_RECVQ_DEPTH (read only; obsolete, the kernel answers 0).</summary>
    public static readonly IntOption NodeReceiveQueueDepth = new(L, TIPC_NODE_RECVQ_DEPTH, "TIPC_NODE_RECVQ_DEPTH");

    /// <summary>TIPC_SOCK_RECVQ_DEPTH: messages queued on the socket (read only).</summary>
    public static readonly IntOption SocketReceiveQueueDepth = new(L, TIPC_SOCK_RECVQ_DEPTH, "TIPC_SOCK_RECVQ_DEPTH");

    /// <summary>TIPC_SOCK_RECVQ_USED: bytes queued on the socket (read only, Linux 4.16+).</summary>
    public static readonly IntOption SocketReceiveQueueUsed = new(L, TIPC_SOCK_RECVQ_USED, "TIPC_SOCK_RECVQ_USED");

    /// <summary>TIPC_NODELAY: turns the stream's "smart nagle" off (write only, Linux 4.14+).</summary>
    public static readonly BoolOption NoDelay = new(L, TIPC_NODELAY, "TIPC_NODELAY");
}
