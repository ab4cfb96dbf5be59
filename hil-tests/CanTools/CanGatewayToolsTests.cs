using Buses.Can;
using Buses.HilTests.Bed;
using TestBed = Buses.HilTests.Bed.Bed;
using Xunit;

namespace Buses.HilTests.CanTools;

/// <summary>buses can gw against can-utils' cangw on the bed's kernel: rules made by either are routed, listed and deleted by the other.</summary>
public sealed class CanGatewayToolsTests
{
    // What follows the program name of a cangw -L line ("cangw -A …" vs "buses can gw -A …").
    private static string[] Rules(IEnumerable<string> lines, string program) =>
        lines.Where(l => l.StartsWith(program + " -A ", StringComparison.Ordinal)).Select(l => l[(program.Length + 1)..]).Order(StringComparer.Ordinal).ToArray();

    // cangw -L exits with the byte count of its request (36), not 0: its status says nothing.
    private static IReadOnlyList<string> CangwList()
    {
        using ToolProcess list = ToolProcess.Start("cangw", "-L");
        list.WaitForExit();
        Assert.Equal("", list.Error);
        return list.Lines;
    }

    [Fact]
    public void Rules_from_either_tool_route_list_in_the_same_words_and_count()
    {
        TestBed.Require(Capability.Can, Capability.CanFd, Capability.CanGw);
        string a = TestBed.CanInterface, b = TestBed.CanInterface2;
        ToolProcess.Run("cangw", "-F");
        ToolProcess.Run(Path.Combine(ToolProcess.Root, "buses"), "can", "gw", "-A", "-s", a, "-d", b, "-e", "-f", "123:7FF", "-m", "SET:IL:333.4.1122334455667788");
        string data64 = string.Concat(Enumerable.Range(0, 64).Select(i => i.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        ToolProcess.Run("cangw", "-A", "-s", b, "-d", a, "-X", "-e", "-u", "1A", "-l", "1", "-M", $"XOR:IFLD:7.1.0.{data64}", "-x", "0:62:63:AA");

        int receivers = ToolProcess.CanReceivers(b);
        using ToolProcess candump = ToolProcess.Start("candump", "-L", b);
        ToolProcess.WaitForCanReceivers(b, receivers + 1);
        ToolProcess.Run("cansend", a, "123#DEADBEEF");
        ToolProcess.Run("cansend", a, "124#00");
        string routed = candump.WaitForLines(1)[0];
        Assert.Equal("333#DEADBEEF", routed.Split(' ')[2]);

        string[] theirs = Rules(CangwList(), "cangw");
        string[] ours = Rules(ToolProcess.Run(Path.Combine(ToolProcess.Root, "buses"), "can", "gw", "-L"), "buses can gw");
        Assert.Equal(2, theirs.Length);
        Assert.Equal(theirs, ours);
        // The kernel dumps the modification before the filter; cangw prints them in dump order, and so does buses.
        Assert.Contains($"-A -s {a} -d {b} -e -m SET:IL:333.4.1122334455667788 -f 123:7FF # 1 handled 0 dropped 0 deleted", ours);
        Console.WriteLine(string.Join('\n', ours));

        // The library's list carries the counters the kernel keeps; cangw deletes the rule buses added.
        using var gateway = new CanGateway();
        CanGatewayRule classic = gateway.List().Single(r => !r.IsFd);
        Assert.Equal(1u, classic.Handled);
        ToolProcess.Run("cangw", "-D", "-s", a, "-d", b, "-e", "-f", "123:7FF", "-m", "SET:IL:333.4.1122334455667788");
        Assert.Single(gateway.List());
        gateway.Flush();
        Assert.Empty(gateway.List());
    }
}
