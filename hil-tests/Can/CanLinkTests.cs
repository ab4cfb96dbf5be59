using Buses.Can;
using Buses.HilTests.Bed;
using Buses.Netlink;
using Testbed = Buses.HilTests.Bed.Bed;
using Xunit;

namespace Buses.HilTests.Can;

public sealed class CanLinkTests
{
    private static int s_next;

    // Unique per process and test, within the kernel's 15-character limit.
    private static string UniqueName(string prefix) =>
        $"{prefix}{Environment.ProcessId % 10000}x{Interlocked.Increment(ref s_next)}";

    private static void Log(string text) => TestContext.Current.TestOutputHelper?.WriteLine(text);

    [Fact]
    public void Vcan_is_created_read_switched_between_classic_fd_and_xl_set_up_and_down_and_deleted()
    {
        Testbed.Require(Capability.Can, Capability.Netlink);
        string name = UniqueName("tlv");
        CanLink.CreateVcan(name);
        try
        {
            CanLinkStatus created = CanLink.Get(name);
            Assert.Equal(name, created.Name);
            Assert.Equal("vcan", created.Kind);
            Assert.False(created.IsUp);
            Assert.Null(created.State);
            Assert.False(created.Can.HasControllerInfo);

            CanLink.SetMtu(name, CanLink.ClassicMtu);
            Assert.Equal(16u, CanLink.Get(name).Mtu);
            Assert.Equal(CanFrameKind.Classic, CanLink.Get(name).FrameKind);

            CanLink.SetMtu(name, CanLink.FdMtu);
            Assert.Equal(72u, CanLink.Get(name).Mtu);
            Assert.Equal(CanFrameKind.Fd, CanLink.Get(name).FrameKind);

            if (Testbed.Missing(Capability.CanXl) is null)
            {
                CanLink.SetFrameKind(name, CanFrameKind.Xl);
                Assert.Equal(2060u, CanLink.Get(name).Mtu);
                Assert.Equal(CanFrameKind.Xl, CanLink.Get(name).FrameKind);
            }
            else
            {
                Log($"CAN XL step not run: {Testbed.Missing(Capability.CanXl)}");
            }

            CanLink.SetUp(name);
            CanLinkStatus up = CanLink.Get(name);
            Assert.True(up.IsUp);
            Log(up.Format());

            // vcan refuses MTU changes while up; the kernel's errno comes through.
            var busy = Assert.Throws<BusException>(() => CanLink.SetMtu(name, CanLink.ClassicMtu));
            Assert.Equal(Errno.EBUSY, busy.Errno);

            CanLink.SetUp(name, up: false);
            Assert.False(CanLink.Get(name).IsUp);
        }
        finally
        {
            CanLink.Delete(name);
        }

        var gone = Assert.Throws<BusException>(() => CanLink.Get(name));
        Assert.Equal(Errno.ENODEV, gone.Errno);
    }

    [Fact]
    public async Task Async_operations_create_switch_and_delete_a_vcan()
    {
        Testbed.Require(Capability.Can, Capability.Netlink);
        CancellationToken ct = TestContext.Current.CancellationToken;
        string name = UniqueName("tla");
        await CanLink.CreateVcanAsync(name, ct);
        try
        {
            await CanLink.SetMtuAsync(name, CanLink.ClassicMtu, ct);
            await CanLink.SetUpAsync(name, true, ct);
            CanLinkStatus status = await CanLink.GetAsync(name, ct);
            Assert.Equal(16u, status.Mtu);
            Assert.True(status.IsUp);
            await CanLink.SetUpAsync(name, false, ct);
            Assert.False((await CanLink.GetAsync(name, ct)).IsUp);
        }
        finally
        {
            await CanLink.DeleteAsync(name, ct);
        }

        await Assert.ThrowsAsync<BusException>(async () => await CanLink.GetAsync(name, ct));
    }

