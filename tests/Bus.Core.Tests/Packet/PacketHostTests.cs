using System.Buffers.Binary;
using System.Diagnostics;
using Buses.Netlink;
using Buses.Packet;
using Buses.Tests.Netlink;
using Xunit;

namespace Buses.Tests.Packet;

/// <summary>
/// AF_PACKET on a veth pair in a private network namespace: raw frames both ways, sender addresses,
/// auxiliary data, statistics, BPF, promiscuous membership and pcapng capture read back by tshark.
/// Needs root and the apt packages iproute2 and tshark.
/// </summary>
public sealed class PacketHostTests : IDisposable
{
    private static readonly TimeSpan s_safety = TimeSpan.FromSeconds(20);
    private readonly TestNamespace _ns = new();
    private readonly RouteNetlink _rt;
    private readonly LinkInfo _a;
    private readonly LinkInfo _b;

    public PacketHostTests()
    {
        _rt = _ns.Run(() => new RouteNetlink());
        _rt.AddVethPair("pk0", "pk1");
        _rt.SetUp("pk0");
        _rt.SetUp("pk1");
        _a = _rt.GetLink("pk0");
        _b = _rt.GetLink("pk1");
    }

    public void Dispose()
    {
        _rt.Dispose();
        _ns.Dispose();
    }

    private PacketSocket Open(LinkInfo link, ushort protocol) => _ns.Run(() =>
    {
        var socket = new PacketSocket(new PacketAddress(link.Index, protocol));
        socket.Socket.Timeout = s_safety;
        return socket;
    });

    private static byte[] Frame(ReadOnlySpan<byte> source, ushort etherType, byte marker, int payload = 46)
    {
        byte[] frame = new byte[14 + payload];
        frame.AsSpan(0, 6).Fill(0xff);
        source.CopyTo(frame.AsSpan(6));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        frame[14] = marker;
        return frame;
    }

    [Fact]
    public void Raw_frames_cross_the_veth_pair_with_sender_and_aux_data()
    {
        using PacketSocket tx = Open(_a, EtherType.LocalExperimental1);
        using PacketSocket rx = Open(_b, EtherType.LocalExperimental1);
        rx.EnableAuxData();
        rx.EnableTimestamps();
        Assert.Equal(_b.Index, rx.LocalEndPoint.InterfaceIndex);
        Assert.Equal(HardwareType.Ethernet, rx.LocalEndPoint.HardwareType);

        byte[] frame = Frame(_a.Address.Span, EtherType.LocalExperimental1, 0x42);
        Assert.Equal(frame.Length, tx.Send(frame));
        byte[] buffer = new byte[2048];
        PacketFrameInfo info = rx.ReceiveFrame(buffer);
        Assert.Equal(frame, buffer[..info.Length]);
        Assert.Equal(frame.Length, info.OriginalLength);
        Assert.Equal(PacketType.Broadcast, info.Sender.PacketType);
        Assert.Equal(EtherType.LocalExperimental1, info.Sender.Protocol);
        Assert.Equal(_b.Index, info.Sender.InterfaceIndex);
        Assert.Equal(_a.Address.ToArray(), info.Sender.GetHardwareAddress());
        Assert.NotNull(info.AuxData);
        Assert.Equal((uint)frame.Length, info.AuxData.Value.Length);
        Assert.NotNull(info.Timestamp);
        Assert.True(info.Timestamp.Value.IsSet);

        // A too-small buffer truncates, and the real length is still reported.
        tx.SendTo(frame, new PacketAddress(_a.Index, EtherType.LocalExperimental1));
        PacketFrameInfo cut = rx.ReceiveFrame(buffer.AsSpan(0, 20));
        Assert.Equal(20, cut.Length);
        Assert.Equal(frame.Length, cut.OriginalLength);

        PacketStatistics stats = rx.GetStatistics();
        Assert.Equal(2u, stats.Packets);
        Assert.Equal(0u, stats.Drops);
        Assert.Equal(new PacketStatistics(0, 0), rx.GetStatistics());
    }

    [Fact]
    public async Task Async_receive_and_send()
    {
        using PacketSocket tx = Open(_a, EtherType.LocalExperimental1);
        using PacketSocket rx = Open(_b, EtherType.LocalExperimental1);
        byte[] frame = Frame(_a.Address.Span, EtherType.LocalExperimental1, 7);
        byte[] buffer = new byte[2048];
        ValueTask<PacketFrameInfo> pending = rx.ReceiveFrameAsync(buffer, TestContext.Current.CancellationToken);
        await tx.SendAsync(frame, TestContext.Current.CancellationToken);
        PacketFrameInfo info = await pending;
        Assert.Equal(7, buffer[14]);
        Assert.Equal(frame.Length, info.Length);
    }

