using Buses.HilTests.Bed;
using TestBed = Buses.HilTests.Bed.Bed;
using Xunit;

namespace Buses.HilTests.CanTools;

/// <summary>
/// <c>buses can dump</c> with several <c>IFACE[,FILTER…]</c> operands beside the installed candump
/// given the same ones: each operand its own socket and filters, lines naming the interface each
/// frame came on, padded as candump pads them. candump's output is the reference.
/// </summary>
/// <remarks>
/// Each load feeds one socket at a time, and the next load starts only when every dump printed
/// the lines so far: candump reads one frame per ready socket in turn, so a reader that fell
/// behind two loads at once could legitimately interleave them differently from Buses, which
/// orders by kernel timestamp.
/// </remarks>
public sealed class CanDumpInterfacesTests
{
    /// <summary>As in <see cref="CanToolsInteropTests"/>: room for a whole load while a slow guest deschedules the reader.</summary>
    private const string ReceiveBuffer = "-r4194304";

    private static string Iface0 => TestBed.CanInterface;

    private static string Iface1 => TestBed.CanInterface2;

    /// <summary>A log line without its timestamp: the padded interface and the frame (timestamps differ per socket).</summary>
    private static string[] AfterTimestamps(IEnumerable<string> lines) =>
        [.. lines.Select(l => l.StartsWith('(') ? l[(l.IndexOf(") ", StringComparison.Ordinal) + 2)..] : l)];

    /// <summary>Waits for <paramref name="count"/> lines from both, checks they agree after the timestamps, and returns candump's.</summary>
    private static string[] SameAsCandump(ToolProcess candump, ToolProcess dump, int count)
    {
        string[] reference = AfterTimestamps(candump.WaitForLines(count));
        Assert.Equal(count, reference.Length);
        Assert.Equal(reference, AfterTimestamps(dump.WaitForLines(count)));
        return reference;
    }

