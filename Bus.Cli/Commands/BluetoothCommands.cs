using System.Globalization;
using Buses.Bluetooth;

namespace Buses.Cli.Commands;

/// <summary>
/// <c>buses bt list</c> (hciconfig and btmgmt info in one table), and <c>buses bt rfcomm|l2cap listen|connect</c>:
/// stdin to the peer and the peer to stdout, as rctest and l2test do in their simplest modes.
/// </summary>
internal static class BluetoothCommands
{
    public static readonly CliCommand List = new(
        "bt list",
        "list Bluetooth controllers: address, state, name (hciconfig, btmgmt info)",
        """
        buses bt list

        One block per controller, as hciconfig prints it: name, bus, address, ACL and SCO MTUs and
        the state words (UP RUNNING PSCAN ISCAN or DOWN); then, where the management interface
        answers (CAP_NET_ADMIN), the name and current settings as btmgmt info lists them.

        """,
        RunList);

    public static readonly CliCommand Rfcomm = new(
        "bt rfcomm",
        "RFCOMM stream between stdin/stdout and a peer (rctest)",
        """
        buses bt rfcomm listen|connect [-i ADDR] [-t SECONDS] [ADDR] CHANNEL

        connect: connects to CHANNEL (1-30) on device ADDR; listen: accepts one connection on
        CHANNEL. Then copies stdin to the peer and the peer to stdout until the peer closes (or
        Ctrl+C): RFCOMM has no half-close, so the end of stdin does not end the connection.
          -i ADDR   the local controller's address (default: any)
          -t SEC    timeout for connect and accept (default: none)

        """,
        context => RunStream(context, l2cap: false));

    public static readonly CliCommand L2cap = new(
        "bt l2cap",
        "L2CAP SEQPACKET between stdin/stdout and a peer, one line per packet (l2test)",
        """
        buses bt l2cap listen|connect [-i ADDR] [-t SECONDS] [ADDR] PSM

        connect: connects to PSM (odd, bit 8 clear; 4097 and up are free) on ADDR; listen: accepts
        one connection on PSM. Each stdin line is sent as one packet, each packet received is
        written as one line, until the peer closes (or Ctrl+C).
          -i ADDR   the local controller's address (default: any)
          -t SEC    timeout for connect and accept (default: none)

        """,
        context => RunStream(context, l2cap: true));

    private static int RunList(CliContext context)
    {
        context.Parse("").RequireOperands();
        IReadOnlyList<HciDeviceInfo> devices = HciDevices.GetAll();
        BluetoothManagement? mgmt = null;
        try
        {
            mgmt = new BluetoothManagement { Timeout = TimeSpan.FromSeconds(5) };
        }
        catch (BusException)
        {
            // No CAP_NET_ADMIN: the ioctl view alone, as hciconfig without btmgmt.
        }

        using (mgmt)
        {
            foreach (HciDeviceInfo d in devices)
            {
                context.Out.WriteLine($"{d.Name}:\tType: {(d.Type == 0 ? "Primary" : "AMP")}  Bus: {BusName(d.Bus)}");
                context.Out.WriteLine($"\tBD Address: {d.Address}  ACL MTU: {d.AclMtu}:{d.AclPackets}  SCO MTU: {d.ScoMtu}:{d.ScoPackets}");
                context.Out.WriteLine($"\t{State(d.Flags)}");
                if (mgmt is not null)
                {
                    try
                    {
                        ControllerInfo info = mgmt.ReadInfo(d.Index);
                        context.Out.WriteLine($"\tName: '{info.Name}'  Class: 0x{info.DeviceClass:x6}  Version: {info.BluetoothVersion}  Manufacturer: {info.Manufacturer}");
                        context.Out.WriteLine($"\tSettings: {Settings(info.CurrentSettings)}");
                    }
                    catch (BluetoothManagementException ex)
                    {
                        context.Out.WriteLine($"\tSettings: unavailable ({ex.Status})");
                    }
                }

                context.Out.WriteLine();
            }
        }

        return Dispatcher.Success;
    }

    private static string BusName(int bus) => bus switch
    {
        0 => "Virtual",
        1 => "USB",
        2 => "PCCARD",
        3 => "UART",
        4 => "RS232",
        5 => "PCI",
        6 => "SDIO",
        7 => "SPI",
        8 => "I2C",
        9 => "SMD",
        10 => "VIRTIO",
        _ => bus.ToString(CultureInfo.InvariantCulture),
    };

    // hciconfig's words, in its order.
    private static string State(HciDeviceFlags flags)
    {
        var words = new List<string> { (flags & HciDeviceFlags.Up) != 0 ? "UP" : "DOWN" };
        (HciDeviceFlags Flag, string Word)[] table =
        [
            (HciDeviceFlags.Init, "INIT"), (HciDeviceFlags.Running, "RUNNING"), (HciDeviceFlags.Raw, "RAW"),
            (HciDeviceFlags.PageScan, "PSCAN"), (HciDeviceFlags.InquiryScan, "ISCAN"), (HciDeviceFlags.Inquiry, "INQUIRY"),
            (HciDeviceFlags.Authentication, "AUTH"), (HciDeviceFlags.Encryption, "ENCRYPT"),
        ];
        words.AddRange(table.Where(t => (flags & t.Flag) != 0).Select(t => t.Word));
        return string.Join(' ', words);
    }

    private static string Settings(ManagementSettings settings) =>
        settings == ManagementSettings.None ? "none" : string.Join(' ', Enum.GetValues<ManagementSettings>().Where(s => s != 0 && (settings & s) != 0).Select(s => s.ToString().ToLowerInvariant()));

