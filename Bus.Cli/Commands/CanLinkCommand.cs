using System.Globalization;
using Buses.Can;
using Buses.Netlink;

namespace Buses.Cli.Commands;

/// <summary><c>buses can link IFACE [show | set …]</c>: the CAN part of <c>ip -d -s link</c> and <c>ip link set … type can</c>.</summary>
internal static class CanLinkCommand
{
    public static readonly CliCommand Command = new(
        "can link",
        "show or configure a CAN interface (ip link … type can keywords)",
        """
        buses can link IFACE [show]
        buses can link IFACE set KEYWORD [VALUE] ...

        show   the link state, MTU, controller state, bit timing and its limits, error counters,
               data bit timing, termination, clock, device and link statistics.
        set    takes the keywords of 'ip link set IFACE type can ...' and sends the same request:
                 bitrate BPS [sample-point SP] | tq TQ prop-seg P phase-seg1 P1 phase-seg2 P2 [sjw S]
                 dbitrate BPS [dsample-point SP] | dtq … dprop-seg … dphase-seg1 … dphase-seg2 … [dsjw …]
                 loopback|listen-only|triple-sampling|one-shot|berr-reporting|fd|fd-non-iso|
                   presume-ack|cc-len8-dlc  on|off
                 restart-ms MS | restart | termination OHMS
               Bit timing can change only while the link is down (ip link set IFACE down).

        Example: buses can link can0 set bitrate 500000 sample-point 0.875 restart-ms 100

        """,
        Run);

    private static int Run(CliContext context)
    {
        // The set keywords are ip's words, not options; only IFACE and the verb are ours.
        IReadOnlyList<string> args = context.Args;
        if (args.Count == 0)
        {
            throw new UsageException("missing IFACE");
        }

        string iface = InterfaceNames.Check(args[0], "IFACE");
        string verb = args.Count > 1 ? args[1] : "show";
        using var rtnl = new RouteNetlink();
        switch (verb)
        {
            case "show" when args.Count == 2 || args.Count == 1:
                Show(context.Out, rtnl.GetLink(iface));
                return Dispatcher.Success;
            case "show":
                throw new UsageException($"unexpected argument '{args[2]}' after show");
            case "set":
                if (args.Count < 3)
                {
                    throw new UsageException("set needs at least one keyword (e.g. bitrate 500000)");
                }

                CanLinkSettings settings = CanLinkSettings.ParseIpArguments(args.Skip(2).ToList());
                LinkInfo link = rtnl.GetLink(iface);
                if (link.Kind != "can")
                {
                    context.Error.WriteLine($"buses can link: note: {iface} is of kind '{link.Kind ?? "unknown"}', not 'can'; the kernel decides whether it takes CAN settings");
                }

                rtnl.SetLinkKindData(iface, "can", settings.WriteKindData);
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{iface}: set {settings.ToIpArguments()}"));
                return Dispatcher.Success;
            default:
                throw new UsageException($"unknown verb '{verb}': use show or set");
        }
    }

    private static void Show(TextWriter output, LinkInfo link)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{link.Index}: {link.Name}: {(link.IsUp ? "UP" : "DOWN")} state {link.OperationalState} mtu {link.Mtu} kind {link.Kind ?? "none"} qlen {link.TransmitQueueLength}"));
        if (link.Kind == "can")
        {
            CanLinkInfo can = CanLinkInfo.Parse(link.KindData.Span);
            string details = can.Format();
            output.WriteLine(details.Length == 0 ? "  the device reports no CAN controller details" : "  " + details);
        }
        else
        {
            // vcan and vxcan have no controller; their MTU alone says which frame kinds they carry.
            string carries = link.Kind is "vcan" or "vxcan" ? $" (MTU {link.Mtu}: {MtuMeaning(link.Mtu)})" : "";
            output.WriteLine($"  {link.Kind ?? "this"} link has no CAN controller: no bit timing, state or error counters{carries}");
        }

        if (link.Statistics is LinkStatistics s)
        {
            output.WriteLine("  RX: packets    bytes      errors     dropped");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {s.ReceivedPackets,-10} {s.ReceivedBytes,-10} {s.ReceiveErrors,-10} {s.ReceiveDropped,-10}"));
            output.WriteLine("  TX: packets    bytes      errors     dropped");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {s.TransmittedPackets,-10} {s.TransmittedBytes,-10} {s.TransmitErrors,-10} {s.TransmitDropped,-10}"));
        }
    }

    private static string MtuMeaning(uint mtu) => mtu switch
    {
        16 => "classic CAN only",
        72 => "CAN FD capable",
        >= 76 => "CAN XL capable",
        _ => "not a CAN MTU",
    };
}
