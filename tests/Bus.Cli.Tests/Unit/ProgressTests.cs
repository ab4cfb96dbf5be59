using Xunit;

namespace Buses.Cli.Tests.Unit;

/// <summary>The closing count line long runs print on stderr (the rate depends on the clock, so its shape is checked).</summary>
public sealed class ProgressTests
{
    [Theory]
    [InlineData(0L, 0L, null, "")]
    [InlineData(5L, 0L, null, "")]
    [InlineData(1000L, 7L, null, ", 7 dropped")]
    [InlineData(3L, 0L, ", logged to x.log", ", logged to x.log")]
    public void Finish_prints_count_duration_rate_and_drops(long count, long drops, string? extra, string tail)
    {
        var error = new StringWriter { NewLine = "\n" };
        var progress = new Progress(error, "buses can gen", framesOnStdout: false);

        progress.Finish(count, drops, extra);

        Assert.Matches($@"^buses can gen: {count} frames in \d+\.\d{{3}} s \(\d+ frames/s\){System.Text.RegularExpressions.Regex.Escape(tail)}\n$", error.ToString());
    }
}
