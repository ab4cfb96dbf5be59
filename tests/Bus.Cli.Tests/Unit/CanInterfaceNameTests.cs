using Xunit;

namespace Buses.Cli.Tests.Unit;

/// <summary>An interface name over IFNAMSIZ − 1 bytes is bad usage for every CAN tool (exit 2, the name and the rule named).</summary>
public sealed class CanInterfaceNameTests
{
    [Theory]
    [InlineData("can send", new[] { "can", "send", "abcdefghijklmnop", "123#00" }, "abcdefghijklmnop")]
    [InlineData("can gen", new[] { "can", "gen", "abcdefghijklmnop", "-n", "1" }, "abcdefghijklmnop")]
    [InlineData("can link", new[] { "can", "link", "abcdefghijklmnop" }, "abcdefghijklmnop")]
    [InlineData("can dump", new[] { "can", "dump", "ééééééééé" }, "ééééééééé")]
    public void An_overlong_interface_name_exits_2_naming_it(string command, string[] args, string name)
    {
        CliResult result = CliRunner.Run(args);

        Assert.True(result.Status == 2, result.ToString());
        Assert.Contains($"buses {command}: ", result.Error, StringComparison.Ordinal);
        Assert.Contains($"'{name}'", result.Error, StringComparison.Ordinal);
        Assert.Contains("15", result.Error, StringComparison.Ordinal);
    }
}
