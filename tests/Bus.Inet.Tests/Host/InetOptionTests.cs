using System.Net;
using System.Net.Sockets;
using Buses.Inet;
using Xunit;

namespace Buses.Tests.Inet.Host;

// The IPPROTO_IP, IPPROTO_IPV6 and IPPROTO_TCP option sets read and write with their C types;
// their numbers are checked against the headers by Bus.Abi.Tests.
public sealed class InetOptionTests
{
    [Fact]
    public void Tcp_options_round_trip_and_refuse_out_of_range_values_before_the_syscall()
    {
        using var socket = new BusSocket(SocketFamily.Inet, SocketType.Stream);
        socket.Set(TcpOption.NoDelay, true);
        Assert.True(socket.Get(TcpOption.NoDelay));
        socket.Set(TcpOption.KeepAliveIdle, 30);
        socket.Set(TcpOption.KeepAliveCount, 4);
        socket.Set(TcpOption.UserTimeout, 5000);
        Assert.Equal((30, 4, 5000), (socket.Get(TcpOption.KeepAliveIdle), socket.Get(TcpOption.KeepAliveCount), socket.Get(TcpOption.UserTimeout)));

        socket.Dispose();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => socket.Set(TcpOption.KeepAliveCount, 128));
        Assert.Contains("TCP_KEEPCNT takes 1 to 127", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ip_and_ipv6_options_round_trip()
    {
        using var v4 = new BusSocket(SocketFamily.Inet, SocketType.Dgram);
        v4.Set(IPOption.TimeToLive, 7);
        v4.Set(IPOption.MulticastLoopback, false);
        v4.Set(IPOption.PacketInformation, true);
        Assert.Equal(7, v4.Get(IPOption.TimeToLive));
        Assert.False(v4.Get(IPOption.MulticastLoopback));
        Assert.True(v4.Get(IPOption.PacketInformation));

        using var v6 = new BusSocket(SocketFamily.Inet6, SocketType.Dgram);
        Assert.False(v6.Get(IPv6Option.V6Only));
        v6.Set(IPv6Option.V6Only, true);
        v6.Set(IPv6Option.UnicastHops, 9);
        Assert.True(v6.Get(IPv6Option.V6Only));
        Assert.Equal(9, v6.Get(IPv6Option.UnicastHops));
    }

    [Fact]
    public void Multicast_membership_joins_and_leaves_a_group_on_loopback()
    {
        using var socket = new BusSocket(SocketFamily.Inet, SocketType.Dgram);
        MulticastRequest request = MulticastRequest.For(IPAddress.Parse("239.1.2.3"), Interfaces.IndexOf("lo"));
        socket.Set(IPOption.AddMembership, request);
        socket.Set(IPOption.DropMembership, request);
        // Leaving a group not joined is the kernel's EADDRNOTAVAIL, with the option's name.
        BusException e = Assert.Throws<BusException>(() => socket.Set(IPOption.DropMembership, request));
        Assert.Equal(Errno.EADDRNOTAVAIL, e.Errno);
        Assert.Contains("IP_DROP_MEMBERSHIP", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multicast_requests_refuse_addresses_that_are_no_groups()
    {
        Assert.Contains("10.0.0.1 is not an IPv4 multicast group", Assert.Throws<ArgumentException>(() => MulticastRequest.For(IPAddress.Parse("10.0.0.1"))).Message, StringComparison.Ordinal);
        Assert.Contains("::1 is not an IPv6 multicast group", Assert.Throws<ArgumentException>(() => Multicast6Request.For(IPAddress.IPv6Loopback)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => MulticastRequest.For(IPAddress.Parse("239.0.0.1"), -1));
    }
}
