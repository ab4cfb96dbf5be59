using Xunit;

namespace Buses.Cli.Tests.Unit;

/// <summary>
/// <c>buses can play</c> routing without a CAN socket: the write interface 'stdout' prints what would
/// be sent, so the map forms (canplayer's operands and buses' -I MAP) are checked on any host.
/// </summary>
public sealed class CanPlayTests : IDisposable
{
    private readonly string _log = Path.Combine(Directory.CreateTempSubdirectory("buses-play-").FullName, "in.log");

    public CanPlayTests() =>
        File.WriteAllText(_log, """
            (1700000000.000000) can0 123#11
            (1700000000.000100) can1 456#2233
            (1700000000.000200) can0 7FF#R
            """);

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_log)!, recursive: true);

    [Theory]
    [InlineData("FILE -I MAP", new[] { "{log}", "-I", "stdout=can0" })]
    [InlineData("-I FILE MAP", new[] { "-I", "{log}", "stdout=can0" })]
    [InlineData("FILE MAP", new[] { "{log}", "stdout=can0" })]
    public void Every_map_form_replays_only_the_mapped_interface(string form, string[] args)
    {
        CliResult result = CliRunner.Run(["can", "play", "-t", "-g", "0", .. args.Select(a => a.Replace("{log}", _log, StringComparison.Ordinal))]);

        Assert.True(result.Status == 0, $"{form}: {result}");
        Assert.Equal("(1700000000.000000) can0 123#11\n(1700000000.000200) can0 7FF#R\n", result.Out);
        Assert.Contains("skipped 1 of unmapped interfaces", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Loops_replay_the_log_again()
    {
        CliResult result = CliRunner.Run(["can", "play", _log, "-I", "stdout=can1", "-l", "3", "-t", "-g", "0"]);

        Assert.True(result.Status == 0, result.ToString());
        Assert.Equal(string.Concat(Enumerable.Repeat("(1700000000.000100) can1 456#2233\n", 3)), result.Out);
    }
}