    /// <summary>How many of <paramref name="lines"/> start with <paramref name="prefix"/>.</summary>
    private static int Starting(string[] lines, string prefix) => lines.Count(l => l.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Runs one cangen load, then waits until every dump printed <paramref name="linesSoFar"/> lines.</summary>
    private static void Load(ToolProcess[] dumps, int linesSoFar, string iface, params string[] cangen)
    {
        ToolProcess.Run("cangen", [iface, .. cangen]);
        foreach (ToolProcess dump in dumps)
        {
            dump.WaitForLines(linesSoFar);
        }
    }

    /// <summary>Starts a dump and waits until its last operand's socket is bound (the earlier ones were bound before it).</summary>
    private static ToolProcess StartDump(bool buses, string lastIface, params string[] args)
    {
        int receivers = ToolProcess.CanReceivers(lastIface);
        ToolProcess dump = buses ? ToolProcess.Buses(["can", "dump", .. args]) : ToolProcess.Start("candump", args);
        ToolProcess.WaitForCanReceivers(lastIface, receivers + 1);
        return dump;
    }

    [Fact]
    public void Two_interfaces_are_logged_as_candump_logs_them_and_n_counts_frames_of_both()
    {
        TestBed.Require(Capability.Can);
        using ToolProcess candump = StartDump(buses: false, Iface1, "-L", ReceiveBuffer, Iface0, Iface1);
        using ToolProcess dump = StartDump(buses: true, Iface1, "-L", ReceiveBuffer, Iface0, Iface1);
        using ToolProcess counted = StartDump(buses: true, Iface1, "-L", ReceiveBuffer, "-n", "25", Iface0, Iface1);

        Load([candump, dump], 20, Iface0, "-n", "20", "-g", "1");
        Load([candump, dump], 40, Iface1, "-n", "20", "-g", "1");

        string[] reference = SameAsCandump(candump, dump, 40);
        Assert.Equal(20, Starting(reference, Iface0 + " "));
        Assert.Equal(20, Starting(reference, Iface1 + " "));

        // -n counts frames over every socket: 20 from the first interface and 5 from the second.
        Assert.Equal(0, counted.WaitForExit());
        Assert.Equal(reference[..25], AfterTimestamps(counted.Lines));
    }

    [Fact]
    public void Each_operand_keeps_its_own_filters()
    {
        TestBed.Require(Capability.Can);
        // The first interface passes 100–1FF; the second everything but 200–2FF (an inverted filter).
        string[] operands = [$"{Iface0},100:700", $"{Iface1},200~700"];
        using ToolProcess candump = StartDump(buses: false, Iface1, ["-L", ReceiveBuffer, .. operands]);
        using ToolProcess dump = StartDump(buses: true, Iface1, ["-L", ReceiveBuffer, .. operands]);
        ToolProcess[] dumps = [candump, dump];

        Load(dumps, 10, Iface0, "-I", "123", "-D", "i", "-L", "4", "-n", "10", "-g", "1");
        ToolProcess.Run("cangen", Iface0, "-I", "321", "-n", "5", "-g", "1");
        ToolProcess.Run("cangen", Iface1, "-I", "2AB", "-n", "5", "-g", "1");
        Load(dumps, 20, Iface1, "-I", "0AB", "-D", "i", "-L", "4", "-n", "10", "-g", "1");
        Load(dumps, 25, Iface1, "-e", "-I", "01234567", "-D", "i", "-L", "2", "-n", "5", "-g", "1");

        string[] reference = SameAsCandump(candump, dump, 25);
        Assert.Equal(10, Starting(reference, $"{Iface0} 123#"));
        Assert.Equal(10, Starting(reference, $"{Iface1} 0AB#"));
        Assert.Equal(5, Starting(reference, $"{Iface1} 01234567#"));
    }

    [Fact]
    public void Any_beside_a_named_interface_names_where_each_frame_came_on_padded_to_the_longest_name_yet()
    {
        TestBed.Require(Capability.Can, Capability.CanXl);
        string longer = TestBed.CanXlInterface;
        Assert.True(longer.Length > Iface1.Length, $"'{longer}' must be longer than '{Iface1}' for this test");
        // 'any' (3 characters) receives 3F0–3FF from every interface; the named socket 020–02F
        // from one. Names are right-aligned to the longest operand name, and wider once a longer
        // name arrived through 'any', as candump aligns them.
        string[] operands = ["any,3F0:7F0", $"{Iface1},020:7F0"];
        using ToolProcess candump = StartDump(buses: false, Iface1, ["-L", ReceiveBuffer, .. operands]);
        using ToolProcess dump = StartDump(buses: true, Iface1, ["-L", ReceiveBuffer, .. operands]);
        using ToolProcess candumpScreen = StartDump(buses: false, Iface1, ["-x", ReceiveBuffer, .. operands]);
        using ToolProcess dumpScreen = StartDump(buses: true, Iface1, ["-x", ReceiveBuffer, .. operands]);
        ToolProcess[] dumps = [candump, dump, candumpScreen, dumpScreen];

        Load(dumps, 6, Iface0, "-I", "3F1", "-D", "i", "-L", "3", "-n", "6", "-g", "1");
        Load(dumps, 12, Iface1, "-I", "025", "-D", "i", "-L", "3", "-n", "6", "-g", "1");
        Load(dumps, 15, longer, "-I", "3F3", "-D", "i", "-L", "3", "-n", "3", "-g", "1");
        Load(dumps, 21, Iface1, "-I", "3F2", "-D", "i", "-L", "3", "-n", "6", "-g", "1");

        string[] reference = SameAsCandump(candump, dump, 21);
        Assert.Equal(6, Starting(reference, $"{Iface0} 3F1#"));
        Assert.Equal(6, Starting(reference, $"{Iface1} 025#"));
        Assert.Equal(3, Starting(reference, $"{longer} 3F3#"));
        string pad = new(' ', longer.Length - Iface1.Length);
        Assert.Equal(6, Starting(reference, $"{pad}{Iface1} 3F2#"));
        Assert.Equal(candumpScreen.WaitForLines(21), dumpScreen.WaitForLines(21));
    }
}
