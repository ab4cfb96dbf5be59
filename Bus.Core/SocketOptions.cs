using System.Runtime.InteropServices;

namespace Buses;

/// <summary>
/// Socket option levels (<c>SOL_*</c>, and the <c>IPPROTO_*</c> numbers that double as levels) with Linux
/// values: the one home of every level the core and the families use.
/// </summary>
public static class SocketLevel
{
    /// <summary>SOL_SOCKET.</summary>
    public const int Socket = 1;
    /// <summary>IPPROTO_IP (SOL_IP).</summary>
    public const int IP = 0;
    /// <summary>IPPROTO_TCP (SOL_TCP).</summary>
    public const int Tcp = 6;
    /// <summary>IPPROTO_UDP (SOL_UDP).</summary>
    public const int Udp = 17;
    /// <summary>IPPROTO_IPV6 (SOL_IPV6).</summary>
    public const int IPv6 = 41;
    /// <summary>IPPROTO_UDPLITE (SOL_UDPLITE).</summary>
    public const int UdpLite = 136;
    /// <summary>SOL_RAW.</summary>
    public const int Raw = 255;
    /// <summary>SOL_PACKET.</summary>
    public const int Packet = 263;
    /// <summary>SOL_NETLINK.</summary>
    public const int Netlink = 270;
    /// <summary>SOL_TIPC.</summary>
    public const int Tipc = 271;
    /// <summary>SOL_ALG.</summary>
    public const int Alg = 279;
    /// <summary>SOL_BLUETOOTH: the BT_* options of every Bluetooth socket.</summary>
    public const int Bluetooth = 274;
    /// <summary>SOL_HCI (the same number as SOL_IP, on HCI sockets).</summary>
    public const int Hci = 0;
    /// <summary>SOL_L2CAP (the same number as SOL_TCP, on L2CAP sockets).</summary>
    public const int L2cap = 6;
    /// <summary>SOL_SCO (the same number as SOL_UDP, on SCO sockets).</summary>
    public const int Sco = 17;
    /// <summary>SOL_RFCOMM.</summary>
    public const int Rfcomm = 18;
    /// <summary>SOL_CAN_BASE: a CAN protocol's level is this plus its protocol number.</summary>
    public const int CanBase = 100;
    /// <summary>SOL_CAN_RAW.</summary>
    public const int CanRaw = CanBase + 1;
    /// <summary>SOL_CAN_ISOTP.</summary>
    public const int CanIsoTp = CanBase + 6;
    /// <summary>SOL_CAN_J1939.</summary>
    public const int CanJ1939 = CanBase + 7;
}

/// <summary>
/// Ancillary-data types (<c>cmsg_type</c>) with Linux values, grouped by the level they arrive at: the one
/// home of every SCM_* value the core and the families read or write.
/// </summary>
public static class ControlMessageType
{
    /// <summary>SCM_RIGHTS at <see cref="SocketLevel.Socket"/>: file descriptors.</summary>
    public const int Rights = 1;
    /// <summary>SCM_CREDENTIALS at <see cref="SocketLevel.Socket"/>: <c>struct ucred</c>.</summary>
    public const int Credentials = 2;
    /// <summary>SCM_TIMESTAMP at <see cref="SocketLevel.Socket"/>: <c>struct timeval</c> (SO_TIMESTAMP).</summary>
    public const int Timestamp = 29;
    /// <summary>SCM_TIMESTAMPNS at <see cref="SocketLevel.Socket"/>: <c>struct timespec</c> (SO_TIMESTAMPNS).</summary>
    public const int TimestampNanoseconds = 35;
    /// <summary>SCM_TIMESTAMPING at <see cref="SocketLevel.Socket"/>: three <c>struct timespec</c> (SO_TIMESTAMPING).</summary>
    public const int Timestamping = 37;
    /// <summary>SO_RXQ_OVFL at <see cref="SocketLevel.Socket"/>: the socket's drop counter, a <c>__u32</c>.</summary>
    public const int ReceiveQueueOverflow = 40;
    /// <summary>SCM_TXTIME at <see cref="SocketLevel.Socket"/>: the transmit time of an SO_TXTIME socket, a <c>__u64</c>.</summary>
    public const int TransmitTime = 61;
    /// <summary>SCM_TIMESTAMPING_OPT_STATS at <see cref="SocketLevel.Socket"/>: netlink attributes with a transmit report (SOF_TIMESTAMPING_OPT_STATS).</summary>
    public const int TimestampingOptionStats = 54;

