namespace Buses;

/// <summary>Socket option levels (<c>SOL_*</c>) the core and its families use, with Linux values.</summary>
public static class SocketLevel
{
    /// <summary>SOL_SOCKET.</summary>
    public const int Socket = 1;
    /// <summary>IPPROTO_IP.</summary>
    public const int IP = 0;
    /// <summary>IPPROTO_TCP.</summary>
    public const int Tcp = 6;
    /// <summary>IPPROTO_IPV6.</summary>
    public const int IPv6 = 41;
    /// <summary>SOL_PACKET.</summary>
    public const int Packet = 263;
    /// <summary>SOL_NETLINK.</summary>
    public const int Netlink = 270;
}

/// <summary><c>SOL_SOCKET</c> option names with Linux values (asm-generic; the 64-bit time forms).</summary>
public static class SocketOption
{
    /// <summary>SO_REUSEADDR.</summary>
    public const int ReuseAddress = 2;
    /// <summary>SO_TYPE (read only).</summary>
    public const int Type = 3;
    /// <summary>SO_ERROR (read only; reading clears it).</summary>
    public const int Error = 4;
    /// <summary>SO_BROADCAST.</summary>
    public const int Broadcast = 6;
    /// <summary>SO_SNDBUF.</summary>
    public const int SendBuffer = 7;
    /// <summary>SO_RCVBUF.</summary>
    public const int ReceiveBuffer = 8;
    /// <summary>SO_KEEPALIVE.</summary>
    public const int KeepAlive = 9;
    /// <summary>SO_PASSCRED.</summary>
    public const int PassCredentials = 16;
    /// <summary>SO_PEERCRED (read only).</summary>
    public const int PeerCredentials = 17;
    /// <summary>SO_REUSEPORT.</summary>
    public const int ReusePort = 15;
    /// <summary>SO_SNDBUFFORCE: like SO_SNDBUF but past the system limit; needs CAP_NET_ADMIN.</summary>
    public const int SendBufferForce = 32;
    /// <summary>SO_RCVBUFFORCE: like SO_RCVBUF but past the system limit; needs CAP_NET_ADMIN.</summary>
    public const int ReceiveBufferForce = 33;
    /// <summary>SO_TIMESTAMPNS: a <c>struct timespec</c> receive timestamp with every message.</summary>
    public const int TimestampNanoseconds = 35;
    /// <summary>SO_TIMESTAMPING: software and hardware timestamps, controlled by <see cref="TimestampingFlags"/>.</summary>
    public const int Timestamping = 37;
    /// <summary>SO_PROTOCOL (read only).</summary>
    public const int Protocol = 38;
    /// <summary>SO_DOMAIN (read only).</summary>
    public const int Domain = 39;
    /// <summary>SO_RXQ_OVFL: a running count of datagrams dropped for lack of receive buffer, with every message.</summary>
    public const int ReceiveQueueOverflow = 40;
}

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
}