    [Fact]
    public void Steady_state_send_and_receive_allocate_nothing()
    {
        using PacketSocket tx = Open(_a, EtherType.LocalExperimental1);
        using PacketSocket rx = Open(_b, EtherType.LocalExperimental1);
        rx.EnableAuxData();
        byte[] frame = Frame(_a.Address.Span, EtherType.LocalExperimental1, 1);
        byte[] buffer = new byte[2048];
        for (int i = 0; i < 10; i++)
        {
            tx.Send(frame);
            rx.ReceiveFrame(buffer);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            tx.Send(frame);
            rx.ReceiveFrame(buffer);
            tx.Send(frame);
            rx.Receive(buffer, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Bpf_filter_keeps_only_matching_frames()
    {
        using PacketSocket tx = Open(_a, EtherType.All);
        using PacketSocket rx = Open(_b, EtherType.All);
        rx.AttachFilter(BpfInstruction.MatchHalfWord(12, 0x88b6));
        rx.GetStatistics();
        tx.Send(Frame(_a.Address.Span, 0x88b5, 1));
        tx.Send(Frame(_a.Address.Span, 0x88b6, 2));
        byte[] buffer = new byte[2048];
        rx.ReceiveFrame(buffer);
        Assert.Equal(2, buffer[14]);
        Assert.Equal(0x88b6, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(12)));
        rx.DetachFilter();
        Assert.Throws<ArgumentException>(() => rx.AttachFilter([]));
        // A jump past the end is refused by the kernel's verifier.
        BusException invalid = Assert.Throws<BusException>(() => rx.AttachFilter([BpfInstruction.Jump(BpfInstruction.Jmp | BpfInstruction.JumpEqual, 1, 5, 5)]));
        Assert.Equal(Errno.EINVAL, invalid.Errno);
    }

    [Fact]
    public void Promiscuous_membership_shows_in_link_flags_and_ends_with_the_socket()
    {
        using (PacketSocket rx = Open(_b, EtherType.All))
        {
            rx.SetPromiscuous(_b.Index, true);
            // A socket's promiscuous membership counts in IFLA_PROMISCUITY, not in ifi_flags (which shows only `ip link set promisc`).
            Assert.Equal(1u, _rt.GetLink(_b.Index).Promiscuity);
            rx.AddMembership(_b.Index, PacketMembershipType.Multicast, [0x01, 0x00, 0x5e, 0x00, 0x00, 0x01]);
            rx.DropMembership(_b.Index, PacketMembershipType.Multicast, [0x01, 0x00, 0x5e, 0x00, 0x00, 0x01]);
            Assert.Throws<ArgumentException>(() => rx.AddMembership(_b.Index, PacketMembershipType.Multicast, new byte[9]));
        }

        Assert.Equal(0u, _rt.GetLink(_b.Index).Promiscuity);
    }

    [Fact]
    public async Task Capture_to_pcap_ng_is_read_back_by_tshark()
    {
        string tshark = RequireTshark();
        string path = Path.Combine(Path.GetTempPath(), $"buses-capture-{Guid.NewGuid():n}.pcapng");
        try
        {
            using PacketCapture capture = _ns.Run(() => new PacketCapture("pk1"));
            Assert.Equal(PcapNgWriter.LinkTypeEthernet, capture.LinkType);
            using PacketSocket tx = Open(_a, EtherType.LocalExperimental1);
            CaptureResult result;
            await using (FileStream file = File.Create(path))
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
                cts.CancelAfter(s_safety);
                ValueTask<CaptureResult> running = capture.CaptureAsync(file, 3, cts.Token);
                for (byte i = 1; i <= 3; i++)
                {
                    tx.Send(Frame(_a.Address.Span, EtherType.LocalExperimental1, i));
                }

                result = await running;
            }

            Assert.Equal(3, result.Packets);
            Assert.Equal(0u, result.Kernel.Drops);
            string output = Run(tshark, $"-r {path} -T fields -e frame.interface_name -e eth.type -e eth.src");
            string mac = LinkInfo.FormatHardwareAddress(_a.Address.Span);
            Assert.Equal(Enumerable.Repeat($"pk1\t0x88b5\t{mac}", 3), output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Can_link_type_file_is_read_back_by_tshark()
    {
        string tshark = RequireTshark();
        string path = Path.Combine(Path.GetTempPath(), $"buses-can-{Guid.NewGuid():n}.pcapng");
        try
        {
            using (var writer = new PcapNgWriter(File.Create(path)))
            {
                int id = writer.AddInterface(PcapNgWriter.LinkTypeFor(HardwareType.Can), "vcan0");
                byte[] frame = new byte[16];
                BinaryPrimitives.WriteUInt32LittleEndian(frame, 0x123); // host order, as AF_PACKET delivers it
                frame[4] = 2;
                frame[8] = 0x11;
                frame[9] = 0x22;
                writer.WritePacket(id, 1_700_000_000_000_000_000, frame);
            }

            string output = Run(tshark, $"-r {path} -T fields -e can.id -e can.len -e frame.interface_name");
            Assert.Equal("291\t2\tvcan0", output.Trim()); // 0x123
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string RequireTshark()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            string candidate = Path.Combine(dir, "tshark");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail("tshark is not installed: the host test tier needs the apt package 'tshark' (apt-get install -y tshark) to read captures back.");
        return "";
    }

    private static string Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {arguments} failed: {error}");
        return output;
    }
}
