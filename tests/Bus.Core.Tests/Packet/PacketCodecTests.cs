using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Buses.Packet;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Packet;

public class PacketCodecTests
{
    [Fact]
    public void Sockaddr_ll_layout_has_protocol_in_network_order()
    {
        var a = new PacketAddress(3, 0x0800, PacketType.Broadcast, 1, [0x52, 0x54, 0, 0x12, 0x34, 0x56]);
        Span<byte> bytes = stackalloc byte[PacketAddress.Size];
        Assert.Equal(20, a.Encode(bytes));
        Assert.Equal("11000800030000000100010652540012345600 00".Replace(" ", "", StringComparison.Ordinal), Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Getsockname_short_form_decodes()
    {
        // getsockname reports offsetof(sll_addr) + sll_halen = 18 bytes for Ethernet.
        byte[] bytes = Convert.FromHexString("1100000302000000010000065254001234560000")[..18];
        PacketAddress a = PacketAddress.Decode(bytes);
        Assert.Equal(2, a.InterfaceIndex);
        Assert.Equal(EtherType.All, a.Protocol);
        Assert.Equal([0x52, 0x54, 0, 0x12, 0x34, 0x56], a.GetHardwareAddress());
    }

    [Theory]
    [InlineData("1100", "at least 12")]
    [InlineData("020000000000000000000000", "needs sa_family Packet (17); this sockaddr has 2")]
    [InlineData("110000000000000000000009", "sll_halen 9")]
    [InlineData("110000000000000000000004aabb", "sll_halen 4")]
    public void Malformed_sockaddr_is_format_exception(string hex, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => PacketAddress.Decode(Convert.FromHexString(hex))).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("packet:#3:0x0800")]
    [InlineData("packet::0x0003")]
    [InlineData("packet:#7:0x88b5:broadcast")]
    [InlineData("packet:#7:0x88b5:otherhost:1:525400123456")]
    [InlineData("packet:#1:0x000c:host:280")]
    public void Index_form_text_round_trips(string text)
    {
        var a = (PacketAddress)SocketAddressParser.Parse(text);
        Assert.Equal(text, a.ToIndexString());
    }

    [Fact]
    public void Named_interface_resolves_and_prints_by_name()
    {
        PacketAddress a = PacketAddress.Parse("packet:lo:2048");
        Assert.Equal(Interfaces.IndexOf("lo"), a.InterfaceIndex);
        Assert.Equal("packet:lo:0x0800", a.ToString());
    }

    [Theory]
    [InlineData("packet:lo", "must be interface:protocol")]
    [InlineData("packet:#x:1", "'#x'")]
    [InlineData("packet:#1:65536", "'65536' is not a protocol from 0 to 65535")]
    [InlineData("packet:#1:1:nosuchtype", "'nosuchtype'")]
    [InlineData("packet:#1:1:host:70000", "'70000'")]
    [InlineData("packet:#1:1:host:1:0102030405060708ff", "is 9 bytes")]
    [InlineData("packet:#1:1:host:1:abc", "even number of hex digits")]
    [InlineData("packet:a/b:1", "'a/b'")]
    public void Malformed_text_names_the_bad_part(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => SocketAddressParser.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Python_limits_are_checked_before_any_syscall()
    {
        ArgumentOutOfRangeException range = Assert.Throws<ArgumentOutOfRangeException>(() => PacketAddress.Create("lo", 65536));
        Assert.Contains("65536 is outside 0–65535", range.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => PacketAddress.Create("lo", -1));
        ArgumentException tooLong = Assert.Throws<ArgumentException>(() => PacketAddress.Create("lo", 3, hardwareAddress: new byte[9]));
        Assert.Contains("9 bytes is longer than the 8", tooLong.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PacketAddress.Create("sixteen-bytes-xx", 3));
        Assert.Equal(0, PacketAddress.Create("", 3).InterfaceIndex);
    }

    [Fact]
    public void Unknown_interface_is_enodev() =>
        Assert.Equal(Errno.ENODEV, Assert.Throws<BusException>(() => PacketAddress.Create("nosuch0", 3)).Errno);

    [Fact]
    public void Property_sockaddr_and_text_round_trip() =>
        Prop.ForAll(
            Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, 65535)).ToArbitrary(),
            Gen.Zip(Gen.Choose(0, 255), Gen.Choose(0, 65535)).ToArbitrary(),
            Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Where(a => a.Length <= 8).ToArbitrary(),
            ((int Index, int Protocol) ip, (int PacketType, int HardwareType) types, byte[] address) =>
            {
                (int index, int protocol) = ip;
                (int pkttype, int hatype) = types;
                var a = new PacketAddress(index, (ushort)protocol, (PacketType)pkttype, (ushort)hatype, address);
                Span<byte> bytes = stackalloc byte[PacketAddress.Size];
                a.Encode(bytes);
                return PacketAddress.Decode(bytes) == a
                    && (PacketAddress)SocketAddressParser.Decode(bytes) == a
                    && PacketAddress.Parse(a.ToIndexString()) == a
                    && a.GetHardwareAddress().AsSpan().SequenceEqual(address);
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void Property_arbitrary_sockaddr_bytes_only_fail_with_format_exception() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            if (bytes.Length >= 2)
            {
                bytes[0] = 17;
                bytes[1] = 0;
            }

            try
            {
                PacketAddress.Decode(bytes);
            }
            catch (FormatException)
            {
            }

            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Kernel_struct_sizes()
    {
        Assert.Equal(8, Unsafe.SizeOf<BpfInstruction>());
        Assert.Equal(IntPtr.Size == 8 ? 16 : 8, Unsafe.SizeOf<Buses.Packet.Interop.sock_fprog>());
        Assert.Equal(16, Unsafe.SizeOf<Buses.Packet.Interop.packet_mreq>());
        Assert.Equal(20, Unsafe.SizeOf<Buses.Packet.Interop.tpacket_auxdata>());
        Assert.Equal(8, Unsafe.SizeOf<Buses.Packet.Interop.tpacket_stats>());
    }

    [Fact]
    public void Pcap_ng_can_records_carry_the_id_in_network_order()
    {
        using var stream = new MemoryStream();
        using (var writer = new PcapNgWriter(stream, leaveOpen: true))
        {
            int id = writer.AddInterface(PcapNgWriter.LinkTypeFor(HardwareType.Can), "vcan0");
            Assert.Equal(227, PcapNgWriter.LinkTypeFor(280));
            byte[] frame = new byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(frame, 0x123);
            frame[4] = 2;
            frame[8] = 0x11;
            frame[9] = 0x22;
            writer.WritePacket(id, 1_700_000_000_123_456_789, frame);
        }

        byte[] file = stream.ToArray();
        int epb = file.Length - 48;
        Assert.Equal(6u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(epb)));
        Assert.Equal(0x123u, BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(epb + 28)));
        Assert.Equal(48, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 4)));
    }

    [Fact]
    public void Pcap_ng_rejects_unknown_hardware_types_by_name() =>
        Assert.Contains("hardware type 24", Assert.Throws<NotSupportedException>(() => PcapNgWriter.LinkTypeFor(24)).Message, StringComparison.Ordinal);
}
