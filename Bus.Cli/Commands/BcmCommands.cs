using System.Globalization;
using System.Runtime.InteropServices;
using Buses.Can;

namespace Buses.Cli.Commands;

/// <summary><c>buses can bcm tx|rx</c>: cyclic transmit and content-change watch jobs of the kernel's broadcast manager.</summary>
internal static class BcmCommands
{
    public static readonly CliCommand Transmit = new(
        "can bcm tx",
        "send frames cyclically from a kernel timer (CAN_BCM TX_SETUP)",
        """
        buses can bcm tx [options] IFACE FRAME [FRAME...]

        Starts a broadcast-manager job that sends FRAME (cansend syntax, e.g. 123#1122 or 123##1AABB for
        CAN FD) every interval from a kernel timer; several FRAMEs are sent in turn. The job runs until
        Ctrl+C (closing the socket deletes it) or until -n frames have gone out.
          -i <interval>   the interval: 100ms, 1s, 250us or plain seconds (0.1); required
          -n <count>      send count frames, then stop and exit (TX_COUNTEVT reports the end)
        Every frame of a job has the first FRAME's CAN ID.

        Exit status: 0 done or interrupted, 1 the kernel refused the job, 2 bad arguments.

        """,
        RunTransmit);

    public static readonly CliCommand Receive = new(
        "can bcm rx",
        "watch an ID for content changes and timeouts (CAN_BCM RX_SETUP)",
        """
        buses can bcm rx [options] IFACE CAN_ID

        Starts a broadcast-manager receive job for CAN_ID (3 hex digits, or 8 for extended) and prints each
        frame whose data changed as a candump -L line: (seconds.micros) IFACE ID#DATA. When no frame comes
        within -t, prints '# timeout IFACE ID'; the first frame after that is reported again.
          -t <timeout>    report a timeout after this long without the ID: 1s, 500ms, 0.5
          -m <mask>       the bits to watch, hex bytes like cansend data (FF00FF); default all eight bytes
          -a              report every frame, not only changes (RX_FILTER_ID)
          -d              a change of the data length is a change too (RX_CHECK_DLC)
          -T <interval>   throttle: at most one report per interval
          -F              watch CAN FD frames
          -n <count>      exit after count reports (changes and timeouts)

        Exit status: 0 done or interrupted, 1 a kernel error, 2 bad arguments.

        """,
        RunReceive);

    private static int RunTransmit(CliContext context)
    {
        Options options = context.Parse("i:n:");
        if (options.Operands.Count < 2)
        {
            throw new UsageException(options.Operands.Count == 0 ? "missing IFACE" : "missing FRAME");
        }

        string iface = InterfaceNames.Check(options.Operands[0], "IFACE");
        TimeSpan interval = Duration(options, 'i') ?? throw new UsageException("missing -i <interval>");
        uint count = (uint)options.Integer('n', 0, 1, uint.MaxValue);
        var classic = new List<CanFrame>();
        var fd = new List<CanFdFrame>();
        byte[] wire = new byte[CanFrameText.MaxWireSize];
        foreach (string text in options.Operands.Skip(1))
        {
            int size = CanFrameText.Parse(text, wire);
            switch (size)
            {
                case CanFrame.Size:
                    classic.Add(MemoryMarshal.Read<CanFrame>(wire));
                    break;
                case CanFdFrame.Size:
                    fd.Add(MemoryMarshal.Read<CanFdFrame>(wire));
                    break;
                default:
                    throw new UsageException($"'{text}' is a CAN XL frame; the broadcast manager sends classic and FD frames");
            }
        }

        if (classic.Count > 0 && fd.Count > 0)
        {
            throw new UsageException("one job holds classic or FD frames, not both");
        }

        CanId id = classic.Count > 0 ? classic[0].Id : fd[0].Id;
        using var socket = new CanBcmSocket(iface);
        BcmTransmitJob started = Build(classic, fd, id, interval, count);
        socket.StartTransmitAsync(started, context.Cancellation).AsTask().GetAwaiter().GetResult();
        if (count == 0)
        {
            context.Cancellation.WaitHandle.WaitOne();
            context.Cancellation.ThrowIfCancellationRequested();
        }

        var reply = new BcmMessage();
        while (count > 0)
        {
            socket.ReceiveAsync(reply, context.Cancellation).AsTask().GetAwaiter().GetResult();
            if (reply.Opcode == BcmOpcode.TransmitExpired)
            {
                break;
            }
        }

        return Dispatcher.Success;
    }

