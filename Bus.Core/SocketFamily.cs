namespace Buses;

/// <summary>
/// Linux address families, with Linux numbers. <see cref="System.Net.Sockets.AddressFamily"/> uses
/// Windows numbers (its 16 is AppleTalk, not netlink) and has no TIPC, Bluetooth or netlink member,
/// so it cannot name the sockets this library creates.
/// </summary>
public enum SocketFamily
{
    /// <summary>AF_UNSPEC.</summary>
    Unspecified = 0,
    /// <summary>AF_UNIX: local sockets, filesystem or abstract names.</summary>
    Unix = 1,
    /// <summary>AF_INET: IPv4.</summary>
    Inet = 2,
    /// <summary>AF_INET6: IPv6.</summary>
    Inet6 = 10,
    /// <summary>AF_NETLINK: kernel configuration and events.</summary>
    Netlink = 16,
    /// <summary>AF_PACKET: raw link-layer frames.</summary>
    Packet = 17,
    /// <summary>AF_CAN: Controller Area Network.</summary>
    Can = 29,
    /// <summary>AF_TIPC: Transparent Inter-Process Communication.</summary>
    Tipc = 30,
    /// <summary>AF_BLUETOOTH.</summary>
    Bluetooth = 31,
    /// <summary>AF_ALG: the kernel crypto API.</summary>
    Alg = 38,
    /// <summary>AF_VSOCK: host/guest sockets.</summary>
    Vsock = 40,
}
