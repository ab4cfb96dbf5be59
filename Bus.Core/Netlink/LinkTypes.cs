namespace Buses.Netlink;

/// <summary>Interface flags (<c>IFF_*</c> of <c>include/uapi/linux/if.h</c>), as <c>ifi_flags</c> carries them.</summary>
[Flags]
public enum LinkFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>IFF_UP: administratively up.</summary>
    Up = 0x1,
    /// <summary>IFF_BROADCAST.</summary>
    Broadcast = 0x2,
    /// <summary>IFF_DEBUG.</summary>
    Debug = 0x4,
    /// <summary>IFF_LOOPBACK.</summary>
    Loopback = 0x8,
    /// <summary>IFF_POINTOPOINT.</summary>
    PointToPoint = 0x10,
    /// <summary>IFF_NOTRAILERS.</summary>
    NoTrailers = 0x20,
    /// <summary>IFF_RUNNING: operationally up (RFC 2863 UP).</summary>
    Running = 0x40,
    /// <summary>IFF_NOARP.</summary>
    NoArp = 0x80,
    /// <summary>IFF_PROMISC.</summary>
    Promiscuous = 0x100,
    /// <summary>IFF_ALLMULTI.</summary>
    AllMulticast = 0x200,
    /// <summary>IFF_MASTER.</summary>
    Master = 0x400,
    /// <summary>IFF_SLAVE.</summary>
    Slave = 0x800,
    /// <summary>IFF_MULTICAST.</summary>
    Multicast = 0x1000,
    /// <summary>IFF_PORTSEL.</summary>
    PortSelect = 0x2000,
    /// <summary>IFF_AUTOMEDIA.</summary>
    AutoMedia = 0x4000,
    /// <summary>IFF_DYNAMIC.</summary>
    Dynamic = 0x8000,
    /// <summary>IFF_LOWER_UP: the driver signals carrier.</summary>
    LowerUp = 0x10000,
    /// <summary>IFF_DORMANT.</summary>
    Dormant = 0x20000,
    /// <summary>IFF_ECHO: the driver echoes sent frames (CAN).</summary>
    Echo = 0x40000,
}

/// <summary>RFC 2863 operational state (<c>IFLA_OPERSTATE</c>, <c>IF_OPER_*</c>).</summary>
public enum LinkOperationalState : byte
{
    /// <summary>IF_OPER_UNKNOWN (drivers that do not report state, such as vcan, stay here).</summary>
    Unknown = 0,
    /// <summary>IF_OPER_NOTPRESENT.</summary>
    NotPresent = 1,
    /// <summary>IF_OPER_DOWN.</summary>
    Down = 2,
    /// <summary>IF_OPER_LOWERLAYERDOWN (a veth whose peer is down).</summary>
    LowerLayerDown = 3,
    /// <summary>IF_OPER_TESTING.</summary>
    Testing = 4,
    /// <summary>IF_OPER_DORMANT.</summary>
    Dormant = 5,
    /// <summary>IF_OPER_UP.</summary>
    Up = 6,
}

/// <summary>Interface counters (the first fields of <c>struct rtnl_link_stats64</c>, <c>IFLA_STATS64</c>).</summary>
/// <param name="ReceivedPackets">rx_packets.</param>
/// <param name="TransmittedPackets">tx_packets.</param>
/// <param name="ReceivedBytes">rx_bytes.</param>
/// <param name="TransmittedBytes">tx_bytes.</param>
/// <param name="ReceiveErrors">rx_errors.</param>
/// <param name="TransmitErrors">tx_errors.</param>
/// <param name="ReceiveDropped">rx_dropped.</param>
/// <param name="TransmitDropped">tx_dropped.</param>
/// <param name="Multicast">multicast: multicast packets received.</param>
/// <param name="Collisions">collisions.</param>
public readonly record struct LinkStatistics(
    ulong ReceivedPackets,
    ulong TransmittedPackets,
    ulong ReceivedBytes,
    ulong TransmittedBytes,
    ulong ReceiveErrors,
    ulong TransmitErrors,
    ulong ReceiveDropped,
    ulong TransmitDropped,
    ulong Multicast,
    ulong Collisions);

/// <summary>What a link event reports.</summary>
public enum LinkEventKind
{
    /// <summary>RTM_NEWLINK: a link appeared or changed.</summary>
    NewOrChanged,
    /// <summary>RTM_DELLINK: a link was removed.</summary>
    Deleted,
}

/// <summary>One link-change notification from the <c>RTNLGRP_LINK</c> multicast group.</summary>
/// <param name="Kind">New/changed or deleted.</param>
/// <param name="Link">The link's state as the kernel reported it.</param>
public readonly record struct LinkEvent(LinkEventKind Kind, LinkInfo Link);
