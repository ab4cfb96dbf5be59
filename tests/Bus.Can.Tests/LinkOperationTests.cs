using Buses.Can;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Can;

public sealed class LinkOperationTests
{
    [Fact]
    public void Mtu_other_than_16_72_2060_is_refused_before_any_request_naming_the_rule()
    {
        // The interface does not exist: reaching the kernel would give ENODEV, not this.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => CanLink.SetMtu("nosuchcan0", 1500));
        Assert.Contains("CAN MTU 1500 is not one of 16 (classic), 72 (CAN FD), 2060 (CAN XL)", error.Message, StringComparison.Ordinal);
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), mtu =>
        {
            if (mtu is 16 or 72 or 2060)
            {
                return true;
            }

            try
            {
                CanLink.SetMtu("nosuchcan0", mtu);
                return false;
            }
            catch (ArgumentOutOfRangeException e)
            {
                return e.ParamName == "mtu";
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Async_mtu_check_also_precedes_any_request()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = CanLink.SetMtuAsync("nosuchcan0", 73, TestContext.Current.CancellationToken); });
    }

    [Fact]
    public void Empty_or_contradictory_settings_are_refused_before_any_request()
    {
        var empty = Assert.Throws<ArgumentException>(() => CanLink.Set("nosuchcan0", new CanLinkSettings()));
        Assert.Contains("empty", empty.Message, StringComparison.Ordinal);
        var both = new CanLinkSettings { BitTiming = new CanBitTiming(500_000, TimeQuantum: 100) };
        var contradiction = Assert.Throws<ArgumentException>(() => CanLink.Set("nosuchcan0", both));
        Assert.Contains("both a bitrate (500000) and a time quantum (100 ns)", contradiction.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CanLink.Set("bad name", new CanLinkSettings { Restart = true }));
    }

    [Fact]
    public void Frame_kind_and_mtu_map_both_ways()
    {
        foreach (CanFrameKind kind in Enum.GetValues<CanFrameKind>())
        {
            Assert.Equal(kind, CanLink.FrameKindOf((uint)CanLink.MtuOf(kind)));
        }

        Prop.ForAll(Gen.Choose(0, 70000).Select(i => (uint)i).ToArbitrary(), mtu =>
            CanLink.FrameKindOf(mtu) is CanFrameKind k ? CanLink.MtuOf(k) == mtu : mtu is not (16 or 72 or 2060)).QuickCheckThrowOnFailure();
    }
}
