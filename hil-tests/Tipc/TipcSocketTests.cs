using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Buses.HilTests.Bed;
using Testbed = Buses.HilTests.Bed.Bed;
using Buses.HilTests.CanTools;
using Buses.Tipc;
using Xunit;

namespace Buses.HilTests.Tipc;

/// <summary>TIPC on the bed's two nodes, with Python's socket module as the peer that nobody here wrote.</summary>
public sealed class TipcSocketTests
{
    private static readonly TimeSpan s_wait = TipcPeer.Wait;

    [Fact]
    public void Rdm_by_service_name_crosses_to_python_and_back_both_ways()
    {
        string ns = TipcPeer.NamespacePath;
        _ = ns;

        // Python (peer node) sends to our binding here by name.
        using (var server = new TipcSocket(SocketType.Rdm) { Timeout = s_wait })
        {
            server.Bind(TipcServiceRange.Single(20001, 7));
            using ToolProcess python = TipcPeer.Python("rdm", "client", 20001, 7);
            byte[] buffer = new byte[100];
            TipcReceived r = server.Receive(buffer);
            Assert.Equal("from-python", Encoding.ASCII.GetString(buffer, 0, r.Length));
            Assert.Equal(TipcServiceRange.Single(20001, 7), r.DestinationName);
            Assert.Equal(TipcPeer.Node, r.Sender!.Value.Node);
            server.SendTo("back"u8, r.Sender.Value);
            python.WaitForExit(expectSuccess: true);
            Assert.Equal("back", TipcPeer.Data(python.Lines));
            // Python's getsockname tuple is the sender we saw, and Python saw us as our own address.
            Assert.Equal(r.Sender.Value, TipcPeer.Tuple(python.Lines, "me").Socket);
            Assert.Equal(server.LocalAddress, TipcPeer.Tuple(python.Lines, "peer").Socket);
        }

        // We send to Python's binding on the peer node by name.
        using (ToolProcess python = TipcPeer.Python("rdm", "server", 20002, 3))
        using (var client = new TipcSocket(SocketType.Rdm) { Timeout = s_wait })
        {
            TipcPeer.WaitForBinding(TipcServiceRange.Single(20002, 3));
            client.SendTo("from-buses"u8, new TipcServiceAddress(20002, 3));
            byte[] buffer = new byte[100];
            TipcReceived r = client.Receive(buffer);
            Assert.Equal("py:from-buses", Encoding.ASCII.GetString(buffer, 0, r.Length));
            python.WaitForExit(expectSuccess: true);
            Assert.Equal(r.Sender!.Value, TipcPeer.Tuple(python.Lines, "me").Socket);
            Assert.Equal(client.LocalAddress, TipcPeer.Tuple(python.Lines, "peer").Socket);
            Assert.Equal("from-buses", TipcPeer.Data(python.Lines));
        }
    }

    [Theory]
    [InlineData("seq", SocketType.Seqpacket, 20003u)]
    [InlineData("stream", SocketType.Stream, 20005u)]
    public async Task Connection_by_service_name_crosses_to_python_and_back_both_ways(string kind, SocketType type, uint service)
    {
        _ = TipcPeer.NamespacePath;

        // Python connects to our listener here.
        using (var listener = new TipcSocket(type) { Timeout = s_wait })
        {
            listener.Bind(new TipcServiceAddress(service, 1));
            listener.Listen();
            using ToolProcess python = TipcPeer.Python(kind, "client", service, 1);
            using TipcSocket connection = await listener.AcceptAsync(TestContext.Current.CancellationToken);
            connection.Timeout = s_wait;
            TipcSocketAddress client = connection.PeerAddress;
            byte[] buffer = new byte[100];
            int n = await ReadAsync(connection, buffer, "from-python".Length);
            Assert.Equal("from-python", Encoding.ASCII.GetString(buffer, 0, n));
            await connection.SendAllAsync("hello"u8.ToArray(), TestContext.Current.CancellationToken);
            python.WaitForExit(expectSuccess: true);
            Assert.Equal("hello", TipcPeer.Data(python.Lines));
            Assert.Equal(client, TipcPeer.Tuple(python.Lines, "me").Socket);
            Assert.Equal(connection.LocalAddress, TipcPeer.Tuple(python.Lines, "peer").Socket);
        }

        // We connect to Python's listener on the peer node.
        using (ToolProcess python = TipcPeer.Python(kind, "server", service + 1, 1))
        using (var client = new TipcSocket(type) { Timeout = s_wait })
        {
            // The binding is visible before Python listens; its first line says it listens.
            python.WaitForLines(1);
            TipcPeer.WaitForBinding(TipcServiceRange.Single(service + 1, 1));
            client.Connect(new TipcServiceAddress(service + 1, 1));
            Assert.Equal(TipcPeer.Node, client.PeerAddress.Node);
            client.SendAll("from-buses"u8);
            byte[] buffer = new byte[100];
            int n = await ReadAsync(client, buffer, "py:from-buses".Length);
            Assert.Equal("py:from-buses", Encoding.ASCII.GetString(buffer, 0, n));
            TipcSocketAddress us = client.LocalAddress;
            TipcSocketAddress them = client.PeerAddress;
            client.Dispose();
            python.WaitForExit(expectSuccess: true);
            Assert.Equal("from-buses", TipcPeer.Data(python.Lines));
            Assert.Equal(us, TipcPeer.Tuple(python.Lines, "peer").Socket);
            Assert.Equal(TipcPeer.Node, them.Node);
        }
    }

