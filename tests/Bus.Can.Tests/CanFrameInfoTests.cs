using System.Runtime.InteropServices;
using Buses.Can;
using Xunit;

namespace Buses.Tests.Can;

public class CanFrameInfoTests
{
    private static byte[] Control(long seconds, long nanos, uint drops)
    {
        byte[] buffer = new byte[256];
        var writer = new ControlMessageWriter(buffer);
        writer.Add(SocketLevel.Socket, ControlMessageType.TimestampNanoseconds, MemoryMarshal.AsBytes<long>([seconds, nanos]));
        writer.Add(SocketLevel.Socket, ControlMessageType.ReceiveQueueOverflow, BitConverter.GetBytes(drops));
        return writer.Written.ToArray();
    }

    [Theory]
    [InlineData(MessageFlags.None, CanDirection.Received)]
    [InlineData(MessageFlags.DontRoute, CanDirection.Loopback)]
    [InlineData(MessageFlags.DontRoute | MessageFlags.Confirm, CanDirection.Transmitted)]
    public void Direction_comes_from_the_recvmsg_flags(MessageFlags flags, CanDirection expected)
    {
        uint last = 0;
        CanFrameInfo info = CanFrameInfo.Parse(16, new byte[16], Control(1, 2, 0), [], flags, ref last);
        Assert.Equal(expected, info.Direction);
    }

    [Fact]
    public void Timestamp_interface_and_drops_come_from_the_same_message()
    {
        byte[] address = new byte[24];
        CanAddress.FromIndex(4).Encode(address);
        uint last = 3;
        CanFrameInfo info = CanFrameInfo.Parse(72, new byte[72], Control(1_700_000_000, 123_456_789, 10), address, MessageFlags.None, ref last);
        Assert.Equal(CanFrameKind.Fd, info.Kind);
        Assert.Equal(4, info.InterfaceIndex);
        Assert.Equal(new SocketTimestamp(1_700_000_000, 123_456_789), info.Timestamp);
        Assert.Equal(10u, info.DropCount);
        Assert.Equal(7u, info.NewDrops);
        Assert.Equal(10u, last);
    }

    [Theory]
    [InlineData(16, 0x08, CanFrameKind.Classic)]
    [InlineData(72, 0x40, CanFrameKind.Fd)]
    [InlineData(16, 0x80, CanFrameKind.Xl)]
    [InlineData(72, 0x81, CanFrameKind.Xl)]
    [InlineData(2060, 0x80, CanFrameKind.Xl)]
    public void Kind_follows_length_and_the_xl_flag(int length, byte byte4, CanFrameKind expected)
    {
        byte[] data = new byte[length];
        data[4] = byte4;
        uint last = 0;
        Assert.Equal(expected, CanFrameInfo.Parse(length, data, [], [], MessageFlags.None, ref last).Kind);
    }
}
