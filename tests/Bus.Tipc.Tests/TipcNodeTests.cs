using Buses.Tipc;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Tipc;

public class TipcNodeTests
{
    [Fact]
    public void Node_address_packs_as_tipc_addr_does()
    {
        var address = new TipcNodeAddress(1, 2, 3);
        Assert.Equal((1u << 24) | (2u << 12) | 3u, address.Value);
        Assert.Equal("<1.2.3>", address.ToString());
        Assert.Equal((1, 2, 3), (address.Zone, address.Cluster, address.Node));
    }

    [Theory]
    [InlineData(256, 0, 0, "zone 256 is outside 0–255")]
    [InlineData(0, 4096, 0, "cluster 4096 is outside 0–4095")]
    [InlineData(0, 0, 4096, "node 4096 is outside 0–4095")]
    [InlineData(-1, 0, 0, "zone -1")]
    public void Node_address_parts_out_of_range_are_refused(int zone, int cluster, int node, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentOutOfRangeException>(() => new TipcNodeAddress(zone, cluster, node)).Message, StringComparison.Ordinal);

    [Fact]
    public void Every_node_address_round_trips_through_text() =>
        Prop.ForAll(ArbMap.Default.ArbFor<uint>(), value =>
        {
            var address = new TipcNodeAddress(value);
            return TipcNodeAddress.Parse(address.ToString()) == address
                && new TipcNodeAddress(address.Zone, address.Cluster, address.Node) == address;
        }).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData("1.1.1", 0x01001001u)]
    [InlineData("16781313", 0x01001001u)]
    [InlineData("0x1001001", 0x01001001u)]
    public void Node_address_reads_the_other_common_spellings(string text, uint value) =>
        Assert.Equal(value, TipcNodeAddress.Parse(text).Value);

    [Fact]
    public void Node_identity_text_is_hex_without_trailing_zero_bytes()
    {
        TipcNodeIdentity id = TipcNodeIdentity.Parse("1111");
        Assert.Equal([0x11, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], id.Bytes.ToArray());
        Assert.Equal("1111", id.ToString());
        Assert.Equal("00", default(TipcNodeIdentity).ToString());
        Assert.True(default(TipcNodeIdentity).IsEmpty);
    }

    [Fact]
    public void Every_node_identity_round_trips_through_text() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>().Filter(b => b.Length == 16 || b.Length == 0), bytes =>
        {
            var id = new TipcNodeIdentity(bytes.Length == 16 ? bytes : new byte[16]);
            return TipcNodeIdentity.Parse(id.ToString()) == id;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Node_identity_hash_is_the_xor_of_its_words()
    {
        byte[] bytes = new byte[16];
        bytes[0] = 0x11;
        bytes[4] = 0x22;
        bytes[15] = 0x80;
        Assert.Equal(0x80000000u ^ 0x11u ^ 0x22u, new TipcNodeIdentity(bytes).Hash.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("zz")]
    [InlineData("000102030405060708090a0b0c0d0e0f10")]
    public void Malformed_node_identities_are_refused(string text) =>
        Assert.Throws<FormatException>(() => TipcNodeIdentity.Parse(text));
}