    [Fact]
    public void Multicast_to_a_range_reaches_every_bound_socket_on_both_nodes()
    {
        using var a = new TipcSocket(SocketType.Rdm) { Timeout = s_wait };
        using var b = new TipcSocket(SocketType.Rdm) { Timeout = s_wait };
        using TipcSocket c = TipcPeer.Run(() => new TipcSocket(SocketType.Rdm) { Timeout = s_wait });
        using var outside = new TipcSocket(SocketType.Rdm) { Timeout = TimeSpan.Zero };
        a.Bind(new TipcServiceRange(20010, 0, 10));
        b.Bind(new TipcServiceRange(20010, 5, 15));
        c.Bind(new TipcServiceRange(20010, 8, 8));
        outside.Bind(new TipcServiceRange(20010, 50, 60));
        TipcPeer.WaitForBinding(TipcServiceRange.Single(20010, 8));

        using var sender = new TipcSocket(SocketType.Rdm) { Timeout = s_wait };
        sender.SendTo("to-all"u8, new TipcServiceRange(20010, 6, 9));

        byte[] buffer = new byte[32];
        foreach (TipcSocket receiver in new[] { a, b, c })
        {
            TipcReceived r = receiver.Receive(buffer);
            Assert.Equal("to-all", Encoding.ASCII.GetString(buffer, 0, r.Length));
            Assert.Equal(new TipcServiceRange(20010, 6, 9), r.DestinationName);
            Assert.Equal(sender.LocalAddress, r.Sender);
        }

        Assert.Equal(Errno.EAGAIN, Assert.Throws<BusException>(() => outside.Receive(buffer)).Errno);
    }

    [Fact]
    public void Undeliverable_messages_come_back_rejected_with_the_reason_named()
    {
        using var sender = new TipcSocket(SocketType.Rdm) { Timeout = s_wait };
        sender.Importance = TipcImportance.Critical;
        sender.DestinationDroppable = false;
        Assert.Equal(TipcImportance.Critical, sender.Importance);
        byte[] buffer = new byte[64];

        // Looked up on the peer node, where nobody is bound: the peer sends it back.
        sender.SendTo("nobody-there"u8, new TipcServiceAddress(20020, 1, TipcPeer.Node));
        TipcReceived r = sender.Receive(buffer);
        Assert.Equal(TipcErrorCode.NoName, r.Rejection);
        Assert.Equal("nobody-there", Encoding.ASCII.GetString(buffer, 0, r.Length));
        Assert.Equal("nobody-there".Length, r.ReturnedLength);
        Assert.Equal(TipcServiceRange.Single(20020, 1), r.DestinationName);

        // A socket that has gone away.
        TipcSocketAddress gone;
        using (var closed = new TipcSocket(SocketType.Rdm))
        {
            gone = closed.LocalAddress;
        }

        sender.SendTo("too-late"u8, gone);
        r = sender.Receive(buffer);
        Assert.Equal(TipcErrorCode.NoPort, r.Rejection);
        Assert.Equal("too-late", Encoding.ASCII.GetString(buffer, 0, r.Length));
        Assert.Null(r.DestinationName);

        // Looked up here: the kernel refuses the send itself.
        Assert.Equal(Errno.EHOSTUNREACH, Assert.Throws<BusException>(() => sender.SendTo("x"u8, new TipcServiceAddress(20020, 1))).Errno);
    }

