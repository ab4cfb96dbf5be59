using Buses.Can;

namespace Buses.Cli.Commands;

/// <summary><c>buses can send IFACE FRAME</c>: cansend.</summary>
internal static class CanSendCommand
{
    public static readonly CliCommand Command = new(
        "can send",
        "send one frame (cansend syntax)",
        """
        buses can send IFACE FRAME

        Sends one frame, written as cansend takes it:
          <id>#{data}          classic data frame: 123#DEADBEEF, 5A1#11.2233.44556677.88
          <id>#R{len}          remote frame: 123#R, 00000123#R3
          <id>#{data}_{dlc}    8 bytes with raw DLC 9..F: 1F334455#1122334455667788_B
          <id>##<flags>{data}  CAN FD frame, flags BRS=1 ESI=2: 123##1DEADBEEF
          <vcid><prio>#<flags>:<sdt>:<af>#{data}   CAN XL: 45123#81:00:12345678#11223344
        <id> is 3 hex digits (standard) or 8 (extended; with 20000000 set, an error frame).
        CAN FD payloads are padded with zeros to the next valid FD length.

        Exit status: 0 sent, 1 the kernel refused (errno named), 2 bad arguments.

        """,
        Run);

    private static int Run(CliContext context)
    {
        Options options = context.Parse("");
        options.RequireOperands("IFACE", "FRAME");
        string iface = InterfaceNames.Check(options.Operands[0], "IFACE");
        byte[] wire = new byte[CanFrameText.MaxWireSize];
        int size = CanFrameText.Parse(options.Operands[1], wire);
        using CanRawSocket socket = CanTool.OpenForSending(iface, wire.AsSpan(0, size));
        CanTool.Send(socket, wire.AsSpan(0, size), context.Cancellation);
        return Dispatcher.Success;
    }
}
