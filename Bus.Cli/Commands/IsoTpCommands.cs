using System.Globalization;
using System.Text;
using Buses.Can;

namespace Buses.Cli.Commands;

/// <summary><c>buses can isotp send|recv</c>: isotpsend and isotprecv with can-utils 2020.11's letters and formats.</summary>
internal static class IsoTpCommands
{
    // isotprecv's buffer (BUFSIZE 5000) covers 4095-byte PDUs; ours covers the kernel's default maximum.
    private const int MaxPdu = 8300;

    public static readonly CliCommand Send = new(
        "can isotp send",
        "send one ISO-TP PDU read as hex from stdin (isotpsend)",
        """
        buses can isotp send [options] IFACE

        Sends one PDU, read from stdin as space-separated hex bytes (echo 11 22 33 | ...), as isotpsend.
          -s <can_id>        source (transmit) CAN ID, hex; 8 digits for an extended ID
          -d <can_id>        destination CAN ID: where the flow control comes from
          -x <addr>[:<rx>]   extended addressing, optionally a separate receive address
          -p [tx]:[rx]       set and enable tx/rx padding bytes
          -P <l|c|a>         check rx padding for length, content, all
          -t <ns>            frame transmit time (N_As) in nanoseconds ('ZERO' for zero)
          -f <ns>            ignore the peer's STmin and force this one, in nanoseconds
          -D <len>           send a fixed PDU of len bytes 01 02 03 ... instead of stdin
          -b                 block until the whole PDU is out (errors such as a missing flow control show)
          -S                 single-frame broadcast (functional addressing)
          -C                 consecutive-frame broadcast: no flow control awaited
          -L <mtu>:<tx_dl>:<tx_flags>   link layer for CAN FD, e.g. 72:64:1

        Exit status: 0 sent, 1 the kernel refused (errno named with its ISO-TP meaning), 2 bad arguments.

        """,
        RunSend);

    public static readonly CliCommand Receive = new(
        "can isotp recv",
        "receive ISO-TP PDUs and print them as hex (isotprecv)",
        """
        buses can isotp recv [options] IFACE

        Receives a PDU and prints it as isotprecv does: each byte as two hex digits and a space, then a newline.
          -s <can_id>        source CAN ID: the flow control goes out with it
          -d <can_id>        destination CAN ID: the PDU arrives on it
          -x <addr>[:<rx>]   extended addressing, optionally a separate receive address
          -p [tx]:[rx]       set and enable tx/rx padding bytes
          -P <l|c|a>         check rx padding for length, content, all
          -b <bs>            block size sent in the flow control, hex (0 = off)
          -m <val>           STmin sent in the flow control, hex (00-7F ms, F1-F9 100-900 us)
          -w <num>           maximum wait frames, hex
          -f <ns>            drop consecutive frames faster than this, in nanoseconds
          -l                 loop: keep receiving after the first PDU
          -L <mtu>:<tx_dl>:<tx_flags>   link layer for CAN FD

        Exit status: 0 received, 1 a kernel error (errno named with its ISO-TP meaning), 2 bad arguments.

        """,
        RunReceive);

    private static int RunSend(CliContext context)
    {
        Options options = context.Parse("s:d:x:p:P:t:f:D:bSCL:");
        options.RequireOperands("IFACE");
        string iface = InterfaceNames.Check(options.Operands[0], "IFACE");
        (IsoTpOptions opts, IsoTpLinkLayer? ll, CanId tx, CanId rx) = Common(options);
        IsoTpFlags flags = opts.Flags
            | (options.Has('b') ? IsoTpFlags.WaitTransmitDone : 0)
            | (options.Has('S') ? IsoTpFlags.SingleFrameBroadcast : 0)
            | (options.Has('C') ? IsoTpFlags.ConsecutiveFrameBroadcast : 0)
            | (options.Has('f') ? IsoTpFlags.ForceTransmitStmin : 0);
        if (options.Value('t') is { } txtime)
        {
            opts = opts with { FrameTransmitTime = txtime == "ZERO" ? IsoTpOptions.ZeroTransmitTime : (uint)options.Integer('t', 0, 0, uint.MaxValue) };
        }

        byte[] pdu;
        if (options.Has('D'))
        {
            int length = (int)options.Integer('D', 0, 1, MaxPdu);
            pdu = new byte[length];
            for (int i = 0; i < length; i++)
            {
                pdu[i] = (byte)((i % 0xFF) + 1);
            }
        }
        else
        {
            pdu = ParseHex(Console.In.ReadToEnd());
        }

        using var socket = new IsoTpSocket();
        socket.Options = opts with { Flags = flags };
        if (ll is { } link)
        {
            socket.LinkLayer = link;
        }

        if (options.Has('f'))
        {
            socket.TransmitStmin = TimeSpan.FromTicks(options.Integer('f', 0, 0, int.MaxValue) / 100);
        }

        socket.Bind(new IsoTpAddress(iface, rx, tx));
        context.Cancellation.ThrowIfCancellationRequested();
        socket.SendAsync(pdu, context.Cancellation).AsTask().GetAwaiter().GetResult();

        // Closing waits in the kernel until the PDU is out, as isotpsend relies on.
        return Dispatcher.Success;
    }

