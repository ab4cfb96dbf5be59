using System.Runtime.CompilerServices;
using Buses.Bluetooth;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Bluetooth;

public class FilterTests
{
    [Fact]
    public void Filter_is_16_bytes_and_sets_the_bits_hci_lib_sets()
    {
        Assert.Equal(16, Unsafe.SizeOf<HciFilter>());
        HciFilter filter = default(HciFilter).WithPacketType(HciPacketType.Event).WithEvent(0x0E).WithEvent(0x3E).WithPacketType(HciPacketType.Vendor);
        Assert.Equal((1u << 4) | 1u, filter.TypeMask);
        Assert.Equal(1u << 0x0E, filter.EventMaskLow);
        Assert.Equal(1u << (0x3E - 32), filter.EventMaskHigh);
    }

    [Fact]
    public void Every_event_code_set_is_seen_as_passing_and_no_other() =>
        Prop.ForAll(Gen.Choose(0, 63).ToArbitrary(), Gen.Choose(0, 63).ToArbitrary(), (a, b) =>
        {
            HciFilter filter = default(HciFilter).WithEvent((byte)a);
            return filter.PassesEvent((byte)a) && filter.PassesEvent((byte)b) == (a == b);
        }).QuickCheckThrowOnFailure();
}
