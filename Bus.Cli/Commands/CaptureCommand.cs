using System.Globalization;
using Buses.Packet;

namespace Buses.Cli.Commands;

/// <summary><c>buses capture IFACE -w FILE [-c COUNT]</c>: frames of one interface into a pcapng file, like <c>tcpdump -w</c>.</summary>
internal static class CaptureCommand
{
    public static readonly CliCommand Command = new(
        "capture",
        "capture an interface's frames to a pcapng file (AF_PACKET; Ethernet and CAN)",
        """
        buses capture IFACE -w FILE.pcapng [-c COUNT]

        Captures every frame IFACE sends and receives into FILE (pcapng, readable by Wireshark and
        tshark) until COUNT frames or Ctrl+C, then prints the count and the kernel's drop count.
        Ethernet and loopback interfaces are written as LINKTYPE_ETHERNET, CAN interfaces as
        LINKTYPE_CAN_SOCKETCAN. Needs CAP_NET_RAW.
          -w FILE   the output file ('-' for standard output)
          -c COUNT  stop after COUNT frames

        Example: buses capture can0 -w can0.pcapng -c 100

        """,
        Run);

    private static int Run(CliContext context)
    {
        Options options = context.Parse("w:c:");
        options.RequireOperands("IFACE");
        string file = options.Value('w') ?? throw new UsageException("missing -w FILE");
        long count = options.Integer('c', 0, 1, long.MaxValue);
        string iface = InterfaceNames.Check(options.Operands[0], "IFACE");
        PacketCapture capture;
        try
        {
            capture = new PacketCapture(iface);
        }
        catch (NotSupportedException e)
        {
            context.Error.WriteLine($"buses capture: {iface}: {e.Message}");
            return Dispatcher.Failure;
        }

        using PacketCapture owned = capture;
        bool toStdout = file == "-";
        using Stream output = toStdout ? Console.OpenStandardOutput() : File.Create(file);
        CaptureResult result = capture.CaptureAsync(output, count, context.Cancellation).AsTask().GetAwaiter().GetResult();
        TextWriter report = toStdout ? context.Error : context.Out;
        report.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Packets} frame(s) captured on {iface} (link type {capture.LinkType}); {result.Kernel.Drops} dropped by the kernel"));
        return Dispatcher.Success;
    }
}
