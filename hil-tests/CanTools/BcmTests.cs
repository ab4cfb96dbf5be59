using System.Globalization;
using System.Runtime.CompilerServices;
using Buses.Can;
using Buses.HilTests.Bed;
using TestBed = Buses.HilTests.Bed.Bed;
using Xunit;

namespace Buses.HilTests.CanTools;

/// <summary>
/// The broadcast manager, checked with candump's timestamps on the bed's vcan: those are kernel receive
/// times, so the gaps measure the kernel's hrtimer, not this process's scheduling.
/// </summary>
public sealed class BcmTests
{
    private static string Iface => TestBed.CanInterface;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>candump -L lines' timestamps (seconds) and frame texts.</summary>
    private static (double Time, string Frame)[] Parse(IEnumerable<string> lines) =>
        [.. lines.Where(l => l.StartsWith('(')).Select(l =>
        {
            string[] f = l.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return (double.Parse(f[0].Trim('(', ')'), CultureInfo.InvariantCulture), f[2]);
        })];

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }

    private static ToolProcess Candump(int frames, string filter)
    {
        int before = ToolProcess.CanReceivers(Iface);
        ToolProcess dump = ToolProcess.Start("candump", "-L", "-n", frames.ToString(CultureInfo.InvariantCulture), $"{Iface},{filter}");
        ToolProcess.WaitForCanReceivers(Iface, before + 1);
        return dump;
    }

    [Fact]
    public void A_cyclic_job_sends_at_its_interval_by_candumps_timestamps()
    {
        TestBed.Require(Capability.Can, Capability.Bcm);
        // 50 ms: the emulated guest's timer adds a few ms of constant latency, which a shorter interval would magnify.
        using ToolProcess dump = Candump(25, "321:7FF");
        using var bcm = new CanBcmSocket(Iface);
        bcm.StartTransmit(new BcmTransmitJob(CanId.Standard(0x321), new CanFrame(CanId.Standard(0x321), [1, 2, 3])) { Interval = TimeSpan.FromMilliseconds(50) });
        (double Time, string Frame)[] frames = Parse(dump.WaitForLines(25));
        bcm.DeleteTransmit(CanId.Standard(0x321));
        Assert.All(frames, f => Assert.Equal("321#010203", f.Frame));
        double median = Median(frames.Zip(frames.Skip(1), (a, b) => b.Time - a.Time));
        Assert.InRange(median, 0.040, 0.060);
    }

    [Fact]
    public void An_update_replaces_the_data_and_keeps_the_timer_while_announce_sends_at_once()
    {
        TestBed.Require(Capability.Can, Capability.Bcm);
        CanId id = CanId.Standard(0x322);
        using ToolProcess dump = Candump(12, "322:7FF");
        using var bcm = new CanBcmSocket(Iface);
        var interval = TimeSpan.FromMilliseconds(200);
        bcm.StartTransmit(new BcmTransmitJob(id, new CanFrame(id, [0xAA])) { Interval = interval });
        dump.WaitForLines(3);
        bcm.UpdateTransmit(new BcmTransmitJob(id, new CanFrame(id, [0xBB])));
        dump.WaitForLines(6);
        bcm.UpdateTransmit(new BcmTransmitJob(id, new CanFrame(id, [0xCC])) { Announce = true });
        (double Time, string Frame)[] frames = Parse(dump.WaitForLines(12));
        bcm.DeleteTransmit(id);

        int firstB = Array.FindIndex(frames, f => f.Frame == "322#BB");
        int firstC = Array.FindIndex(frames, f => f.Frame == "322#CC");
        Assert.True(firstB > 0 && firstC > firstB, string.Join(", ", frames.Select(f => f.Frame)));
        Assert.All(frames[..firstB], f => Assert.Equal("322#AA", f.Frame));

        // The plain update came at the next tick: the gap is a whole interval, not a restart.
        Assert.InRange(frames[firstB].Time - frames[firstB - 1].Time, 0.16, 0.24);

        // Announce sent the new data at once, between ticks, and the ticks then kept their phase.
        Assert.True(frames[firstC].Time - frames[firstC - 1].Time < 0.19, $"announce gap {frames[firstC].Time - frames[firstC - 1].Time}");
        double phase = (frames[firstC + 2].Time - frames[firstC - 1].Time) % 0.2;
        Assert.True(phase < 0.04 || phase > 0.16, $"the ticks after the announce moved by {phase} s");
    }

    [Fact]
    public void A_receive_job_reports_only_changes_then_a_timeout_when_the_sender_stops()
    {
        TestBed.Require(Capability.Can, Capability.Bcm);
        CanId id = CanId.Standard(0x323);
        using var bcm = new CanBcmSocket(Iface) { Timeout = TimeSpan.FromSeconds(30) };
        bcm.StartReceive(new BcmReceiveJob(id, [0xFF, 0x00]) { Timeout = TimeSpan.FromMilliseconds(500) });
        using var raw = new CanRawSocket(Iface);

        // Byte 1 is masked out: 01 02 -> 01 03 is no change; 02 03 is.
        byte[][] sent = [[0x01, 0x02], [0x01, 0x02], [0x01, 0x03], [0x02, 0x03], [0x02, 0x03], [0x01, 0x00]];
        foreach (byte[] data in sent)
        {
            raw.Send(new CanFrame(id, data));
        }

        var message = new BcmMessage();
        var changes = new List<string>();
        while (true)
        {
            bcm.Receive(message);
            if (message.Opcode == BcmOpcode.ReceiveTimeout)
            {
                break;
            }

            Assert.Equal(BcmOpcode.ReceiveChanged, message.Opcode);
            Assert.True(message.Timestamp.IsSet);
            Assert.Equal(Interfaces.IndexOf(Iface), message.InterfaceIndex);
            changes.Add(Convert.ToHexString(message.Frames[0].Data));
        }

        Assert.Equal(["0102", "0203", "0100"], changes);
        Assert.Equal(id, message.CanId);

        bcm.RequestReceiveStatus(id);
        bcm.Receive(message);
        Assert.Equal((BcmOpcode.ReceiveStatus, 1, TimeSpan.FromMilliseconds(500)), (message.Opcode, message.FrameCount, message.Interval1));
        bcm.DeleteReceive(id);
        Assert.Equal(Errno.EINVAL, Assert.Throws<BusException>(() => bcm.DeleteReceive(id)).Errno);
    }

    [Fact]
    public async Task A_counted_job_reports_tx_expired_and_tx_read_returns_its_settings_async()
    {
        TestBed.Require(Capability.Can, Capability.Bcm);
        CanId id = CanId.Standard(0x324);
        using var bcm = new CanBcmSocket(CanAddress.Any) { Timeout = TimeSpan.FromSeconds(30) };
        int index = Interfaces.IndexOf(Iface);
        var job = new BcmTransmitJob(id, new CanFrame(id, [1]), new CanFrame(id, [2]))
        {
            Count = 3,
            CountInterval = TimeSpan.FromMilliseconds(5),
            Interval = TimeSpan.FromSeconds(1),
            ReportCountExpired = true,
            InterfaceIndex = index,
        };
        await bcm.StartTransmitAsync(job, Token);
        await bcm.RequestTransmitStatusAsync(id, interfaceIndex: index, cancellationToken: Token);
        var seen = new List<BcmOpcode>();
        await foreach (BcmMessage m in bcm.ReceiveAllAsync(Token))
        {
            seen.Add(m.Opcode);
            if (m.Opcode == BcmOpcode.TransmitStatus)
            {
                Assert.Equal((2, TimeSpan.FromSeconds(1)), (m.FrameCount, m.Interval2));
                Assert.Equal(new byte[] { 2 }, m.Frames[1].Data.ToArray());
            }

            if (seen.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([BcmOpcode.TransmitStatus, BcmOpcode.TransmitExpired], seen.Order());
        bcm.DeleteTransmit(id, interfaceIndex: index);
    }

    [Fact]
    public void Buses_can_bcm_tx_and_rx_print_and_take_candump_lines()
    {
        TestBed.Require(Capability.Can, Capability.Bcm);
        using (ToolProcess dump = Candump(5, "325:7FF"))
        {
            ToolProcess.Run(Path.Combine(ToolProcess.Root, "buses"), "can", "bcm", "tx", Iface, "-i", "10ms", "-n", "5", "325#1122");
            Assert.All(Parse(dump.WaitForLines(5)), f => Assert.Equal("325#1122", f.Frame));
        }

        int before = ToolProcess.CanReceivers(Iface);
        using ToolProcess rx = ToolProcess.Buses("can", "bcm", "rx", Iface, "-t", "5s", "-n", "2", "326");
        ToolProcess.WaitForCanReceivers(Iface, before + 1);
        ToolProcess.Run("cansend", Iface, "326#ABCD");
        IReadOnlyList<string> lines = rx.WaitForLines(2);
        Assert.EndsWith($" {Iface} 326#ABCD", lines[0], StringComparison.Ordinal);
        Assert.Equal($"# timeout {Iface} 326", lines[1]);
        rx.WaitForExit(expectSuccess: true);
    }

    [Fact]
    public void Undisposed_bcm_and_iso_tp_sockets_are_finalized_and_their_descriptors_closed()
    {
        TestBed.Require(Capability.Can, Capability.Bcm, Capability.IsoTp);
        OpenAndDrop();
        Settle();
        int descriptors = Directory.GetFiles("/proc/self/fd").Length;
        for (int i = 0; i < 50; i++)
        {
            OpenAndDrop();
        }

        Settle();
        Assert.Equal(descriptors, Directory.GetFiles("/proc/self/fd").Length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OpenAndDrop()
    {
        var bcm = new CanBcmSocket(Iface);
        bcm.StartReceive(new BcmReceiveJob(CanId.Standard(0x327)));
        var isotp = new IsoTpSocket(new IsoTpAddress(Iface, CanId.Standard(0x751), CanId.Standard(0x752)));
        GC.KeepAlive(isotp.Options);
    }

    private static void Settle()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }
}
