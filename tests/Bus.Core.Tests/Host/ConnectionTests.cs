using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Buses.Tests.Host;

// bind, listen, connect, accept, the address queries, shutdown and the datagram calls on real
// INET, INET6 and UNIX sockets of the host kernel.
public sealed class ConnectionTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(10);

    public static TheoryData<SocketFamily> StreamFamilies => new(SocketFamily.Inet, SocketFamily.Inet6, SocketFamily.Unix);

    private static RawSocketAddress AnyLocal(SocketFamily family) => family switch
    {
        SocketFamily.Inet => HostAddresses.Loopback(0),
        SocketFamily.Inet6 => HostAddresses.Loopback6(0),
        _ => HostAddresses.UniqueAbstract(),
    };

    private static (BusSocket Listener, RawSocketAddress Address) Listen(SocketFamily family)
    {
        var listener = new BusSocket(family, SocketType.Stream) { Timeout = s_guard };
        listener.Bind(AnyLocal(family));
        listener.Listen(8);
        return (listener, listener.GetLocalEndPoint<RawSocketAddress>());
    }

    [Theory]
    [MemberData(nameof(StreamFamilies))]
    public void Connect_accept_exchange_and_shutdown(SocketFamily family)
    {
        (BusSocket listener, RawSocketAddress address) = Listen(family);
        using (listener)
        {
            if (family != SocketFamily.Unix)
            {
                Assert.NotEqual(0, HostAddresses.PortOf(address));
            }

            using var client = new BusSocket(family, SocketType.Stream) { Timeout = s_guard };
            client.Connect(address);
            using BusSocket server = listener.Accept(out RawSocketAddress peer);
            server.Timeout = s_guard;

            Assert.Equal(address, client.GetRemoteEndPoint<RawSocketAddress>());
            Assert.Equal(address, server.GetLocalEndPoint<RawSocketAddress>());
            Assert.Equal(client.GetLocalEndPoint<RawSocketAddress>(), peer);
            Assert.Equal(peer, server.GetRemoteEndPoint<RawSocketAddress>());
            Assert.Equal((family, SocketType.Stream), (server.Family, server.Type));

            Assert.Equal(5, client.Send("hello"u8));
            Span<byte> buffer = stackalloc byte[64];
            Assert.Equal("hello", Encoding.ASCII.GetString(buffer[..server.Receive(buffer)]));

            server.Send("world"u8);
            byte[] heap = new byte[5];
            Assert.Equal(5, client.Receive(heap, MessageFlags.WaitAll));
            Assert.Equal("world"u8.ToArray(), heap);

            client.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, server.Receive(buffer));
            server.Send("still open the other way"u8);
            Assert.Equal(24, client.Receive(buffer, MessageFlags.WaitAll));
        }
    }

    [Theory]
    [MemberData(nameof(StreamFamilies))]
    public async Task Async_connect_and_accept(SocketFamily family)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        (BusSocket listener, RawSocketAddress address) = Listen(family);
        using (listener)
        {
            Task<BusSocket> accept = listener.AcceptAsync(ct).AsTask();
            using var client = new BusSocket(family, SocketType.Stream);
            await client.ConnectAsync(address, ct).AsTask().WaitAsync(s_guard, ct);
            using BusSocket server = await accept.WaitAsync(s_guard, ct);
            Assert.Equal(client.GetLocalEndPoint<RawSocketAddress>(), server.GetRemoteEndPoint<RawSocketAddress>());
            Assert.Null(server.Timeout);

            using var refused = new BusSocket(family, SocketType.Stream);
            RawSocketAddress nobody = family == SocketFamily.Unix ? HostAddresses.UniqueAbstract() : ClosedPort(family);
            BusException e = await Assert.ThrowsAsync<BusException>(async () => await refused.ConnectAsync(nobody, ct));
            Assert.Equal(Errno.ECONNREFUSED, e.Errno);
            Assert.Equal(nobody.ToString(), e.Address);
        }
    }

    private static RawSocketAddress ClosedPort(SocketFamily family)
    {
        // Bound and closed at once: nothing listens there for the moment the test needs.
        using var holder = new BusSocket(family, SocketType.Stream);
        holder.Bind(AnyLocal(family));
        return holder.GetLocalEndPoint<RawSocketAddress>();
    }

    [Fact]
    public async Task Async_connect_waits_for_room_in_a_full_unix_backlog()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using HostSockets.FullBacklog backlog = HostSockets.FillUnixBacklog();
        Task connect = backlog.NewClient(null).ConnectAsync(backlog.Address, ct).AsTask();
        await Task.Delay(50, ct);
        Assert.False(connect.IsCompleted, connect.Exception?.ToString());
        using BusSocket accepted = backlog.Listener.Accept();
        await connect.WaitAsync(s_guard, ct);
    }

    [Fact]
    public void Boxed_addresses_decode_to_the_registered_or_raw_type()
    {
        (BusSocket listener, RawSocketAddress address) = Listen(SocketFamily.Inet);
        using (listener)
        {
            ISocketAddress local = listener.LocalEndPoint;
            Assert.Equal(SocketFamily.Inet, local.Family);
            byte[] encoded = HostAddresses.Bytes(local);
            Assert.Equal(address.Bytes.ToArray(), encoded);
            BusException e = Assert.Throws<BusException>(() => listener.RemoteEndPoint);
            Assert.Equal(Errno.ENOTCONN, e.Errno);
        }
    }

    [Fact]
    public void Try_connect_returns_the_errno_and_connect_throws_it_with_the_address()
    {
        // Bind a port without listening: connecting to it is refused.
        using var holder = new BusSocket(SocketFamily.Inet, SocketType.Stream);
        holder.Bind(HostAddresses.Loopback(0));
        RawSocketAddress refused = holder.GetLocalEndPoint<RawSocketAddress>();

        using var first = new BusSocket(SocketFamily.Inet, SocketType.Stream) { Timeout = s_guard };
        Assert.Equal(Errno.ECONNREFUSED, first.TryConnect(refused));

        using var second = new BusSocket(SocketFamily.Inet, SocketType.Stream) { Timeout = s_guard };
        BusException e = Assert.Throws<BusException>(() => second.Connect(refused));
        Assert.Equal(Errno.ECONNREFUSED, e.Errno);
        Assert.Equal("connect", e.Operation);
        Assert.Equal(refused.ToString(), e.Address);

        using var unix = new BusSocket(SocketFamily.Unix, SocketType.Stream);
        Assert.Equal(Errno.ECONNREFUSED, unix.TryConnect(HostAddresses.UniqueAbstract()));
    }

    [Fact]
    public void Non_blocking_connect_reports_in_progress_then_completes()
    {
        (BusSocket listener, RawSocketAddress address) = Listen(SocketFamily.Inet);
        using (listener)
        {
            using var client = new BusSocket(SocketFamily.Inet, SocketType.Stream) { Blocking = false };
            Errno started = client.TryConnect(address);
            Assert.True(started is Errno.None or Errno.EINPROGRESS, $"TryConnect gave {started}");
            client.Timeout = s_guard;
            client.WaitWritable();
            Assert.Equal(0, client.Get(SocketOption.Error));
            using BusSocket server = listener.Accept();
            Assert.Equal(client.GetLocalEndPoint<RawSocketAddress>(), server.GetRemoteEndPoint<RawSocketAddress>());
        }
    }

    [Fact]
    public void Binding_a_taken_address_names_the_errno_and_the_address()
    {
        (BusSocket listener, RawSocketAddress address) = Listen(SocketFamily.Inet);
        using (listener)
        {
            using var other = new BusSocket(SocketFamily.Inet, SocketType.Stream);
            BusException e = Assert.Throws<BusException>(() => other.Bind(address));
            Assert.Equal(Errno.EADDRINUSE, e.Errno);
            Assert.Equal("bind", e.Operation);
            Assert.Contains(address.ToString(), e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(SocketFamily.Inet)]
    [InlineData(SocketFamily.Inet6)]
    [InlineData(SocketFamily.Unix)]
    public void Datagrams_carry_their_sender(SocketFamily family)
    {
        using var a = new BusSocket(family, SocketType.Dgram) { Timeout = s_guard };
        using var b = new BusSocket(family, SocketType.Dgram) { Timeout = s_guard };
        a.Bind(AnyLocal(family));
        b.Bind(AnyLocal(family));
        RawSocketAddress aAddress = a.GetLocalEndPoint<RawSocketAddress>();
        RawSocketAddress bAddress = b.GetLocalEndPoint<RawSocketAddress>();

        Assert.Equal(3, a.SendTo("abc"u8, bAddress));
        Span<byte> buffer = stackalloc byte[16];
        int n = b.ReceiveFrom(buffer, out RawSocketAddress sender);
        Assert.Equal("abc"u8.ToArray(), buffer[..n].ToArray());
        Assert.Equal(aAddress, sender);

        b.SendTo("reply"u8, sender);
        n = a.ReceiveFrom(buffer, out ISocketAddress boxed);
        Assert.Equal(5, n);
        Assert.Equal(bAddress.Bytes.ToArray(), HostAddresses.Bytes(boxed));
    }

    [Fact]
    public void Truncated_datagram_reports_its_real_length_with_trunc_flag()
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Dgram);
        using (a)
        using (b)
        {
            a.Send(new byte[100]);
            Span<byte> small = stackalloc byte[10];
            Assert.Equal(100, b.Receive(small, MessageFlags.Truncated | MessageFlags.Peek));
            Assert.Equal(10, b.Receive(small));
        }
    }

    [Fact]
    public void Send_to_a_failed_destination_names_it()
    {
        using var a = new BusSocket(SocketFamily.Unix, SocketType.Dgram);
        RawSocketAddress nobody = HostAddresses.UniqueAbstract();
        BusException e = Assert.Throws<BusException>(() => a.SendTo("x"u8, nobody));
        Assert.Equal(Errno.ECONNREFUSED, e.Errno);
        Assert.Equal(nobody.ToString(), e.Address);
    }
}
