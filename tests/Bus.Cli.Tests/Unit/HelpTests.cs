using Xunit;

namespace Buses.Cli.Tests.Unit;

/// <summary><c>--help</c> at every level: exit 0, the text on stdout, every option the command accepts described.</summary>
public sealed class HelpTests
{
    public static TheoryData<string> Commands => [.. CommandTable.All.Select(c => c.Path)];

    [Theory]
    [MemberData(nameof(Commands))]
    public void Help_prints_the_usage_on_stdout_and_exits_0(string path)
    {
        CliCommand command = CommandTable.All.Single(c => c.Path == path);
        foreach (string flag in new[] { "--help", "-h", "-?" })
        {
            CliResult result = CliRunner.Run([.. path.Split(' '), "vcan0", flag]);

            Assert.True(result.Status == 0, result.ToString());
            Assert.Equal(command.Usage, result.Out);
            Assert.Equal("", result.Error);
            Assert.StartsWith($"buses {path}", result.Out, StringComparison.Ordinal);
        }
    }

    // The option letters each command's parser accepts (can-utils' letters for the CAN tools).
    [Theory]
    [InlineData("can dump", "nLlfxetr")]
    [InlineData("can gen", "gnILDeRfbEXmxv")]
    [InlineData("can play", "Iltgsnxv")]
    [InlineData("capture", "wc")]
    [InlineData("demo", "ng")]
    [InlineData("link show", "d")]
    public void Help_describes_every_option_the_command_accepts(string path, string letters)
    {
        string help = CliRunner.Run([.. path.Split(' '), "--help"]).Out;
        string[] lines = help.Split('\n');

        foreach (char letter in letters)
        {
            // Described on a line of its own (the option list), not only in the synopsis.
            Assert.True(lines.Skip(1).Any(l => l.TrimStart().StartsWith($"-{letter} ", StringComparison.Ordinal) || l.Contains($"  -{letter} ", StringComparison.Ordinal)),
                $"'buses {path} --help' does not describe -{letter}:\n{help}");
            Assert.Contains($"-{letter}", lines[0], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("can dump", new[] { "ID:MASK", "ID~MASK", "#ERRMASK", "DROPCOUNT" })]
    [InlineData("can send", new[] { "<id>#{data}", "<id>#R{len}", "<id>##<flags>{data}", "CAN XL" })]
    [InlineData("can link", new[] { "bitrate", "dbitrate", "restart-ms", "termination" })]
    [InlineData("link add", new[] { "type KIND", "peer", "EOPNOTSUPP" })]
    [InlineData("link set", new[] { "up|down|mtu N|name NEWNAME" })]
    [InlineData("link del", new[] { "deletes both" })]
    [InlineData("link monitor", new[] { "[NEW]", "[DEL]", "ENOBUFS" })]
    public void Help_of_commands_without_option_letters_describes_their_words(string path, string[] words)
    {
        string help = CliRunner.Run([.. path.Split(' '), "--help"]).Out;

        foreach (string word in words)
        {
            Assert.Contains(word, help, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("can")]
    [InlineData("link")]
    public void Group_help_lists_the_group_commands_on_stdout(string group)
    {
        CliResult result = CliRunner.Run(group, "--help");

        Assert.Equal(0, result.Status);
        Assert.Equal("", result.Error);
        Assert.Contains(CommandTable.Groups[group], result.Out, StringComparison.Ordinal);
        string[] listed = result.Out.Split('\n').Where(l => l.StartsWith("  buses ", StringComparison.Ordinal)).ToArray();
        string[] expected = CommandTable.All.Where(c => c.Path.StartsWith(group + " ", StringComparison.Ordinal)).Select(c => c.Path).ToArray();
        Assert.Equal(expected.Length, listed.Length);
        foreach (string path in expected)
        {
            Assert.Contains(listed, l => l.StartsWith($"  buses {path} ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void Top_level_help_lists_every_command_with_its_summary(string flag)
    {
        CliResult result = CliRunner.Run(flag);

        Assert.Equal(0, result.Status);
        foreach (CliCommand command in CommandTable.All)
        {
            Assert.Matches($@"(?m)^  buses {System.Text.RegularExpressions.Regex.Escape(command.Path)} +{System.Text.RegularExpressions.Regex.Escape(command.Summary)}$", result.Out);
        }
    }
}
