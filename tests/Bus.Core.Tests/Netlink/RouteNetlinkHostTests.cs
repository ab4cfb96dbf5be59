using Buses.Netlink;
using Xunit;

namespace Buses.Tests.Netlink;

/// <summary>
/// Route and generic netlink against this host's kernel, each test in its own network namespace.
/// Needs root; the host has veth and network namespaces (no vcan, no CAN).
/// </summary>
public class RouteNetlinkHostTests
{
    private static readonly TimeSpan s_safety = TimeSpan.FromSeconds(20);

    [Fact]
    public void Veth_pair_lifecycle_with_events()
    {
        using var ns = new TestNamespace();
        (RouteNetlink rt, LinkMonitor monitor) = ns.Run(() => (new RouteNetlink(), new LinkMonitor()));
        using (rt)
        using (monitor)
        {
            monitor.Socket.Socket.Timeout = s_safety;
            rt.AddVethPair("bt0", "bt1");
            LinkInfo a = rt.GetLink("bt0");
            LinkInfo b = rt.GetLink("bt1");
            Assert.Equal("veth", a.Kind);
            Assert.Equal("veth", b.Kind);
            Assert.Equal(b.Index, a.ParentIndex);
            Assert.Equal(a.Index, b.ParentIndex);
            Assert.Equal(6, a.Address.Length);
            Assert.Equal(1, a.HardwareType);
            Assert.False(a.IsUp);
            Assert.NotNull(a.Statistics);

            rt.SetMtu("bt0", 1400);
            rt.SetUp("bt0");
            rt.SetUp("bt1");
            a = rt.GetLink(a.Index);
            Assert.Equal(1400u, a.Mtu);
            Assert.True(a.IsUp);
            Assert.True(rt.GetLink("bt1").IsUp);

            rt.SetUp("bt1", up: false);
            rt.SetName("bt1", "bt1renamed");
            Assert.Equal(b.Index, rt.GetLink("bt1renamed").Index);

            IReadOnlyList<LinkInfo> all = rt.ListLinks();
            Assert.Equal(["bt0", "bt1renamed", "lo"], all.Select(l => l.Name).Order(StringComparer.Ordinal));

            rt.DeleteLink("bt0");
            BusException gone = Assert.Throws<BusException>(() => rt.GetLink("bt0"));
            Assert.Equal(Errno.ENODEV, gone.Errno);
            Assert.Throws<BusException>(() => rt.GetLink("bt1renamed"));

            // The monitor joined before the first request, so it saw every step in order.
            var seen = new List<LinkEvent>();
            while (!seen.Any(e => e.Kind == LinkEventKind.Deleted && e.Link.Name == "bt0"))
            {
                seen.AddRange(monitor.Receive());
            }

            Assert.Contains(seen, e => e.Kind == LinkEventKind.NewOrChanged && e.Link.Name == "bt0" && e.Link.Mtu == 1400);
            Assert.Contains(seen, e => e.Kind == LinkEventKind.NewOrChanged && e.Link.Name == "bt0" && e.Link.IsUp);
            Assert.Contains(seen, e => e.Kind == LinkEventKind.NewOrChanged && e.Link.Name == "bt1renamed");
        }
    }

    [Fact]
    public async Task Async_list_add_and_event_stream()
    {
        using var ns = new TestNamespace();
        using RouteNetlink rt = ns.Run(() => new RouteNetlink());
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(s_safety);
        // The stream's socket must be created inside the namespace too: start it on the namespace thread.
        IAsyncEnumerator<LinkEvent> events = ns.Run(() =>
        {
            IAsyncEnumerator<LinkEvent> e = RouteNetlink.MonitorLinksAsync(cts.Token).GetAsyncEnumerator(cts.Token);
            return e;
        });
        await using (events)
        {
            // The enumerator creates its socket on first MoveNextAsync; run that first step in the namespace.
            ValueTask<bool> first = ns.Run(() => events.MoveNextAsync());
            await rt.AddLinkAsync("ba0", "veth", cancellationToken: cts.Token);
            Assert.True(await first);
            Assert.Contains(events.Current.Link.Name, new[] { "ba0", "veth0", "veth1" });
            IReadOnlyList<LinkInfo> links = await rt.ListLinksAsync(cts.Token);
            Assert.Contains(links, l => l.Name == "ba0");
            Assert.Equal("veth", (await rt.GetLinkAsync("ba0", cts.Token)).Kind);

            await rt.AddPairAsync("bb0", "veth", "bb1", cts.Token);
            await rt.SetMtuAsync("bb0", 1280, cts.Token);
            await rt.SetNameAsync("bb1", "bb2", cts.Token);
            await rt.SetUpAsync("bb0", true, cts.Token);
            LinkInfo bb0 = await rt.GetLinkAsync("bb0", cts.Token);
            Assert.Equal(1280u, bb0.Mtu);
            Assert.True(bb0.IsUp);
            Assert.Equal(bb0.ParentIndex, (await rt.GetLinkAsync("bb2", cts.Token)).Index);
            await rt.DeleteLinkAsync("bb0", cts.Token);
            Assert.Equal(Errno.ENODEV, (await Assert.ThrowsAsync<BusException>(async () => await rt.GetLinkAsync("bb2", cts.Token))).Errno);
        }
    }

