using Buses.Cli.Commands;

namespace Buses.Cli;

/// <summary>Every command of the tool, in the order <c>buses --help</c> lists them.</summary>
internal static class CommandTable
{
    /// <summary>One line per command; a family's commands sit together.</summary>
    public static readonly CliCommand[] All =
    [
        DemoCommand.Command,
        CanDumpCommand.Command,
        CanSendCommand.Command,
        CanGenCommand.Command,
        CanPlayCommand.Command,
        IsoTpCommands.Send, IsoTpCommands.Receive,
        BcmCommands.Transmit, BcmCommands.Receive,
        CanLinkCommand.Command,
        CanGwCommand.Command,
        J1939Commands.Send, J1939Commands.Receive, J1939Commands.Spy, J1939Commands.Claim,
        LinkCommands.Show, LinkCommands.Add, LinkCommands.Delete, LinkCommands.Set, LinkCommands.Monitor,
        CaptureCommand.Command,
        BluetoothCommands.List, BluetoothCommands.Rfcomm, BluetoothCommands.L2cap,
    ];

    /// <summary>What each command group is for, shown by <c>buses GROUP --help</c>.</summary>
    public static readonly Dictionary<string, string> Groups = new(StringComparer.Ordinal)
    {
        ["link"] = "Network links with ip link's words: list, add (vcan, vxcan, veth, …), delete, set, monitor.",
        ["bt"] = "Bluetooth tools: controllers as hciconfig lists them, RFCOMM and L2CAP streams as rctest and\nl2test carry them.",
        ["can"] = "CAN tools with can-utils' option letters and text formats (candump -L lines, cansend frames),\nand CAN link configuration with ip's keywords.",
    };
}
