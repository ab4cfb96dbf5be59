using Buses.HilTests.CanTools;
using Xunit;

namespace Buses.HilTests.Bed;

/// <summary>
/// <c>vcan-setup/host-setup.sh</c>, the script users run on a real machine with the modules, checked
/// on the one real kernel the project always has: the bed's. The bed was built by the same
/// topology functions, so <c>up</c> on it must be a no-op that reports the bed's own environment.
/// </summary>
public sealed class HostSetupTests
{
    [Fact]
    public void Up_on_a_built_topology_changes_nothing_and_prints_the_environment_the_tests_read()
    {
        Assert.SkipUnless(Bed.InTestbed, "host-setup.sh up changes this machine's interfaces; the bed is the one place a test may run it");
        string[] before = [.. Interfaces.List().Select(i => $"{i.Index}:{i.Name}").Order(StringComparer.Ordinal)];

        IReadOnlyList<string> printed = ToolProcess.Run(Path.Combine(ToolProcess.Root, "vcan-setup", "host-setup.sh"), "up");
        IReadOnlyList<string> again = ToolProcess.Run(Path.Combine(ToolProcess.Root, "vcan-setup", "host-setup.sh"), "up");

        // Same interfaces with the same indexes: nothing was deleted and made again.
        Assert.Equal(before, Interfaces.List().Select(i => $"{i.Index}:{i.Name}").Order(StringComparer.Ordinal));
        Assert.Equal(printed, again);
        Dictionary<string, string> exported = printed
            .Where(l => l.StartsWith("export ", StringComparison.Ordinal))
            .SelectMany(l => l["export ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        string[] promised = ["BUSES_CAN_IF", "BUSES_CAN_IF2", "BUSES_VXCAN", "BUSES_CANXL_IF", "BUSES_BT0_IF", "BUSES_BT1_IF", "BUSES_BT0", "BUSES_BT1", "BUSES_TIPC_NODE", "BUSES_TIPC_PEER_NODE", "BUSES_TIPC_PEER_NETNS"];
        foreach (string name in promised)
        {
            string? bed = Environment.GetEnvironmentVariable(name);
            if (bed is null)
            {
                Assert.False(exported.ContainsKey(name), $"host-setup.sh exports {name}, which the bed does not set");
                continue;
            }

            Assert.True(exported.TryGetValue(name, out string? value), $"host-setup.sh does not export {name}:\n{string.Join('\n', printed)}");
            Assert.Equal(bed, value);
        }
    }
}
