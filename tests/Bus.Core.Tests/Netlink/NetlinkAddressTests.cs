using Buses.Netlink;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Netlink;

public class NetlinkAddressTests
{
    [Theory]
    [InlineData("netlink:0", 0u, 0u)]
    [InlineData("netlink:1234:0x1", 1234u, 1u)]
    [InlineData("netlink:4294967295:0xffffffff", uint.MaxValue, uint.MaxValue)]
    public void Parses_and_prints_canonical_text(string text, uint port, uint groups)
    {
        var address = (NetlinkAddress)SocketAddressParser.Parse(text);
        Assert.Equal(new NetlinkAddress(port, groups), address);
        Assert.Equal(text, address.ToString());
    }

    [Theory]
    [InlineData("netlink:", "''")]
    [InlineData("netlink:-1", "'-1'")]
    [InlineData("netlink:1:zz", "'zz'")]
    [InlineData("netlink:4294967296", "'4294967296'")]
    public void Malformed_text_names_the_bad_part(string text, string badPart)
    {
        FormatException e = Assert.Throws<FormatException>(() => SocketAddressParser.Parse(text));
        Assert.Contains(badPart, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Property_sockaddr_and_text_round_trip() =>
        Prop.ForAll(ArbMap.Default.ArbFor<uint>(), ArbMap.Default.ArbFor<uint>(), (port, groups) =>
        {
            var a = new NetlinkAddress(port, groups);
            Span<byte> bytes = stackalloc byte[NetlinkAddress.Size];
            a.Encode(bytes);
            return NetlinkAddress.Decode(bytes) == a && NetlinkAddress.Parse(a.ToString()) == a
                && (NetlinkAddress)SocketAddressParser.Decode(bytes) == a;
        }).QuickCheckThrowOnFailure();
}
