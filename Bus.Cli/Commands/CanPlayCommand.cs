using System.Diagnostics;
using Buses.Can;

namespace Buses.Cli.Commands;

/// <summary><c>buses can play</c>: canplayer.</summary>
internal static class CanPlayCommand
{
    public static readonly CliCommand Command = new(
        "can play",
        "replay a candump log with its timing (canplayer)",
        """
        buses can play [FILE] [-I MAP|FILE ...] [-l NUM|i] [-t] [-g MS] [-s SECONDS] [-n COUNT] [-x] [-v] [MAP ...]

        Replays a candump log (candump -l / -L / buses can dump -l) as canplayer does.
          -I MAP     an interface map (WRITE-IF=LOG-IF, below); may be repeated
          -I FILE    the log, as canplayer's -I (default: the FILE operand, else stdin; '-' is stdin)
          -l NUM     play the log NUM times; 'i' loops until Ctrl+C (needs a file, not stdin)
          -t         ignore the timestamps: send with a fixed gap (-g) instead
          -g MS      the gap for -t in milliseconds (default 1)
          -s SECONDS skip gaps in the timestamps longer than SECONDS
          -n COUNT   stop after COUNT frames
          -x         no local loopback
          -v         print each frame sent, as a log line, on stdout
        MAP is WRITE-IF=LOG-IF: frames logged on LOG-IF go out on WRITE-IF (vcan1=can0); the
        WRITE-IF 'stdout' prints them instead. With maps, frames of unmapped interfaces are
        skipped; without, each frame goes out on the interface named in the log.

        """,
        Run);

    private static int Run(CliContext context)
    {
        Options options = context.Parse("I:l:tg:s:n:xv");
        string? path = null;
        Dictionary<string, string> map = new(StringComparer.Ordinal);
        // -I carries a map when it has '=' (buses' form) and the log file otherwise (canplayer's),
        // so both habits work; operands are read the same way.
        foreach (string operand in options.All('I').Concat(options.Operands))
        {
            int eq = operand.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                path = path is null ? operand : throw new UsageException($"unexpected argument '{operand}': the log is already '{path}' (maps are WRITE-IF=LOG-IF)");
                continue;
            }

            string write = operand[..eq], log = operand[(eq + 1)..];
            // The kernel's rule (bytes, not characters) that every command checks: a multi-byte name
            // must be a usage error here, not a crash when the socket is opened.
            if (!InterfaceNames.IsValid(write) || !InterfaceNames.IsValid(log))
            {
                throw new UsageException($"map '{operand}' is not WRITE-IF=LOG-IF with interface names of 1–{CandumpLog.MaxInterfaceLength} characters");
            }

            if (!map.TryAdd(log, write))
            {
                throw new UsageException($"log interface '{log}' is mapped twice");
            }
        }

        path ??= "-";
        string? loopText = options.Value('l');
        long loops = loopText == "i" ? long.MaxValue : options.Integer('l', 1, 1, long.MaxValue);
        if (loops > 1 && path == "-")
        {
            throw new UsageException("-l needs a log file: stdin cannot be read twice");
        }

        bool ignoreTimestamps = options.Has('t');
        long gapTicks = (long)(options.Number('g', 1, 3_600_000) * Stopwatch.Frequency / 1000);
        double skipSeconds = options.Number('s', double.PositiveInfinity, double.MaxValue);
        long count = options.Integer('n', long.MaxValue, 1, long.MaxValue);
        bool verbose = options.Has('v');
        bool loopback = !options.Has('x');

        var sockets = new Dictionary<string, CanRawSocket>(StringComparer.Ordinal);
        var progress = new Progress(context.Error, "buses can play", framesOnStdout: verbose || map.ContainsValue("stdout"));
        var printer = new CandumpLogWriter(context.Out, leaveOpen: true);
        long sent = 0, skipped = 0, reportedDrops = 0;
        try
        {
            for (long loop = 0; loop < loops && sent < count; loop++)
            {
                using CandumpLogReader reader = CandumpLogReader.Open(path);
                long start = Stopwatch.GetTimestamp();
                long shiftNanoseconds = 0;
                CandumpTimestamp? first = null, previous = null;
                long next = start;
                while (sent < count && reader.TryRead(out CandumpLogEntry? entry))
                {
                    string? target = map.Count == 0 ? entry!.InterfaceName : map.GetValueOrDefault(entry!.InterfaceName);
                    if (target is null)
                    {
                        skipped++;
                        continue;
                    }

                    if (ignoreTimestamps)
                    {
                        if (sent > 0 && gapTicks > 0)
                        {
                            next += gapTicks;
                            context.Out.Flush();
                            CanTool.WaitUntil(next, context.Cancellation);
                        }
                    }
                    else
                    {
                        first ??= entry.Timestamp;
                        if (previous is CandumpTimestamp p && entry.Timestamp.Since(p).TotalSeconds > skipSeconds)
                        {
                            shiftNanoseconds += entry.Timestamp.TotalNanoseconds - p.TotalNanoseconds;
                        }

                        previous = entry.Timestamp;
                        long dueNanoseconds = entry.Timestamp.TotalNanoseconds - first.Value.TotalNanoseconds - shiftNanoseconds;
                        context.Out.Flush();
                        CanTool.WaitUntil(start + (long)(dueNanoseconds * (double)Stopwatch.Frequency / 1e9), context.Cancellation);
                    }

                    if (target == "stdout")
                    {
                        printer.Write(entry.Timestamp, entry.InterfaceName, entry.Frame.Span, entry.Direction);
                    }
                    else
                    {
                        if (!sockets.TryGetValue(target, out CanRawSocket? socket))
                        {
                            sockets[target] = socket = CanTool.OpenForPlaying(target, loopback);
                        }

                        CanTool.Send(socket, entry.Frame.Span, context.Cancellation);
                        if (verbose)
                        {
                            printer.Write(entry.Timestamp, target, entry.Frame.Span, entry.Direction);
                        }
                    }

                    sent++;
                    progress.Tick(sent);
                }

                reportedDrops += reader.ReportedDrops;
            }
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (CanRawSocket socket in sockets.Values)
            {
                socket.Dispose();
            }
        }

        context.Out.Flush();
        string extra = (skipped > 0 ? $", skipped {skipped} of unmapped interfaces" : "")
            + (reportedDrops > 0 ? $", the log itself reports {reportedDrops} frames dropped while recording" : "");
        progress.Finish(sent, extra: extra);
        return Dispatcher.Success;
    }
}
