using System.Diagnostics;
using System.Globalization;
using Buses.Can;
using Buses.Netlink;

namespace Buses.Cli.Commands;

/// <summary>
/// <c>buses demo</c>: a live CAN session — a generator and a decoded dump on one interface — run
/// inside the testbed when this host's kernel has no CAN.
/// </summary>
internal static class DemoCommand
{
    public static readonly CliCommand Command = new(
        "demo",
        "live CAN demo: a generator and a decoded dump on vcan0 (in the testbed if needed)",
        """
        buses demo [-n COUNT] [-g MS] [IFACE]

        Sends a mix of frames on IFACE (default $BUSES_CAN_IF or vcan0) — classic, extended,
        remote, CAN FD with bit rate switch, an error frame — and shows what a second socket
        receives: candump's screen line, the candump -L log line, and decoded error frames.
          -n COUNT   frames to send (default 24)
          -g MS      gap between frames in milliseconds (default 150)
        When this kernel has no CAN (socket(AF_CAN) fails with EAFNOSUPPORT) or no such
        interface, the demo re-runs itself inside vcan-setup/testbed, a throwaway Linux guest
        with vcan0 (its first start takes a minute or two).

        """,
        Run);

    // The scenario: what a small vehicle bus carries, in cansend syntax.
    private static readonly string[] s_script =
    [
        "0C0#1F40000000000000",
        "18FEF100#00FF32000000FF00",
        "123##1" + "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF",
        "7DF#R",
        "3A5#DEADBEEF",
        "1F334455#1122334455667788_B",
        "20000004#0004000000000000",
        "123##3" + "CAFE",
    ];

    private static int Run(CliContext context)
    {
        // --in-bed marks the re-run inside the testbed, so a bed without CAN fails instead of looping.
        bool inBed = context.Args.Contains("--in-bed") || Environment.GetEnvironmentVariable("BUSES_TESTBED") == "1";
        Options options = Options.Parse(context.Args.Where(a => a != "--in-bed").ToList(), "n:g:");
        List<string> operands = options.Operands;
        if (operands.Count > 1)
        {
            throw new UsageException($"unexpected argument '{operands[1]}'");
        }

        string iface = operands.FirstOrDefault() ?? Environment.GetEnvironmentVariable("BUSES_CAN_IF") ?? "vcan0";
        long count = options.Integer('n', 24, 1, 1_000_000);
        double gapMs = options.Number('g', 150, 60_000);

        string? missing = CanTool.WhyNoCan(iface);
        if (missing is not null)
        {
            if (inBed)
            {
                context.Error.WriteLine($"buses demo: {missing}, even inside the testbed");
                return Dispatcher.Failure;
            }

            return RunInTestbed(context, missing);
        }

        return Demonstrate(context, iface, count, gapMs);
    }

    private static int RunInTestbed(CliContext context, string missing)
    {
        string? root = FindCheckout();
        if (root is null)
        {
            context.Error.WriteLine($"buses demo: {missing}, and no vcan-setup/testbed was found to run in (set BUSES_ROOT to the checkout)");
            return Dispatcher.Failure;
        }

        context.Error.WriteLine($"buses demo: {missing}.");
        context.Error.WriteLine("buses demo: running inside vcan-setup/testbed, a throwaway Linux guest with vcan0 (about a minute under emulation) ...");
        var start = new ProcessStartInfo(Path.Combine(root, "vcan-setup", "testbed")) { UseShellExecute = false, WorkingDirectory = root };
        foreach (string arg in (string[])["--timeout", "600", "--", Path.Combine(root, "buses"), "demo", "--in-bed", .. context.Args.Where(a => a != "--in-bed")])
        {
            start.ArgumentList.Add(arg);
        }

        context.Out.Flush();
        using Process bed = Process.Start(start) ?? throw new IOException("could not start vcan-setup/testbed");
        bed.WaitForExit();
        return bed.ExitCode;
    }

    private static string? FindCheckout()
    {
        foreach (string? start in (string?[])[Environment.GetEnvironmentVariable("BUSES_ROOT"), Environment.CurrentDirectory, AppContext.BaseDirectory])
        {
            for (string? dir = start; dir is not null; dir = Path.GetDirectoryName(dir))
            {
                if (File.Exists(Path.Combine(dir, "vcan-setup", "testbed")) && File.Exists(Path.Combine(dir, "buses")))
                {
                    return dir;
                }
            }
        }

        return null;
    }

    private static int Demonstrate(CliContext context, string iface, long count, double gapMs)
    {
        TextWriter output = context.Out;
        using (var rtnl = new RouteNetlink())
        {
            LinkInfo link = rtnl.GetLink(iface);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"== {iface}: kind {link.Kind}, MTU {link.Mtu} ({(link.Mtu >= 72 ? "CAN FD capable" : "classic CAN only")}), {(link.IsUp ? "up" : "DOWN")}, kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}"));
        }

        output.WriteLine($"== generator: {count} frames, one every {gapMs.ToString(CultureInfo.InvariantCulture)} ms; dump: a second socket with CAN FD and all error classes enabled");
        output.WriteLine();
        output.Flush();

        var spec = new CanDumpSpec(iface, [], CanErrorClasses.All, Join: false);
        using CanRawSocket receiver = CanTool.OpenForDump(spec, errorFrames: true);
        using CanRawSocket sender = CanTool.OpenForGenerating(iface, fd: true, xl: false, loopback: true);
        var view = new CandumpView('\0', extraInfo: true, decodeErrors: true);
        using var log = new CandumpLogWriter(output, iface.Length, leaveOpen: true);
        byte[] wire = new byte[CanFrameText.MaxWireSize];
        var message = new CanMessage();
        long sent = 0, received = 0, refused = 0;
        uint drops = 0;
        var clock = Stopwatch.StartNew();
        long gapTicks = (long)(gapMs * Stopwatch.Frequency / 1000);
        long next = Stopwatch.GetTimestamp();
        try
        {
            for (; sent < count; sent++)
            {
                string text = s_script[sent % s_script.Length];
                int size = CanFrameText.Parse(text, wire);
                try
                {
                    CanTool.Send(sender, wire.AsSpan(0, size), context.Cancellation);
                }
                catch (BusException e)
                {
                    refused++;
                    output.WriteLine($"  send {text}: the kernel refused it: {e.Message}");
                    continue;
                }

                CanTool.Reception meta = CanTool.Receive(receiver, message, context.Cancellation, output, iface);
                received++;
                drops = meta.Drops;
                output.WriteLine($"sent {text}");
                view.Write(output, meta.TimestampNanoseconds, iface, iface.Length, message.Bytes, meta.Transmitted);
                output.Write("  log: ");
                log.Write(CandumpTimestamp.FromNanoseconds(meta.TimestampNanoseconds), iface, message.Bytes);
                output.Flush();
                next += gapTicks;
                CanTool.WaitUntil(next, context.Cancellation);
            }
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== {sent - refused} frames sent, {received} received, {drops} dropped, {refused} refused by the kernel, in {clock.Elapsed.TotalSeconds:0.0} s"));
        output.WriteLine($"== try: ./buses can dump {iface} -L   |   ./buses can gen {iface} -g 10 -f   |   ./buses can send {iface} 123#DEADBEEF");
        output.Flush();
        return received == sent - refused ? Dispatcher.Success : Dispatcher.Failure;
    }
}
