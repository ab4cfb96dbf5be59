using System.Buffers.Binary;
using Buses.Can;
using Xunit;

namespace Buses.Tests.Can;

public class J1939MessageTests
{
    [Fact]
    public void Metadata_of_one_recvmsg_lands_in_the_message_info()
    {
        byte[] control = new byte[256];
        var writer = new ControlMessageWriter(control);
        writer.Add(SocketLevel.CanJ1939, ControlMessageType.J1939.DestinationAddress, [0x42]);
        byte[] name = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(name, 0xA0B0C0D0E0F00102);
        writer.Add(SocketLevel.CanJ1939, ControlMessageType.J1939.DestinationName, name);
        writer.Add(SocketLevel.CanJ1939, ControlMessageType.J1939.Priority, [3]);
        byte[] timespec = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(timespec, 1700000000);
        BinaryPrimitives.WriteInt64LittleEndian(timespec.AsSpan(8), 123456789);
        writer.Add(SocketLevel.Socket, ControlMessageType.TimestampNanoseconds, timespec);
        int controlLength = writer.Written.Length;

        byte[] sockaddr = new byte[24];
        new J1939Address(CanAddress.FromIndex(4), 0x90, 0x12300, 0x55).Encode(sockaddr);

        J1939MessageInfo info = J1939Socket.Describe(new ReceivedMessage(100, controlLength, 24, MessageFlags.None), control.AsSpan(0, controlLength), sockaddr);
        Assert.Equal(100, info.Length);
        Assert.Equal(0x42, info.DestinationAddress);
        Assert.Equal(0xA0B0C0D0E0F00102UL, info.DestinationName);
        Assert.Equal(3, info.Priority);
        Assert.Equal(new SocketTimestamp(1700000000, 123456789), info.Timestamp);
        Assert.Equal(new J1939Address(CanAddress.FromIndex(4), 0x90, 0x12300, 0x55), info.Source);
        Assert.False(info.IsBroadcast);
        Assert.False(info.Truncated);
    }

    [Fact]
    public void A_message_without_destination_is_broadcast_and_an_unnamed_sender_does_not_throw()
    {
        J1939MessageInfo info = J1939Socket.Describe(new ReceivedMessage(8, 0, 0, MessageFlags.Truncated), [], []);
        Assert.True(info.IsBroadcast);
        Assert.True(info.Truncated);
        Assert.Equal(default, info.Source);
    }

    [Fact]
    public void Transmit_abort_report_names_the_reason_and_bytes_acknowledged()
    {
        byte[] control = new byte[512];
        var writer = new ControlMessageWriter(control);
        byte[] ee = new byte[44];
        BinaryPrimitives.WriteUInt32LittleEndian(ee, (uint)Errno.EHOSTUNREACH);
        ee[4] = 1; // SO_EE_ORIGIN_LOCAL
        BinaryPrimitives.WriteUInt32LittleEndian(ee.AsSpan(8), 1); // J1939_EE_INFO_TX_ABORT
        BinaryPrimitives.WriteUInt32LittleEndian(ee.AsSpan(12), 7); // tskey
        writer.Add(SocketLevel.CanJ1939, ControlMessageType.J1939.ErrorQueue, ee);
        byte[] stats = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(stats, 8);
        BinaryPrimitives.WriteUInt16LittleEndian(stats.AsSpan(2), 1); // J1939_NLA_BYTES_ACKED
        BinaryPrimitives.WriteUInt32LittleEndian(stats.AsSpan(4), 63);
        writer.Add(SocketLevel.Socket, ControlMessageType.TimestampingOptionStats, stats);

        J1939TransferEvent report = J1939Socket.DescribeError(writer.Written);
        Assert.Equal(J1939TransferEventKind.TransmitAborted, report.Kind);
        Assert.Equal(Errno.EHOSTUNREACH, report.Error);
        Assert.Equal(7u, report.Key);
        Assert.Equal(63, report.BytesAcknowledged);
        Assert.Contains("timeout", report.AbortReason, StringComparison.Ordinal);
        Assert.Contains("after 63 bytes acknowledged", report.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, 1u, J1939TransferEventKind.TransmitStarted)]
    [InlineData(4, 2u, J1939TransferEventKind.TransmitCompleted)]
    [InlineData(1, 2u, J1939TransferEventKind.ReceiveStarted)]
    [InlineData(1, 3u, J1939TransferEventKind.ReceiveDataOffset)]
    [InlineData(1, 4u, J1939TransferEventKind.ReceiveAborted)]
    [InlineData(2, 0u, J1939TransferEventKind.Unknown)]
    public void Origin_and_info_select_the_kind(byte origin, uint info, J1939TransferEventKind kind)
    {
        byte[] control = new byte[128];
        var writer = new ControlMessageWriter(control);
        byte[] ee = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(ee, (uint)Errno.ENOMSG);
        ee[4] = origin;
        BinaryPrimitives.WriteUInt32LittleEndian(ee.AsSpan(8), info);
        writer.Add(SocketLevel.CanJ1939, ControlMessageType.J1939.ErrorQueue, ee);
        J1939TransferEvent report = J1939Socket.DescribeError(writer.Written);
        Assert.Equal(kind, report.Kind);
        Assert.Equal(-1, report.BytesAcknowledged);
        Assert.Equal(kind == J1939TransferEventKind.ReceiveAborted, report.AbortReason is not null);
    }

    [Fact]
    public void Filters_convert_to_the_kernel_layout_and_back()
    {
        var filter = new J1939Filter(0x1122, 0xFFFF, 0x0FEF1, 0x3FFFF, 0x80, 0xF0);
        Assert.Equal(filter, J1939Filter.FromKernel(filter.ToKernel()));
        Assert.Equal(32, System.Runtime.CompilerServices.Unsafe.SizeOf<Buses.Can.Interop.j1939_filter>());
    }
}
