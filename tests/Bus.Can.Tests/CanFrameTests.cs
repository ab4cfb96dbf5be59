using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Buses.Can;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Can;

public class CanFrameTests
{
    [Fact]
    public void Sizes_match_the_kernel_structs()
    {
        Assert.Equal(16, Unsafe.SizeOf<CanFrame>());
        Assert.Equal(72, Unsafe.SizeOf<CanFdFrame>());
        Assert.Equal(2060, Unsafe.SizeOf<CanXlFrame>());
        Assert.Equal(8, Unsafe.SizeOf<CanFilter>());
    }

    [Fact]
    public void Classic_frame_bytes_are_struct_can_frame()
    {
        var frame = new CanFrame(CanId.Extended(0x12345), [1, 2, 3, 4, 5, 6, 7, 8], dlc: 0xB);
        byte[] bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<CanFrame>(in frame)).ToArray();
        Assert.Equal(Convert.FromHexString("45230180" + "08" + "00" + "00" + "0B" + "0102030405060708"), bytes);
        Assert.Equal(0xB, frame.Dlc);
        Assert.Equal(8, frame.Length);
    }

    [Fact]
    public void Fd_frame_bytes_are_struct_canfd_frame_with_fdf_set()
    {
        var frame = new CanFdFrame(CanId.Standard(0x123), new byte[12], CanFdFlags.BitRateSwitch);
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<CanFdFrame>(in frame));
        Assert.Equal(Convert.FromHexString("23010000" + "0C" + "05" + "0000"), bytes[..8].ToArray());
        Assert.Equal(9, frame.Dlc);
    }

    [Fact]
    public void Xl_frame_header_is_struct_canxl_frame()
    {
        var frame = new CanXlFrame(0x242, [0x11, 0x22, 0x33], serviceDataUnitType: 0x07, acceptanceField: 0x40000123, flags: CanXlFlags.SimpleExtendedContent, virtualCanId: 0x45);
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<CanXlFrame>(in frame));
        Assert.Equal(Convert.FromHexString("42024500" + "81" + "07" + "0300" + "23010040" + "112233"), bytes[..15].ToArray());
        Assert.Equal(15, frame.WireLength);
        Assert.Equal(0x45, frame.VirtualCanId);
        Assert.Equal(0x242, frame.Priority);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(9)]
    [InlineData(63)]
    [InlineData(65)]
    public void Fd_length_rule_is_named(int length)
    {
        var ex = Assert.Throws<ArgumentException>(() => new CanFdFrame(CanId.Standard(1), new byte[length]));
        Assert.StartsWith($"CAN FD payload length {length} is not one of 0–8, 12, 16, 20, 24, 32, 48, 64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_values_are_named()
    {
        Assert.Contains("0x800", Assert.Throws<ArgumentOutOfRangeException>(() => CanId.Standard(0x800)).Message, StringComparison.Ordinal);
        Assert.Contains("0x20000000", Assert.Throws<ArgumentOutOfRangeException>(() => CanId.Extended(0x20000000)).Message, StringComparison.Ordinal);
        Assert.Contains("length 9", Assert.Throws<ArgumentException>(() => new CanFrame(CanId.Standard(1), new byte[9])).Message, StringComparison.Ordinal);
        Assert.Contains("DLC 12", Assert.Throws<ArgumentOutOfRangeException>(() => new CanFrame(CanId.Standard(1), new byte[7], 12)).Message, StringComparison.Ordinal);
        Assert.Contains("length 0", Assert.Throws<ArgumentException>(() => new CanXlFrame(1, [])).Message, StringComparison.Ordinal);
        Assert.Contains("priority 0x800", Assert.Throws<ArgumentOutOfRangeException>(() => new CanXlFrame(0x800, [1])).Message, StringComparison.Ordinal);
        Assert.Contains("remote", Assert.Throws<ArgumentException>(() => new CanFdFrame(CanId.Standard(1, remote: true), [])).Message, StringComparison.Ordinal);
        Assert.Contains("bit 29", Assert.Throws<ArgumentException>(() => new CanFilter(0x20000001, 0)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Remote_frame_has_length_but_no_data()
    {
        CanFrame frame = CanFrame.Remote(CanId.Standard(0x333), 8, dlc: 0xE);
        Assert.True(frame.IsRemote);
        Assert.Equal(8, frame.Length);
        Assert.Equal(0xE, frame.Dlc);
        Assert.True(frame.Data.IsEmpty);
        Assert.Equal("333R [8:E]", frame.ToString());
    }

    [Fact]
    public void Padded_fd_frame_rounds_up_like_cansend()
    {
        CanFdFrame frame = CanFdFrame.Padded(CanId.Standard(0x123), new byte[13]);
        Assert.Equal(16, frame.Length);
        Assert.Equal(CanFdFlags.FdFormat, frame.Flags);
    }

    [Fact]
    public void Fd_length_and_dlc_round_trip() =>
        Prop.ForAll(Gen.Choose(0, 15).ToArbitrary(), dlc => CanDlc.FromFdLength(CanDlc.ToFdLength(dlc)) == dlc).QuickCheckThrowOnFailure();

    [Fact]
    public void Fd_round_up_is_the_smallest_valid_length_not_below() =>
        Prop.ForAll(Gen.Choose(0, 64).ToArbitrary(), length =>
        {
            int up = CanDlc.RoundUpFdLength(length);
            return up >= length && CanDlc.IsValidFdLength(up) && Enumerable.Range(length, up - length).All(l => !CanDlc.IsValidFdLength(l));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Classic_frame_keeps_any_payload_and_id() =>
        Prop.ForAll(
            Gen.Choose(0, 0x7FF).ToArbitrary(),
            Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Where(a => a.Length <= 8).ToArbitrary(),
            (id, data) =>
            {
                var frame = new CanFrame(CanId.Standard((uint)id), data);
                CanFrame copy = MemoryMarshal.Read<CanFrame>(MemoryMarshal.AsBytes(new ReadOnlySpan<CanFrame>(in frame)));
                return copy == frame && copy.Data.SequenceEqual(data) && copy.Id.Value == (uint)id && !copy.Id.IsExtended;
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void Filter_matches_the_kernel_rule()
    {
        CanFilter exact = CanFilter.Exact(CanId.Standard(0x123));
        Assert.True(exact.Passes(CanId.Standard(0x123)));
        Assert.False(exact.Passes(CanId.Extended(0x123)));
        Assert.False(exact.Passes(CanId.Standard(0x123, remote: true)));
        var loose = new CanFilter(0x123, 0x7FF);
        Assert.True(loose.Passes(CanId.Extended(0x1F000123)));
        var inverted = new CanFilter(0x123, 0x7FF, inverted: true);
        Assert.False(inverted.Passes(CanId.Standard(0x123)));
        Assert.True(inverted.Passes(CanId.Standard(0x124)));
        Assert.Equal("00000123~000007FF", inverted.ToString());
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<CanFilter>(in inverted));
        Assert.Equal(Convert.FromHexString("23010020FF070000"), bytes.ToArray());
    }
}