    [Fact]
    public void Unknown_kind_reports_kernel_text()
    {
        using var ns = new TestNamespace();
        using RouteNetlink rt = ns.Run(() => new RouteNetlink());
        BusException e = Assert.Throws<BusException>(() => rt.AddLink("bogus0", "busesnokind"));
        Assert.Equal(Errno.EOPNOTSUPP, e.Errno);
        Assert.Equal("Unknown device type", e.Detail);
        Assert.Contains("RTM_NEWLINK(bogus0): EOPNOTSUPP (95)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vcan_on_this_host_is_unknown_unless_the_module_is_loaded()
    {
        using var ns = new TestNamespace();
        using RouteNetlink rt = ns.Run(() => new RouteNetlink());
        if (Directory.Exists("/sys/module/vcan"))
        {
            rt.AddLink("vcan0", "vcan");
            Assert.Equal("vcan", rt.GetLink("vcan0").Kind);
            return;
        }

        BusException e = Assert.Throws<BusException>(() => rt.AddLink("vcan0", "vcan"));
        Assert.Equal(Errno.EOPNOTSUPP, e.Errno);
        Assert.Equal("Unknown device type", e.Detail);
    }

    [Fact]
    public void Invalid_mtu_carries_extended_ack_text()
    {
        using var ns = new TestNamespace();
        using RouteNetlink rt = ns.Run(() => new RouteNetlink());
        rt.AddVethPair("bm0", "bm1");
        BusException e = Assert.Throws<BusException>(() => rt.SetMtu("bm0", 10));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.NotNull(e.Detail);
        Assert.Contains("mtu", e.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Missing_link_is_enodev()
    {
        using var ns = new TestNamespace();
        using RouteNetlink rt = ns.Run(() => new RouteNetlink());
        Assert.Equal(Errno.ENODEV, Assert.Throws<BusException>(() => rt.GetLink("nosuch0")).Errno);
        Assert.Equal(Errno.ENODEV, Assert.Throws<BusException>(() => rt.DeleteLink(99999)).Errno);
        Assert.Equal(Errno.ENODEV, Assert.Throws<BusException>(() => rt.SetUp("nosuch0")).Errno);
    }

    [Fact]
    public void Without_net_admin_the_kernel_says_eperm()
    {
        using var ns = new TestNamespace();
        BusException e = ns.Run(() =>
        {
            TestNamespace.DropNetAdminOnThisThread();
            using var rt = new RouteNetlink();
            return Assert.Throws<BusException>(() => rt.AddVethPair("bp0", "bp1"));
        });
        Assert.Equal(Errno.EPERM, e.Errno);
    }

    [Fact]
    public void Long_name_is_rejected_before_any_syscall()
    {
        using var rt = new RouteNetlink();
        ArgumentException e = Assert.Throws<ArgumentException>(() => rt.AddVethPair("sixteen-bytes-xx", "p"));
        Assert.Contains("16 bytes", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, rt.Socket.UnmatchedMessages);
    }

    [Fact]
    public void Move_link_to_another_namespace()
    {
        using var ns1 = new TestNamespace();
        using var ns2 = new TestNamespace();
        using RouteNetlink rt1 = ns1.Run(() => new RouteNetlink());
        using RouteNetlink rt2 = ns2.Run(() => new RouteNetlink());
        rt1.AddVethPair("bn0", "bn1");
        rt1.SetNamespace("bn1", ns2.Path);
        Assert.Equal(Errno.ENODEV, Assert.Throws<BusException>(() => rt1.GetLink("bn1")).Errno);
        Assert.Equal("veth", rt2.GetLink("bn1").Kind);
    }

    [Fact]
    public void Multicast_overrun_is_reported_as_enobufs()
    {
        using var ns = new TestNamespace();
        (RouteNetlink rt, LinkMonitor monitor) = ns.Run(() => (new RouteNetlink(), new LinkMonitor()));
        using (rt)
        using (monitor)
        {
            monitor.Socket.Socket.ReceiveBufferSize = 1; // the kernel rounds up to its minimum
            rt.AddVethPair("bo0", "bo1");
            for (int i = 0; i < 50; i++)
            {
                rt.SetUp("bo0", i % 2 == 0);
            }

            monitor.Socket.Socket.Timeout = TimeSpan.Zero;
            BusException e = Assert.Throws<BusException>(() => DrainForever(monitor));
            Assert.Equal(Errno.ENOBUFS, e.Errno);
            Assert.Contains("overrun", e.Detail, StringComparison.Ordinal);
        }
    }

    private static void DrainForever(LinkMonitor monitor)
    {
        while (true)
        {
            monitor.Receive();
        }
    }

    [Fact]
    public void Generic_netlink_resolves_the_controller()
    {
        using var genl = new GenericNetlink();
        GenericNetlinkFamily ctrl = genl.ResolveFamily("nlctrl");
        Assert.Equal(GenericNetlink.ControllerId, ctrl.Id);
        Assert.True(ctrl.MulticastGroups.ContainsKey("notify"));
        Assert.Equal(Errno.ENOENT, Assert.Throws<BusException>(() => genl.ResolveFamily("busesnofamily")).Errno);
        Assert.Equal("nlctrl", genl.ResolveFamily("nlctrl").Name);
        // Each reply's trailing ACK was consumed by its own request, not left for the next one.
        Assert.Equal(0, genl.Socket.UnmatchedMessages);
    }

    [Fact]
    public async Task Generic_netlink_resolves_async()
    {
        using var genl = new GenericNetlink();
        GenericNetlinkFamily ctrl = await genl.ResolveFamilyAsync("nlctrl", TestContext.Current.CancellationToken);
        Assert.Equal("nlctrl", ctrl.Name);
    }
}