    /// <summary>J1939 per-message data at <see cref="SocketLevel.CanJ1939"/>.</summary>
    public static class J1939
    {
        /// <summary>SCM_J1939_DEST_ADDR: the destination address, one byte.</summary>
        public const int DestinationAddress = 1;
        /// <summary>SCM_J1939_DEST_NAME: the destination NAME, a <c>__u64</c>.</summary>
        public const int DestinationName = 2;
        /// <summary>SCM_J1939_PRIO: the priority, one byte.</summary>
        public const int Priority = 3;
        /// <summary>SCM_J1939_ERRQUEUE: <c>J1939_NLA_*</c> attributes of an error-queue message.</summary>
        public const int ErrorQueue = 4;
    }

    /// <summary>TIPC per-message data at <see cref="SocketLevel.Tipc"/>.</summary>
    public static class Tipc
    {
        /// <summary>TIPC_ERRINFO: the error code and returned length of a rejected message.</summary>
        public const int ErrorInfo = 1;
        /// <summary>TIPC_RETDATA: the returned bytes of a rejected message.</summary>
        public const int ReturnedData = 2;
        /// <summary>TIPC_DESTNAME: the service name a message was sent to.</summary>
        public const int DestinationName = 3;
    }

    /// <summary>HCI per-packet data at <see cref="SocketLevel.Hci"/>.</summary>
    public static class Hci
    {
        /// <summary>HCI_CMSG_DIR: the direction, an <c>int</c> (HCI_DATA_DIR on).</summary>
        public const int Direction = 1;
        /// <summary>HCI_CMSG_TSTAMP: a <c>struct timeval</c> (HCI_TIME_STAMP on).</summary>
        public const int Timestamp = 2;
    }
}

/// <summary>
/// <c>SOL_SOCKET</c> options with Linux values (asm-generic, which x86-64, arm64 and armhf share), each
/// typed by its C type: <c>socket.Set(SocketOption.ReuseAddress, true)</c>,
/// <c>socket.Get(SocketOption.Linger)</c>. Time options use the forms glibc's default
/// <c>time_t</c> selects (<c>SO_RCVTIMEO_OLD</c> with a <c>long</c>-sized <c>struct timeval</c>).
/// </summary>
public static class SocketOption
{
    private const int L = SocketLevel.Socket;

