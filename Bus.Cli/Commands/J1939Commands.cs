using System.Globalization;
using Buses.Can;

namespace Buses.Cli.Commands;

/// <summary><c>buses can j1939 send|recv|spy|claim</c>: j1939cat, j1939spy and j1939acd over <see cref="J1939Socket"/> and <see cref="AddressClaimer"/>.</summary>
internal static class J1939Commands
{
    private const string AddressHelp = "FROM and TO are j1939cat's [IFACE][:[SA][,[PGN][,NAME]]], numbers as C reads them (0x80 hex, 128 decimal).";

    public static readonly CliCommand Send = new(
        "can j1939 send",
        "send a file as J1939 messages (j1939cat syntax)",
        $"""
        buses can j1939 send [-i FILE] [-s SIZE] [-R COUNT] [-B] FROM TO

        Reads FILE (default stdin) in pieces of SIZE bytes (default 117440505, the ETP limit) and sends
        each as one message from FROM to TO; the kernel uses TP above 8 bytes and ETP above 1785.
        Waits for each transport session to complete, and fails naming the abort reason if it is aborted.
          -R COUNT  send everything COUNT times     -B  allow broadcast (TO without SA and NAME)
        {AddressHelp}

        Example: buses can j1939 send -i file vcan0:0x80 :0x90,0x12300

        """,
        RunSend);

    public static readonly CliCommand Receive = new(
        "can j1939 recv",
        "receive J1939 messages to stdout (j1939cat -r syntax)",
        $"""
        buses can j1939 recv [-r] [-s SIZE] [-B] FROM [TO]

        Binds to FROM (with TO, receives only from it) and writes the payload of every message to
        stdout, as j1939cat -r does, until interrupted. -s caps one message (default 117440505).
        {AddressHelp}

        Example: buses can j1939 recv vcan0:0x90 > received

        """,
        RunReceive);

    public static readonly CliCommand Spy = new(
        "can j1939 spy",
        "print J1939 traffic (j1939spy syntax)",
        """
        buses can j1939 spy [-P] [-b SIZE] [-t[a|d|z|A]] [[IFACE:][NAME|SA][,PGN]]

        Prints each message as j1939spy does: source, destination, priority, length and data.
          -P  promiscuous (all traffic, not only this ECU's)   -b SIZE  receive buffer (default 1024)
          -t  time: a absolute (default), d delta, z from zero, A absolute with date
        The address is j1939spy's: hex, and a first field of more than 2 digits is a NAME.

        """,
        RunSpy);

    public static readonly CliCommand Claim = new(
        "can j1939 claim",
        "claim and defend a J1939 address (j1939acd syntax)",
        """
        buses can j1939 claim [-r RANGE] [-a ADDRESS] NAME [IFACE]

        Claims an address for NAME (64-bit, hex) on IFACE (default can0) from RANGE (default
        0x80-0xfd; e.g. 80,50-100,200-210) and defends it as j1939acd does; prints every change of
        the held address, until interrupted, then releases it.

        Example: buses can j1939 claim -r 80,50-100 1122334455667788 vcan0

        """,
        RunClaim);

    private static J1939Address Address(string text, string what) =>
        text == "-" ? default : J1939Address.ParseCanUtils(text);

    private static int RunSend(CliContext context)
    {
        Options options = context.Parse("i:s:R:B");
        options.RequireOperands("FROM", "TO");
        J1939Address from = Address(options.Operands[0], "FROM");
        J1939Address to = Address(options.Operands[1], "TO");
        int size = (int)options.Integer('s', J1939.MaxExtendedTransportLength, 1, J1939.MaxExtendedTransportLength);
        long repeat = options.Integer('R', 1, 1, int.MaxValue);
        byte[] data;
        string? file = options.Value('i');
        using (Stream input = file is null or "-" ? Console.OpenStandardInput() : File.OpenRead(file))
        using (var copy = new MemoryStream())
        {
            input.CopyTo(copy);
            data = copy.ToArray();
        }

        using var socket = new J1939Socket(from);
        socket.Broadcast = options.Has('B');
        socket.ErrorQueue = true;
        for (long round = 0; round < repeat; round++)
        {
            for (int offset = 0; offset < data.Length || (offset == 0 && data.Length == 0); offset += size)
            {
                int length = Math.Min(size, data.Length - offset);
                socket.SendTo(data.AsSpan(offset, length), to);
                WaitForSession(context, socket, length);

                if (data.Length == 0)
                {
                    break;
                }
            }
        }

        return Dispatcher.Success;
    }

