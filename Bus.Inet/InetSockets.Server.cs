using Buses.Inet.Interop;
using System.Net.Sockets;

namespace Buses.Inet;

public static partial class InetSockets
{
    private static readonly Lazy<bool> s_hasDualStackIPv6 = new(ProbeDualStackIPv6);

    /// <summary>
    /// Whether this host can open one IPv6 socket that also accepts IPv4 connections (IPV6_V6ONLY off;
    /// Python's <c>has_dualstack_ipv6</c>). False when the kernel has no IPv6.
    /// </summary>
    public static bool HasDualStackIPv6 => s_hasDualStackIPv6.Value;

    /// <summary>
    /// Creates a listening TCP socket bound to <paramref name="address"/> (Python's <c>create_server</c>):
    /// SO_REUSEADDR on, optionally SO_REUSEPORT, and for IPv6 either IPV6_V6ONLY on, or off when
    /// <paramref name="dualStackIPv6"/> asks for IPv4 connections on the same socket.
    /// </summary>
    /// <typeparam name="TAddress"><see cref="InetAddress"/>, <see cref="Inet6Address"/> or <see cref="UnixAddress"/> (a UNIX stream listener).</typeparam>
    /// <param name="address">The local address; port 0 picks a free port (read it back with <see cref="BusSocket.GetLocalEndPoint{TAddress}"/>).</param>
    /// <param name="backlog">The listen queue length; <see langword="null"/> for <see cref="BusSocket.Listen(int)"/>'s default.</param>
    /// <param name="reusePort">Sets SO_REUSEPORT, so several sockets can bind the same port and share connections.</param>
    /// <param name="dualStackIPv6">Accept IPv4 connections too (as IPv4-mapped IPv6 peers). Needs an <see cref="Inet6Address"/>.</param>
    /// <returns>The listening socket, in the mode <see cref="BusSocket.DefaultTimeout"/> gives new sockets.</returns>
    /// <exception cref="ArgumentException">Dual stack asked for a non-IPv6 address or on a host without it, or an address family other than INET, INET6 or UNIX — before any syscall.</exception>
    /// <exception cref="BusException">socket, setsockopt, bind or listen failed; the exception names the address.</exception>
    public static BusSocket CreateServer<TAddress>(in TAddress address, int? backlog = null, bool reusePort = false, bool dualStackIPv6 = false)
        where TAddress : ISocketAddress
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        SocketFamily family = address.Family;
        if (family is not (SocketFamily.Inet or SocketFamily.Inet6 or SocketFamily.Unix))
        {
            throw new ArgumentException($"Address {address} is of family {family}; a server needs Inet, Inet6 or Unix.", nameof(address));
        }

        if (backlog is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(backlog), backlog, "A listen backlog cannot be negative.");
        }

        if (dualStackIPv6 && family != SocketFamily.Inet6)
        {
            throw new ArgumentException($"Dual stack needs an IPv6 address; {address} is {family}.", nameof(dualStackIPv6));
        }

        if (dualStackIPv6 && !HasDualStackIPv6)
        {
            throw new ArgumentException("Dual stack is not supported on this host: an IPv6 socket cannot clear IPV6_V6ONLY.", nameof(dualStackIPv6));
        }

        var socket = new BusSocket(family, SocketType.Stream, family == SocketFamily.Unix ? 0 : InetConstants.IPPROTO_TCP);
        try
        {
            if (family != SocketFamily.Unix)
            {
                // Lets a restarted server bind while connections of its previous run sit in TIME_WAIT.
                socket.Set(SocketOption.ReuseAddress, true);
            }

            if (reusePort)
            {
                socket.Set(SocketOption.ReusePort, true);
            }

            if (family == SocketFamily.Inet6)
            {
                // The sysctl net.ipv6.bindv6only decides the default; say what was asked either way.
                socket.SetOption(SocketLevel.IPv6, InetConstants.IPV6_V6ONLY, dualStackIPv6 ? 0 : 1);
            }

            socket.Bind(address);
            if (backlog is { } queue)
            {
                socket.Listen(queue);
            }
            else
            {
                socket.Listen();
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool ProbeDualStackIPv6()
    {
        try
        {
            using var socket = new BusSocket(SocketFamily.Inet6, SocketType.Stream, InetConstants.IPPROTO_TCP);
            socket.SetOption(SocketLevel.IPv6, InetConstants.IPV6_V6ONLY, 0);
            return true;
        }
        catch (BusException)
        {
            return false;
        }
    }
}