    /// <summary>SO_DEBUG.</summary>
    public static readonly BoolOption Debug = new(L, 1, "SO_DEBUG");
    /// <summary>SO_REUSEADDR.</summary>
    public static readonly BoolOption ReuseAddress = new(L, 2, "SO_REUSEADDR");
    /// <summary>SO_TYPE (read only): the SOCK_* type.</summary>
    public static readonly IntOption Type = new(L, 3, "SO_TYPE");
    /// <summary>SO_ERROR (read only; reading clears it): the pending errno.</summary>
    public static readonly IntOption Error = new(L, 4, "SO_ERROR");
    /// <summary>SO_DONTROUTE.</summary>
    public static readonly BoolOption DontRoute = new(L, 5, "SO_DONTROUTE");
    /// <summary>SO_BROADCAST.</summary>
    public static readonly BoolOption Broadcast = new(L, 6, "SO_BROADCAST");
    /// <summary>SO_SNDBUF: the kernel doubles what is set and reports the doubled value.</summary>
    public static readonly IntOption SendBuffer = new(L, 7, "SO_SNDBUF", 0);
    /// <summary>SO_RCVBUF: the kernel doubles what is set and reports the doubled value.</summary>
    public static readonly IntOption ReceiveBuffer = new(L, 8, "SO_RCVBUF", 0);
    /// <summary>SO_KEEPALIVE.</summary>
    public static readonly BoolOption KeepAlive = new(L, 9, "SO_KEEPALIVE");
    /// <summary>SO_OOBINLINE.</summary>
    public static readonly BoolOption OutOfBandInline = new(L, 10, "SO_OOBINLINE");
    /// <summary>SO_NO_CHECK: no UDP checksum on send.</summary>
    public static readonly BoolOption NoCheck = new(L, 11, "SO_NO_CHECK");
    /// <summary>SO_PRIORITY: 0–6 without CAP_NET_ADMIN.</summary>
    public static readonly IntOption Priority = new(L, 12, "SO_PRIORITY", 0);
    /// <summary>SO_LINGER.</summary>
    public static readonly StructOption<Linger> Linger = new(L, 13, "SO_LINGER");
    /// <summary>SO_REUSEPORT.</summary>
    public static readonly BoolOption ReusePort = new(L, 15, "SO_REUSEPORT");
    /// <summary>SO_PASSCRED: receive SCM_CREDENTIALS on a UNIX socket.</summary>
    public static readonly BoolOption PassCredentials = new(L, 16, "SO_PASSCRED");
    /// <summary>SO_RCVLOWAT.</summary>
    public static readonly IntOption ReceiveLowWatermark = new(L, 18, "SO_RCVLOWAT", 0);
    /// <summary>SO_SNDLOWAT (read only on Linux).</summary>
    public static readonly IntOption SendLowWatermark = new(L, 19, "SO_SNDLOWAT", 0);
    /// <summary>SO_RCVTIMEO: the kernel's own receive timeout. BusSocket's <see cref="BusSocket.Timeout"/> does not use it.</summary>
    public static readonly StructOption<TimeValue> ReceiveTimeout = new(L, 20, "SO_RCVTIMEO");
    /// <summary>SO_SNDTIMEO: the kernel's own send timeout.</summary>
    public static readonly StructOption<TimeValue> SendTimeout = new(L, 21, "SO_SNDTIMEO");
    /// <summary>SO_TIMESTAMP: a <c>struct timeval</c> receive timestamp with every message.</summary>
    public static readonly BoolOption Timestamp = new(L, 29, "SO_TIMESTAMP");
    /// <summary>SO_ACCEPTCONN (read only): whether the socket listens.</summary>
    public static readonly BoolOption AcceptConnections = new(L, 30, "SO_ACCEPTCONN");
    /// <summary>SO_SNDBUFFORCE: like SO_SNDBUF but past the system limit; needs CAP_NET_ADMIN.</summary>
    public static readonly IntOption SendBufferForce = new(L, 32, "SO_SNDBUFFORCE", 0);
    /// <summary>SO_RCVBUFFORCE: like SO_RCVBUF but past the system limit; needs CAP_NET_ADMIN.</summary>
    public static readonly IntOption ReceiveBufferForce = new(L, 33, "SO_RCVBUFFORCE", 0);
    /// <summary>SO_TIMESTAMPNS: a <c>struct timespec</c> receive timestamp with every message.</summary>
    public static readonly BoolOption TimestampNanoseconds = new(L, 35, "SO_TIMESTAMPNS");
    /// <summary>SO_MARK: the packet mark for routing and filtering; needs CAP_NET_ADMIN.</summary>
    public static readonly IntOption Mark = new(L, 36, "SO_MARK");
    /// <summary>SO_TIMESTAMPING: software and hardware timestamps, a set of <see cref="TimestampingFlags"/>.</summary>
    public static readonly IntOption Timestamping = new(L, 37, "SO_TIMESTAMPING", 0);
    /// <summary>SO_PROTOCOL (read only).</summary>
    public static readonly IntOption Protocol = new(L, 38, "SO_PROTOCOL");
    /// <summary>SO_DOMAIN (read only).</summary>
    public static readonly IntOption Domain = new(L, 39, "SO_DOMAIN");
    /// <summary>SO_RXQ_OVFL: a running count of datagrams dropped for lack of receive buffer, with every message.</summary>
    public static readonly BoolOption ReceiveQueueOverflow = new(L, 40, "SO_RXQ_OVFL");
    /// <summary>SO_WIFI_STATUS.</summary>
    public static readonly BoolOption WifiStatus = new(L, 41, "SO_WIFI_STATUS");
    /// <summary>SO_PEEK_OFF: the offset MSG_PEEK reads from; −1 turns it off.</summary>
    public static readonly IntOption PeekOffset = new(L, 42, "SO_PEEK_OFF", -1);
    /// <summary>SO_NOFCS: send frames without a frame check sequence.</summary>
    public static readonly BoolOption NoFcs = new(L, 43, "SO_NOFCS");
    /// <summary>SO_LOCK_FILTER: the attached filter can no longer be changed.</summary>
    public static readonly BoolOption LockFilter = new(L, 44, "SO_LOCK_FILTER");
    /// <summary>SO_SELECT_ERR_QUEUE: a pending error-queue message wakes readers.</summary>
    public static readonly BoolOption SelectErrorQueue = new(L, 45, "SO_SELECT_ERR_QUEUE");
    /// <summary>SO_BUSY_POLL: microseconds to busy-poll the device on a blocking receive; needs CAP_NET_ADMIN to raise.</summary>
    public static readonly IntOption BusyPoll = new(L, 46, "SO_BUSY_POLL", 0);
    /// <summary>SO_MAX_PACING_RATE: bytes per second.</summary>
    public static readonly IntOption MaxPacingRate = new(L, 47, "SO_MAX_PACING_RATE");
    /// <summary>SO_INCOMING_CPU: the CPU that handles the socket's packets.</summary>
    public static readonly IntOption IncomingCpu = new(L, 49, "SO_INCOMING_CPU", -1);
    /// <summary>SO_ZEROCOPY.</summary>
    public static readonly BoolOption ZeroCopy = new(L, 60, "SO_ZEROCOPY");
    /// <summary>SO_TXTIME: earliest-transmit-time scheduling.</summary>
    public static readonly StructOption<SocketTransmitTime> TransmitTime = new(L, 61, "SO_TXTIME");
    /// <summary>SO_BINDTOIFINDEX: like SO_BINDTODEVICE, by index (0 unbinds).</summary>
    public static readonly IntOption BindToInterfaceIndex = new(L, 62, "SO_BINDTOIFINDEX", 0);
    /// <summary>SO_PREFER_BUSY_POLL.</summary>
    public static readonly BoolOption PreferBusyPoll = new(L, 69, "SO_PREFER_BUSY_POLL");
    /// <summary>SO_BUSY_POLL_BUDGET.</summary>
    public static readonly IntOption BusyPollBudget = new(L, 70, "SO_BUSY_POLL_BUDGET", 0);
    /// <summary>SO_BUF_LOCK: which of SO_SNDBUF (1) and SO_RCVBUF (2) the kernel's auto-tuning must leave alone.</summary>
    public static readonly IntOption BufferLock = new(L, 72, "SO_BUF_LOCK", 0, 3);
    /// <summary>SO_TXREHASH.</summary>
    public static readonly IntOption TransmitRehash = new(L, 74, "SO_TXREHASH", -1, 1);
    /// <summary>SO_RCVMARK: each message carries its packet mark.</summary>
    public static readonly BoolOption ReceiveMark = new(L, 75, "SO_RCVMARK");
}

