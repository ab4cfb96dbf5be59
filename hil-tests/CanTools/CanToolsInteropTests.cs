using Buses.Can;
using Buses.HilTests.Bed;
using TestBed = Buses.HilTests.Bed.Bed;
using Xunit;

namespace Buses.HilTests.CanTools;

/// <summary>
/// can-utils and Buses on the same vcan, each checked against the other: the installed candump's
/// output is the reference (Debian's can-utils 2020.11; on a 6.x kernel it prints FD flags with
/// FDF set), never a literal written here.
/// </summary>
public sealed class CanToolsInteropTests
{
    private static readonly string[][] s_cangenLoads =
    [
        ["-n", "30", "-g", "1"],
        ["-n", "20", "-g", "1", "-e"],
        ["-n", "20", "-g", "1", "-R"],
        ["-n", "20", "-g", "1", "-e", "-R"],
        ["-n", "30", "-g", "1", "-f"],
        ["-n", "20", "-g", "1", "-b", "-e"],
        ["-n", "20", "-g", "1", "-E", "-b"],
        ["-n", "20", "-g", "1", "-L", "i", "-I", "i", "-D", "i"],
        ["-n", "32", "-g", "1", "-f", "-L", "i"],
        ["-n", "40", "-g", "1", "-m"],
    ];

    private static string Iface => TestBed.CanInterface;

    /// <summary>
    /// A 4 MiB receive buffer (candump's and buses' -r) for every dumping process: under software
    /// emulation on a loaded machine a reader can be descheduled for a whole cangen burst, and a
    /// CAN skb costs about 1 KiB of buffer, so the default ~200 KiB drops frames. These tests check
    /// text, not throughput; a drop would still show as a DROPCOUNT line and fail them.
    /// </summary>
    private const string ReceiveBuffer = "-r4194304";