    // With a count the job sends count frames at ival1 and stops (ival2 = 0); without, forever at ival2.
    private static BcmTransmitJob Build(List<CanFrame> classic, List<CanFdFrame> fd, CanId id, TimeSpan interval, uint count) => count > 0
        ? (classic.Count > 0
            ? new BcmTransmitJob(id, [.. classic]) { Count = count, CountInterval = interval, ReportCountExpired = true }
            : new BcmTransmitJob(id, [.. fd]) { Count = count, CountInterval = interval, ReportCountExpired = true })
        : (classic.Count > 0
            ? new BcmTransmitJob(id, [.. classic]) { Interval = interval }
            : new BcmTransmitJob(id, [.. fd]) { Interval = interval });

    private static int RunReceive(CliContext context)
    {
        Options options = context.Parse("t:m:adT:Fn:");
        options.RequireOperands("IFACE", "CAN_ID");
        string iface = InterfaceNames.Check(options.Operands[0], "IFACE");
        CanId id;
        try
        {
            id = IsoTpAddress.ParseCanId(options.Operands[1]);
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            throw new UsageException($"CAN_ID '{options.Operands[1]}' is not 3 hex digits (standard) or 8 (extended)");
        }

        bool isFd = options.Has('F');
        long limit = options.Integer('n', 0, 1, long.MaxValue);
        TimeSpan timeout = Duration(options, 't') ?? TimeSpan.Zero;
        TimeSpan throttle = Duration(options, 'T') ?? TimeSpan.Zero;
        BcmReceiveJob job;
        if (options.Has('a'))
        {
            job = new BcmReceiveJob(id, isFd) { Timeout = timeout, Throttle = throttle, CheckDlc = options.Has('d'), AnnounceResume = true };
        }
        else
        {
            byte[] mask = options.Value('m') is { } m ? Convert.FromHexString(m.Replace(".", "", StringComparison.Ordinal)) : [.. Enumerable.Repeat((byte)0xFF, isFd ? 64 : 8)];
            job = new BcmReceiveJob(id, mask, isFd) { Timeout = timeout, Throttle = throttle, CheckDlc = options.Has('d'), AnnounceResume = true };
        }

        using var socket = new CanBcmSocket(iface);
        socket.StartReceiveAsync(job, context.Cancellation).AsTask().GetAwaiter().GetResult();
        var message = new BcmMessage();
        char[] line = new char[CandumpLog.MaxLineLength];
        long reports = 0;
        while (limit == 0 || reports < limit)
        {
            socket.ReceiveAsync(message, context.Cancellation).AsTask().GetAwaiter().GetResult();
            if (message.Opcode == BcmOpcode.ReceiveTimeout)
            {
                context.Out.WriteLine($"# timeout {iface} {IsoTpAddress.FormatCanId(id)}");
            }
            else if (message.Opcode == BcmOpcode.ReceiveChanged && message.FrameCount > 0)
            {
                ReadOnlySpan<byte> frame = message.IsFd
                    ? MemoryMarshal.AsBytes(message.FdFrames[..1])
                    : MemoryMarshal.AsBytes(message.Frames[..1]);
                var stamp = CandumpTimestamp.FromNanoseconds(Math.Max(0, message.Timestamp.TotalNanoseconds));
                int length = CandumpLog.FormatLine(line, stamp, iface, frame);
                context.Out.WriteLine(line, 0, length);
            }
            else
            {
                continue;
            }

            context.Out.Flush();
            reports++;
        }

        return Dispatcher.Success;
    }

    /// <summary>A duration as the tools take it: 100ms, 1s, 250us, or plain (fractional) seconds.</summary>
    internal static TimeSpan? Duration(Options options, char letter)
    {
        if (options.Value(letter) is not { } text)
        {
            return null;
        }

        (string number, double scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1e-3)
            : text.EndsWith("us", StringComparison.Ordinal) ? (text[..^2], 1e-6)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || value * scale > BcmMessage.MaxInterval.TotalSeconds)
        {
            throw new UsageException($"-{letter} '{text}' is not a duration from 0 to 400 days (100ms, 1s, 250us, 0.5)");
        }

        return TimeSpan.FromTicks((long)Math.Round(value * scale * TimeSpan.TicksPerSecond));
    }
}
