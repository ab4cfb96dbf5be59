using System.Runtime.InteropServices;

namespace Buses.Inet;

/// <summary><c>IPPROTO_IP</c> options with Linux values, each typed by its C type.</summary>
public static class IPOption
{
    private const int L = SocketLevel.IP;

    /// <summary>IP_TOS: the type-of-service byte.</summary>
    public static readonly IntOption TypeOfService = new(L, 1, "IP_TOS", 0, 255);
    /// <summary>IP_TTL: the time to live of unicast packets (1–255; −1 restores the default).</summary>
    public static readonly IntOption TimeToLive = new(L, 2, "IP_TTL", -1, 255);
    /// <summary>IP_HDRINCL: a raw socket's data starts with its own IP header.</summary>
    public static readonly BoolOption HeaderIncluded = new(L, 3, "IP_HDRINCL");
    /// <summary>IP_PKTINFO: each datagram carries <c>struct in_pktinfo</c> (arrival interface and addresses).</summary>
    public static readonly BoolOption PacketInformation = new(L, 8, "IP_PKTINFO");
    /// <summary>IP_MTU_DISCOVER: path-MTU discovery mode (IP_PMTUDISC_DONT 0 … IP_PMTUDISC_OMIT 5).</summary>
    public static readonly IntOption MtuDiscover = new(L, 10, "IP_MTU_DISCOVER", 0, 5);
    /// <summary>IP_RECVERR: errors are queued on the error queue (MSG_ERRQUEUE) with details.</summary>
    public static readonly BoolOption ReceiveErrors = new(L, 11, "IP_RECVERR");
    /// <summary>IP_MTU (read only, connected sockets): the path MTU.</summary>
    public static readonly IntOption Mtu = new(L, 14, "IP_MTU");
    /// <summary>IP_MULTICAST_IF: the outgoing interface for multicast, by <c>struct ip_mreqn</c>.</summary>
    public static readonly StructOption<MulticastRequest> MulticastInterface = new(L, 32, "IP_MULTICAST_IF");
    /// <summary>IP_MULTICAST_TTL: the time to live of multicast packets.</summary>
    public static readonly IntOption MulticastTimeToLive = new(L, 33, "IP_MULTICAST_TTL", -1, 255);
    /// <summary>IP_MULTICAST_LOOP: multicast packets sent here are looped back.</summary>
    public static readonly BoolOption MulticastLoopback = new(L, 34, "IP_MULTICAST_LOOP");
    /// <summary>IP_ADD_MEMBERSHIP: join a multicast group (<c>struct ip_mreqn</c>).</summary>
    public static readonly StructOption<MulticastRequest> AddMembership = new(L, 35, "IP_ADD_MEMBERSHIP");
    /// <summary>IP_DROP_MEMBERSHIP: leave a multicast group.</summary>
    public static readonly StructOption<MulticastRequest> DropMembership = new(L, 36, "IP_DROP_MEMBERSHIP");
    /// <summary>IP_FREEBIND: bind to an address that is not (yet) local.</summary>
    public static readonly BoolOption FreeBind = new(L, 15, "IP_FREEBIND");
    /// <summary>IP_TRANSPARENT: transparent proxying; needs CAP_NET_ADMIN.</summary>
    public static readonly BoolOption Transparent = new(L, 19, "IP_TRANSPARENT");
    /// <summary>IP_BIND_ADDRESS_NO_PORT: defer the port choice of a bind with port 0 to connect.</summary>
    public static readonly BoolOption BindAddressNoPort = new(L, 24, "IP_BIND_ADDRESS_NO_PORT");
}

/// <summary><c>IPPROTO_IPV6</c> options with Linux values, each typed by its C type.</summary>
public static class IPv6Option
{
    private const int L = SocketLevel.IPv6;

