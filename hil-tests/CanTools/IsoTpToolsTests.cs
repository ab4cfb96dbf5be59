using System.Globalization;
using Buses.Can;
using Buses.HilTests.Bed;
using TestBed = Buses.HilTests.Bed.Bed;
using Xunit;

namespace Buses.HilTests.CanTools;

/// <summary>
/// ISO-TP against tools nobody here wrote: can-utils 2020.11's isotpsend/isotprecv both ways, and
/// Python's socket module with CAN_ISOTP, on the bed's vcan (MTU 72, so FD link layers work too).
/// </summary>
public sealed class IsoTpToolsTests
{
    private static readonly int[] s_lengths = [1, 7, 8, 62, 4095];

    private static string Iface => TestBed.CanInterface;

    // isotpsend -D's pattern, which both sides of these tests use: byte i is (i % 255) + 1.
    private static byte[] Pattern(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)((i % 0xFF) + 1))];

    private static string Hex(byte[] data) => string.Concat(data.Select(b => b.ToString("X2", CultureInfo.InvariantCulture) + " "));

    [Fact]
    public void Buses_isotp_send_reaches_isotprecv_with_every_length()
    {
        TestBed.Require(Capability.Can, Capability.IsoTp);
        foreach (int length in s_lengths)
        {
            // isotprecv's printf output reaches a pipe only when it exits, so one receiver per PDU, without -l.
            int before = ToolProcess.CanReceivers(Iface);
            using ToolProcess recv = ToolProcess.Start("isotprecv", "-s", "7E8", "-d", "7E0", Iface);
            ToolProcess.WaitForCanReceivers(Iface, before + 1);
            if (length < 62)
            {
                // The stdin path, in the issue's own shape: echo 11 22 33 | buses can isotp send -s 7E0 -d 7E8 vcan0.
                using ToolProcess send = ToolProcess.Buses("can", "isotp", "send", "-s", "7E0", "-d", "7E8", Iface);
                send.WriteInputAndClose(Hex(Pattern(length)) + "\n");
                send.WaitForExit(expectSuccess: true);
            }
            else
            {
                ToolProcess.Run(Path.Combine(ToolProcess.Root, "buses"), "can", "isotp", "send", "-s", "7E0", "-d", "7E8", "-D", length.ToString(CultureInfo.InvariantCulture), Iface);
            }

            recv.WaitForExit(expectSuccess: true);
            Assert.Equal(Hex(Pattern(length)), recv.Lines[0]);
        }
    }

    [Fact]
    public void Isotpsend_reaches_buses_isotp_recv_with_every_length()
    {
        TestBed.Require(Capability.Can, Capability.IsoTp);
        int before = ToolProcess.CanReceivers(Iface);
        using ToolProcess recv = ToolProcess.Buses("can", "isotp", "recv", "-s", "7E8", "-d", "7E0", "-l", Iface);
        ToolProcess.WaitForCanReceivers(Iface, before + 1);
        for (int i = 0; i < s_lengths.Length; i++)
        {
            ToolProcess.Run("isotpsend", "-s", "7E0", "-d", "7E8", "-D", s_lengths[i].ToString(CultureInfo.InvariantCulture), Iface);
            Assert.Equal(Hex(Pattern(s_lengths[i])), recv.WaitForLines(i + 1)[i]);
        }
    }

    [Fact]
    public void Extended_addressing_and_checked_padding_work_both_ways_with_can_utils()
    {
        TestBed.Require(Capability.Can, Capability.IsoTp);
        int before = ToolProcess.CanReceivers(Iface);

        // buses sends with extended address 0x11 and padding 0xAA; isotprecv insists on both (-P a).
        using (ToolProcess recv = ToolProcess.Start("isotprecv", "-s", "18DA10F1", "-d", "18DAF110", "-x", "11", "-p", "55:AA", "-P", "a", Iface))
        {
            ToolProcess.WaitForCanReceivers(Iface, before + 1);
            ToolProcess.Run(Path.Combine(ToolProcess.Root, "buses"), "can", "isotp", "send", "-s", "18DAF110", "-d", "18DA10F1", "-x", "11", "-p", "AA:55", "-D", "62", Iface);
            recv.WaitForExit(expectSuccess: true);
            Assert.Equal(Hex(Pattern(62)), recv.Lines[0]);
        }

        // isotpsend sends padded and extended; the library's socket checks length and content of the padding.
        var options = new IsoTpOptions(
            IsoTpFlags.ExtendedAddress | IsoTpFlags.TransmitPadding | IsoTpFlags.ReceivePadding | IsoTpFlags.CheckPaddingLength | IsoTpFlags.CheckPaddingData,
            ExtendedAddress: 0x22, TransmitPadding: 0x55, ReceivePadding: 0xAA);
        using var socket = new IsoTpSocket(new IsoTpAddress(Iface, CanId.Standard(0x6F1), CanId.Standard(0x6F2)), options) { Timeout = TimeSpan.FromSeconds(60) };
        // Without RX_EXT_ADDR the kernel receives on the transmit address and reports it as rx_ext_address.
        Assert.Equal(options with { ReceiveExtendedAddress = 0x22 }, socket.Options);
        using ToolProcess sender = ToolProcess.Start("isotpsend", "-s", "6F1", "-d", "6F2", "-x", "22", "-p", "AA:55", "-D", "20", Iface);
        byte[] buffer = new byte[100];
        int length = socket.Receive(buffer);
        Assert.Equal(Pattern(20), buffer[..length]);
        sender.WaitForExit(expectSuccess: true);
    }

    [Fact]
    public async Task The_fd_link_layer_carries_4095_bytes_both_ways_with_can_utils()
    {
        TestBed.Require(Capability.Can, Capability.CanFd, Capability.IsoTp);
        IsoTpLinkLayer fd = IsoTpLinkLayer.Fd(64, CanFdFlags.BitRateSwitch);
        using var socket = new IsoTpSocket(new IsoTpAddress(Iface, CanId.Standard(0x701), CanId.Standard(0x702)), linkLayer: fd) { Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(fd, socket.LinkLayer);
        using (ToolProcess sender = ToolProcess.Start("isotpsend", "-s", "701", "-d", "702", "-L", "72:64:1", "-D", "4095", Iface))
        {
            byte[] buffer = new byte[5000];
            int length = socket.Receive(buffer);
            Assert.Equal(Pattern(4095), buffer[..length]);
            sender.WaitForExit(expectSuccess: true);
        }

        int before = ToolProcess.CanReceivers(Iface);
        using ToolProcess recv = ToolProcess.Start("isotprecv", "-s", "701", "-d", "702", "-L", "72:64:1", Iface);
        ToolProcess.WaitForCanReceivers(Iface, before + 1);
        await socket.SendAsync(Pattern(4095), TestContext.Current.CancellationToken);
        recv.WaitForExit(expectSuccess: true);
        Assert.Equal(Hex(Pattern(4095)), recv.Lines[0]);
    }

    [Fact]
    public void Iso_tp_socket_talks_to_pythons_socket_module_both_ways()
    {
        TestBed.Require(Capability.Can, Capability.IsoTp);
        const string Script = """
            import socket, sys
            s = socket.socket(socket.AF_CAN, socket.SOCK_DGRAM, socket.CAN_ISOTP)
            s.bind((sys.argv[1], 0x722, 0x721))
            print("ready", flush=True)
            data = s.recv(5000)
            s.send(bytes(reversed(data)))
            print(data.hex(), flush=True)
            """;
        using var socket = new IsoTpSocket(new IsoTpAddress(Iface, CanId.Standard(0x721), CanId.Standard(0x722))) { Timeout = TimeSpan.FromSeconds(60) };
        using ToolProcess python = ToolProcess.Start("/usr/bin/python3", "-c", Script, Iface);
        python.WaitForLines(1);
        byte[] pdu = Pattern(300);
        socket.Send(pdu);
        byte[] buffer = new byte[1000];
        int length = socket.Receive(buffer);
        Assert.Equal(pdu.Reverse().ToArray(), buffer[..length]);
        Assert.Equal(Convert.ToHexStringLower(pdu), python.WaitForLines(2)[1]);
        Assert.Equal(new IsoTpAddress(Iface, CanId.Standard(0x721), CanId.Standard(0x722)).ReceiveId, socket.LocalEndPoint.ReceiveId);
    }

    [Fact]
    public void A_missing_flow_control_fails_the_send_with_ecomm_and_its_iso_tp_meaning()
    {
        TestBed.Require(Capability.Can, Capability.IsoTp);
        using var socket = new IsoTpSocket(new IsoTpAddress(Iface, CanId.Standard(0x731), CanId.Standard(0x732)), new IsoTpOptions(IsoTpFlags.WaitTransmitDone));
        var ex = Assert.Throws<BusException>(() => socket.Send(Pattern(100)));
        Assert.Equal(Errno.ECOMM, ex.Errno);
        Assert.Contains("no flow control", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => socket.Send([]));
    }

    [Fact]
    public void Options_are_refused_after_bind_with_eisconn()
    {
        TestBed.Require(Capability.Can, Capability.IsoTp);
        using var socket = new IsoTpSocket();
        socket.FlowControl = new IsoTpFlowControl(8, 0xF5, 1);
        socket.TransmitStmin = TimeSpan.FromMicroseconds(500);
        Assert.Equal(new IsoTpFlowControl(8, 0xF5, 1), socket.FlowControl);
        Assert.Equal(TimeSpan.FromMicroseconds(500), socket.TransmitStmin);
        socket.Bind(new IsoTpAddress(Iface, CanId.Standard(0x741), CanId.Standard(0x742)));
        Assert.Equal(Errno.EISCONN, Assert.Throws<BusException>(() => socket.Options = IsoTpOptions.Default).Errno);
    }
}
