using System.Globalization;
using Buses.Can;

namespace Buses.Cli.Commands;

/// <summary><c>buses can dump</c>: candump.</summary>
internal static class CanDumpCommand
{
    public static readonly CliCommand Command = new(
        "can dump",
        "print received frames (candump: -L log lines, -l log file)",
        """
        buses can dump IFACE[,FILTER[,...]] [-n COUNT] [-L] [-l] [-f FILE] [-x] [-e] [-t a|A|d|z] [-r SIZE]

        Prints the frames received on IFACE (or 'any') as candump does.
          -n COUNT   stop after COUNT frames
          -L         print candump log lines on stdout: (1700000000.123456) vcan0 123#1122
          -l         write a log file candump-YYYY-MM-DD_HHMMSS.log (stdout stays quiet)
          -f FILE    write the log to FILE ('-' is the same as -L)
          -x         show the direction (RX/TX and FD flags; ' R'/' T' on log lines)
          -e         receive error frames and decode them
          -t MODE    timestamps on screen lines: a absolute, A with date, d delta, z from start;
                     on log lines only a (default) and z (relative) exist
          -r SIZE    receive buffer in bytes (SO_RCVBUFFORCE when privileged, else SO_RCVBUF),
                     so a slow reader survives a burst instead of dropping frames
        FILTER (kernel filters, as candump takes them):
          ID:MASK    receive when received_id & MASK == ID & MASK (8-digit ID: extended)
          ID~MASK    the inverse
          #ERRMASK   error classes to receive (with -e the default is all)
          j          a frame must match every filter, not one of them
        Frames the kernel dropped are reported as candump does:
          DROPCOUNT: dropped N CAN frames on 'vcan0' socket (total drops M)
        Counts and rates go to stderr, so -L output can be piped to a file or canplayer.

        """,
        Run);

    private static int Run(CliContext context)
    {
        Options options = context.Parse("n:Llf:xet:r:");
        options.RequireOperands("IFACE");
        CanDumpSpec spec = CanDumpSpec.Parse(options.Operands[0]);
        long count = options.Integer('n', long.MaxValue, 1, long.MaxValue);
        char timestamps = options.Value('t') is string t
            ? (t.Length == 1 && "aAdz".Contains(t[0], StringComparison.Ordinal) ? t[0] : throw new UsageException($"-t '{t}' is not a, A, d or z"))
            : '\0';
        bool logStdout = options.Has('L') || options.Value('f') == "-";
        string? logPath = options.Value('f') is string f && f != "-" ? f : options.Has('l') ? CandumpLog.DefaultFileName(DateTime.Now) : null;
        if ((logStdout || logPath is not null) && timestamps is 'A' or 'd')
        {
            // candump coerces these to absolute for log lines; say so rather than surprise.
            context.Error.WriteLine($"buses can dump: -t {timestamps} does not exist for log lines; using absolute timestamps");
        }

        int secondsWidth = timestamps == 'z' ? 3 : 10;
        bool extra = options.Has('x');
        bool errors = options.Has('e');
        int receiveBuffer = (int)options.Integer('r', 0, 1, int.MaxValue / 2);

        using CanRawSocket socket = CanTool.OpenForDump(spec, errors);
        if (receiveBuffer > 0)
        {
            socket.ReceiveBufferSize = receiveBuffer;
        }

        using StreamWriter? file = logPath is null ? null : new StreamWriter(logPath, append: false, new System.Text.UTF8Encoding(false), 1 << 16);
        if (logPath is not null)
        {
            context.Error.WriteLine($"Enabling Logfile '{logPath}'");
        }

        var screen = logStdout || file is not null ? null : new CandumpView(timestamps, extra, errors);
        using var stdoutLog = logStdout ? new CandumpLogWriter(context.Out, spec.InterfaceName.Length, secondsWidth, leaveOpen: true) : null;
        using var fileLog = file is null ? null : new CandumpLogWriter(file, spec.InterfaceName.Length, secondsWidth, leaveOpen: true);
        var progress = new Progress(context.Error, "buses can dump", framesOnStdout: file is null || logStdout);
        var message = new CanMessage();
        string? boundName = spec.InterfaceName == "any" ? null : spec.InterfaceName;
        long received = 0;
        uint lastDrops = 0;
        long firstNanoseconds = -1;

        void Handle(CanTool.Reception meta)
        {
            ReadOnlySpan<byte> frame = message.Bytes;
            received++;
            if (meta.Drops != lastDrops)
            {
                string report = CandumpLog.FormatDropCount(meta.Drops - lastDrops, meta.InterfaceName, meta.Drops);
                context.Out.WriteLine(report);
                file?.WriteLine(report);
                lastDrops = meta.Drops;
            }

            long nanoseconds = meta.TimestampNanoseconds;
            if (firstNanoseconds < 0)
            {
                firstNanoseconds = nanoseconds;
            }

            var stamp = CandumpTimestamp.FromNanoseconds(secondsWidth == 3 ? nanoseconds - firstNanoseconds : nanoseconds);
            char direction = extra ? (meta.Transmitted ? 'T' : 'R') : '\0';
            stdoutLog?.Write(stamp, meta.InterfaceName, frame, direction);
            fileLog?.Write(stamp, meta.InterfaceName, frame, direction);
            screen?.Write(context.Out, nanoseconds, meta.InterfaceName, spec.InterfaceName.Length, frame, meta.Transmitted);
            progress.Tick(received, lastDrops);
        }

        try
        {
            while (received < count)
            {
                Handle(CanTool.Receive(socket, message, context.Cancellation, context.Out, boundName));
            }
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            // What the kernel queued before the interrupt arrived before it: log that too, so a
            // dump that fell behind a burst does not lose its tail.
            while (received < count && CanTool.TryReceiveQueued(socket, message))
            {
                Handle(CanTool.Describe(message, boundName));
            }
        }

        context.Out.Flush();
        file?.Flush();
        progress.Finish(received, lastDrops, logPath is null ? null : $", logged to {logPath}");
        return Dispatcher.Success;
    }
}

/// <summary>The IFACE[,filter…] argument of candump.</summary>
internal sealed record CanDumpSpec(string InterfaceName, IReadOnlyList<CanFilter> Filters, CanErrorClasses? ErrorMask, bool Join)
{
    public static CanDumpSpec Parse(string text)
    {
        string[] parts = text.Split(',');
        string name = InterfaceNames.Check(parts[0], "IFACE");

        List<CanFilter> filters = [];
        CanErrorClasses? errorMask = null;
        bool join = false;
        foreach (string part in parts.Skip(1))
        {
            int colon = part.IndexOfAny([':', '~']);
            if (part is "j" or "J")
            {
                join = true;
            }
            else if (part.StartsWith('#'))
            {
                errorMask = uint.TryParse(part.AsSpan(1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint mask)
                    ? (CanErrorClasses)mask
                    : throw new UsageException($"filter '{part}' is not '#' and a hex error class mask");
            }
            else if (colon > 0
                && uint.TryParse(part.AsSpan(0, colon), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint id)
                && uint.TryParse(part.AsSpan(colon + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint mask))
            {
                // candump: an 8-digit ID means an extended one; the error flag never belongs in a data filter mask.
                if (colon == 8)
                {
                    id |= 0x80000000;
                }

                filters.Add(new CanFilter(id, mask & ~0x20000000u, inverted: part[colon] == '~'));
            }
            else
            {
                throw new UsageException($"filter '{part}' is not ID:MASK, ID~MASK, #ERRMASK or j (hex values)");
            }
        }

        return new CanDumpSpec(name, filters, errorMask, join);
    }
}
