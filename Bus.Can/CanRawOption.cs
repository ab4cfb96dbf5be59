namespace Buses.Can;

/// <summary>
/// <c>SOL_CAN_RAW</c> options with Linux values, typed by their C type; <see cref="CanRawSocket"/>'s
/// properties are built on these, and <see cref="BusSocket.Get(BoolOption)"/> reads them on any CAN_RAW socket.
/// </summary>
public static class CanRawOption
{
    private const int L = SocketLevel.CanRaw;

    /// <summary>CAN_RAW_ERR_FILTER: the error classes delivered as error frames (a <see cref="CanErrorClasses"/> mask).</summary>
    public static readonly IntOption ErrorFilter = new(L, 2, "CAN_RAW_ERR_FILTER");
    /// <summary>CAN_RAW_LOOPBACK: frames sent by this host reach other sockets on it (default on).</summary>
    public static readonly BoolOption Loopback = new(L, 3, "CAN_RAW_LOOPBACK");
    /// <summary>CAN_RAW_RECV_OWN_MSGS: this socket receives its own frames (default off).</summary>
    public static readonly BoolOption ReceiveOwnMessages = new(L, 4, "CAN_RAW_RECV_OWN_MSGS");
    /// <summary>CAN_RAW_FD_FRAMES: FD frames can be sent and received.</summary>
    public static readonly BoolOption FdFrames = new(L, 5, "CAN_RAW_FD_FRAMES");
    /// <summary>CAN_RAW_JOIN_FILTERS: a frame must pass every filter (Linux 4.1+).</summary>
    public static readonly BoolOption JoinFilters = new(L, 6, "CAN_RAW_JOIN_FILTERS");
    /// <summary>CAN_RAW_XL_FRAMES: XL frames can be sent and received (Linux 6.2+).</summary>
    public static readonly BoolOption XlFrames = new(L, 7, "CAN_RAW_XL_FRAMES");
}