    private static int RunStream(CliContext context, bool l2cap)
    {
        Options options = context.Parse("i:t:");
        List<string> operands = options.Operands;
        if (operands.Count == 0 || operands[0] is not ("listen" or "connect"))
        {
            throw new UsageException("expected 'listen' or 'connect'");
        }

        bool listen = operands[0] == "listen";
        if (operands.Count != (listen ? 2 : 3))
        {
            throw new UsageException(listen ? "listen takes one operand: the channel or PSM" : "connect takes two operands: ADDR and the channel or PSM");
        }

        BluetoothAddress local = options.Value('i') is { } i ? ParseAddress(i) : BluetoothAddress.Any;
        TimeSpan? timeout = options.Has('t') ? TimeSpan.FromSeconds(options.Number('t', 0, 3600)) : null;
        int number = ParseNumber(operands[^1], l2cap ? "PSM" : "CHANNEL");
        BluetoothAddress peer = listen ? BluetoothAddress.Any : ParseAddress(operands[1]);

        BluetoothSocket connection;
        try
        {
            connection = l2cap ? OpenL2cap(listen, local, peer, number, timeout) : OpenRfcomm(listen, local, peer, number, timeout);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message.Split(" (Parameter", 2)[0]);
        }

        using (connection)
        {
            connection.Timeout = null;
            context.Error.WriteLine($"buses bt: connected");
            Pump(context, connection, l2cap);
        }

        return Dispatcher.Success;
    }

    private static BluetoothSocket OpenRfcomm(bool listen, BluetoothAddress local, BluetoothAddress peer, int channel, TimeSpan? timeout)
    {
        // Every address is built, and so checked, before any socket exists.
        var bound = new RfcommAddress(local, listen ? channel : 0);
        var target = new RfcommAddress(peer, channel);
        if (!listen && channel == 0)
        {
            throw new ArgumentException($"RFCOMM channel 0 is outside 1–{RfcommAddress.MaxChannel}: only listen takes 0.");
        }

        return Open(listen, () => new RfcommSocket { Timeout = timeout }, s => s.Bind(bound), s => s.Connect(target), s => s.Accept());
    }

    private static BluetoothSocket OpenL2cap(bool listen, BluetoothAddress local, BluetoothAddress peer, int psm, TimeSpan? timeout)
    {
        var bound = new L2capAddress(local, listen ? psm : 0);
        var target = new L2capAddress(peer, psm);
        bound.Validate();
        target.Validate();
        if (psm == 0)
        {
            throw new ArgumentException("PSM 0 names no channel: give an odd PSM with bit 8 clear (4097 and up are free).");
        }

        return Open(listen, () => new L2capSocket { Timeout = timeout }, s => s.Bind(bound), s => s.Connect(target), s => s.Accept());
    }

    // listen: bind, listen, accept one and close the listener; connect: bind the local side and connect.
    private static BluetoothSocket Open<TSocket>(bool listen, Func<TSocket> create, Action<TSocket> bind, Action<TSocket> connect, Func<TSocket, BluetoothSocket> accept)
        where TSocket : BluetoothSocket
    {
        TSocket socket = create();
        try
        {
            bind(socket);
            if (!listen)
            {
                connect(socket);
                return socket;
            }

            socket.Listen(1);
            using (socket)
            {
                return accept(socket);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // Two directions at once: the peer to stdout on a pool thread, stdin to the peer here.
    private static void Pump(CliContext context, BluetoothSocket socket, bool packets)
    {
        var received = Task.Run(() =>
        {
            byte[] buffer = new byte[65536];
            using Stream stdout = Console.OpenStandardOutput();
            while (true)
            {
                int n;
                try
                {
                    n = socket.Receive(buffer);
                }
                catch (BusException ex) when (ex.Errno == Errno.ECONNRESET)
                {
                    // An RFCOMM peer's close arrives as a disconnect, which the kernel reports as a reset.
                    return;
                }

                if (n == 0)
                {
                    return;
                }

                stdout.Write(buffer, 0, n);
                if (packets)
                {
                    stdout.WriteByte((byte)'\n');
                }

                stdout.Flush();
            }
        });

        using Stream stdin = Console.OpenStandardInput();
        if (packets)
        {
            using var reader = new StreamReader(stdin);
            while (reader.ReadLine() is { } line)
            {
                socket.Send(System.Text.Encoding.UTF8.GetBytes(line));
            }
        }
        else
        {
            byte[] buffer = new byte[65536];
            int n;
            while ((n = stdin.Read(buffer)) > 0)
            {
                socket.SendAll(buffer.AsSpan(0, n));
            }
        }

        // No shutdown at the end of stdin: RFCOMM and L2CAP have no half-close (shutting down sends a
        // disconnect), so an answer still on its way would be lost. The peer closes, or Ctrl+C.
        received.Wait(context.Cancellation);
    }

    private static BluetoothAddress ParseAddress(string text) =>
        BluetoothAddress.TryParse(text, out BluetoothAddress address) ? address : throw new UsageException($"'{text}' is not a Bluetooth address (six hex pairs, XX:XX:XX:XX:XX:XX)");

    private static int ParseNumber(string text, string what)
    {
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        return int.TryParse(hex ? text[2..] : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value <= ushort.MaxValue
            ? value
            : throw new UsageException($"{what} '{text}' is not a number 0-65535");
    }
}
