using System.Net;
using System.Net.Sockets;
using Buses.Inet;
using Xunit;

namespace Buses.Tests.Inet.Host;

// create_connection and create_server semantics against the host kernel.
public sealed class InetSocketsTests : IDisposable
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IPEndPoint ClosedPort(IPAddress address)
    {
        // A bound, never-listening socket owns the port, so connecting to it is refused for the test's life.
        var holder = new BusSocket(address.AddressFamily == AddressFamily.InterNetwork ? SocketFamily.Inet : SocketFamily.Inet6, SocketType.Stream);
        _holders.Add(holder);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            holder.Bind(new InetAddress(address, 0));
            return holder.GetLocalEndPoint<InetAddress>().ToIPEndPoint();
        }

        holder.Bind(new Inet6Address(address, 0));
        return holder.GetLocalEndPoint<Inet6Address>().ToIPEndPoint();
    }

    private readonly List<BusSocket> _holders = [];

    public void Dispose() => _holders.ForEach(h => h.Dispose());

    [Fact]
    public void Connect_by_name_reaches_a_listener()
    {
        using BusSocket server = InetSockets.CreateServer(InetAddress.Loopback(0));
        int port = server.GetLocalEndPoint<InetAddress>().Port;
        using BusSocket client = InetSockets.Connect("localhost", port, new ConnectOptions { Timeout = s_guard });
        Assert.Equal(s_guard, client.Timeout);
        Assert.Equal((SocketFamily.Inet, SocketType.Stream, 6), (client.Family, client.Type, client.Protocol));
        using BusSocket accepted = server.Accept(out InetAddress peer);
        Assert.Equal(client.GetLocalEndPoint<InetAddress>(), peer);
    }

    [Fact]
    public void Connect_tries_each_address_in_turn_and_keeps_the_default_timeout_when_unset()
    {
        using BusSocket server = InetSockets.CreateServer(Inet6Address.Loopback(0));
        IPEndPoint good = server.GetLocalEndPoint<Inet6Address>().ToIPEndPoint();
        IPEndPoint refusedV4 = ClosedPort(IPAddress.Loopback);
        IPEndPoint refusedV6 = ClosedPort(IPAddress.IPv6Loopback);

        using BusSocket client = InetSockets.Connect([refusedV4, refusedV6, good]);
        Assert.Equal(SocketFamily.Inet6, client.Family);
        Assert.Equal(BusSocket.DefaultTimeout, client.Timeout);
        Assert.Equal(good, client.GetRemoteEndPoint<Inet6Address>().ToIPEndPoint());
    }

    [Fact]
    public void When_every_attempt_fails_the_last_error_or_all_of_them_are_thrown()
    {
        IPEndPoint refusedV4 = ClosedPort(IPAddress.Loopback);
        IPEndPoint refusedV6 = ClosedPort(IPAddress.IPv6Loopback);

        BusException last = Assert.Throws<BusException>(() => InetSockets.Connect([refusedV4, refusedV6]));
        Assert.Equal(Errno.ECONNREFUSED, last.Errno);
        Assert.Equal(Inet6Address.FromIPEndPoint(refusedV6).ToString(), last.Address);

        AggregateException all = Assert.Throws<AggregateException>(() => InetSockets.Connect([refusedV4, refusedV6], new ConnectOptions { AllErrors = true }));
        Assert.Equal(2, all.InnerExceptions.Count);
        Assert.Equal(InetAddress.FromIPEndPoint(refusedV4).ToString(), Assert.IsType<BusException>(all.InnerExceptions[0]).Address);
        Assert.All(all.InnerExceptions, e => Assert.Equal(Errno.ECONNREFUSED, ((BusException)e).Errno));
    }

    [Fact]
    public void Source_address_is_bound_before_connecting()
    {
        using BusSocket server = InetSockets.CreateServer(InetAddress.Loopback(0));
        int sourcePort;
        using (var probe = new BusSocket(SocketFamily.Inet, SocketType.Stream))
        {
            probe.Bind(InetAddress.Loopback(0));
            sourcePort = probe.GetLocalEndPoint<InetAddress>().Port;
        }

        var options = new ConnectOptions { SourceAddress = new IPEndPoint(IPAddress.Loopback, sourcePort), Timeout = s_guard };
        using BusSocket client = InetSockets.Connect("127.0.0.1", server.GetLocalEndPoint<InetAddress>().Port, options);
        using BusSocket accepted = server.Accept(out InetAddress peer);
        Assert.Equal(InetAddress.Loopback(sourcePort), peer);
    }

    [Fact]
    public async Task Connect_async_tries_each_address_and_honours_cancellation()
    {
        using BusSocket server = InetSockets.CreateServer(InetAddress.Loopback(0));
        IPEndPoint good = server.GetLocalEndPoint<InetAddress>().ToIPEndPoint();
        using BusSocket client = await InetSockets.ConnectAsync([ClosedPort(IPAddress.Loopback), good], new ConnectOptions { Timeout = null }, Ct);
        Assert.Null(client.Timeout);
        using BusSocket accepted = await server.AcceptAsync(Ct).AsTask().WaitAsync(s_guard, Ct);
        Assert.Equal(client.GetLocalEndPoint<InetAddress>(), accepted.GetRemoteEndPoint<InetAddress>());

        using BusSocket byName = await InetSockets.ConnectAsync("127.0.0.1", good.Port, cancellationToken: Ct);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await InetSockets.ConnectAsync("127.0.0.1", good.Port, cancellationToken: new CancellationToken(canceled: true)));
        await Assert.ThrowsAsync<AggregateException>(async () => await InetSockets.ConnectAsync([ClosedPort(IPAddress.Loopback)], new ConnectOptions { AllErrors = true }, Ct));
    }

    [Fact]
    public void Arguments_are_checked_before_any_lookup_or_syscall()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InetSockets.Connect("localhost", 70000));
        Assert.Throws<ArgumentOutOfRangeException>(() => InetSockets.Connect("localhost", 80, new ConnectOptions { Family = SocketFamily.Unix }));
        Assert.Throws<ArgumentException>(() => InetSockets.Connect([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectOptions { Timeout = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentException>(() => InetSockets.Connect("::1", 80, new ConnectOptions { Family = SocketFamily.Inet }));
        Assert.Throws<ArgumentException>(() => InetSockets.CreateServer(InetAddress.Loopback(0), dualStackIPv6: true));
        Assert.Throws<ArgumentException>(() => InetSockets.CreateServer(new RawSocketAddress(SocketFamily.Netlink, new byte[10])));
        Assert.Throws<ArgumentOutOfRangeException>(() => InetSockets.CreateServer(InetAddress.Loopback(0), backlog: -1));
    }

    [Fact]
    public void Python_host_strings_resolve_without_a_name_server()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Any, 5), Assert.Single(InetSockets.Resolve("", 5)));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 5), Assert.Single(InetSockets.Resolve("", 5, SocketFamily.Inet6)));
        Assert.Equal(new IPEndPoint(IPAddress.Broadcast, 9), Assert.Single(InetSockets.Resolve("<broadcast>", 9)));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 1), Assert.Single(InetSockets.Resolve("::1", 1)));
    }

    [Fact]
    public void Ipv6_only_server_refuses_ipv4_and_dual_stack_accepts_it()
    {
        Assert.True(InetSockets.HasDualStackIPv6);
        using BusSocket v6only = InetSockets.CreateServer(Inet6Address.Any(0));
        Assert.Equal(1, v6only.GetOption(SocketLevel.IPv6, 26));
        int port = v6only.GetLocalEndPoint<Inet6Address>().Port;
        using (var v4 = new BusSocket(SocketFamily.Inet, SocketType.Stream) { Timeout = s_guard })
        {
            Assert.Equal(Errno.ECONNREFUSED, v4.TryConnect(InetAddress.Loopback(port)));
        }

        using BusSocket dual = InetSockets.CreateServer(Inet6Address.Any(0), dualStackIPv6: true);
        Assert.Equal(0, dual.GetOption(SocketLevel.IPv6, 26));
        using var client = new BusSocket(SocketFamily.Inet, SocketType.Stream) { Timeout = s_guard };
        client.Connect(InetAddress.Loopback(dual.GetLocalEndPoint<Inet6Address>().Port));
        using BusSocket accepted = dual.Accept(out Inet6Address peer);
        Assert.Equal(IPAddress.Loopback.MapToIPv6(), peer.Address);
        Assert.Equal(client.GetLocalEndPoint<InetAddress>().Port, peer.Port);
    }

    [Fact]
    public void Reuse_port_lets_two_servers_share_a_port_and_reuse_address_is_on()
    {
        using BusSocket first = InetSockets.CreateServer(InetAddress.Loopback(0), reusePort: true);
        Assert.True(first.Get(SocketOption.ReuseAddress));
        InetAddress address = first.GetLocalEndPoint<InetAddress>();
        using BusSocket second = InetSockets.CreateServer(address, reusePort: true);
        Assert.Equal(address, second.GetLocalEndPoint<InetAddress>());

        BusException e = Assert.Throws<BusException>(() => InetSockets.CreateServer(address));
        Assert.Equal(Errno.EADDRINUSE, e.Errno);
        Assert.Equal(address.ToString(), e.Address);
    }

    [Fact]
    public void Unix_server_listens_on_an_abstract_name()
    {
        var name = UnixAddress.FromAbstractName($"buses-server-{Environment.ProcessId}");
        using BusSocket server = InetSockets.CreateServer(name, backlog: 4);
        using var client = new BusSocket(SocketFamily.Unix, SocketType.Stream) { Timeout = s_guard };
        client.Connect(name);
        using BusSocket accepted = server.Accept();
        Assert.Equal(SocketFamily.Unix, accepted.Family);
    }
}
