using System.Diagnostics;
using Buses.Can;

namespace Buses.Cli.Commands;

/// <summary><c>buses can gen</c>: cangen.</summary>
internal static class CanGenCommand
{
    public static readonly CliCommand Command = new(
        "can gen",
        "generate frames (cangen: random, incrementing or fixed ID/length/data)",
        """
        buses can gen IFACE [-g MS] [-n COUNT] [-I ID|r|i] [-L LEN|r|i] [-D DATA|r|i] [-e] [-R] [-f] [-b] [-E] [-X] [-m] [-x] [-v]

        Sends frames as cangen does.
          -g MS      gap between frames in milliseconds (default 200; 0 floods; fractions allowed)
          -n COUNT   stop after COUNT frames (default: until Ctrl+C)
          -I MODE    CAN ID (XL: priority): r random (default), i incrementing, or a fixed hex ID
          -L MODE    payload length: r random (default), i incrementing, or a fixed length
          -D MODE    payload: r random (default), i a counting 64-bit number, or fixed hex bytes
          -e         extended (29-bit) IDs        -R  remote frames (classic only)
          -f         CAN FD frames                -b  CAN FD with bit rate switch (BRS)
          -E         CAN FD with ESI set          -X  CAN XL frames (interface MTU >= 76)
          -m         a random mix of classic, remote, extended and FD frames
          -x         no local loopback (other sockets on this host do not see the frames)
          -v         print each frame sent, in cansend syntax, on stdout
        When the interface queue is full (ENOBUFS) the sender waits for room and retries, as
        cangen -p does, so no frame is lost or skipped.
        Counts and rates go to stderr.

        """,
        Run);

    private static int Run(CliContext context)
    {
        Options options = context.Parse("g:n:I:L:D:eRfbEXmxv");
        options.RequireOperands("IFACE");
        string iface = InterfaceNames.Check(options.Operands[0], "IFACE");
        double gapMs = options.Number('g', 200, 3_600_000);
        long count = options.Integer('n', long.MaxValue, 1, long.MaxValue);
        var generator = new CanFrameGenerator(options, new Random());
        bool verbose = options.Has('v');

        using CanRawSocket socket = CanTool.OpenForGenerating(iface, fd: generator.Fd || generator.Mixed, xl: generator.Xl, loopback: !options.Has('x'));
        byte[] wire = new byte[CanFrameText.MaxWireSize];
        char[] text = new char[CanFrameText.MaxLength];
        var progress = new Progress(context.Error, "buses can gen", framesOnStdout: verbose);
        long gapTicks = (long)(gapMs * Stopwatch.Frequency / 1000);
        long next = Stopwatch.GetTimestamp();
        long sent = 0;
        try
        {
            while (sent < count)
            {
                int size = generator.Next(wire);
                CanTool.Send(socket, wire.AsSpan(0, size), context.Cancellation);
                sent++;
                if (verbose)
                {
                    int n = CanFrameText.Format(wire.AsSpan(0, size), text);
                    context.Out.Write(text, 0, n);
                    context.Out.Write('\n');
                }

                progress.Tick(sent);
                if (gapTicks > 0)
                {
                    context.Out.Flush();
                    next += gapTicks;
                    CanTool.WaitUntil(next, context.Cancellation);
                }
            }
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
        }

        context.Out.Flush();
        progress.Finish(sent);
        return Dispatcher.Success;
    }
}
