using System.Runtime.CompilerServices;
using Buses.Can;
using Buses.HilTests.Bed;
using Testbed = Buses.HilTests.Bed.Bed;
using Xunit;

namespace Buses.HilTests.Can;

public sealed class J1939SocketTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    private static byte[] Payload(int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    [Fact]
    public void Single_frame_tp_and_etp_messages_arrive_whole_with_their_metadata_and_session_reports()
    {
        // Across the vxcan pair, as between two ECUs: on one vcan Linux's J1939 stack times a local ETP transfer out.
        Testbed.Require(Capability.J1939, Capability.Vxcan);
        (string near, string iface) = Testbed.VxcanPair;
        using var receiver = new J1939Socket(new J1939Address(iface, 0x90)) { Timeout = s_wait };
        using var sender = new J1939Socket(new J1939Address(near, 0x80)) { Timeout = s_wait };
        sender.SendPriority = 3;
        Assert.Equal(3, sender.SendPriority);
        sender.ErrorQueue = true;
        byte[] buffer = new byte[J1939.MaxExtendedTransportLength / 1000];
        foreach (int length in new[] { 8, 1785, 100000 })
        {
            byte[] data = Payload(length, length);
            sender.SendTo(data, new J1939Address(CanAddress.Any, 0x90, 0x12300));
            J1939MessageInfo info = receiver.Receive(buffer);
            Assert.Equal(length, info.Length);
            Assert.Equal(data, buffer.AsSpan(0, length).ToArray());
            Assert.Equal(0x80, info.Source.Address);
            Assert.Equal(0x12300u, info.Source.Pgn);
            Assert.Equal(Interfaces.IndexOf(iface), info.Source.Interface.InterfaceIndex);
            Assert.Equal(0x90, info.DestinationAddress);
            Assert.Equal(3, info.Priority);
            Assert.True(info.Timestamp.IsSet);
            // Every send is a session to the kernel, a single frame too: each ends with a completion report.
            J1939TransferEvent report;
            do
            {
                report = sender.ReceiveTransferEvent();
            }
            while (report.Kind == J1939TransferEventKind.TransmitStarted);

            Assert.Equal(J1939TransferEventKind.TransmitCompleted, report.Kind);
            Assert.Equal(length, report.BytesAcknowledged);
        }
    }

    [Fact]
    public async Task Async_receive_and_pgn_filter_pass_only_the_chosen_pgn()
    {
        Testbed.Require(Capability.J1939);
        string iface = Testbed.CanInterface;
        using var receiver = new J1939Socket(new J1939Address(iface, 0x91)) { Broadcast = true };
        receiver.SetFilters([J1939Filter.ForPgn(0x0FEF1)]);
        using var sender = new J1939Socket(new J1939Address(iface, 0x81));
        sender.Broadcast = true;
        using var timeout = new CancellationTokenSource(s_wait);
        await sender.SendToAsync(new byte[] { 1 }, new J1939Address(CanAddress.Any, 0x91, 0x12300), timeout.Token);
        await sender.SendToAsync(new byte[] { 2, 2 }, new J1939Address(CanAddress.Any, J1939.NoAddress, 0x0FEF1), timeout.Token);
        byte[] buffer = new byte[16];
        J1939MessageInfo info = await receiver.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(2, info.Length);
        Assert.Equal(0x0FEF1u, info.Source.Pgn);
        Assert.True(info.IsBroadcast);
    }

    [Fact]
    public void Broadcast_without_so_broadcast_fails_with_eacces_and_no_source_is_refused_before_the_syscall()
    {
        Testbed.Require(Capability.J1939);
        string iface = Testbed.CanInterface;
        using var sender = new J1939Socket(new J1939Address(iface, 0x82));
        var ex = Assert.Throws<BusException>(() => sender.SendTo([1], new J1939Address(CanAddress.Any, J1939.NoAddress, 0x0FEF1)));
        Assert.Equal(Errno.EACCES, ex.Errno);
        using var sourceless = new J1939Socket(new J1939Address(iface));
        Assert.Contains("source address 0xFF", Assert.Throws<InvalidOperationException>(() => sourceless.SendTo([1], new J1939Address(CanAddress.Any, 0x90, 0x12300))).Message, StringComparison.Ordinal);
        Assert.Contains("priority 8 is outside 0–7", Assert.Throws<ArgumentOutOfRangeException>(() => sender.SendPriority = 8).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_queue_reports_an_abort_naming_the_reason_when_the_receiver_goes_away_mid_transfer()
    {
        Testbed.Require(Capability.J1939, Capability.Vxcan);
        (string near, string far) = Testbed.VxcanPair;
        var receiver = new J1939Socket(new J1939Address(far, 0x90)) { Timeout = s_wait };
        using var sender = new J1939Socket(new J1939Address(near, 0x80)) { Timeout = s_wait };
        sender.ErrorQueue = true;
        // ETP of 2 MB: thousands of CTS windows, far longer than the few calls it takes to close the receiver.
        sender.SendTo(Payload(2_000_000, 7), new J1939Address(CanAddress.Any, 0x90, 0x12300));
        J1939TransferEvent started = sender.ReceiveTransferEvent();
        Assert.Equal(J1939TransferEventKind.TransmitStarted, started.Kind);

        // The last J1939 socket on the far interface closing stops its J1939 stack: no more CTS.
        receiver.Dispose();
        J1939TransferEvent report;
        do
        {
            report = sender.ReceiveTransferEvent();
        }
        while (report.Kind == J1939TransferEventKind.TransmitStarted);

        Assert.Equal(J1939TransferEventKind.TransmitAborted, report.Kind);
        Assert.NotNull(report.AbortReason);
        Assert.DoesNotContain("does not name", report.AbortReason, StringComparison.Ordinal);
        Assert.InRange(report.BytesAcknowledged, 0, 2_000_000 - 1);
        Console.WriteLine($"abort report: {report}");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OpenAndDrop(string iface)
    {
        _ = new J1939Socket(new J1939Address(iface, 0x93));
    }

    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    [Fact]
    public void An_undisposed_j1939_socket_is_finalized_and_its_descriptor_closed()
    {
        Testbed.Require(Capability.J1939);
        int before = OpenDescriptors();
        for (int i = 0; i < 20; i++)
        {
            OpenAndDrop(Testbed.CanInterface);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.InRange(OpenDescriptors(), 0, before + 2);
    }
}
