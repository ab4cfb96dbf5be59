using Xunit;

namespace Buses.Cli.Tests.Unit;

/// <summary>Bad arguments: exit status 2 and a message naming what was wrong, before any socket is opened.</summary>
public sealed class UsageErrorTests
{
    private const string LongName = "abcdefghijklmnop"; // 16 bytes: one more than IFNAMSIZ − 1

    [Theory]
    [InlineData("can dump", new[] { "can", "dump", "vcan0", "-q" }, "unknown option '-q'")]
    [InlineData("can dump", new[] { "can", "dump", "vcan0", "--count" }, "unknown option '--count'")]
    [InlineData("can dump", new[] { "can", "dump", "vcan0", "-n" }, "option '-n' needs a value")]
    [InlineData("can dump", new[] { "can", "dump", "vcan0", "-n", "abc" }, "-n 'abc' is not a whole number")]
    [InlineData("can dump", new[] { "can", "dump", "vcan0", "-n", "0" }, "-n '0' is not a whole number from 1")]
    [InlineData("can dump", new[] { "can", "dump", "vcan0", "-t", "q" }, "-t 'q' is not a, A, d or z")]
    [InlineData("can dump", new[] { "can", "dump", "vcan0", "-r", "0" }, "-r '0' is not a whole number from 1")]
    [InlineData("can dump", new[] { "can", "dump", "vcan0", "-r", "1M" }, "-r '1M' is not a whole number")]
    [InlineData("can dump", new[] { "can", "dump" }, "missing IFACE")]
    [InlineData("can dump", new[] { "can", "dump", LongName }, $"IFACE: Interface name '{LongName}' is 16 bytes long; it must be 1 to 15 bytes")]
    [InlineData("can dump", new[] { "can", "dump", "vcan0,12x:7FF" }, "filter '12x:7FF' in 'vcan0,12x:7FF' is not ID:MASK")]
    [InlineData("can dump", new[] { "can", "dump", "vcan0,123:" }, "filter '123:' in 'vcan0,123:' is not ID:MASK")]
    [InlineData("can dump", new[] { "can", "dump", "vcan0,123" }, "filter '123' in 'vcan0,123' is not ID:MASK")]
    [InlineData("can dump", new[] { "can", "dump", "vcan0,#zz" }, "filter '#zz' in 'vcan0,#zz' is not '#' and a hex error class mask")]
    [InlineData("can send", new[] { "can", "send", "vcan0" }, "missing FRAME")]
    [InlineData("can send", new[] { "can", "send" }, "missing IFACE")]
    [InlineData("can send", new[] { "can", "send", "vcan0", "123#00", "extra" }, "unexpected argument 'extra'")]
    [InlineData("can gen", new[] { "can", "gen", "vcan0", "-f", "-L", "13" }, "-L '13' is not 'r', 'i' or a payload length of 0–8, 12, 16, 20, 24, 32, 48, 64")]
    [InlineData("can gen", new[] { "can", "gen", "vcan0", "-L", "9" }, "-L '9' is not 'r', 'i' or a payload length 0–8")]
    [InlineData("can gen", new[] { "can", "gen", "vcan0", "-I", "800" }, "-I '800' is not 'r', 'i' or a hex CAN ID up to 7FF (add -e for extended IDs)")]
    [InlineData("can gen", new[] { "can", "gen", "vcan0", "-D", "12345" }, "-D '12345' is not 'r', 'i' or hex data bytes")]
    [InlineData("can gen", new[] { "can", "gen", "vcan0", "-X", "-f" }, "-X (CAN XL) cannot be combined with -f/-b/-E")]
    [InlineData("can gen", new[] { "can", "gen", "vcan0", "-R", "-f" }, "-R (remote frames) is classic CAN only")]
    [InlineData("can gen", new[] { "can", "gen", "vcan0", "-g", "soon" }, "-g 'soon' is not a number")]
    [InlineData("can play", new[] { "can", "play", "a=x", "b=x" }, "log interface 'x' is mapped twice")]
    [InlineData("can play", new[] { "can", "play", "-l", "2" }, "-l needs a log file")]
    [InlineData("can play", new[] { "can", "play", "one.log", "two.log" }, "unexpected argument 'two.log'")]
    [InlineData("can play", new[] { "can", "play", "one.log", "-I", "two.log" }, "unexpected argument 'one.log': the log is already 'two.log'")]
    [InlineData("can play", new[] { "can", "play", "x.log", "-I", "a=x", "-I", "b=x" }, "log interface 'x' is mapped twice")]
    [InlineData("can play", new[] { "can", "play", $"vcan0={LongName}" }, $"map 'vcan0={LongName}' is not WRITE-IF=LOG-IF")]
    [InlineData("can link", new[] { "can", "link" }, "missing IFACE")]
    [InlineData("link set", new[] { "link", "set", "v0", "mtu", "abc" }, "mtu 'abc' is not a whole number")]
    [InlineData("link set", new[] { "link", "set", "v0", "mtu", "-1" }, "mtu '-1' is not a whole number")]
    [InlineData("link set", new[] { "link", "set", "v0", "mtu" }, "missing N after 'mtu'")]
    [InlineData("link set", new[] { "link", "set", "v0" }, "missing a setting")]
    [InlineData("link set", new[] { "link", "set", "v0", "sideways" }, "unknown setting 'sideways'")]
    [InlineData("link set", new[] { "link", "set", "v0", "name", LongName }, $"NEWNAME: Interface name '{LongName}' is 16 bytes long")]
    [InlineData("link set", new[] { "link", "set", LongName, "up" }, $"NAME: Interface name '{LongName}' is 16 bytes long")]
    [InlineData("link show", new[] { "link", "show", LongName }, $"NAME: Interface name '{LongName}' is 16 bytes long")]
    [InlineData("link show", new[] { "link", "show", "lo", "-x" }, "unknown option '-x'")]
    [InlineData("link show", new[] { "link", "show", "lo", "eth0" }, "unexpected argument 'eth0'")]
    [InlineData("link add", new[] { "link", "add", "v0", "type" }, "missing KIND after 'type'")]
    [InlineData("link add", new[] { "link", "add", "v0", "kind", "veth" }, "expected 'type', got 'kind'")]
    [InlineData("link add", new[] { "link", "add", "v0", "type", "veth", "peer" }, "missing PEER after 'peer'")]
    [InlineData("link add", new[] { "link", "add", "v0", "type", "veth", "mate", "v1" }, "expected 'peer', got 'mate'")]
    [InlineData("link add", new[] { "link", "add", "a/b", "type", "dummy" }, "NAME: Interface name 'a/b' contains '/'")]
    [InlineData("link del", new[] { "link", "del" }, "missing NAME")]
    [InlineData("link del", new[] { "link", "del", "dev", LongName }, $"NAME: Interface name '{LongName}' is 16 bytes long")]
    [InlineData("link del", new[] { "link", "del", "v0", "v1" }, "unexpected argument 'v1'")]
    [InlineData("link monitor", new[] { "link", "monitor", "v0" }, "unexpected argument 'v0'")]
    [InlineData("capture", new[] { "capture", "v1" }, "missing -w FILE")]
    [InlineData("capture", new[] { "capture", "-w", "x.pcapng" }, "missing IFACE")]
    [InlineData("capture", new[] { "capture", "v1", "-w", "x.pcapng", "-c", "0" }, "-c '0' is not a whole number from 1")]
    [InlineData("capture", new[] { "capture", LongName, "-w", "x.pcapng" }, $"IFACE: Interface name '{LongName}' is 16 bytes long")]
    [InlineData("demo", new[] { "demo", "vcan0", "vcan1" }, "unexpected argument 'vcan1'")]
    [InlineData("demo", new[] { "demo", "-n", "lots" }, "-n 'lots' is not a whole number")]
    public void Bad_arguments_exit_2_naming_the_problem_and_the_usage(string command, string[] args, string message)
    {
        CliResult result = CliRunner.Run(args);

        Assert.True(result.Status == 2, result.ToString());
        Assert.Contains($"buses {command}: {message}", result.Error, StringComparison.Ordinal);
        string synopsis = CommandTable.All.Single(c => c.Path == command).Usage.Split('\n')[0].Trim();
        Assert.Contains($"usage: {synopsis}\n", result.Error, StringComparison.Ordinal);
        Assert.Contains($"Try 'buses {command} --help'.", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Theory]
    [InlineData("123#XYZ", "XYZ")]
    [InlineData("1234#00", "1234")]
    [InlineData("123#001122334455667788", "001122334455667788")]
    [InlineData("123##1" + "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF00", "00112233")]
    public void A_malformed_cansend_frame_exits_2_naming_the_frame_text(string frame, string namedPart)
    {
        CliResult result = CliRunner.Run("can", "send", "vcan0", frame);

        Assert.True(result.Status == 2, result.ToString());
        Assert.StartsWith("buses can send: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(namedPart, result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public void No_arguments_lists_the_commands_and_exits_2()
    {
        CliResult result = CliRunner.Run();

        Assert.Equal(2, result.Status);
        foreach (CliCommand command in CommandTable.All)
        {
            Assert.Contains($"buses {command.Path}", result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_unknown_command_exits_2_and_names_it()
    {
        CliResult result = CliRunner.Run("can", "frobnicate", "-x");

        Assert.Equal(2, result.Status);
        Assert.Contains("buses: unknown command 'can frobnicate'", result.Error, StringComparison.Ordinal);
        Assert.Contains("Try 'buses --help'.", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("can")]
    [InlineData("link")]
    public void A_group_without_a_command_lists_the_group_on_stderr_and_exits_2(string group)
    {
        CliResult result = CliRunner.Run(group);

        Assert.Equal(2, result.Status);
        Assert.Equal("", result.Out);
        Assert.StartsWith($"usage: buses {group} <command>", result.Error, StringComparison.Ordinal);
        foreach (CliCommand command in CommandTable.All.Where(c => c.Path.StartsWith(group + " ", StringComparison.Ordinal)))
        {
            Assert.Contains($"buses {command.Path}", result.Error, StringComparison.Ordinal);
        }
    }
}