    // Every send, a single frame too, is a kernel session that runs after send returns; its end is reported on the error queue.
    private static void WaitForSession(CliContext context, J1939Socket socket, int length)
    {
        while (true)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            J1939TransferEvent report = socket.ReceiveTransferEventAsync(context.Cancellation).AsTask().GetAwaiter().GetResult();
            switch (report.Kind)
            {
                case J1939TransferEventKind.TransmitCompleted:
                    return;
                case J1939TransferEventKind.TransmitAborted:
                    throw new BusException((int)report.Error, "j1939 transport session", $"{length}-byte message", report.AbortReason);
            }
        }
    }

    private static int RunReceive(CliContext context)
    {
        Options options = context.Parse("rs:B");
        if (options.Operands.Count is 0 or > 2)
        {
            throw new UsageException(options.Operands.Count == 0 ? "missing FROM" : $"unexpected argument '{options.Operands[2]}'");
        }

        J1939Address from = Address(options.Operands[0], "FROM");
        int size = (int)options.Integer('s', J1939.MaxExtendedTransportLength, 1, J1939.MaxExtendedTransportLength);
        using var socket = new J1939Socket(from);
        socket.Broadcast = options.Has('B');
        if (options.Operands.Count == 2 && options.Operands[1] != "-")
        {
            socket.Connect(Address(options.Operands[1], "TO"));
        }

        // Pages of the buffer are touched only as large messages fill them.
        byte[] buffer = GC.AllocateUninitializedArray<byte>(size);
        using Stream output = Console.OpenStandardOutput();
        while (true)
        {
            J1939MessageInfo info = socket.ReceiveAsync(buffer, context.Cancellation).AsTask().GetAwaiter().GetResult();
            output.Write(buffer, 0, Math.Min(info.Length, buffer.Length));
            output.Flush();
        }
    }

    private static int RunSpy(CliContext context)
    {
        Options options = context.Parse("vPb:t");
        J1939Address local = options.Operands.Count switch
        {
            0 => throw new UsageException("missing [IFACE:][NAME|SA][,PGN]: a J1939 socket needs an interface"),
            1 => ParseSpyAddress(options.Operands[0]),
            _ => throw new UsageException($"unexpected argument '{options.Operands[1]}'"),
        };
        int size = (int)options.Integer('b', 1024, 1, J1939.MaxExtendedTransportLength);
        using var socket = new J1939Socket(local);
        socket.Promiscuous = options.Has('P');
        byte[] buffer = new byte[size];
        SocketTimestamp first = default, last = default;
        while (true)
        {
            J1939MessageInfo info = socket.ReceiveAsync(buffer, context.Cancellation).AsTask().GetAwaiter().GetResult();
            var line = new System.Text.StringBuilder();
            if (options.Has('t') && info.Timestamp.IsSet)
            {
                first = first.IsSet ? first : info.Timestamp;
                line.Append(CultureInfo.InvariantCulture, $"({info.Timestamp.Seconds}.{info.Timestamp.Nanoseconds / 1000:D6}) ");
                last = info.Timestamp;
            }

            line.Append(SpyAddress(info.Source)).Append(' ');
            line.Append(info.DestinationName != J1939.NoName
                ? info.DestinationName.ToString("x16", CultureInfo.InvariantCulture)
                : info.DestinationAddress == J1939.NoAddress ? "-" : info.DestinationAddress.ToString("x2", CultureInfo.InvariantCulture));
            int shown = Math.Min(info.Length, buffer.Length);
            line.Append(CultureInfo.InvariantCulture, $" !{info.Priority} [{info.Length}{(info.Truncated ? "..." : "")}]");
            for (int j = 0; j < shown; j += 4)
            {
                line.Append(' ').Append(Convert.ToHexStringLower(buffer, j, Math.Min(4, shown - j)));
            }

            context.Out.WriteLine(line.ToString());
            context.Out.Flush();
        }
    }

    private static string SpyAddress(J1939Address a)
    {
        string iface = a.Interface.InterfaceName ?? (a.Interface.IsAny ? "" : SafeName(a.Interface.InterfaceIndex));
        // libj1939_addr2str: the NAME when known, then '.' and the address, then ',' and the PGN.
        string who = a.Name != J1939.NoName
            ? a.Name.ToString("x16", CultureInfo.InvariantCulture) + "." + a.Address.ToString("x2", CultureInfo.InvariantCulture)
            : a.Address.ToString("x2", CultureInfo.InvariantCulture);
        return $"{iface}:{who}" + (a.HasPgn ? "," + a.Pgn.ToString("x5", CultureInfo.InvariantCulture) : "");
    }

    private static string SafeName(int index)
    {
        try
        {
            return Interfaces.NameOf(index);
        }
        catch (BusException)
        {
            return "#" + index.ToString(CultureInfo.InvariantCulture);
        }
    }

    // libj1939_str2addr, as j1939spy reads its operand: [IFACE:][NAME|SA][,PGN], hex, more than two digits a NAME.
    private static J1939Address ParseSpyAddress(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string iface = colon < 0 ? text : text[..colon];
        if (iface.Length == 0)
        {
            throw new UsageException($"'{text}' names no interface");
        }

        InterfaceNames.Check(iface, "IFACE");
        string rest = colon < 0 ? "" : text[(colon + 1)..];
        string[] parts = rest.Split(',');
        if (parts.Length > 2)
        {
            throw new UsageException($"'{text}' has more than [NAME|SA][,PGN] after the interface");
        }

        byte sa = J1939.NoAddress;
        ulong name = J1939.NoName;
        uint pgn = J1939.NoPgn;
        string first = StripHex(parts[0]);
        if (first.Length > 0)
        {
            if (!ulong.TryParse(first, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value) || (first.Length <= 2 && value > 0xFF))
            {
                throw new UsageException($"'{parts[0]}' is not a hex address or NAME");
            }

            if (first.Length > 2)
            {
                name = value;
            }
            else
            {
                sa = (byte)value;
            }
        }

        if (parts.Length == 2 && StripHex(parts[1]) is { Length: > 0 } p)
        {
            if (!uint.TryParse(p, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out pgn))
            {
                throw new UsageException($"'{parts[1]}' is not a hex PGN");
            }
        }

        try
        {
            return new J1939Address(iface, sa, pgn, name);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UsageException(e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    private static string StripHex(string s) => s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s[2..] : s;

    private static int RunClaim(CliContext context)
    {
        Options options = context.Parse("vr:c:a:p:");
        if (options.Operands.Count is 0 or > 2)
        {
            throw new UsageException(options.Operands.Count == 0 ? "missing NAME" : $"unexpected argument '{options.Operands[2]}'");
        }

        string nameText = StripHex(options.Operands[0]);
        if (!ulong.TryParse(nameText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong name) || nameText.Length is 0 or > 16)
        {
            throw new UsageException($"NAME '{options.Operands[0]}' is not a 64-bit hex number");
        }

        string iface = InterfaceNames.Check(options.Operands.Count == 2 ? options.Operands[1] : "can0", "IFACE");
        IReadOnlyList<byte> range = AddressClaimer.ParseRange(options.Value('r') ?? "0x80-0xfd");
        byte preferred = J1939.IdleAddress;
        if (options.Value('a') is { } a)
        {
            preferred = J1939Address.ParseCanUtils(":" + a).Address;
        }

        try
        {
            using var claimer = new AddressClaimer(iface, name, range, preferred);
            claimer.AddressChanged += (_, change) =>
            {
                context.Out.WriteLine(change.ToString());
                context.Out.Flush();
            };
            claimer.Run(context.Cancellation);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message.Split(" (Parameter", 2)[0]);
        }

        return context.Cancellation.IsCancellationRequested ? Dispatcher.Interrupted : Dispatcher.Failure;
    }
}
