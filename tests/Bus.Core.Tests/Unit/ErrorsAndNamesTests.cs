using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Unit;

public class ErrorsAndNamesTests
{
    [Theory]
    [InlineData(97, "EAFNOSUPPORT")]
    [InlineData(105, "ENOBUFS")]
    [InlineData(11, "EAGAIN")]
    [InlineData(95, "EOPNOTSUPP")]
    [InlineData(19, "ENODEV")]
    [InlineData(4242, "E4242")]
    public void Errno_names_are_the_kernels(int errno, string name) => Assert.Equal(name, BusException.ErrnoName(errno));

    [Fact]
    public void Message_names_operation_address_errno_and_detail()
    {
        var e = new BusException(19, "bind", "can:vcan9", "no such interface");
        Assert.Equal("bind(can:vcan9): ENODEV (19): No such device: no such interface", e.Message);
        Assert.Equal(Errno.ENODEV, e.Errno);
        Assert.Equal("ENODEV", e.ErrorName);
        Assert.Equal("bind", e.Operation);
        Assert.Equal("can:vcan9", e.Address);
    }

    [Fact]
    public void Timeout_is_a_bus_exception_with_etimedout()
    {
        BusException e = new BusTimeoutException("recv", TimeSpan.FromMilliseconds(250));
        Assert.Equal(Errno.ETIMEDOUT, e.Errno);
        Assert.Contains("timed out after 250 ms", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "1 to 15 bytes")]
    [InlineData("abcdefghijklmnop", "1 to 15 bytes")]
    [InlineData("..", "reserved")]
    [InlineData("vcan/0", "'/'")]
    [InlineData("vcan 0", "white space")]
    [InlineData("eth0:1", "':'")]
    public void Bad_interface_names_are_rejected_by_rule(string name, string rule)
    {
        var e = Assert.Throws<ArgumentException>(() => Interfaces.IndexOf(name));
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{name}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_interface_is_named_with_enodev()
    {
        var e = Assert.Throws<BusException>(() => Interfaces.IndexOf("vcan9"));
        Assert.Equal(Errno.ENODEV, e.Errno);
        Assert.Contains("no network interface named 'vcan9'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loopback_round_trips_between_name_and_index()
    {
        int index = Interfaces.IndexOf("lo");
        Assert.Equal("lo", Interfaces.NameOf(index));
        Assert.Contains((index, "lo"), Interfaces.List());
    }

    [Fact]
    public void Raw_address_text_and_bytes_round_trip()
    {
        Prop.ForAll<ushort, byte[]>((family, payload) =>
        {
            payload = payload.Length > 126 ? payload[..126] : payload;
            var address = new RawSocketAddress((SocketFamily)family, payload);
            var bytes = new byte[address.EncodedSize];
            address.Encode(bytes);
            return RawSocketAddress.Parse(address.ToString()) == address
                && RawSocketAddress.Decode(bytes) == address;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("vcan0", "no scheme")]
    [InlineData("nosuch:x", "unknown scheme 'nosuch'")]
    [InlineData("raw:x:00", "'x' is not a family number")]
    [InlineData("raw:40:0", "'0' is not an even number of hex digits")]
    [InlineData("raw:40", "has no ':'")]
    public void Malformed_text_points_at_the_bad_part(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => SocketAddressParser.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
