namespace Buses.Packet;

/// <summary>Who a received frame was addressed to (<c>sll_pkttype</c>, <c>PACKET_*</c>).</summary>
public enum PacketType : byte
{
    /// <summary>PACKET_HOST: to this host.</summary>
    Host = 0,
    /// <summary>PACKET_BROADCAST: link-layer broadcast.</summary>
    Broadcast = 1,
    /// <summary>PACKET_MULTICAST: link-layer multicast.</summary>
    Multicast = 2,
    /// <summary>PACKET_OTHERHOST: to another host, seen in promiscuous mode.</summary>
    OtherHost = 3,
    /// <summary>PACKET_OUTGOING: sent by this host (looped back to packet sockets).</summary>
    Outgoing = 4,
    /// <summary>PACKET_LOOPBACK.</summary>
    Loopback = 5,
    /// <summary>PACKET_USER: to user space.</summary>
    User = 6,
    /// <summary>PACKET_KERNEL: to the kernel.</summary>
    Kernel = 7,
}

/// <summary>Link-layer protocol numbers (<c>ETH_P_*</c>) in host order, as <see cref="PacketAddress.Protocol"/> takes them.</summary>
public static class EtherType
{
    /// <summary>ETH_P_ALL: every protocol (receive only).</summary>
    public const ushort All = 0x0003;
    /// <summary>ETH_P_IP.</summary>
    public const ushort IPv4 = 0x0800;
    /// <summary>ETH_P_ARP.</summary>
    public const ushort Arp = 0x0806;
    /// <summary>ETH_P_IPV6.</summary>
    public const ushort IPv6 = 0x86DD;
    /// <summary>ETH_P_CAN: classic CAN frames on a CAN interface.</summary>
    public const ushort Can = 0x000C;
    /// <summary>ETH_P_CANFD.</summary>
    public const ushort CanFd = 0x000D;
    /// <summary>ETH_P_CANXL.</summary>
    public const ushort CanXl = 0x000E;
    /// <summary>ETH_P_TIPC.</summary>
    public const ushort Tipc = 0x88CA;
    /// <summary>0x88B5, IEEE 802 "local experimental" EtherType 1: safe for tests and prototypes.</summary>
    public const ushort LocalExperimental1 = 0x88B5;
}

/// <summary>Link-layer hardware types (<c>ARPHRD_*</c>) this library maps to capture link types.</summary>
public static class HardwareType
{
    /// <summary>ARPHRD_ETHER.</summary>
    public const ushort Ethernet = 1;
    /// <summary>ARPHRD_CAN.</summary>
    public const ushort Can = 280;
    /// <summary>ARPHRD_LOOPBACK.</summary>
    public const ushort Loopback = 772;
    /// <summary>ARPHRD_NONE: no link-layer header (TUN).</summary>
    public const ushort None = 0xFFFE;
}
