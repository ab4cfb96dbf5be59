using System.Globalization;
using System.Text;
using Buses.Netlink;

namespace Buses.Cli.Commands;

/// <summary>
/// <c>buses link show|add|del|set|monitor</c>: the subset of <c>ip link</c> users already type, over
/// <see cref="RouteNetlink"/>.
/// </summary>
internal static class LinkCommands
{
    public static readonly CliCommand Show = new(
        "link show",
        "list links or show one (ip link show [-d])",
        """
        buses link show [NAME] [-d]

        Lists every link of this network namespace, or the one named NAME: index, name, flags, MTU,
        operational state and link-layer address, as 'ip link show' prints them.
          -d   details: kind, peer/parent index, promiscuity, queue length, counters and the kind's
               own attributes (IFLA_INFO_DATA) as type/length/hex ('buses can link NAME' decodes CAN).

        """,
        RunShow);

    public static readonly CliCommand Add = new(
        "link add",
        "add a link: vcan, vxcan or veth pair, dummy, … (ip link add)",
        """
        buses link add [dev] NAME type KIND [peer [name] PEER]

        Creates a link of KIND (vcan, vxcan, veth, dummy, …). vxcan and veth are pairs: PEER names
        the other end (the kernel picks a name when it is left out). The kernel answers EOPNOTSUPP
        "Unknown device type" when it lacks the kind (no vcan module, for instance).

        Example: buses link add vcan0 type vcan
                 buses link add veth0 type veth peer veth1

        """,
        RunAdd);

    public static readonly CliCommand Delete = new(
        "link del",
        "delete a link (ip link del)",
        """
        buses link del [dev] NAME

        Deletes the link; deleting one end of a vxcan or veth pair deletes both.

        """,
        RunDelete);

    public static readonly CliCommand Set = new(
        "link set",
        "set a link up or down, its MTU or name (ip link set)",
        """
        buses link set [dev] NAME up|down|mtu N|name NEWNAME ...

        Applies each setting in order, as 'ip link set' does. Renaming needs the link down.

        Example: buses link set can0 down mtu 72 up

        """,
        RunSet);

    public static readonly CliCommand Monitor = new(
        "link monitor",
        "print link events as they happen (ip monitor link)",
        """
        buses link monitor

        Prints one line per link event ([NEW] for new or changed, [DEL] for deleted) until Ctrl+C.
        If the kernel drops events because they came faster than they were read, the command stops
        with ENOBUFS rather than continue with a wrong picture.

        """,
        RunMonitor);

    private static int RunShow(CliContext context)
    {
        Options options = context.Parse("d");
        using var rtnl = new RouteNetlink();
        IReadOnlyList<LinkInfo> links = options.Operands.Count switch
        {
            0 => rtnl.ListLinks(),
            1 => [rtnl.GetLink(InterfaceNames.Check(options.Operands[0], "NAME"))],
            _ => throw new UsageException($"unexpected argument '{options.Operands[1]}'"),
        };

        foreach (LinkInfo link in links)
        {
            context.Out.Write(Format(link, options.Has('d')));
        }

        return Dispatcher.Success;
    }

    private static int RunAdd(CliContext context)
    {
        var words = new Queue<string>(context.Args);
        string name = TakeName(words);
        Expect(words, "type");
        string kind = words.Count > 0 ? words.Dequeue() : throw new UsageException("missing KIND after 'type'");
        string? peer = null;
        if (words.Count > 0)
        {
            Expect(words, "peer");
            if (words.Count > 0 && words.Peek() == "name")
            {
                words.Dequeue();
            }

            peer = words.Count > 0 ? words.Dequeue() : throw new UsageException("missing PEER after 'peer'");
        }

        if (words.Count > 0)
        {
            throw new UsageException($"unexpected argument '{words.Peek()}'");
        }

        using var rtnl = new RouteNetlink();
        if (peer is null)
        {
            rtnl.AddLink(name, kind);
        }
        else
        {
            rtnl.AddPair(name, kind, peer);
        }

        return Dispatcher.Success;
    }

    private static int RunDelete(CliContext context)
    {
        var words = new Queue<string>(context.Args);
        string name = TakeName(words);
        if (words.Count > 0)
        {
            throw new UsageException($"unexpected argument '{words.Peek()}'");
        }

        using var rtnl = new RouteNetlink();
        rtnl.DeleteLink(name);
        return Dispatcher.Success;
    }

