using Buses.HilTests.Bed;
using Buses.HilTests.CanTools;
using Xunit;
using static Buses.HilTests.Bluetooth.PythonPeer;
using Testbed = Buses.HilTests.Bed.Bed;

namespace Buses.HilTests.Bluetooth;

// ./buses bt … against BlueZ's hciconfig and Python's socket module.
public sealed class BluetoothCliTests
{
    [Fact]
    public void Bt_list_prints_the_controllers_hciconfig_prints()
    {
        Testbed.Require(Capability.Bluetooth);
        static List<string> Addresses(IEnumerable<string> lines) =>
            [.. lines.Where(l => l.TrimStart().StartsWith("BD Address:", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ', 4)[2]).Order(StringComparer.Ordinal)];
        static List<string> Headers(IEnumerable<string> lines) =>
            [.. lines.Where(l => l.StartsWith("hci", StringComparison.Ordinal)).Select(l => l.Replace("  ", " ", StringComparison.Ordinal).Trim()).Order(StringComparer.Ordinal)];
        IReadOnlyList<string> ours = ToolProcess.Run(Path.Combine(ToolProcess.Root, "buses"), "bt", "list");
        IReadOnlyList<string> theirs = ToolProcess.Run("hciconfig");
        Assert.Equal(Addresses(theirs), Addresses(ours));
        Assert.Equal(Headers(theirs), Headers(ours));
        Assert.Equal(2, ours.Count(l => l.Contains("Settings: powered", StringComparison.Ordinal)));
    }

    [Fact]
    public void Bt_rfcomm_connect_carries_stdin_to_a_python_server_and_its_echo_to_stdout()
    {
        Testbed.Require(Capability.Bluetooth);
        using ToolProcess python = Start(RfcommLineServer, Address1.ToString(), "13");
        Assert.Equal("ready", python.WaitForLines(1)[0]);
        using ToolProcess buses = ToolProcess.Start("sh", "-c", $"printf 'hello over rfcomm\\n' | {Path.Combine(ToolProcess.Root, "buses")} bt rfcomm connect -i {Address0} -t 60 {Address1} 13");
        Assert.Equal("hello over rfcomm", buses.WaitForLines(1)[0]);
        buses.WaitForExit(expectSuccess: true);
        python.WaitForExit(expectSuccess: true);
        Assert.Equal("echoed 18", python.Lines[^1]);
    }
}