    [Fact]
    public void Vxcan_pair_is_created_with_both_ends_and_deleted_together()
    {
        Testbed.Require(Capability.Vxcan, Capability.Netlink);
        string a = UniqueName("tlx"), b = UniqueName("tly");
        CanLink.CreateVxcanPair(a, b);
        try
        {
            CanLinkStatus first = CanLink.Get(a), second = CanLink.Get(b);
            Assert.Equal("vxcan", first.Kind);
            Assert.Equal("vxcan", second.Kind);
            Assert.Equal(second.Index, first.Link.ParentIndex);
            Assert.Equal(first.Index, second.Link.ParentIndex);
        }
        finally
        {
            CanLink.Delete(a);
        }

        Assert.Equal(Errno.ENODEV, Assert.Throws<BusException>(() => CanLink.Get(b)).Errno);
    }

    [Fact]
    public async Task Vxcan_pair_async_create_and_delete()
    {
        Testbed.Require(Capability.Vxcan, Capability.Netlink);
        CancellationToken ct = TestContext.Current.CancellationToken;
        string a = UniqueName("tlp"), b = UniqueName("tlq");
        await CanLink.CreateVxcanPairAsync(a, b, ct);
        Assert.Equal("vxcan", (await CanLink.GetAsync(b, ct)).Kind);
        await CanLink.DeleteAsync(b, ct);
        Assert.Equal(Errno.ENODEV, (await Assert.ThrowsAsync<BusException>(async () => await CanLink.GetAsync(a, ct))).Errno);
    }

    [Fact]
    public void Setting_a_bitrate_on_vcan_fails_with_the_kernels_errno()
    {
        Testbed.Require(Capability.Can, Capability.Netlink);
        string name = UniqueName("tlb");
        CanLink.CreateVcan(name);
        try
        {
            var settings = new CanLinkSettings { BitTiming = CanLinkSettings.FromBitrate(500_000) };
            var error = Assert.Throws<BusException>(() => CanLink.Set(name, settings));
            Log($"errno {error.ErrorName}; detail: {error.Detail ?? "(the kernel sent no extended-ACK text)"}; message: {error.Message}");
            Assert.Equal("EOPNOTSUPP", error.ErrorName);
            Assert.Equal("RTM_NEWLINK", error.Operation);
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            Assert.Contains(name, error.Message, StringComparison.Ordinal);

            var restart = Assert.Throws<BusException>(() => CanLink.Restart(name));
            Assert.Equal(Errno.EOPNOTSUPP, restart.Errno);
        }
        finally
        {
            CanLink.Delete(name);
        }
    }

    [Fact]
    public void Unknown_link_kind_error_carries_the_kernels_extended_ack_text()
    {
        Testbed.Require(Capability.Netlink);
        using var route = new RouteNetlink();
        var error = Assert.Throws<BusException>(() => route.AddLink(UniqueName("tlk"), "nosuchkind"));
        Log($"errno {error.ErrorName}; detail: {error.Detail}");
        Assert.Equal(Errno.EOPNOTSUPP, error.Errno);
        Assert.False(string.IsNullOrWhiteSpace(error.Detail));
    }

    [Fact]
    public void Bed_can_interface_reads_as_an_up_vcan_with_the_fd_mtu()
    {
        Testbed.Require(Capability.CanFd, Capability.Netlink);
        CanLinkStatus status = CanLink.Get(Testbed.CanInterface);
        Log(status.Format());
        Assert.Equal(Testbed.CanInterface, status.Name);
        Assert.Equal(Interfaces.IndexOf(Testbed.CanInterface), status.Index);
        Assert.Equal(72u, status.Mtu);
        Assert.Equal(CanFrameKind.Fd, status.FrameKind);
        Assert.True(status.IsUp);
        Assert.Contains($"{status.Index}: {Testbed.CanInterface}:", status.Format(), StringComparison.Ordinal);
        if (status.Kind == "vcan")
        {
            Assert.Null(status.State);
            Assert.Null(status.Can.Statistics);
        }
        else
        {
            // A real controller (BUSES_CAN_IF=can0) reports a state and its statistics.
            Assert.NotNull(status.State);
            Assert.NotNull(status.Can.Statistics);
        }
    }
}
