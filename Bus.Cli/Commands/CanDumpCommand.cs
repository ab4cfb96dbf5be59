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
        buses can dump IFACE[,FILTER[,...]]... [-n COUNT] [-L] [-l] [-f FILE] [-x] [-e] [-t a|A|d|z] [-r SIZE]

        Prints the frames received on each IFACE as candump does: up to 16 interfaces, each with
        its own socket and filters ('any' receives from every CAN interface), lines in arrival
        order naming the interface each frame came on, e.g. buses can dump vcan0 vcan1,123:7FF any
          -n COUNT   stop after COUNT frames in all
          -L         print candump log lines on stdout: (1700000000.123456) vcan0 123#1122
          -l         write a log file candump-YYYY-MM-DD_HHMMSS.log (stdout stays quiet)
          -f FILE    write the log to FILE ('-' is the same as -L)
          -x         show the direction (RX/TX and FD flags; ' R'/' T' on log lines)
          -e         receive error frames and describe each in candump -e's words, one class a
                     line under the frame: protocol-violation{{error-on-tx}{acknowledge-slot}}
          -t MODE    timestamps on screen lines: a absolute, A with date, d delta, z from start;
                     on log lines only a (default) and z (relative) exist
          -r SIZE    receive buffer of each socket in bytes (SO_RCVBUFFORCE when privileged, else
                     SO_RCVBUF), so a slow reader survives a burst instead of dropping frames
        FILTER (kernel filters, as candump takes them):
          ID:MASK    receive when received_id & MASK == ID & MASK (8-digit ID: extended)
          ID~MASK    the inverse
          #ERRMASK   error classes to receive (with -e the default is all)
          j          a frame must match every filter, not one of them
        Frames the kernel dropped are reported per socket as candump does:
          DROPCOUNT: dropped N CAN frames on 'vcan0' socket (total drops M)
        Counts and rates go to stderr, so -L output can be piped to a file or canplayer.

        """,
        Run);

    private static int Run(CliContext context)
    {
        Options options = context.Parse("n:Llf:xet:r:");
        IReadOnlyList<CanDumpSpec> specs = CanDumpSpec.ParseAll(options.Operands);
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

        using var sockets = CanDumpSockets.Open(specs, errors, receiveBuffer);
        using StreamWriter? file = logPath is null ? null : new StreamWriter(logPath, append: false, new System.Text.UTF8Encoding(false), 1 << 16);
        if (logPath is not null)
        {
            context.Error.WriteLine($"Enabling Logfile '{logPath}'");
        }

        // candump right-aligns names to the longest operand name ('any' included), widening when
        // a longer name arrives through 'any'.
        int interfaceWidth = specs.Max(s => s.InterfaceName.Length);
        var screen = logStdout || file is not null ? null : new CandumpView(timestamps, extra, errors);
        using var stdoutLog = logStdout ? new CandumpLogWriter(context.Out, interfaceWidth, secondsWidth, leaveOpen: true) : null;
        using var fileLog = file is null ? null : new CandumpLogWriter(file, interfaceWidth, secondsWidth, leaveOpen: true);
        var progress = new Progress(context.Error, "buses can dump", framesOnStdout: file is null || logStdout);
        long received = 0;
        long totalDrops = 0;
        uint[] lastDrops = new uint[specs.Count];
        long firstNanoseconds = -1;

        void Handle(int index)
        {
            CanTool.Reception meta = sockets.Describe(index);
            ReadOnlySpan<byte> frame = sockets.Message(index).Bytes;
            received++;
            if (meta.Drops != lastDrops[index])
            {
                // Each socket has its own kernel counter: report the frames this one lost since its last report.
                uint dropped = meta.Drops - lastDrops[index];
                string report = CandumpLog.FormatDropCount(dropped, meta.InterfaceName, meta.Drops);
                context.Out.WriteLine(report);
                file?.WriteLine(report);
                totalDrops += dropped;
                lastDrops[index] = meta.Drops;
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
            interfaceWidth = Math.Max(interfaceWidth, meta.InterfaceName.Length);
            screen?.Write(context.Out, nanoseconds, meta.InterfaceName, interfaceWidth, frame, meta.Transmitted);
            progress.Tick(received, totalDrops);
        }

        try
        {
            while (received < count)
            {
                Handle(sockets.Next(context.Cancellation, context.Out));
            }
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            // What the kernel queued before the interrupt arrived before it: log that too, so a
            // dump that fell behind a burst does not lose its tail.
            while (received < count && sockets.TryNextQueued(out int index))
            {
                Handle(index);
            }
        }

        context.Out.Flush();
        file?.Flush();
        progress.Finish(received, totalDrops, logPath is null ? null : $", logged to {logPath}");
        return Dispatcher.Success;
    }
}

/// <summary>One IFACE[,filter…] operand of candump: its own socket, filters, join and error mask.</summary>
internal sealed record CanDumpSpec(string InterfaceName, IReadOnlyList<CanFilter> Filters, CanErrorClasses? ErrorMask, bool Join)
{
    /// <summary>The most operands candump takes (its MAXSOCK).</summary>
    public const int MaxOperands = 16;

    /// <summary>Every operand, checked whole (count, names, filters) before any socket is opened.</summary>
    public static IReadOnlyList<CanDumpSpec> ParseAll(IReadOnlyList<string> operands)
    {
        if (operands.Count == 0)
        {
            throw new UsageException("missing IFACE");
        }

        if (operands.Count > MaxOperands)
        {
            throw new UsageException($"{operands.Count} IFACE operands given; at most {MaxOperands} interfaces can be dumped at once, as in candump");
        }

        return [.. operands.Select(Parse)];
    }

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
                    : throw new UsageException($"filter '{part}' in '{text}' is not '#' and a hex error class mask");
            }
            else if (colon > 0
                && uint.TryParse(part.AsSpan(0, colon), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint id)
                && uint.TryParse(part.AsSpan(colon + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint mask))
            {
                if ((id & 0x20000000) != 0)
                {
                    // The kernel reads bit 29 of a filter's ID as "inverted"; candump's text says that with '~'.
                    throw new UsageException($"filter '{part}' in '{text}' sets bit 29 (0x20000000) of the ID, the kernel's inversion flag: write ID~MASK instead");
                }

                // candump: an 8-digit ID means an extended one; the error flag never belongs in a data filter mask.
                if (colon == 8)
                {
                    id |= 0x80000000;
                }

                filters.Add(new CanFilter(id, mask & ~0x20000000u, inverted: part[colon] == '~'));
            }
            else
            {
                throw new UsageException($"filter '{part}' in '{text}' is not ID:MASK, ID~MASK, #ERRMASK or j (hex values)");
            }
        }

        return new CanDumpSpec(name, filters, errorMask, join);
    }
}

/// <summary>
/// The sockets of one dump, one per operand, read as candump reads them: whichever has a frame is
/// read, and when several have one the earliest kernel timestamp goes first, so lines come in
/// arrival order across interfaces.
/// </summary>
/// <remarks>
/// Each socket keeps one receive in flight on the library's readiness engine. A frame is taken from
/// the socket only when its line is about to be written, so nothing is read ahead of <c>-n</c>.
/// </remarks>
internal sealed class CanDumpSockets : IDisposable
{
    private readonly CanRawSocket[] _sockets;
    private readonly string?[] _boundNames;
    private readonly CanMessage[] _messages;
    private readonly Task?[] _inFlight;
    private readonly bool[] _ready;

    private CanDumpSockets(CanRawSocket[] sockets, string?[] boundNames)
    {
        _sockets = sockets;
        _boundNames = boundNames;
        _messages = [.. sockets.Select(_ => new CanMessage())];
        _inFlight = new Task?[sockets.Length];
        _ready = new bool[sockets.Length];
    }

    /// <summary>Opens and configures one socket per operand, in order; none stays open if one fails.</summary>
    public static CanDumpSockets Open(IReadOnlyList<CanDumpSpec> specs, bool errorFrames, int receiveBuffer)
    {
        List<CanRawSocket> sockets = [];
        try
        {
            foreach (CanDumpSpec spec in specs)
            {
                sockets.Add(CanTool.OpenForDump(spec, errorFrames));
                if (receiveBuffer > 0)
                {
                    sockets[^1].ReceiveBufferSize = receiveBuffer;
                }
            }
        }
        catch
        {
            sockets.ForEach(s => s.Dispose());
            throw;
        }

        return new CanDumpSockets([.. sockets], [.. specs.Select(s => s.InterfaceName == "any" ? null : s.InterfaceName)]);
    }

    /// <summary>The frame last taken from socket <paramref name="index"/>.</summary>
    public CanMessage Message(int index) => _messages[index];

    /// <summary>The metadata of the frame last taken from socket <paramref name="index"/>.</summary>
    public CanTool.Reception Describe(int index) => CanTool.Describe(_messages[index], _boundNames[index]);

    /// <summary>
    /// Takes the next frame and returns its socket's index. Output is flushed only when no socket
    /// has a frame waiting, so a flood costs no write per frame and a trickle is shown at once.
    /// </summary>
    public int Next(CancellationToken cancellation, TextWriter flushBeforeWaiting)
    {
        while (true)
        {
            for (int i = 0; i < _sockets.Length; i++)
            {
                if (!_ready[i] && _inFlight[i] is null)
                {
                    ValueTask receive = _sockets[i].ReceiveAsync(_messages[i], cancellation);
                    if (receive.IsCompletedSuccessfully)
                    {
                        _ready[i] = true;
                    }
                    else
                    {
                        _inFlight[i] = receive.AsTask();
                    }
                }

                if (_inFlight[i] is { IsCompleted: true } done)
                {
                    _inFlight[i] = null;
                    done.GetAwaiter().GetResult();
                    _ready[i] = true;
                }
            }

            if (TakeEarliest() is int index)
            {
                return index;
            }

            flushBeforeWaiting.Flush();
            Task.WaitAny([.. _inFlight.OfType<Task>()], cancellation);
        }
    }

    /// <summary>
    /// After cancellation: takes the next frame the kernel had already queued (or a receive in
    /// flight had completed with), without waiting; false when every socket is empty.
    /// </summary>
    public bool TryNextQueued(out int index)
    {
        for (int i = 0; i < _sockets.Length; i++)
        {
            if (_inFlight[i] is Task receive)
            {
                // The receive ends promptly once cancelled; it must end before this thread reads
                // the socket into the same message.
                _inFlight[i] = null;
                try
                {
                    receive.GetAwaiter().GetResult();
                    _ready[i] = true;
                }
                catch (OperationCanceledException)
                {
                }
            }

            _ready[i] = _ready[i] || CanTool.TryReceiveQueued(_sockets[i], _messages[i]);
        }

        index = TakeEarliest() ?? -1;
        return index >= 0;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (CanRawSocket socket in _sockets)
        {
            socket.Dispose();
        }
    }

    private int? TakeEarliest()
    {
        int best = -1;
        for (int i = 0; i < _sockets.Length; i++)
        {
            if (_ready[i] && (best < 0 || _messages[i].Info.Timestamp.TotalNanoseconds < _messages[best].Info.Timestamp.TotalNanoseconds))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            return null;
        }

        _ready[best] = false;
        return best;
    }
}
