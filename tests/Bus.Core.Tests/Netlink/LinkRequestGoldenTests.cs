using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Buses.Netlink;
using Xunit;

namespace Buses.Tests.Netlink;

/// <summary>
/// Requests our encoder writes, compared byte for byte with what iproute2 6.1 (`ip link …`) sent on
/// this project's machine, captured with `strace -e trace=sendmsg -e write=3`. The sequence number
/// and port id (bytes 8–15) are zeroed in the captures: they are per-process values.
/// </summary>
public class LinkRequestGoldenTests
{
    [StructLayout(LayoutKind.Sequential)]
    private struct CanBitTiming
    {
        public uint Bitrate, SamplePoint, Tq, PropSeg, PhaseSeg1, PhaseSeg2, Sjw, Brp;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CanControlMode
    {
        public uint Mask, Flags;
    }

    private static byte[] Captured(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
        bytes.AsSpan(8, 8).Clear();
        return bytes;
    }

    private static byte[] Build(Action<NetlinkMessageBuilder> write)
    {
        var builder = new NetlinkMessageBuilder();
        write(builder);
        return builder.WrittenSpan.ToArray();
    }

    [Fact]
    public void Add_vcan_matches_ip_link_add()
    {
        // ip link add dev vcan0 type vcan
        byte[] expected = Captured("38000000 10000506 5ae4016b 00000000 00000000 00000000 00000000 00000000 0a000300 7663616e 30000000 0c001200 08000100 7663616e");
        Assert.Equal(expected, Build(b => LinkRequests.WriteAddLink(b, "vcan0", "vcan")));
    }

    [Fact]
    public void Add_veth_pair_matches_ip_link_add()
    {
        // ip link add dev v2 type veth peer name v3
        byte[] expected = Captured("""
            54000000 10000506 5be4016b 00000000 00000000 00000000 00000000 00000000
            07000300 76320000 2c001200 08000100 76657468 20000200 1c000100 00000000
            00000000 00000000 00000000 07000300 76330000
            """);
        Assert.Equal(expected, Build(b => LinkRequests.WriteAddPair(b, "v2", "veth", "v3")));
    }

    [Fact]
    public void Add_vxcan_pair_matches_ip_link_add()
    {
        // ip link add dev vx0 type vxcan peer name vx1
        byte[] expected = Captured("""
            58000000 10000506 5be4016b 00000000 00000000 00000000 00000000 00000000
            08000300 76783000 30001200 09000100 76786361 6e000000 20000200 1c000100
            00000000 00000000 00000000 00000000 08000300 76783100
            """);
        Assert.Equal(expected, Build(b => LinkRequests.WriteAddPair(b, "vx0", "vxcan", "vx1")));
    }

    [Fact]
    public void Set_can_bitrate_matches_ip_link_set_type()
    {
        // ip link set can0 type can bitrate 500000 (can0 = ifindex 3): how Bus.Can extends a link request.
        byte[] expected = Captured("""
            54000000 10000500 5ae4016b 00000000 00000000 03000000 00000000 00000000
            34001200 07000100 63616e00 28000200 24000100 20a10700 00000000 00000000
            00000000 00000000 00000000 00000000 00000000
            """);
        Assert.Equal(expected, Build(b => LinkRequests.WriteSetLinkKindData(b, 3, "can", d => d.AddStruct(1, new CanBitTiming { Bitrate = 500000 }))));
    }

