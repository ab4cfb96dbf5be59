using System.Runtime.InteropServices;
using Buses.Can;
using Xunit;

namespace Buses.Tests.Can;

public sealed class CanWireTests
{
    private static byte[] Wire<T>(T frame)
        where T : unmanaged => MemoryMarshal.AsBytes(new ReadOnlySpan<T>(ref frame)).ToArray();

    private static byte[] XlWire(int length) =>
        Wire(new CanXlFrame(0x123, new byte[length]))[..(CanXlFrame.HeaderSize + length)];

    [Theory]
    [InlineData(1)]
    [InlineData(4)] // 16 bytes on the wire: a classic frame's size
    [InlineData(60)] // 72 bytes: an FD frame's size
    [InlineData(2048)]
    public void An_xl_frame_is_xl_whatever_its_size(int length)
    {
        Assert.Equal(CanFrameKind.Xl, CanWire.KindOf(XlWire(length)));
    }

    [Fact]
    public void Classic_and_fd_frames_are_told_apart_by_size()
    {
        Assert.Equal(CanFrameKind.Classic, CanWire.KindOf(Wire(new CanFrame(CanId.Standard(0x7FF), new byte[8]))));
        Assert.Equal(CanFrameKind.Fd, CanWire.KindOf(Wire(new CanFdFrame(CanId.Standard(0x7FF), new byte[64]))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(20)]
    [InlineData(12)] // an XL header without payload
    public void A_size_no_frame_has_is_named(int size)
    {
        var e = Assert.Throws<ArgumentException>(() => CanWire.KindOf(new byte[size]));
        Assert.Contains($"A CAN frame of {size} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_xl_frame_of_four_bytes_formats_as_xl_text()
    {
        char[] text = new char[CanFrameText.MaxLength];
        int n = CanFrameText.Format(XlWire(4), text);
        Assert.Equal("00123#80:00:00000000#00000000", new string(text, 0, n));
    }
}