    [Fact]
    public async Task Topology_sees_the_peers_bind_and_unbind_in_both_byte_orders()
    {
        using TipcSocket peer = TipcPeer.Run(() => new TipcSocket(SocketType.Rdm));
        using TipcTopology host = TipcTopology.Open(TipcByteOrder.Host);
        using TipcTopology network = await TipcTopology.OpenAsync(TipcByteOrder.Network, TestContext.Current.CancellationToken);
        host.Timeout = network.Timeout = s_wait;
        var range = new TipcServiceRange(20030, 0, 99);
        TipcSubscription hs = host.Subscribe(range, TipcSubscriptionFilter.Ports | TipcSubscriptionFilter.NoStatus);
        TipcSubscription ns = await network.SubscribeAsync(range, TipcSubscriptionFilter.Ports | TipcSubscriptionFilter.NoStatus, TimeSpan.FromMinutes(10), TestContext.Current.CancellationToken);
        TipcSubscription nodes = host.Subscribe(TipcTopology.Nodes, TipcSubscriptionFilter.Ports);

        // Both nodes are up, this one included.
        TipcEvent[] up = [host.Receive(), host.Receive()];
        Assert.All(up, e => Assert.Equal((true, TipcEventKind.Published, nodes), (e.IsNodeEvent, e.Kind, e.Subscription)));
        Assert.Equal(new[] { TipcPeer.LocalNode, TipcPeer.Node }.OrderBy(n => n.Value), up.Select(e => e.Node).OrderBy(n => n.Value));
        host.Cancel(nodes);

        peer.Bind(new TipcServiceRange(20030, 10, 20));
        peer.Unbind(new TipcServiceRange(20030, 10, 20));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(s_wait);
        foreach ((TipcTopology topology, TipcSubscription s) in new[] { (host, hs), (network, ns) })
        {
            var events = new List<TipcEvent>();
            await foreach (TipcEvent e in topology.EventsAsync(cts.Token))
            {
                events.Add(e);
                if (events.Count == 2)
                {
                    break;
                }
            }

            Assert.Equal([TipcEventKind.Published, TipcEventKind.Withdrawn], events.Select(e => e.Kind));
            Assert.All(events, e => Assert.Equal((10u, 20u, s, TipcPeer.Node), (e.FoundLower, e.FoundUpper, e.Subscription, e.Port.Node)));
        }

        Assert.Equal(TipcByteOrder.Network, ns.ByteOrder);
    }

    [Fact]
    public void A_subscription_with_a_timeout_ends_with_a_timeout_event()
    {
        Testbed.Require(Capability.Tipc);
        using TipcTopology topology = TipcTopology.Open();
        topology.Timeout = s_wait;
        TipcSubscription s = topology.Subscribe(new TipcServiceRange(20040, 0, 1), TipcSubscriptionFilter.Service, TimeSpan.FromMilliseconds(1));
        TipcEvent e = topology.Receive();
        Assert.Equal((TipcEventKind.SubscriptionTimeout, s), (e.Kind, e.Subscription));
    }

