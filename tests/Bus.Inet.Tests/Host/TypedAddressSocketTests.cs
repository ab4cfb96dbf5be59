using System.Net;
using System.Net.Sockets;
using Buses.Inet;
using Xunit;

namespace Buses.Tests.Inet.Host;

// The typed addresses against the host kernel: what bind takes, getsockname/getpeername/accept/recvfrom give back.
public sealed class TypedAddressSocketTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(10);

    [Fact]
    public void Inet_stream_addresses_come_back_typed()
    {
        using var listener = new BusSocket(SocketFamily.Inet, SocketType.Stream) { Timeout = s_guard };
        listener.Bind(InetAddress.Loopback(0));
        listener.Listen();
        InetAddress bound = listener.GetLocalEndPoint<InetAddress>();
        Assert.Equal(IPAddress.Loopback, bound.Address);
        Assert.NotEqual(0, bound.Port);

        using var client = new BusSocket(SocketFamily.Inet, SocketType.Stream) { Timeout = s_guard };
        client.Connect(bound);
        using BusSocket server = listener.Accept(out InetAddress peer);
        Assert.Equal(client.GetLocalEndPoint<InetAddress>(), peer);
        Assert.Equal(bound, client.GetRemoteEndPoint<InetAddress>());
        Assert.IsType<InetAddress>(server.RemoteEndPoint);
        Assert.Equal(peer, (InetAddress)server.RemoteEndPoint);
        Assert.StartsWith("inet:127.0.0.1:", peer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Inet6_datagrams_carry_a_typed_sender()
    {
        using var a = new BusSocket(SocketFamily.Inet6, SocketType.Dgram) { Timeout = s_guard };
        using var b = new BusSocket(SocketFamily.Inet6, SocketType.Dgram) { Timeout = s_guard };
        a.Bind(Inet6Address.Parse("inet6:[::1]:0"));
        b.Bind(Inet6Address.Loopback(0));
        Inet6Address to = b.GetLocalEndPoint<Inet6Address>();
        a.SendTo("six"u8, to);
        Span<byte> buffer = stackalloc byte[8];
        int n = b.ReceiveFrom(buffer, out Inet6Address sender);
        Assert.Equal(3, n);
        Assert.Equal(a.GetLocalEndPoint<Inet6Address>(), sender);
        Assert.Equal(IPAddress.IPv6Loopback, sender.Address);
        Assert.Equal(0u, sender.ScopeId);
    }

    [Fact]
    public void Link_local_scope_names_reach_the_kernel_as_indexes()
    {
        using var socket = new BusSocket(SocketFamily.Inet6, SocketType.Dgram);
        var linkLocal = Inet6Address.Parse("inet6:[fe80::1%lo]:0");
        Assert.Equal((uint)Interfaces.IndexOf("lo"), linkLocal.ScopeId);

        // lo has no fe80::1, so the kernel refuses the bind; what matters is that the scope was understood.
        BusException e = Assert.Throws<BusException>(() => socket.Bind(linkLocal));
        Assert.Equal(Errno.EADDRNOTAVAIL, e.Errno);
        Assert.Equal(linkLocal.ToString(), e.Address);
    }

    [Fact]
    public void Unix_path_abstract_and_unnamed_addresses()
    {
        string directory = Directory.CreateTempSubdirectory("buses-inet-").FullName;
        try
        {
            var path = UnixAddress.FromPath(Path.Combine(directory, "s.sock"));
            using var listener = new BusSocket(SocketFamily.Unix, SocketType.Stream) { Timeout = s_guard };
            listener.Bind(path);
            listener.Listen();
            Assert.Equal(path, listener.GetLocalEndPoint<UnixAddress>());
            Assert.True(File.Exists(path.Path));

            using var client = new BusSocket(SocketFamily.Unix, SocketType.Stream) { Timeout = s_guard };
            client.Connect(path);
            using BusSocket server = listener.Accept(out UnixAddress peer);
            Assert.Equal(UnixAddress.Unnamed, peer);
            Assert.Equal(UnixAddressKind.Unnamed, client.GetLocalEndPoint<UnixAddress>().Kind);
            Assert.Equal(path, client.GetRemoteEndPoint<UnixAddress>());

            var name = UnixAddress.FromAbstractName($"buses-inet-{Environment.ProcessId}-\u00e9\n");
            using var abstractSocket = new BusSocket(SocketFamily.Unix, SocketType.Dgram);
            abstractSocket.Bind(name);
            UnixAddress back = abstractSocket.GetLocalEndPoint<UnixAddress>();
            Assert.Equal(name, back);
            Assert.Contains("\\x0a", back.ToString(), StringComparison.Ordinal);

            // Binding the unnamed address autobinds: the kernel picks a five-hex-digit abstract name.
            using var autobound = new BusSocket(SocketFamily.Unix, SocketType.Dgram);
            autobound.Bind(UnixAddress.Unnamed);
            UnixAddress picked = autobound.GetLocalEndPoint<UnixAddress>();
            Assert.Equal(UnixAddressKind.Abstract, picked.Kind);
            Assert.Equal(5, picked.Name.Length);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Socket_pair_ends_are_unnamed()
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair();
        using (a)
        using (b)
        {
            Assert.Equal(UnixAddress.Unnamed, a.GetLocalEndPoint<UnixAddress>());
            Assert.Equal(UnixAddress.Unnamed, b.GetRemoteEndPoint<UnixAddress>());
            Assert.Equal("unix:", a.LocalEndPoint.ToString());
        }
    }
}

// Typed addresses on the receive path are decoded into structs: nothing is allocated per datagram.
public sealed class TypedAddressAllocationTests
{
    private const int Iterations = 10_000;

    private static void AssertSteadyStateAllocatesNothing(Action round)
    {
        round();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            round();
        }

        // One-off runtime allocations (tier-up) are allowed; one per iteration would be 240 000 bytes or more.
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= 1024, $"{allocated} bytes over {Iterations} iterations");
    }

    [Fact]
    public void Udp_send_to_and_receive_from_with_inet_address_allocate_nothing()
    {
        using var a = new BusSocket(SocketFamily.Inet, SocketType.Dgram) { Timeout = TimeSpan.FromSeconds(10) };
        using var b = new BusSocket(SocketFamily.Inet, SocketType.Dgram) { Timeout = TimeSpan.FromSeconds(10) };
        a.Bind(InetAddress.Loopback(0));
        b.Bind(InetAddress.Loopback(0));
        InetAddress to = b.GetLocalEndPoint<InetAddress>();
        InetAddress from = a.GetLocalEndPoint<InetAddress>();
        byte[] payload = new byte[64];
        byte[] buffer = new byte[64];
        bool allFromA = true;
        AssertSteadyStateAllocatesNothing(() =>
        {
            a.SendTo(payload, to);
            b.ReceiveFrom(buffer, out InetAddress sender);
            allFromA &= sender == from;
        });
        Assert.True(allFromA);
    }

    [Fact]
    public void Unix_datagrams_with_unix_address_allocate_nothing()
    {
        using var a = new BusSocket(SocketFamily.Unix, SocketType.Dgram) { Timeout = TimeSpan.FromSeconds(10) };
        using var b = new BusSocket(SocketFamily.Unix, SocketType.Dgram) { Timeout = TimeSpan.FromSeconds(10) };
        var aName = UnixAddress.FromAbstractName($"buses-alloc-a-{Environment.ProcessId}");
        var bName = UnixAddress.FromAbstractName($"buses-alloc-b-{Environment.ProcessId}");
        a.Bind(aName);
        b.Bind(bName);
        byte[] payload = new byte[64];
        byte[] buffer = new byte[64];
        bool allFromA = true;
        AssertSteadyStateAllocatesNothing(() =>
        {
            a.SendTo(payload, bName);
            b.ReceiveFrom(buffer, out UnixAddress sender);
            allFromA &= sender == aName;
        });
        Assert.True(allFromA);
    }
}
