using System.Net.Sockets;
using Buses.Inet;
using Xunit;

namespace Buses.Tests.Inet.Host;

// Once the kernel has handed over a datagram or a connection, the call returns it, whatever the
// address looks like: a decode that fails after the syscall would lose data, which is worse than any
// exception. Address types that cannot fit the socket are refused before the syscall instead.
public sealed class NoLossTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void ReceiveFrom_an_unbound_unix_datagram_sender_returns_the_data_with_an_unnamed_sender()
    {
        using var receiver = new BusSocket(SocketFamily.Unix, SocketType.Dgram) { Timeout = s_guard };
        UnixAddress address = UnixAddress.FromAbstractName($"buses-noloss-{Environment.ProcessId}-{Guid.NewGuid():N}");
        receiver.Bind(address);
        using var sender = new BusSocket(SocketFamily.Unix, SocketType.Dgram);
        sender.SendTo("hello"u8, address);

        byte[] buffer = new byte[16];
        int n = receiver.ReceiveFrom(buffer, out UnixAddress from);
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal(UnixAddress.Unnamed, from);
    }

    [Fact]
    public void ReceiveFrom_on_a_connected_tcp_socket_returns_the_data_without_a_sender()
    {
        (BusSocket client, BusSocket server, BusSocket listener) = TcpPair();
        using (client)
        using (server)
        using (listener)
        {
            client.SendAll("abc"u8);
            byte[] buffer = new byte[8];
            int n = server.ReceiveFrom(buffer, out InetAddress from);
            Assert.Equal(3, n);
            Assert.Equal(default, from);

            client.SendAll("de"u8);
            n = server.ReceiveFrom(buffer, out ISocketAddress any);
            Assert.Equal(2, n);
            Assert.Equal(SocketFamily.Unspecified, Assert.IsType<RawSocketAddress>(any).Family);
        }
    }

    [Fact]
    public async Task ReceiveFromAsync_on_a_connected_tcp_socket_returns_the_data_and_says_there_is_no_sender()
    {
        (BusSocket client, BusSocket server, BusSocket listener) = TcpPair();
        using (client)
        using (server)
        using (listener)
        {
            client.SendAll("xyz"u8);
            ReceiveFromResult<InetAddress> result = await server.ReceiveFromAsync<InetAddress>(new byte[8], cancellationToken: Ct);
            Assert.Equal(3, result.Length);
            Assert.False(result.HasSender);
        }
    }

    [Fact]
    public void Accept_with_an_inet_address_on_a_dual_stack_listener_is_refused_before_the_connection_is_taken()
    {
        using var listener = new BusSocket(SocketFamily.Inet6, SocketType.Stream) { Timeout = s_guard };
        listener.Bind(Inet6Address.Parse("inet6:[::]:0"));
        listener.Listen();
        int port = listener.GetLocalEndPoint<Inet6Address>().Port;
        using var client = new BusSocket(SocketFamily.Inet, SocketType.Stream) { Timeout = s_guard };
        client.Connect(InetAddress.Loopback(port));

        ArgumentException refused = Assert.Throws<ArgumentException>(() => listener.Accept(out InetAddress _));
        Assert.Contains("InetAddress", refused.Message, StringComparison.Ordinal);

        // The connection is still queued: the right type takes it, and the client is served.
        using BusSocket server = listener.Accept(out Inet6Address peer);
        Assert.True(peer.Address.IsIPv4MappedToIPv6);
        server.SendAll("ok"u8);
        byte[] buffer = new byte[2];
        Assert.Equal(2, client.Receive(buffer, MessageFlags.WaitAll));
    }

    [Fact]
    public async Task AcceptAsync_gives_the_connection_and_its_peer()
    {
        using var listener = new BusSocket(SocketFamily.Inet6, SocketType.Stream);
        listener.Bind(Inet6Address.Parse("inet6:[::1]:0"));
        listener.Listen();
        Inet6Address bound = listener.GetLocalEndPoint<Inet6Address>();
        await Assert.ThrowsAsync<ArgumentException>(async () => await listener.AcceptAsync<InetAddress>(Ct));

        using var client = new BusSocket(SocketFamily.Inet6, SocketType.Stream);
        ValueTask<AcceptResult<Inet6Address>> accept = listener.AcceptAsync<Inet6Address>(Ct);
        await client.ConnectAsync(bound, Ct);
        AcceptResult<Inet6Address> accepted = await accept;
        using BusSocket server = accepted.Socket;
        Assert.True(accepted.HasPeer);
        Assert.Equal(client.GetLocalEndPoint<Inet6Address>(), accepted.Peer);
    }

    [Fact]
    public async Task SendToAsync_names_the_destination_in_its_error()
    {
        using var socket = new BusSocket(SocketFamily.Inet, SocketType.Dgram);
        // 255.255.255.255 without SO_BROADCAST: the kernel refuses with EACCES.
        BusException e = await Assert.ThrowsAsync<BusException>(async () => await socket.SendToAsync(new byte[1], InetAddress.Parse("inet:255.255.255.255:9"), cancellationToken: Ct));
        Assert.Equal(Errno.EACCES, e.Errno);
        Assert.Contains("inet:255.255.255.255:9", e.Message, StringComparison.Ordinal);
    }

    private static (BusSocket Client, BusSocket Server, BusSocket Listener) TcpPair()
    {
        var listener = new BusSocket(SocketFamily.Inet, SocketType.Stream) { Timeout = s_guard };
        listener.Bind(InetAddress.Loopback(0));
        listener.Listen();
        var client = new BusSocket(SocketFamily.Inet, SocketType.Stream) { Timeout = s_guard };
        client.Connect(listener.GetLocalEndPoint<InetAddress>());
        BusSocket server = listener.Accept();
        server.Timeout = s_guard;
        return (client, server, listener);
    }
}