    [Fact]
    public void Set_can_fd_options_match_ip_link_set_type()
    {
        // ip link set v0 type can bitrate 500000 sample-point 0.875 dbitrate 2000000 fd on restart-ms 100 (ifindex 3)
        byte[] expected = Captured("""
            8c000000 10000500 5be4016b 00000000 00000000 03000000 00000000 00000000
            6c001200 07000100 63616e00 60000200 08000600 64000000 24000100 20a10700
            6b030000 00000000 00000000 00000000 00000000 00000000 00000000 24000900
            80841e00 00000000 00000000 00000000 00000000 00000000 00000000 00000000
            0c000500 20000000 20000000
            """);
        byte[] actual = Build(b => LinkRequests.WriteSetLinkKindData(b, 3, "can", d =>
        {
            d.AddU32(6, 100); // IFLA_CAN_RESTART_MS
            d.AddStruct(1, new CanBitTiming { Bitrate = 500000, SamplePoint = 875 });
            d.AddStruct(9, new CanBitTiming { Bitrate = 2000000 }); // IFLA_CAN_DATA_BITTIMING
            d.AddStruct(5, new CanControlMode { Mask = 0x20, Flags = 0x20 }); // IFLA_CAN_CTRLMODE fd on
        }));
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(true, "20000000 10000500 ade5016b 00000000 00000000 03000000 01000000 01000000")]
    [InlineData(false, "20000000 10000500 ade5016b 00000000 00000000 03000000 00000000 01000000")]
    public void Set_up_down_matches_ip_link_set(bool up, string hex) =>
        Assert.Equal(Captured(hex), Build(b => LinkRequests.WriteSetUp(b, 3, up)));

    [Fact]
    public void Set_mtu_matches_ip_link_set() =>
        Assert.Equal(
            Captured("28000000 10000500 ade5016b 00000000 00000000 03000000 00000000 00000000 08000400 78050000"),
            Build(b => LinkRequests.WriteSetMtu(b, 3, 1400)));

    [Fact]
    public void Set_name_matches_ip_link_set() =>
        Assert.Equal(
            Captured("28000000 10000500 ade5016b 00000000 00000000 03000000 00000000 00000000 07000300 77300000"),
            Build(b => LinkRequests.WriteSetName(b, 3, "w0")));

    [Fact]
    public void Delete_matches_ip_link_del() =>
        Assert.Equal(
            Captured("20000000 11000500 ade5016b 00000000 00000000 03000000 00000000 00000000"),
            Build(b => LinkRequests.WriteDeleteLink(b, 3)));

    [Fact]
    public void Show_by_name_matches_ip_link_show() =>
        Assert.Equal(
            Captured("30000000 12000100 ade5016b 00000000 11000000 00000000 00000000 00000000 07000300 77300000 08001d00 01000000"),
            Build(b => LinkRequests.WriteGetLink(b, "w0")));

    [Fact]
    public void Dump_matches_ip_link_show() =>
        Assert.Equal(
            Captured("28000000 12000103 ade5016b 00000000 11000000 00000000 00000000 00000000 08001d00 01000000"),
            Build(LinkRequests.WriteDumpLinks));

    [Fact]
    public void Get_family_matches_genl_ctrl_get() =>
        // genl ctrl get name nlctrl
        Assert.Equal(
            Captured("20000000 10000500 8df1016b 00000000 03000000 0b000200 6e6c6374 726c0000"),
            Build(b => GenericNetlink.WriteGetFamily(b, "nlctrl")));

    [Fact]
    public void Sequence_and_port_are_written_where_the_kernel_reads_them()
    {
        var builder = new NetlinkMessageBuilder();
        LinkRequests.WriteDeleteLink(builder, 3);
        builder.SetSequence(0, 0x6b01e5ad, 42);
        Assert.Equal(0x6b01e5adu, BinaryPrimitives.ReadUInt32LittleEndian(builder.WrittenSpan[8..]));
        Assert.Equal(42u, BinaryPrimitives.ReadUInt32LittleEndian(builder.WrittenSpan[12..]));
    }

    [Theory]
    [InlineData("abcdefghijklmnop", "16 bytes")]
    [InlineData("", "0 bytes")]
    [InlineData("a/b", "'/'")]
    [InlineData("a b", "' '")]
    [InlineData("..", "reserved")]
    public void Bad_interface_names_are_rejected_before_any_syscall(string name, string expectedText)
    {
        var builder = new NetlinkMessageBuilder();
        ArgumentException e = Assert.Throws<ArgumentException>(() => LinkRequests.WriteAddLink(builder, name, "veth"));
        Assert.Contains(expectedText, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, builder.Length);
    }

    [Fact]
    public void Fifteen_byte_name_is_accepted() =>
        Assert.Equal(4 + 15 + 1, Build(b => LinkRequests.WriteAddLink(b, "abcdefghijklmno", "veth"))[32]);
}
