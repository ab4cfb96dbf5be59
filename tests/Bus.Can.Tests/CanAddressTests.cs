using System.Buffers.Binary;
using Buses.Can;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Can;

public class CanAddressTests
{
    [Theory]
    [InlineData("can:vcan0")]
    [InlineData("can:any")]
    [InlineData("can:#7")]
    public void Canonical_text_parses_back(string text)
    {
        Assert.Equal(text, CanAddress.Parse(text).ToString());
        Assert.Equal(text, SocketAddressParser.Parse(text).ToString());
    }

    [Fact]
    public void Any_and_index_encode_to_24_byte_sockaddr_can()
    {
        Span<byte> bytes = stackalloc byte[24];
        Assert.Equal(24, CanAddress.FromIndex(5).Encode(bytes));
        Assert.Equal(29, BinaryPrimitives.ReadUInt16LittleEndian(bytes));
        Assert.Equal(5, BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]));
        Assert.Equal(CanAddress.FromIndex(5), CanAddress.Decode(bytes));
        CanAddress.Any.Encode(bytes);
        Assert.True(CanAddress.Decode(bytes).IsAny);
    }

    [Fact]
    public void Pythons_empty_interface_name_means_every_interface()
    {
        Assert.True(new CanAddress("").IsAny);
        Assert.Equal(CanAddress.Any, new CanAddress(""));
        Assert.Equal("can:any", new CanAddress("").ToString());
    }

    [Fact]
    public void Unknown_interface_fails_at_encode_with_enodev()
    {
        var address = new CanAddress("nocan9");
        var ex = Assert.Throws<BusException>(() => address.Encode(new byte[24]));
        Assert.Equal(Errno.ENODEV, ex.Errno);
        Assert.Contains("nocan9", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("can:", "''")]
    [InlineData("can:#x", "'#x'")]
    [InlineData("can:a/b", "'a/b'")]
    [InlineData("can:sixteen-chars-xy", "'sixteen-chars-xy'")]
    public void Malformed_text_names_the_bad_part(string text, string bad) =>
        Assert.Contains(bad, Assert.Throws<FormatException>(() => CanAddress.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Index_round_trips_through_bytes_and_text() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), index =>
        {
            CanAddress address = CanAddress.FromIndex(index);
            byte[] bytes = new byte[24];
            address.Encode(bytes);
            return CanAddress.Decode(bytes) == address && CanAddress.Parse(address.ToString()) == address;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Host_without_can_refuses_the_socket_with_its_errno()
    {
        // The host kernel of this project has no CAN; inside the bed the socket opens (see hil-tests).
        if (Environment.GetEnvironmentVariable("BUSES_TESTBED") == "1")
        {
            using var socket = new CanRawSocket();
            Assert.NotNull(socket.Socket);
            return;
        }

        BusException ex = Assert.Throws<BusException>(() => new CanRawSocket().Dispose());
        Assert.Contains(ex.Errno, new[] { Errno.EAFNOSUPPORT, Errno.EPROTONOSUPPORT });
        Assert.Contains("socket", ex.Operation, StringComparison.Ordinal);
    }
}