    private static int RunReceive(CliContext context)
    {
        Options options = context.Parse("s:d:x:p:P:b:m:w:f:lL:");
        options.RequireOperands("IFACE");
        string iface = InterfaceNames.Check(options.Operands[0], "IFACE");
        (IsoTpOptions opts, IsoTpLinkLayer? ll, CanId tx, CanId rx) = Common(options);
        using var socket = new IsoTpSocket();
        socket.Options = opts with { Flags = opts.Flags | (options.Has('f') ? IsoTpFlags.ForceReceiveStmin : 0) };
        socket.FlowControl = new IsoTpFlowControl(Hex(options, 'b'), Hex(options, 'm'), Hex(options, 'w'));
        if (ll is { } link)
        {
            socket.LinkLayer = link;
        }

        if (options.Has('f'))
        {
            socket.ReceiveStmin = TimeSpan.FromTicks(options.Integer('f', 0, 0, int.MaxValue) / 100);
        }

        socket.Bind(new IsoTpAddress(iface, rx, tx));
        byte[] buffer = new byte[MaxPdu];
        var line = new StringBuilder();
        do
        {
            int length = socket.ReceiveAsync(buffer, context.Cancellation).AsTask().GetAwaiter().GetResult();
            line.Clear();
            for (int i = 0; i < Math.Min(length, buffer.Length); i++)
            {
                line.Append(buffer[i].ToString("X2", CultureInfo.InvariantCulture)).Append(' ');
            }

            context.Out.WriteLine(line);
            context.Out.Flush();
        }
        while (options.Has('l'));

        return Dispatcher.Success;
    }

    private static (IsoTpOptions Options, IsoTpLinkLayer? LinkLayer, CanId Tx, CanId Rx) Common(Options options)
    {
        CanId tx = Id(options, 's') ?? throw new UsageException("missing -s <can_id>");
        CanId rx = Id(options, 'd') ?? throw new UsageException("missing -d <can_id>");
        IsoTpFlags flags = IsoTpFlags.None;
        byte ext = 0, rxExt = 0, txPad = 0xCC, rxPad = 0xCC;
        if (options.Value('x') is { } x)
        {
            string[] parts = x.Split(':');
            ext = HexByte(parts[0], 'x');
            flags |= IsoTpFlags.ExtendedAddress;
            if (parts.Length > 1)
            {
                rxExt = HexByte(parts[1], 'x');
                flags |= IsoTpFlags.ReceiveExtendedAddress;
            }
        }

        if (options.Value('p') is { } p)
        {
            string[] parts = p.Split(':');
            if (parts[0].Length > 0)
            {
                txPad = HexByte(parts[0], 'p');
                flags |= IsoTpFlags.TransmitPadding;
            }

            if (parts.Length > 1 && parts[1].Length > 0)
            {
                rxPad = HexByte(parts[1], 'p');
                flags |= IsoTpFlags.ReceivePadding;
            }
        }

        if (options.Value('P') is { } check)
        {
            flags |= check.FirstOrDefault() switch
            {
                'l' => IsoTpFlags.CheckPaddingLength,
                'c' => IsoTpFlags.CheckPaddingData,
                'a' => IsoTpFlags.CheckPaddingLength | IsoTpFlags.CheckPaddingData,
                _ => throw new UsageException($"-P '{check}' is not l (length), c (content) or a (all)"),
            };
        }

        IsoTpLinkLayer? ll = null;
        if (options.Value('L') is { } l)
        {
            string[] parts = l.Split(':');
            if (parts.Length != 3 || !byte.TryParse(parts[0], CultureInfo.InvariantCulture, out byte mtu) || !byte.TryParse(parts[1], CultureInfo.InvariantCulture, out byte txDl) || !byte.TryParse(parts[2], CultureInfo.InvariantCulture, out byte txFlags))
            {
                throw new UsageException($"-L '{l}' is not <mtu>:<tx_dl>:<tx_flags> (e.g. 72:64:1)");
            }

            ll = new IsoTpLinkLayer(mtu, txDl, (CanFdFlags)txFlags);
        }

        return (new IsoTpOptions(flags, 0, ext, txPad, rxPad, rxExt), ll, tx, rx);
    }

    private static CanId? Id(Options options, char letter)
    {
        if (options.Value(letter) is not { } text)
        {
            return null;
        }

        try
        {
            return IsoTpAddress.ParseCanId(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            throw new UsageException($"-{letter} '{text}' is not a CAN ID (hex, 8 digits for an extended ID)");
        }
    }

    private static byte Hex(Options options, char letter) => options.Value(letter) is { } text ? HexByte(text, letter) : (byte)0;

    private static byte HexByte(string text, char letter) =>
        byte.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte value)
            ? value
            : throw new UsageException($"-{letter} '{text}' is not a hex byte");

    /// <summary>Reads isotpsend's stdin format: hex bytes separated by white space.</summary>
    internal static byte[] ParseHex(string text)
    {
        string[] tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var bytes = new List<byte>(tokens.Length);
        foreach (string token in tokens)
        {
            if (!byte.TryParse(token, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte value))
            {
                // isotpsend's scanf stops at the first token that is not hex; a partial PDU would be a silent loss.
                throw new UsageException($"stdin token '{token}' is not a hex byte (00 to FF)");
            }

            bytes.Add(value);
        }

        if (bytes.Count == 0)
        {
            throw new UsageException("stdin held no PDU bytes (space-separated hex, e.g. 11 22 33)");
        }

        return [.. bytes];
    }
}
