using System.Diagnostics;
using System.Globalization;

namespace Buses.Cli;

/// <summary>
/// Frame counts and rates for long runs, on stderr so stdout stays clean for <c>-L</c> lines and
/// pipes: a refreshing line once a second while stderr is a terminal, and a summary at the end.
/// </summary>
internal sealed class Progress(TextWriter error, string name, string unit = "frames")
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _live = !Console.IsErrorRedirected;
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
        error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{name}: {count} {unit}, {rate:0} {unit}/s{dropText}   "));
        _liveLineShown = true;
    }

    /// <summary>The closing line: total, mean rate, drops.</summary>
    public void Finish(long count, long drops = 0, string? extra = null)
    {
        double seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        string dropText = drops > 0 ? string.Create(CultureInfo.InvariantCulture, $", {drops} dropped") : "";
        string line = string.Create(CultureInfo.InvariantCulture, $"{name}: {count} {unit} in {seconds:0.000} s ({count / seconds:0} {unit}/s){dropText}{extra}");
        error.WriteLine(_liveLineShown ? "\r" + line + "   " : line);
    }
}
