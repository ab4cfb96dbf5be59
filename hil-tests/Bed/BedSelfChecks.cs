using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Buses.Netlink;
using Buses.Packet;
using Xunit;
using static Buses.HilTests.Bed.KernelConstants;

namespace Buses.HilTests.Bed;

/// <summary>
/// Every interface, module and controller the bed promises is there and carries one datagram.
/// Deliberately shallow: each family's own tests go deep; these tell a broken bed apart from a
/// broken library.
/// </summary>
public sealed class BedSelfChecks
{
    private const ushort TestEtherType = 0x88B5; // IEEE 802 local experimental

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void Testbed_environment_names_everything()
    {
        Assert.SkipUnless(Bed.InTestbed, "checks the testbed's own promises; outside it the variables are optional");
        foreach (string name in new[] { "BUSES_KERNEL", "BUSES_CAN_IF", "BUSES_CAN_IF2", "BUSES_VXCAN", "BUSES_BT0", "BUSES_BT1", "BUSES_TIPC_NODE", "BUSES_TIPC_PEER_NODE", "BUSES_TIPC_PEER_NETNS", "BUSES_RESULTS" })
        {
            Assert.False(string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)), $"{name} is not set");
        }

        string[] release = Bed.Kernel.Split('.', '-');
        bool canXlKernel = int.Parse(release[0], CultureInfo.InvariantCulture) * 100 + int.Parse(release[1], CultureInfo.InvariantCulture) >= 602;
        Assert.Equal(canXlKernel, Environment.GetEnvironmentVariable("BUSES_CANXL_IF") is { Length: > 0 });
    }

    [Fact]
    public void Results_directory_is_writable()
    {
        string path = Path.Combine(Bed.ResultsDirectory, $"self-check-{Environment.ProcessId}.txt");
        File.WriteAllText(path, "written by the bed self-check\n");
        Assert.Equal("written by the bed self-check\n", File.ReadAllText(path));
        File.Delete(path);
    }

    [Fact]
    public void Can_raw_carries_a_classic_frame()
    {
        Bed.Require(Capability.Can);
        using BusSocket sender = OpenCan(Bed.CanInterface);
        using BusSocket receiver = OpenCan(Bed.CanInterface);
        byte[] frame = CanFrame(0x123, [0xDE, 0xAD, 0xBE, 0xEF]);
        sender.Send(frame);
        Span<byte> got = stackalloc byte[16];
        Assert.Equal(16, receiver.Receive(got));
        Assert.Equal(frame, got.ToArray());
    }

    [Fact]
    public void Can_fd_interface_carries_a_64_byte_frame()
    {
        Bed.Require(Capability.CanFd);
        using BusSocket sender = OpenCan(Bed.CanInterface, fd: true);
        using BusSocket receiver = OpenCan(Bed.CanInterface, fd: true);
        byte[] frame = new byte[72];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, 0x321);
        frame[4] = 64;
        for (int i = 0; i < 64; i++)
        {
            frame[8 + i] = (byte)i;
        }

        sender.Send(frame);
        byte[] got = new byte[72];
        Assert.Equal(72, receiver.Receive(got));
        Assert.Equal(frame.AsSpan(8).ToArray(), got.AsSpan(8).ToArray());
        Assert.Equal(0x321u, BinaryPrimitives.ReadUInt32LittleEndian(got));
    }

    [Fact]
    public void Can_xl_interface_accepts_xl_sockets()
    {
        Bed.Require(Capability.CanXl);
        Assert.Equal(2060, Bed.Mtu(Bed.CanXlInterface));
        using BusSocket socket = OpenCan(Bed.CanXlInterface);
        socket.SetOption(SolCanRaw, CanRawXlFrames, 1);
        Assert.Equal(1, socket.GetOption(SolCanRaw, CanRawXlFrames));
    }

    [Fact]
    public void Vxcan_pair_carries_a_frame_across()
    {
        Bed.Require(Capability.Vxcan);
        (string first, string second) = Bed.VxcanPair;
        using BusSocket sender = OpenCan(first);
        using BusSocket receiver = OpenCan(second);
        byte[] frame = CanFrame(0x7FF, [1, 2, 3]);
        sender.Send(frame);
        byte[] got = new byte[16];
        Assert.Equal(16, receiver.Receive(got));
        Assert.Equal(frame, got);
    }

    [Fact]
    public void Iso_tp_carries_a_segmented_message()
    {
        Bed.Require(Capability.IsoTp);
        using var a = new BusSocket(SocketFamily.Can, SocketType.Dgram, CanIsoTp) { Timeout = s_wait };
        using var b = new BusSocket(SocketFamily.Can, SocketType.Dgram, CanIsoTp) { Timeout = s_wait };
        a.Bind(CanAddress(Bed.CanInterface, rxId: 0x7E8, txId: 0x7E0));
        b.Bind(CanAddress(Bed.CanInterface, rxId: 0x7E0, txId: 0x7E8));
        // 100 bytes: first frame, flow control and consecutive frames, so both ends work.
        byte[] message = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        a.Send(message);
        byte[] got = new byte[200];
        Assert.Equal(100, b.Receive(got));
        Assert.Equal(message, got[..100]);
    }

    [Fact]
    public void J1939_socket_binds_to_the_can_interface()
    {
        Bed.Require(Capability.J1939);
        using var socket = new BusSocket(SocketFamily.Can, SocketType.Dgram, CanJ1939);
        // sockaddr_can.can_addr.j1939: name 0 (J1939_NO_NAME), pgn J1939_NO_PGN, addr 0x20.
        Span<byte> payload = stackalloc byte[22];
        payload.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(payload[2..], Interfaces.IndexOf(Bed.CanInterface));
        BinaryPrimitives.WriteUInt32LittleEndian(payload[14..], 0x40000);
        payload[18] = 0x20;
        socket.Bind(new RawSocketAddress(SocketFamily.Can, payload));
    }

    [Fact]
    public void Bcm_socket_connects_to_the_can_interface()
    {
        Bed.Require(Capability.Bcm);
        using var socket = new BusSocket(SocketFamily.Can, SocketType.Dgram, CanBcm);
        socket.Connect(CanAddress(Bed.CanInterface));
    }

    [Fact]
    public void Can_gw_module_is_loaded()
    {
        Bed.Require(Capability.CanGw);
        Assert.True(Directory.Exists("/sys/module/can_gw"));
    }

    [Fact]
    public void Tipc_rdm_reaches_its_own_service()
    {
        Bed.Require(Capability.Tipc);
        using var server = new BusSocket(SocketFamily.Tipc, SocketType.Rdm) { Timeout = s_wait };
        using var client = new BusSocket(SocketFamily.Tipc, SocketType.Rdm) { Timeout = s_wait };
        server.Bind(TipcServiceRange(18888, 17, 17));
        client.SendTo("ping"u8, TipcService(18888, 17));
        AssertReceivedFromThisNode(server, "ping"u8);
    }

    [Fact]
    public void Tipc_rdm_crosses_to_the_peer_node()
    {
        Bed.Require(Capability.TipcCluster);
        Assert.SkipWhen(Bed.TipcPeerNamespace is null && !Bed.InTestbed, "the peer node is not in a network namespace here; set BUSES_TIPC_PEER_NETNS");
        string ns = $"/run/netns/{Bed.TipcPeerNamespace}";
        using BusSocket server = NetworkNamespace.Run(ns, () => new BusSocket(SocketFamily.Tipc, SocketType.Rdm) { Timeout = s_wait });
        server.Bind(TipcServiceRange(18889, 1, 1));
        using var client = new BusSocket(SocketFamily.Tipc, SocketType.Rdm) { Timeout = s_wait };
        // The binding reaches this node's name table over the link a moment later.
        DateTime deadline = DateTime.UtcNow + s_wait;
        while (true)
        {
            try
            {
                client.SendTo("across"u8, TipcService(18889, 1));
                break;
            }
            catch (BusException e) when (e.Errno == Errno.EHOSTUNREACH && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }

        AssertReceivedFromThisNode(server, "across"u8);
    }

    [Fact]
    public void Hci_raw_socket_reads_the_controller_address()
    {
        Bed.Require(Capability.Bluetooth);
        using var socket = new BusSocket(SocketFamily.Bluetooth, SocketType.Raw, BtProtoHci) { Timeout = s_wait };
        // struct hci_ufilter: only event packets (type 4), every event. All 16 bytes of it,
        // padding included: Linux 6.x refuses a shorter option with EINVAL.
        Span<byte> filter = stackalloc byte[16];
        filter.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(filter, 1u << 4);
        BinaryPrimitives.WriteUInt32LittleEndian(filter[4..], uint.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(filter[8..], uint.MaxValue);
        socket.SetOption(SolHci, HciFilter, filter);
        Span<byte> address = stackalloc byte[4];
        address.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(address, ControllerIndex(Bed.BluetoothInterface0));
        socket.Bind(new RawSocketAddress(SocketFamily.Bluetooth, address)); // channel HCI_CHANNEL_RAW
        socket.Send([0x01, 0x09, 0x10, 0x00]); // HCI command Read_BD_ADDR (OGF 4, OCF 9)
        byte[] evt = new byte[64];
        while (true)
        {
            int n = socket.Receive(evt);
            // Command Complete (0x0E) for opcode 0x1009: type, code, len, ncmd, opcode, status, bdaddr.
            if (n >= 13 && evt[1] == 0x0E && evt[4] == 0x09 && evt[5] == 0x10)
            {
                Assert.Equal(0, evt[6]);
                Assert.Equal(Bed.BluetoothAddress0, FormatBdAddr(evt.AsSpan(7, 6)));
                return;
            }
        }
    }

    [Fact]
    public void L2cap_connects_from_the_first_controller_to_the_second()
    {
        Bed.Require(Capability.Bluetooth);
        const ushort psm = 0x1001;
        using var listener = new BusSocket(SocketFamily.Bluetooth, SocketType.Seqpacket, BtProtoL2cap) { Timeout = s_wait };
        listener.Bind(L2capAddress(Bed.BluetoothAddress1!, 0x1001));
        listener.Listen(1);
        using var client = new BusSocket(SocketFamily.Bluetooth, SocketType.Seqpacket, BtProtoL2cap) { Timeout = TimeSpan.FromSeconds(20) };
        client.Bind(L2capAddress(Bed.BluetoothAddress0!, 0));
        client.Connect(L2capAddress(Bed.BluetoothAddress1!, psm));
        using BusSocket accepted = listener.Accept();
        accepted.Timeout = s_wait;
        client.Send("hello over the air"u8);
        byte[] got = new byte[64];
        int n = accepted.Receive(got);
        Assert.Equal("hello over the air", Encoding.ASCII.GetString(got, 0, n));
    }

    [Fact]
    public void Packet_socket_sees_a_frame_on_loopback()
    {
        Bed.Require(Capability.Packet);
        using var receiver = new BusSocket(SocketFamily.Packet, SocketType.Raw) { Timeout = s_wait };
        receiver.Bind(PacketAddress.Create("lo", TestEtherType));
        using var sender = new BusSocket(SocketFamily.Packet, SocketType.Raw);
        byte[] frame = new byte[60];
        frame.AsSpan(0, 6).Fill(0xFF);
        frame[6] = 0x02; // a locally administered source
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), TestEtherType);
        byte[] marker = Guid.NewGuid().ToByteArray();
        marker.CopyTo(frame, 14);
        sender.SendTo(frame, PacketAddress.Create("lo", TestEtherType));
        byte[] got = new byte[1600];
        while (true)
        {
            int n = receiver.Receive(got);
            if (n >= 30 && got.AsSpan(14, 16).SequenceEqual(marker))
            {
                return;
            }
        }
    }

    [Fact]
    public void Route_netlink_lists_the_can_interface()
    {
        Bed.Require(Capability.Netlink, Capability.Can);
        using var netlink = new RouteNetlink();
        LinkInfo link = Assert.Single(netlink.ListLinks(), l => l.Name == Bed.CanInterface);
        Assert.True(link.IsUp);
        Assert.Equal((uint)Bed.Mtu(Bed.CanInterface)!, link.Mtu);
        Assert.Equal(280, link.HardwareType);
    }

    private static void AssertReceivedFromThisNode(BusSocket server, ReadOnlySpan<byte> expected)
    {
        byte[] got = new byte[64];
        int n = server.ReceiveFrom(got, out RawSocketAddress sender);
        Assert.Equal(expected.ToArray(), got[..n]);
        if (Bed.TipcNode is { } node)
        {
            // sockaddr_tipc of a socket: addrtype TIPC_SOCKET_ADDR (3), then ref and node.
            Assert.Equal(node, BinaryPrimitives.ReadUInt32LittleEndian(sender.Bytes[8..]));
        }
    }

    private static BusSocket OpenCan(string name, bool fd = false)
    {
        var socket = new BusSocket(SocketFamily.Can, SocketType.Raw, CanRaw) { Timeout = s_wait };
        if (fd)
        {
            socket.SetOption(SolCanRaw, CanRawFdFrames, 1);
        }

        socket.Bind(CanAddress(name));
        return socket;
    }

    // sockaddr_can: family, 2 bytes padding, ifindex, then 16 bytes of can_addr.
    private static RawSocketAddress CanAddress(string name, uint rxId = 0, uint txId = 0)
    {
        Span<byte> payload = stackalloc byte[22];
        payload.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(payload[2..], Interfaces.IndexOf(name));
        BinaryPrimitives.WriteUInt32LittleEndian(payload[6..], rxId);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[10..], txId);
        return new RawSocketAddress(SocketFamily.Can, payload);
    }

    private static byte[] CanFrame(uint id, byte[] data)
    {
        byte[] frame = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, id);
        frame[4] = (byte)data.Length;
        data.CopyTo(frame, 8);
        return frame;
    }

    // sockaddr_tipc: family, addrtype, scope, then three u32.
    private static RawSocketAddress TipcServiceRange(uint type, uint lower, uint upper) => Tipc(1, 2, type, lower, upper);

    private static RawSocketAddress TipcService(uint type, uint instance) => Tipc(2, 0, type, instance, 0);

    private static RawSocketAddress Tipc(byte addrType, byte scope, uint a, uint b, uint c)
    {
        Span<byte> payload = stackalloc byte[14];
        payload[0] = addrType;
        payload[1] = scope;
        BinaryPrimitives.WriteUInt32LittleEndian(payload[2..], a);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[6..], b);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[10..], c);
        return new RawSocketAddress(SocketFamily.Tipc, payload);
    }

    private static ushort ControllerIndex(string name) => ushort.Parse(name.AsSpan(3), CultureInfo.InvariantCulture);

    // sockaddr_l2: family, psm, bdaddr (least significant byte first), cid, bdaddr_type, padding.
    private static RawSocketAddress L2capAddress(string bdaddr, ushort psm)
    {
        Span<byte> payload = stackalloc byte[12];
        payload.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(payload, psm);
        string[] parts = bdaddr.Split(':');
        for (int i = 0; i < 6; i++)
        {
            payload[2 + i] = byte.Parse(parts[5 - i], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        return new RawSocketAddress(SocketFamily.Bluetooth, payload);
    }

    private static string FormatBdAddr(ReadOnlySpan<byte> littleEndian)
    {
        var text = new StringBuilder();
        for (int i = 5; i >= 0; i--)
        {
            text.Append(littleEndian[i].ToString("X2", CultureInfo.InvariantCulture));
            if (i > 0)
            {
                text.Append(':');
            }
        }

        return text.ToString();
    }
}