/// <summary><c>struct linger</c>: what close does with unsent data (SO_LINGER).</summary>
/// <param name="Enabled">Whether close waits (<c>l_onoff</c>).</param>
/// <param name="Seconds">How long it waits at most (<c>l_linger</c>); 0 with <paramref name="Enabled"/> resets the connection.</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct Linger(int Enabled, int Seconds)
{
    /// <summary>A linger setting.</summary>
    /// <param name="enabled">Whether close waits.</param>
    /// <param name="seconds">How long, 0 or more.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative time.</exception>
    public static Linger For(bool enabled, int seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        return new Linger(enabled ? 1 : 0, seconds);
    }
}

/// <summary><c>struct timeval</c> with <c>long</c> fields (8 bytes each on 64-bit Linux, 4 on armhf).</summary>
/// <param name="Seconds">Whole seconds (<c>tv_sec</c>).</param>
/// <param name="Microseconds">Microseconds, 0–999999 (<c>tv_usec</c>).</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct TimeValue(nint Seconds, nint Microseconds)
{
    /// <summary>The time as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan ToTimeSpan() => TimeSpan.FromTicks((Seconds * TimeSpan.TicksPerSecond) + (Microseconds * TimeSpan.TicksPerMicrosecond));

    /// <summary>A <c>timeval</c> for <paramref name="time"/>, truncated to microseconds.</summary>
    /// <param name="time">Zero or more, and within the range of <c>long</c> seconds on this architecture.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative time, or one too large for the field.</exception>
    public static TimeValue From(TimeSpan time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(time, TimeSpan.Zero);
        long seconds = time.Ticks / TimeSpan.TicksPerSecond;
        if (seconds > nint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, $"A struct timeval holds at most {nint.MaxValue} seconds on this architecture.");
        }

        return new TimeValue((nint)seconds, (nint)(time.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond));
    }
}