    /// <summary>IPV6_UNICAST_HOPS: the hop limit of unicast packets (1–255; −1 restores the default).</summary>
    public static readonly IntOption UnicastHops = new(L, 16, "IPV6_UNICAST_HOPS", -1, 255);
    /// <summary>IPV6_MULTICAST_IF: the outgoing interface index for multicast.</summary>
    public static readonly IntOption MulticastInterface = new(L, 17, "IPV6_MULTICAST_IF", 0);
    /// <summary>IPV6_MULTICAST_HOPS: the hop limit of multicast packets.</summary>
    public static readonly IntOption MulticastHops = new(L, 18, "IPV6_MULTICAST_HOPS", -1, 255);
    /// <summary>IPV6_MULTICAST_LOOP: multicast packets sent here are looped back.</summary>
    public static readonly BoolOption MulticastLoopback = new(L, 19, "IPV6_MULTICAST_LOOP");
    /// <summary>IPV6_JOIN_GROUP (IPV6_ADD_MEMBERSHIP): join a multicast group (<c>struct ipv6_mreq</c>).</summary>
    public static readonly StructOption<Multicast6Request> JoinGroup = new(L, 20, "IPV6_JOIN_GROUP");
    /// <summary>IPV6_LEAVE_GROUP (IPV6_DROP_MEMBERSHIP): leave a multicast group.</summary>
    public static readonly StructOption<Multicast6Request> LeaveGroup = new(L, 21, "IPV6_LEAVE_GROUP");
    /// <summary>IPV6_MTU_DISCOVER: path-MTU discovery mode.</summary>
    public static readonly IntOption MtuDiscover = new(L, 23, "IPV6_MTU_DISCOVER", 0, 5);
    /// <summary>IPV6_MTU (read only, connected sockets): the path MTU.</summary>
    public static readonly IntOption Mtu = new(L, 24, "IPV6_MTU");
    /// <summary>IPV6_RECVERR: errors are queued on the error queue with details.</summary>
    public static readonly BoolOption ReceiveErrors = new(L, 25, "IPV6_RECVERR");
    /// <summary>IPV6_V6ONLY: an INET6 socket refuses IPv4-mapped peers (Linux default off: dual stack).</summary>
    public static readonly BoolOption V6Only = new(L, 26, "IPV6_V6ONLY");
    /// <summary>IPV6_RECVPKTINFO: each datagram carries <c>struct in6_pktinfo</c>.</summary>
    public static readonly BoolOption ReceivePacketInformation = new(L, 49, "IPV6_RECVPKTINFO");
    /// <summary>IPV6_TCLASS: the traffic class byte.</summary>
    public static readonly IntOption TrafficClass = new(L, 67, "IPV6_TCLASS", -1, 255);
}

/// <summary><c>IPPROTO_TCP</c> options with Linux values, each typed by its C type.</summary>
public static class TcpOption
{
    private const int L = SocketLevel.Tcp;

    /// <summary>TCP_NODELAY: send small segments at once (no Nagle).</summary>
    public static readonly BoolOption NoDelay = new(L, 1, "TCP_NODELAY");
    /// <summary>TCP_MAXSEG: the maximum segment size.</summary>
    public static readonly IntOption MaxSegment = new(L, 2, "TCP_MAXSEG", 0);
    /// <summary>TCP_CORK: hold partial segments until uncorked (at most 200 ms).</summary>
    public static readonly BoolOption Cork = new(L, 3, "TCP_CORK");
    /// <summary>TCP_KEEPIDLE: seconds idle before the first keep-alive probe (1–32767).</summary>
    public static readonly IntOption KeepAliveIdle = new(L, 4, "TCP_KEEPIDLE", 1, 32767);
    /// <summary>TCP_KEEPINTVL: seconds between keep-alive probes (1–32767).</summary>
    public static readonly IntOption KeepAliveInterval = new(L, 5, "TCP_KEEPINTVL", 1, 32767);
    /// <summary>TCP_KEEPCNT: probes before the connection is dropped (1–127).</summary>
    public static readonly IntOption KeepAliveCount = new(L, 6, "TCP_KEEPCNT", 1, 127);
    /// <summary>TCP_SYNCNT: SYN retransmits before connect gives up (1–127).</summary>
    public static readonly IntOption SynCount = new(L, 7, "TCP_SYNCNT", 1, 127);
    /// <summary>TCP_LINGER2: seconds an orphaned connection stays in FIN_WAIT2.</summary>
    public static readonly IntOption Linger2 = new(L, 8, "TCP_LINGER2");
    /// <summary>TCP_DEFER_ACCEPT: seconds accept waits for data.</summary>
    public static readonly IntOption DeferAccept = new(L, 9, "TCP_DEFER_ACCEPT", 0);
    /// <summary>TCP_WINDOW_CLAMP: the largest advertised window.</summary>
    public static readonly IntOption WindowClamp = new(L, 10, "TCP_WINDOW_CLAMP", 0);
    /// <summary>TCP_QUICKACK: acknowledge at once (not sticky: the kernel may turn it off again).</summary>
    public static readonly BoolOption QuickAck = new(L, 12, "TCP_QUICKACK");
    /// <summary>TCP_USER_TIMEOUT: milliseconds unacknowledged data may stay before the connection is dropped (0 = system default).</summary>
    public static readonly IntOption UserTimeout = new(L, 18, "TCP_USER_TIMEOUT", 0);
    /// <summary>TCP_FASTOPEN: the server's fast-open queue length.</summary>
    public static readonly IntOption FastOpen = new(L, 23, "TCP_FASTOPEN", 0);
    /// <summary>TCP_NOTSENT_LOWAT: bytes of unsent data below which the socket polls writable.</summary>
    public static readonly IntOption NotSentLowWatermark = new(L, 25, "TCP_NOTSENT_LOWAT", 0);
}

