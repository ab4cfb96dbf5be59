using Buses.Bluetooth;
using Buses.HilTests.Bed;
using Buses.HilTests.CanTools;
using Xunit;
using static Buses.HilTests.Bluetooth.PythonPeer;
using Testbed = Buses.HilTests.Bed.Bed;

namespace Buses.HilTests.Bluetooth;

// RFCOMM and L2CAP between btvirt's two controllers, the library on one end and Python's socket module
// on the other, in both roles. hci1 is the connectable one, so servers listen there.
public sealed class BluetoothSocketTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static void PeerClosed(ToolProcess peer, string what)
    {
        peer.WaitForExit();
        Assert.Fail($"the peer closed {what}; stdout: {string.Join(" | ", peer.Lines)}; stderr: {peer.Error}");
    }

    private static void EchoStream(BluetoothSocket socket, int total, ToolProcess peer)
    {
        byte[] buffer = new byte[65536];
        int echoed = 0;
        while (echoed < total)
        {
            int n = socket.Receive(buffer);
            if (n == 0)
            {
                PeerClosed(peer, $"after {echoed} of {total} bytes");
            }

            socket.SendAll(buffer.AsSpan(0, n));
            echoed += n;
        }
    }

    [Fact]
    public void Rfcomm_server_echoes_python_client_1_byte_and_64_KiB()
    {
        Testbed.Require(Capability.Bluetooth);
        using var listener = new RfcommSocket { Timeout = Patience };
        listener.Bind(new RfcommAddress(Address1, 11));
        listener.Listen();
        using ToolProcess python = Start(RfcommClient, Address0.ToString(), Address1.ToString(), "11");
        using RfcommSocket connection = AcceptFrom(python, listener.AcceptAsync);
        connection.Timeout = Patience;
        Assert.True(connection.TryGetPeerAddress(out RfcommAddress peer));
        Assert.Equal(new RfcommAddress(Address1, 11), connection.LocalAddress);
        EchoStream(connection, 1 + 65536, python);
        IReadOnlyList<string> lines = python.WaitForLines(3);
        python.WaitForExit(expectSuccess: true);
        Assert.Equal(["echo 1 True", "echo 65536 True"], lines.Skip(1));

        // Python's (bdaddr, channel) tuple and the library's address are the same fields in the same order.
        Assert.Equal(Address0, peer.Device);
        Assert.Equal($"('{peer.Device}', {peer.Channel})", lines[0]);
    }

    [Fact]
    public async Task Rfcomm_async_client_round_trips_64_KiB_through_python_echo_server()
    {
        Testbed.Require(Capability.Bluetooth);
        using ToolProcess python = Start(RfcommEchoServer, Address1.ToString(), "12");
        Assert.Equal("ready", python.WaitForLines(1)[0]);
        using var client = new RfcommSocket();
        client.Bind(new RfcommAddress(Address0, 0));
        using var cancel = new CancellationTokenSource(Patience);
        await client.ConnectAsync(new RfcommAddress(Address1, 12), cancel.Token);
        Assert.Equal(new RfcommAddress(Address1, 12), client.PeerAddress);
        foreach (int size in new[] { 1, 65536 })
        {
            byte[] sent = Payload(size);
            await client.SendAllAsync(sent, cancel.Token);
            byte[] got = new byte[size];
            int have = 0;
            while (have < size)
            {
                int n = await client.ReceiveAsync(got.AsMemory(have), cancel.Token);
                Assert.True(n > 0, $"python closed after {have} of {size} bytes");
                have += n;
            }

            Assert.Equal(sent, got);
        }

        client.Dispose();
        python.WaitForExit(expectSuccess: true);
        Assert.Equal($"echoed {1 + 65536}", python.Lines[^1]);
        Assert.Equal($"('{Address0}', 12)", python.Lines[1]);
    }

    [Fact]
    public void L2cap_seqpacket_client_keeps_packet_boundaries_with_a_65535_byte_mtu_configured_against_python()
    {
        Testbed.Require(Capability.Bluetooth);
        using ToolProcess python = Start(L2capEchoServer, Address1.ToString(), "4113");
        Assert.Equal("ready", python.WaitForLines(1)[0]);
        using var client = new L2capSocket { Timeout = Patience };
        client.Options = client.Options with { IncomingMtu = 65535 };
        client.Socket.Set(SocketOption.SendBufferForce, 4 << 20);
        client.Bind(new L2capAddress(Address0, 0));
        client.Connect(new L2capAddress(Address1, 0x1011));
        Assert.Equal(65535, client.SendMtu);
        Assert.Equal(65535, client.ReceiveMtu);
        byte[] buffer = new byte[65535];
        foreach (int size in new[] { 1, 672 })
        {
            client.Send(Payload(size));
            int n = client.Receive(buffer);
            Assert.Equal(size, n);
            Assert.Equal(Payload(size), buffer[..n]);
        }

        // The kernel names the channel's dynamic CID in getpeername too; the PSM and device are what was asked.
        Assert.Equal((Address1, (ushort)0x1011), (client.PeerAddress.Device, client.PeerAddress.Psm));
        client.Dispose();
        python.WaitForExit(expectSuccess: true);
        Assert.Equal("packets 1 672", python.Lines[^1]);
    }

    [Fact]
    public void L2cap_server_echoes_python_packets_and_reports_python_tuple_fields()
    {
        Testbed.Require(Capability.Bluetooth);
        using var listener = new L2capSocket { Timeout = Patience };
        listener.Options = listener.Options with { IncomingMtu = 65535 };
        listener.Bind(new L2capAddress(Address1, 0x1013));
        listener.Listen();
        using ToolProcess python = Start(L2capClient, Address0.ToString(), Address1.ToString(), "4115");
        using L2capSocket connection = AcceptFrom(python, listener.AcceptAsync);
        connection.Timeout = Patience;
        connection.Socket.Set(SocketOption.SendBufferForce, 4 << 20);
        Assert.True(connection.TryGetPeerAddress(out L2capAddress peer));
        Assert.Equal(65535, connection.SendMtu);
        byte[] buffer = new byte[65535];
        var sizes = new List<int>();
        for (int i = 0; i < 2; i++)
        {
            int n = connection.Receive(buffer);
            if (n == 0)
            {
                PeerClosed(python, $"after packets of {string.Join(", ", sizes)} bytes");
            }

            sizes.Add(n);
            connection.Send(buffer.AsSpan(0, n));
        }

        python.WaitForExit(expectSuccess: true);
        Assert.Equal([1, 672], sizes);
        Assert.Equal(["echo 1 1 True", "echo 672 672 True"], python.Lines.Skip(1));
        Assert.Equal($"('{peer.Device}', {peer.Psm})", python.Lines[0]);
    }

    [Fact]
    public void Deferred_setup_shows_the_connection_before_it_is_confirmed_and_rejecting_closes_the_peer()
    {
        Testbed.Require(Capability.Bluetooth);
        using var listener = new L2capSocket { Timeout = Patience };
        listener.Bind(new L2capAddress(Address1, 0x1015));
        listener.DeferSetup = true;
        Assert.True(listener.DeferSetup);
        listener.Listen();

        using (ToolProcess rejected = Start(L2capTryConnect, Address0.ToString(), Address1.ToString(), "4117"))
        {
            L2capSocket pending = AcceptFrom(rejected, listener.AcceptAsync);
            Assert.Empty(rejected.Lines);
            pending.Dispose();
            Assert.StartsWith("refused ", rejected.WaitForLines(1)[0], StringComparison.Ordinal);
            rejected.WaitForExit(expectSuccess: true);
        }

        using ToolProcess accepted = Start(L2capTryConnect, Address0.ToString(), Address1.ToString(), "4117");
        using L2capSocket connection = AcceptFrom(accepted, listener.AcceptAsync);
        connection.Timeout = Patience;
        connection.Authorize();
        Assert.Equal("connected", accepted.WaitForLines(1)[0]);
        byte[] buffer = new byte[64];
        int n = connection.Receive(buffer);
        Assert.Equal("authorized"u8.ToArray(), buffer[..n]);
    }
}