    [Fact]
    public void A_group_of_three_across_the_nodes_delivers_every_kind_of_send_and_reports_members()
    {
        var group = new TipcServiceAddress(20050, 1);
        using TipcGroup a = TipcGroup.Join(group);
        using TipcGroup b = TipcGroup.Join(group with { Instance = 2 }, memberEvents: false);
        using TipcGroup c = TipcPeer.Run(() => TipcGroup.Join(group with { Instance = 2 }, memberEvents: false));
        a.Timeout = b.Timeout = c.Timeout = s_wait;
        byte[] buffer = new byte[64];

        // A sees both others come up, with their socket and member addresses.
        var up = new Dictionary<TipcSocketAddress, TipcServiceAddress>();
        while (up.Count < 2)
        {
            TipcReceived e = a.Receive(buffer);
            Assert.True(e.IsMemberEvent && !e.IsMemberDown);
            up[e.Sender!.Value] = e.Member!.Value;
        }

        Assert.Equal(up[b.LocalAddress], group with { Instance = 2 });
        Assert.Equal(up[c.LocalAddress], group with { Instance = 2 });

        a.Broadcast("all"u8);
        a.Multicast("twos"u8, 2);
        foreach (TipcGroup member in new[] { b, c })
        {
            Assert.Equal("all", Text(member, buffer));
            Assert.Equal("twos", Text(member, buffer));
        }

        a.Unicast("just-c"u8, c.LocalAddress);
        Assert.Equal("just-c", Text(c, buffer));

        a.Anycast("one-of"u8, 2);
        b.Timeout = c.Timeout = TimeSpan.Zero;
        int got = 0;
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); got == 0 && clock.Elapsed < s_wait; Thread.Sleep(50))
        {
            foreach (TipcGroup member in new[] { b, c })
            {
                try
                {
                    TipcReceived r = member.Receive(buffer);
                    Assert.Equal("one-of", Encoding.ASCII.GetString(buffer, 0, r.Length));
                    Assert.Equal(group, r.Member);
                    got++;
                }
                catch (BusException ex) when (ex.Errno == Errno.EAGAIN)
                {
                }
            }
        }

        Assert.Equal(1, got);

        TipcSocketAddress leaving = c.LocalAddress;
        c.Leave();
        TipcReceived down = a.Receive(buffer);
        Assert.True(down.IsMemberDown);
        Assert.Equal(leaving, down.Sender);
    }

    [Fact]
    public void Several_bindings_one_withdrawn_then_all()
    {
        Testbed.Require(Capability.Tipc);
        using var server = new TipcSocket(SocketType.Rdm) { Timeout = s_wait };
        using var client = new TipcSocket(SocketType.Rdm) { Timeout = s_wait };
        server.Bind(new TipcServiceAddress(20060, 1));
        server.Bind(new TipcServiceRange(20060, 10, 19, TipcScope.Node));
        server.Bind(new TipcServiceRange(20061, 0, 5));
        server.Unbind(new TipcServiceRange(20060, 10, 19, TipcScope.Node));

        byte[] buffer = new byte[16];
        client.SendTo("a"u8, new TipcServiceAddress(20060, 1));
        Assert.Equal(1, server.Receive(buffer).Length);
        Assert.Equal(Errno.EHOSTUNREACH, Assert.Throws<BusException>(() => client.SendTo("b"u8, new TipcServiceAddress(20060, 15))).Errno);
        Assert.Equal(Errno.EINVAL, Assert.Throws<BusException>(() => server.Unbind(new TipcServiceRange(20060, 10, 19))).Errno);

        server.UnbindAll();
        Assert.Equal(Errno.EHOSTUNREACH, Assert.Throws<BusException>(() => client.SendTo("c"u8, new TipcServiceAddress(20061, 3))).Errno);

        // Refused before the kernel sees them.
        Assert.Throws<ArgumentOutOfRangeException>(() => server.Bind(new TipcServiceRange(63, 0, 0)));
    }

    [Fact]
    public void Options_read_back_what_was_set()
    {
        Testbed.Require(Capability.Tipc);
        using var s = new TipcSocket(SocketType.Seqpacket);
        s.SourceDroppable = true;
        s.DestinationDroppable = true;
        s.ConnectionTimeout = TimeSpan.FromMilliseconds(1234);
        s.Importance = TipcImportance.High;
        s.SetNoDelay(true);
        using var rdm = new TipcSocket(SocketType.Rdm);
        rdm.SetMulticastMethod(TipcMulticastMethod.Replicast);
        rdm.SetMulticastMethod(TipcMulticastMethod.Broadcast);
        Assert.Equal((true, true, 1234.0, TipcImportance.High), (s.SourceDroppable, s.DestinationDroppable, s.ConnectionTimeout.TotalMilliseconds, s.Importance));
        Assert.Equal((0, 0, 0), (s.NodeReceiveQueueDepth, s.SocketReceiveQueueDepth, s.SocketReceiveQueueUsed));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Importance = (TipcImportance)4);
    }

    [Fact]
    public void Steady_state_rdm_send_and_receive_allocate_nothing()
    {
        Testbed.Require(Capability.Tipc);
        using var server = new TipcSocket(SocketType.Rdm) { Timeout = s_wait };
        using var client = new TipcSocket(SocketType.Rdm) { Timeout = s_wait };
        server.Bind(TipcServiceRange.Single(20080, 1));
        TipcAddress to = new TipcServiceAddress(20080, 1);
        byte[] payload = new byte[64];
        byte[] buffer = new byte[256];
        int total = 0;
        for (int i = 0; i < 20; i++)
        {
            client.SendTo(payload, to);
            total += server.Receive(buffer).Length;
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            client.SendTo(payload, to);
            total += server.Receive(buffer).Length;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(120 * 64, total);
    }

    [Fact]
    public void Undisposed_sockets_topologies_and_groups_are_finalized_and_their_descriptors_closed()
    {
        Testbed.Require(Capability.Tipc);
        // Once first, so what the process opens once (the readiness engine's epoll descriptor, when no
        // test before this one awaited) is not counted as a leak.
        Abandon();
        Settle();
        int before = OpenDescriptors();
        Abandon();
        Settle();

        Assert.True(OpenDescriptors() <= before, $"{OpenDescriptors() - before} descriptors left open");
    }

    private static void Settle()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Abandon()
    {
        for (int i = 0; i < 10; i++)
        {
            var s = new TipcSocket(SocketType.Rdm);
            s.Bind(new TipcServiceAddress(20070, (uint)i));
            _ = TipcTopology.Open();
            _ = TipcGroup.Join(new TipcServiceAddress(20071, (uint)i));
        }
    }

    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    private static string Text(TipcGroup member, byte[] buffer) => Encoding.ASCII.GetString(buffer, 0, TipcPeer.ReceiveData(member, buffer).Length);

    private static async Task<int> ReadAsync(TipcSocket socket, byte[] buffer, int count)
    {
        int n = 0;
        while (n < count)
        {
            TipcReceived r = await socket.ReceiveAsync(buffer.AsMemory(n), TestContext.Current.CancellationToken);
            Assert.False(r.IsRejected, $"connection ended: {r.Rejection}");
            Assert.NotEqual(0, r.Length);
            n += r.Length;
        }

        return n;
    }
}