/// <summary><c>struct ip_mreqn</c>: a multicast group, the local address and the interface index.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct MulticastRequest
{
    /// <summary>The group (<c>imr_multiaddr</c>), in network byte order.</summary>
    public uint Group;
    /// <summary>The local address (<c>imr_address</c>), in network byte order; 0 for any.</summary>
    public uint LocalAddress;
    /// <summary>The interface index (<c>imr_ifindex</c>); 0 for any.</summary>
    public int InterfaceIndex;

    /// <summary>A request for <paramref name="group"/> on <paramref name="interfaceIndex"/>.</summary>
    /// <param name="group">An IPv4 multicast group (224.0.0.0/4).</param>
    /// <param name="interfaceIndex">The interface, 0 for the kernel's choice.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException">The group is not an IPv4 multicast address.</exception>
    public static MulticastRequest For(System.Net.IPAddress group, int interfaceIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentOutOfRangeException.ThrowIfNegative(interfaceIndex);
        byte[] bytes = group.GetAddressBytes();
        if (bytes.Length != 4 || (bytes[0] & 0xF0) != 0xE0)
        {
            throw new ArgumentException($"{group} is not an IPv4 multicast group (224.0.0.0/4).", nameof(group));
        }

        return new MulticastRequest { Group = MemoryMarshal.Read<uint>(bytes), InterfaceIndex = interfaceIndex };
    }
}

/// <summary><c>struct ipv6_mreq</c>: an IPv6 multicast group and the interface index.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct Multicast6Request
{
    /// <summary>The group (<c>ipv6mr_multiaddr</c>).</summary>
    public fixed byte Group[16];
    /// <summary>The interface index (<c>ipv6mr_interface</c>); 0 for any.</summary>
    public int InterfaceIndex;

    /// <summary>A request for <paramref name="group"/> on <paramref name="interfaceIndex"/>.</summary>
    /// <param name="group">An IPv6 multicast group (ff00::/8).</param>
    /// <param name="interfaceIndex">The interface, 0 for the kernel's choice.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException">The group is not an IPv6 multicast address.</exception>
    public static Multicast6Request For(System.Net.IPAddress group, int interfaceIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentOutOfRangeException.ThrowIfNegative(interfaceIndex);
        if (!group.IsIPv6Multicast)
        {
            throw new ArgumentException($"{group} is not an IPv6 multicast group (ff00::/8).", nameof(group));
        }

        var request = new Multicast6Request { InterfaceIndex = interfaceIndex };
        group.GetAddressBytes().CopyTo(new Span<byte>(request.Group, 16));
        return request;
    }
}
