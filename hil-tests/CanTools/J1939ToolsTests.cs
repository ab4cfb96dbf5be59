using System.Diagnostics;
using Buses.HilTests.Bed;
using TestBed = Buses.HilTests.Bed.Bed;
using Xunit;

namespace Buses.HilTests.CanTools;

/// <summary>
/// buses' J1939 tools against can-utils': j1939cat both ways with single-frame, TP and ETP payloads
/// compared byte for byte, and address claiming against j1939acd with j1939spy watching.
/// </summary>
/// <remarks>
/// The transfers cross the vxcan pair, sender on one end and receiver on the other, as two ECUs on a bus
/// would: with both on one vcan, Linux's J1939 stack holds the sending and the receiving ETP session in one
/// instance and times the ETP transfer out (TP works there).
/// </remarks>
public sealed class J1939ToolsTests
{
    private static readonly int[] s_sizes = [8, 100, 1785, 100000];

    private static string Iface => TestBed.CanInterface;

    private static string Near => TestBed.VxcanPair.First;

    private static string Far => TestBed.VxcanPair.Second;

    private static string WritePayload(string dir, int size)
    {
        byte[] data = new byte[size];
        new Random(size).NextBytes(data);
        string path = Path.Combine(dir, $"j1939-{size}.bin");
        File.WriteAllBytes(path, data);
        return path;
    }

    // The receiver writes to a file; its growth to the expected size ends the wait (the deadline only turns a hang into a failure).
    private static void WaitForSize(string path, long size, ToolProcess receiver)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(path) || new FileInfo(path).Length < size)
        {
            if (clock.Elapsed > ToolProcess.Deadline)
            {
                Assert.Fail($"{path} has {(File.Exists(path) ? new FileInfo(path).Length : 0)} of {size} bytes; receiver stderr: {receiver.Error}");
            }

            Thread.Sleep(50);
        }
    }

    private static string Directory()
    {
        string dir = Path.Combine(TestBed.ResultsDirectory, "j1939-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void Buses_send_reaches_j1939cat_byte_for_byte_for_single_frame_tp_and_etp()
    {
        TestBed.Require(Capability.J1939, Capability.Vxcan);
        string dir = Directory();
        string received = Path.Combine(dir, "received.bin");
        int receivers = ToolProcess.CanReceivers(Far);
        using ToolProcess j1939cat = ToolProcess.Start("sh", "-c", $"exec j1939cat -r {Far}:0x90 > {received}");
        ToolProcess.WaitForCanReceivers(Far, receivers + 1);
        var expected = new List<byte>();
        foreach (int size in s_sizes)
        {
            string file = WritePayload(dir, size);
            using ToolProcess send = ToolProcess.Buses("can", "j1939", "send", "-i", file, $"{Near}:0x80", ":0x90,0x12300");
            send.WaitForExit(expectSuccess: true);
            expected.AddRange(File.ReadAllBytes(file));
            WaitForSize(received, expected.Count, j1939cat);
        }

        Assert.Equal(expected.ToArray(), File.ReadAllBytes(received));
    }

    [Fact]
    public void J1939cat_reaches_buses_recv_byte_for_byte_for_single_frame_and_tp()
    {
        TestBed.Require(Capability.J1939, Capability.Vxcan);
        string dir = Directory();
        string received = Path.Combine(dir, "received.bin");
        int receivers = ToolProcess.CanReceivers(Far);
        using ToolProcess recv = ToolProcess.Start("sh", "-c", $"exec {Path.Combine(ToolProcess.Root, "buses")} can j1939 recv {Far}:0x90 > {received}");
        ToolProcess.WaitForCanReceivers(Far, receivers + 1);
        var expected = new List<byte>();
        // Without ETP: can-utils 2020.11's j1939cat quits on its error-queue "truncated" report before
        // a 100000-byte ETP session completes, so nothing arrives (open; buses can j1939 send ->
        // j1939cat -r covers ETP in the other direction, and J1939SocketTests covers it library to library).
        foreach (int size in s_sizes.Where(s => s <= 1785))
        {
            string file = WritePayload(dir, size);
            using (ToolProcess j1939cat = ToolProcess.Start("j1939cat", "-i", file, $"{Near}:0x80", ":0x90,0x12300"))
            {
                // can-utils 2020.11's j1939cat gives its error-queue recvmsg too small a control buffer for
                // the 6.x kernel's session reports and exits with "truncated" after sending; the close waits
                // for the session, so the bytes still go out. Any other failure fails the test.
                if (j1939cat.WaitForExit() != 0)
                {
                    Assert.Contains("recvmsg error notification: truncated", j1939cat.Error, StringComparison.Ordinal);
                }
            }

            expected.AddRange(File.ReadAllBytes(file));
            WaitForSize(received, expected.Count, recv);
        }

        Assert.Equal(expected.ToArray(), File.ReadAllBytes(received));
    }

    [Fact]
    public void Against_j1939acd_the_lower_name_wins_the_address_and_buses_moves_within_its_range()
    {
        TestBed.Require(Capability.J1939);
        // j1939spy writes to a pipe through stdio's full buffering: line-buffer it to see its lines while it runs.
        using ToolProcess spy = ToolProcess.Start("stdbuf", "-oL", "j1939spy", "-P", $"{Iface}:");
        using ToolProcess ours = ToolProcess.Buses("can", "j1939", "claim", "-r", "0x80,0x81", "2000", Iface);
        Assert.Equal("0xFE -> 0x80: claimed", ours.WaitForLines(1)[0]);

        using ToolProcess acd = ToolProcess.Start("j1939acd", "-v", "-r", "0x80", "1000", Iface);
        IReadOnlyList<string> changes = ours.WaitForLines(3);
        Assert.Contains("lost 0x80 to the lower NAME 0000000000001000; claiming 0x81", changes[1], StringComparison.Ordinal);
        Assert.Equal("0xFE -> 0x81: claimed", changes[2]);
        ours.Interrupt();
        Assert.Equal(130, ours.WaitForExit());

        Console.WriteLine(string.Join('\n', spy.Lines));
        // j1939spy saw both claims for 0x80 and ours for 0x81 (Address Claimed is PGN 0x0EE00, the NAME its data).
        IReadOnlyList<string> seen = spy.Lines;
        string all = string.Join('\n', seen);
        Assert.Contains(seen, l => l.Contains("0ee00", StringComparison.OrdinalIgnoreCase) && l.Replace(" ", "", StringComparison.Ordinal).Contains("0010000000000000", StringComparison.Ordinal));
        Assert.Contains(seen, l => l.Contains("0ee00", StringComparison.OrdinalIgnoreCase) && l.Replace(" ", "", StringComparison.Ordinal).Contains("0020000000000000", StringComparison.Ordinal));
        Assert.Contains("claimed 0x80", acd.Error, StringComparison.Ordinal);
        Console.WriteLine(all);
        spy.Interrupt();
    }
}