    private static int RunSet(CliContext context)
    {
        var words = new Queue<string>(context.Args);
        string name = TakeName(words);
        if (words.Count == 0)
        {
            throw new UsageException("missing a setting: up, down, mtu N or name NEWNAME");
        }

        // Check every word before changing anything, so a typo at the end does not leave half a change.
        var steps = new List<Action<RouteNetlink>>();
        string current = name;
        while (words.Count > 0)
        {
            string word = words.Dequeue();
            string target = current;
            switch (word)
            {
                case "up":
                    steps.Add(r => r.SetUp(target, true));
                    break;
                case "down":
                    steps.Add(r => r.SetUp(target, false));
                    break;
                case "mtu":
                    string text = words.Count > 0 ? words.Dequeue() : throw new UsageException("missing N after 'mtu'");
                    if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint mtu))
                    {
                        throw new UsageException($"mtu '{text}' is not a whole number from 0 to 4294967295");
                    }

                    steps.Add(r => r.SetMtu(target, mtu));
                    break;
                case "name":
                    string newName = words.Count > 0 ? words.Dequeue() : throw new UsageException("missing NEWNAME after 'name'");
                    InterfaceNames.Check(newName, "NEWNAME");
                    steps.Add(r => r.SetName(target, newName));
                    current = newName;
                    break;
                default:
                    throw new UsageException($"unknown setting '{word}': use up, down, mtu N or name NEWNAME");
            }
        }

        using var rtnl = new RouteNetlink();
        foreach (Action<RouteNetlink> step in steps)
        {
            step(rtnl);
        }

        return Dispatcher.Success;
    }

    private static int RunMonitor(CliContext context)
    {
        context.Parse("").RequireOperands();
        return MonitorAsync(context).AsTask().GetAwaiter().GetResult();
    }

    private static async ValueTask<int> MonitorAsync(CliContext context)
    {
        try
        {
            await foreach (LinkEvent e in RouteNetlink.MonitorLinksAsync(context.Cancellation).ConfigureAwait(false))
            {
                context.Out.Write(e.Kind == LinkEventKind.Deleted ? "[DEL] " : "[NEW] ");
                context.Out.Write(Format(e.Link, details: false));
                context.Out.Flush();
            }
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
        }

        return Dispatcher.Success;
    }

    /// <summary>Formats a link the way <c>ip link show</c> does (two lines, more with details).</summary>
    internal static string Format(LinkInfo link, bool details)
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.Append(c, $"{link.Index}: {link.Name}");
        if (link.ParentIndex is int parent && details)
        {
            text.Append(c, $"@if{parent}");
        }

        text.Append(c, $": <{FlagText(link.Flags)}> mtu {link.Mtu} state {StateText(link.OperationalState)}");
        if (link.TransmitQueueLength != 0)
        {
            text.Append(c, $" qlen {link.TransmitQueueLength}");
        }

        text.Append('\n');
        text.Append(c, $"    link/{TypeText(link.HardwareType)}");
        if (!link.Address.IsEmpty)
        {
            text.Append(' ').Append(link.FormatAddress());
        }

        if (!link.BroadcastAddress.IsEmpty)
        {
            text.Append(" brd ").Append(LinkInfo.FormatHardwareAddress(link.BroadcastAddress.Span));
        }

        text.Append(c, $"{(details ? $" promiscuity {link.Promiscuity}" : "")}\n");
        if (details)
        {
            if (link.Kind is not null)
            {
                text.Append(c, $"    {link.Kind}");
                foreach ((ushort type, string hex) in KindAttributes(link))
                {
                    text.Append(c, $" [{type}]={hex}");
                }

                text.Append('\n');
            }

            if (link.Statistics is LinkStatistics s)
            {
                text.Append(c, $"    RX: bytes {s.ReceivedBytes} packets {s.ReceivedPackets} errors {s.ReceiveErrors} dropped {s.ReceiveDropped}\n");
                text.Append(c, $"    TX: bytes {s.TransmittedBytes} packets {s.TransmittedPackets} errors {s.TransmitErrors} dropped {s.TransmitDropped}\n");
            }
        }

        return text.ToString();
    }

    private static List<(ushort, string)> KindAttributes(LinkInfo link)
    {
        var list = new List<(ushort, string)>();
        foreach (NetlinkAttribute attribute in link.KindDataAttributes)
        {
            list.Add((attribute.Type, Convert.ToHexStringLower(attribute.Payload)));
        }

        return list;
    }

    private static readonly (LinkFlags Flag, string Name)[] s_flagNames =
    [
        (LinkFlags.Loopback, "LOOPBACK"), (LinkFlags.Broadcast, "BROADCAST"), (LinkFlags.PointToPoint, "POINTOPOINT"),
        (LinkFlags.Multicast, "MULTICAST"), (LinkFlags.NoArp, "NOARP"), (LinkFlags.AllMulticast, "ALLMULTI"),
        (LinkFlags.Promiscuous, "PROMISC"), (LinkFlags.Master, "MASTER"), (LinkFlags.Slave, "SLAVE"),
        (LinkFlags.Debug, "DEBUG"), (LinkFlags.Dynamic, "DYNAMIC"), (LinkFlags.AutoMedia, "AUTOMEDIA"),
        (LinkFlags.PortSelect, "PORTSEL"), (LinkFlags.NoTrailers, "NOTRAILERS"), (LinkFlags.Up, "UP"),
        (LinkFlags.LowerUp, "LOWER_UP"), (LinkFlags.Dormant, "DORMANT"), (LinkFlags.Echo, "ECHO"),
    ];

    private static string FlagText(LinkFlags flags) =>
        string.Join(',', s_flagNames.Where(f => (flags & f.Flag) != 0).Select(f => f.Name));

    private static string StateText(LinkOperationalState state) => state switch
    {
        LinkOperationalState.NotPresent => "NOTPRESENT",
        LinkOperationalState.LowerLayerDown => "LOWERLAYERDOWN",
        _ => state.ToString().ToUpperInvariant(),
    };

    private static string TypeText(ushort hardwareType) => hardwareType switch
    {
        1 => "ether",
        280 => "can",
        772 => "loopback",
        776 => "sit",
        0xFFFE => "none",
        _ => hardwareType.ToString(CultureInfo.InvariantCulture),
    };

    private static string TakeName(Queue<string> words)
    {
        if (words.Count > 0 && words.Peek() == "dev")
        {
            words.Dequeue();
        }

        string name = words.Count > 0 ? words.Dequeue() : throw new UsageException("missing NAME");
        return InterfaceNames.Check(name, "NAME");
    }

    private static void Expect(Queue<string> words, string keyword)
    {
        if (words.Count == 0 || words.Peek() != keyword)
        {
            throw new UsageException(words.Count == 0 ? $"missing '{keyword}'" : $"expected '{keyword}', got '{words.Peek()}'");
        }

        words.Dequeue();
    }
}