/// <summary><c>struct sock_txtime</c> (SO_TXTIME).</summary>
/// <param name="ClockId">The clock (<c>clockid</c>), e.g. CLOCK_TAI = 11.</param>
/// <param name="Flags"><c>SOF_TXTIME_DEADLINE_MODE</c> (1) and <c>SOF_TXTIME_REPORT_ERRORS</c> (2).</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct SocketTransmitTime(int ClockId, uint Flags);

/// <summary><c>SOF_TIMESTAMPING_*</c> flags for <see cref="SocketOption.Timestamping"/>.</summary>
[Flags]
public enum TimestampingFlags
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>SOF_TIMESTAMPING_TX_HARDWARE.</summary>
    TransmitHardware = 1 << 0,
    /// <summary>SOF_TIMESTAMPING_TX_SOFTWARE.</summary>
    TransmitSoftware = 1 << 1,
    /// <summary>SOF_TIMESTAMPING_RX_HARDWARE.</summary>
    ReceiveHardware = 1 << 2,
    /// <summary>SOF_TIMESTAMPING_RX_SOFTWARE.</summary>
    ReceiveSoftware = 1 << 3,
    /// <summary>SOF_TIMESTAMPING_SOFTWARE: report software timestamps.</summary>
    Software = 1 << 4,
    /// <summary>SOF_TIMESTAMPING_RAW_HARDWARE: report raw hardware timestamps.</summary>
    RawHardware = 1 << 6,
    /// <summary>SOF_TIMESTAMPING_OPT_ID: tag each transmit report with a per-send key (<c>ee_data</c>).</summary>
    OptionId = 1 << 7,
    /// <summary>SOF_TIMESTAMPING_TX_SCHED: a report when a send is scheduled (a J1939 session starts).</summary>
    TransmitScheduled = 1 << 8,
    /// <summary>SOF_TIMESTAMPING_TX_ACK: a report when a send is acknowledged (a J1939 session completes).</summary>
    TransmitAcknowledged = 1 << 9,
    /// <summary>SOF_TIMESTAMPING_OPT_CMSG: control messages with every transmit report.</summary>
    OptionControlMessage = 1 << 10,
    /// <summary>SOF_TIMESTAMPING_OPT_TSONLY: transmit reports carry no copy of the data.</summary>
    OptionTimestampOnly = 1 << 11,
    /// <summary>SOF_TIMESTAMPING_OPT_STATS: transmit reports carry statistics (SCM_TIMESTAMPING_OPT_STATS).</summary>
    OptionStats = 1 << 12,
}
