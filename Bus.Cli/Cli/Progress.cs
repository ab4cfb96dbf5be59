using System.Diagnostics;
using System.Globalization;

namespace Buses.Cli;

/// <summary>
/// Frame counts and rates for long runs, on stderr so stdout stays clean for <c>-L</c> lines and
/// pipes: a refreshing line once a second while stderr is a terminal, and a summary at the end.
/// </summary>
/// <param name="error">Where progress goes (stderr).</param>
/// <param name="name">The command, as each line starts.</param>
/// <param name="framesOnStdout">Whether the command prints a line per frame on stdout: then the live
/// line is shown only when stdout is not the same terminal, so it never interleaves with frames.</param>
internal sealed class Progress(TextWriter error, string name, bool framesOnStdout)
{
    private const string Unit = "frames";
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _live = !Console.IsErrorRedirected && (!framesOnStdout || Console.IsOutputRedirected);
    private long _nextReport = Stopwatch.Frequency;
    private long _lastCount;
    private long _lastTicks;
    private bool _liveLineShown;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Called from the hot loop; cheap unless a second has passed.</summary>
    public void Tick(long count, long drops = 0)
    {
        long now = _clock.ElapsedTicks;
        if (!_live || now < _nextReport)
        {
            return;
        }

        double rate = (count - _lastCount) * (double)Stopwatch.Frequency / Math.Max(1, now - _lastTicks);
        _lastCount = count;
        _lastTicks = now;
        _nextReport = now + Stopwatch.Frequency;
        string dropText = drops > 0 ? string.Create(CultureInfo.InvariantCulture, $", {drops} dropped") : "";
        error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{name}: {count} {Unit}, {rate:0} {Unit}/s{dropText}   "));
        _liveLineShown = true;
    }

    /// <summary>The closing line: total, mean rate, drops.</summary>
    public void Finish(long count, long drops = 0, string? extra = null)
    {
        double seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        string dropText = drops > 0 ? string.Create(CultureInfo.InvariantCulture, $", {drops} dropped") : "";
        string line = string.Create(CultureInfo.InvariantCulture, $"{name}: {count} {Unit} in {seconds:0.000} s ({count / seconds:0} {Unit}/s){dropText}{extra}");
        error.WriteLine(_liveLineShown ? "\r" + line + "   " : line);
    }
}