    /// <summary>Frame texts of log lines: the third field.</summary>
    private static string[] Frames(IEnumerable<string> logLines) =>
        logLines.Where(l => l.StartsWith('(')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]).ToArray();

    private static int RunLoads(string[][] loads)
    {
        int total = 0;
        foreach (string[] load in loads)
        {
            ToolProcess.Run("cangen", [Iface, .. load]);
            total += int.Parse(load[1], System.Globalization.CultureInfo.InvariantCulture);
        }

        return total;
    }

    [Fact]
    public void Frames_from_cangen_are_received_and_printed_exactly_as_candump_logs_them()
    {
        TestBed.Require(Capability.Can, Capability.CanFd);
        // This socket is read only after all loads ran: its queue must hold them all (a CAN skb
        // takes about 1 KiB of receive buffer, so the default ~200 KiB would drop some).
        using var library = new CanRawSocket(Iface) { FdFrames = true, Timeout = ToolProcess.Deadline, ReceiveBufferSize = 4 << 20 };
        int receivers = ToolProcess.CanReceivers(Iface);
        using ToolProcess candump = ToolProcess.Start("candump", ReceiveBuffer, "-L", Iface);
        ToolProcess.WaitForCanReceivers(Iface, receivers + 1);
        using ToolProcess dump = ToolProcess.Buses("can", "dump", Iface, "-L", ReceiveBuffer);
        ToolProcess.WaitForCanReceivers(Iface, receivers + 2);
        using ToolProcess candumpScreen = ToolProcess.Start("candump", ReceiveBuffer, "-x", Iface);
        ToolProcess.WaitForCanReceivers(Iface, receivers + 3);
        using ToolProcess dumpScreen = ToolProcess.Buses("can", "dump", Iface, "-x", ReceiveBuffer);
        ToolProcess.WaitForCanReceivers(Iface, receivers + 4);

        int total = RunLoads(s_cangenLoads);

        var ours = new StringWriter();
        using (var writer = new CandumpLogWriter(ours, Iface.Length, leaveOpen: true))
        {
            var message = new CanMessage();
            for (int i = 0; i < total; i++)
            {
                library.Receive(message);
                writer.Write(CandumpTimestamp.FromNanoseconds(message.Info.Timestamp.TotalNanoseconds), Iface, message.Bytes);
                Assert.Equal(0u, message.Info.NewDrops);
            }
        }

        IReadOnlyList<string> reference = candump.WaitForLines(total);
        IReadOnlyList<string> cli = dump.WaitForLines(total);
        string[] libraryLines = ours.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(total, reference.Count);
        Assert.Equal(reference, libraryLines);
        Assert.Equal(reference, cli);
        // candump's screen view too (-x: direction and FD flags), column for column.
        Assert.Equal(candumpScreen.WaitForLines(total), dumpScreen.WaitForLines(total));
        // The loads really covered every kind the test names.
        Assert.Contains(reference, l => l.Contains("##5", StringComparison.Ordinal));
        Assert.Contains(reference, l => l.Contains("##7", StringComparison.Ordinal) || l.Contains("##6", StringComparison.Ordinal));
        Assert.Contains(reference, l => l.EndsWith('R') || l.Contains("#R", StringComparison.Ordinal));
        Assert.Contains(reference, l => l.Split(' ')[2].IndexOf('#') == 8);
    }

    [Fact]
    public void Frames_sent_by_buses_can_send_and_gen_are_logged_by_candump_exactly_as_buses_formats_them()
    {
        TestBed.Require(Capability.Can, Capability.CanFd);
        string[] frames =
        [
            "123#DEADBEEF",
            "5A1#11.2233.44556677.88",
            "00000123#R3",
            "7DF#R",
            "213##311223344",
            "123##1112233445566778899",
            "1F334455#1122334455667788",
            "5AA#",
        ];
        int receivers = ToolProcess.CanReceivers(Iface);
        using ToolProcess candump = ToolProcess.Start("candump", ReceiveBuffer, "-L", Iface);
        ToolProcess.WaitForCanReceivers(Iface, receivers + 1);

        List<string> expected = [];
        byte[] wire = new byte[CanFrameText.MaxWireSize];
        char[] text = new char[CanFrameText.MaxLength];
        foreach (string frame in frames)
        {
            ToolProcess.Run(Path.Combine(ToolProcess.Root, "buses"), "can", "send", Iface, frame);
            int size = CanFrameText.Parse(frame, wire);
            expected.Add(new string(text, 0, CanFrameText.Format(wire.AsSpan(0, size), text)));
        }

        expected.AddRange(ToolProcess.Run(Path.Combine(ToolProcess.Root, "buses"), "can", "gen", Iface, "-n", "40", "-g", "1", "-m", "-v"));
        expected.AddRange(ToolProcess.Run(Path.Combine(ToolProcess.Root, "buses"), "can", "gen", Iface, "-n", "16", "-g", "1", "-b", "-L", "i", "-v"));
        expected.AddRange(ToolProcess.Run(Path.Combine(ToolProcess.Root, "buses"), "can", "gen", Iface, "-n", "10", "-g", "0", "-e", "-R", "-I", "i", "-v"));
        Assert.Equal(frames.Length + 66, expected.Count);

        Assert.Equal(expected, Frames(candump.WaitForLines(expected.Count)));
    }

    [Fact]
    public void Logs_of_candump_and_buses_dump_are_identical_and_each_replays_through_the_other_projects_player()
    {
        TestBed.Require(Capability.Can, Capability.CanFd);
        string replayIface = TestBed.CanInterface2;
        string candumpDir = Directory.CreateTempSubdirectory("candump-l-").FullName;
        string busesDir = Directory.CreateTempSubdirectory("buses-l-").FullName;

        // Record the same traffic twice: candump -l and buses can dump -l, side by side.
        int receivers = ToolProcess.CanReceivers(Iface);
        using ToolProcess candumpLog = ToolProcess.StartIn(candumpDir, "candump", ReceiveBuffer, "-l", Iface);
        ToolProcess.WaitForCanReceivers(Iface, receivers + 1);
        using ToolProcess busesLog = ToolProcess.BusesIn(busesDir, "can", "dump", Iface, "-l", ReceiveBuffer);
        ToolProcess.WaitForCanReceivers(Iface, receivers + 2);
        int total = RunLoads([["-n", "40", "-g", "2", "-m"], ["-n", "10", "-g", "2", "-b", "-L", "i"]]);
        candumpLog.Interrupt();
        busesLog.Interrupt();
        candumpLog.WaitForExit();
        Assert.Equal(0, busesLog.WaitForExit());

        string candumpFile = Assert.Single(Directory.GetFiles(candumpDir, "candump-*.log"));
        string busesFile = Assert.Single(Directory.GetFiles(busesDir, "candump-*.log"));
        string[] recorded = File.ReadAllLines(candumpFile);
        Assert.Equal(total, recorded.Length);
        Assert.Equal(recorded, File.ReadAllLines(busesFile));

        // Our reader takes candump's file whole.
        using (var reader = new CandumpLogReader(new StreamReader(candumpFile)))
        {
            Assert.Equal(Frames(recorded), reader.ReadAll().Select(e => e.FrameText).ToArray());
        }

        // candump's log through buses can play, and buses's log through canplayer, onto vcan1.
        foreach ((string player, string file) in new[] { ("buses", candumpFile), ("canplayer", busesFile) })
        {
            int replayReceivers = ToolProcess.CanReceivers(replayIface);
            using ToolProcess watcher = ToolProcess.Start("candump", ReceiveBuffer, "-L", replayIface);
            ToolProcess.WaitForCanReceivers(replayIface, replayReceivers + 1);
            if (player == "buses")
            {
                ToolProcess.Run(Path.Combine(ToolProcess.Root, "buses"), "can", "play", "-I", file, $"{replayIface}={Iface}");
            }
            else
            {
                ToolProcess.Run("canplayer", "-I", file, $"{replayIface}={Iface}");
            }

            IReadOnlyList<string> replayed = watcher.WaitForLines(total);
            Assert.Equal(Frames(recorded), Frames(replayed));
            Assert.All(replayed, l => Assert.Equal(replayIface, l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
        }
    }
}
