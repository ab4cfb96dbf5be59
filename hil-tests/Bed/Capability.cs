namespace Buses.HilTests.Bed;

/// <summary>What a kernel-in-the-loop test needs from the machine it runs on.</summary>
public enum Capability
{
    /// <summary>CAN_RAW sockets and a CAN interface (<see cref="Bed.CanInterface"/>) that is up.</summary>
    Can,

    /// <summary>A CAN interface with the CAN FD MTU (72).</summary>
    CanFd,

    /// <summary>A CAN interface with the CAN XL MTU (2060, Linux 6.2+).</summary>
    CanXl,

    /// <summary>A vxcan pair, both ends up.</summary>
    Vxcan,

    /// <summary>CAN_ISOTP sockets.</summary>
    IsoTp,

    /// <summary>CAN_J1939 sockets.</summary>
    J1939,

    /// <summary>The can-gw netlink gateway.</summary>
    CanGw,

    /// <summary>CAN_BCM sockets.</summary>
    Bcm,

    /// <summary>AF_TIPC sockets on a node with an identity.</summary>
    Tipc,

    /// <summary>A second TIPC node linked to this one (<see cref="Bed.TipcPeerNode"/>).</summary>
    TipcCluster,

    /// <summary>AF_BLUETOOTH sockets and two controllers, the second one connectable.</summary>
    Bluetooth,

    /// <summary>AF_PACKET sockets (needs CAP_NET_RAW).</summary>
    Packet,

    /// <summary>NETLINK_ROUTE sockets.</summary>
    Netlink,
}
