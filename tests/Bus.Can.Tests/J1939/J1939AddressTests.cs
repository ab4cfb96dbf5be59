using System.Buffers.Binary;
using Buses.Can;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Can;

public class J1939AddressTests
{
    private static Gen<uint> ValidPgn() =>
        Gen.OneOf(
            Gen.Constant(J1939.NoPgn),
            // PDU1: PF below 0xF0, low byte 0.
            Gen.Choose(0, 3).SelectMany(dp => Gen.Choose(0, 0xEF).Select(pf => (uint)((dp << 16) | (pf << 8)))),
            // PDU2: PF 0xF0 and above, any group extension.
            Gen.Choose(0, 3).SelectMany(dp => Gen.Choose(0xF0, 0xFF).SelectMany(pf => Gen.Choose(0, 0xFF).Select(ps => (uint)((dp << 16) | (pf << 8) | ps)))));

    private static Gen<J1939Address> Addresses() =>
        from iface in Gen.OneOf(Gen.Elements("vcan0", "can1", "j1939-bus"), Gen.Constant("any"))
        from index in Gen.Choose(0, 5000)
        from useIndex in Gen.Elements(true, false)
        from sa in Gen.Choose(0, 255)
        from pgn in ValidPgn()
        from hi in Gen.Choose(int.MinValue, int.MaxValue)
        from lo in Gen.Choose(int.MinValue, int.MaxValue)
        select new J1939Address(useIndex ? CanAddress.FromIndex(index) : new CanAddress(iface), (byte)sa, pgn, ((ulong)(uint)hi << 32) | (uint)lo);

    [Fact]
    public void Text_form_round_trips_for_every_field() =>
        Prop.ForAll(Addresses().ToArbitrary(), address =>
            J1939Address.Parse(address.ToString()) == address
            && SocketAddressParser.Parse(address.ToString()).Equals(address)).QuickCheckThrowOnFailure();

    [Fact]
    public void Sockaddr_bytes_round_trip_for_every_field_on_index_addresses() =>
        Prop.ForAll(Addresses().Where(a => a.Interface.InterfaceName is null).ToArbitrary(), address =>
        {
            byte[] bytes = new byte[32];
            int length = address.Encode(bytes);
            return length == 24 && J1939Address.Decode(bytes.AsSpan(0, length)) == address;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Encoding_puts_each_field_where_sockaddr_can_has_it()
    {
        var address = new J1939Address(CanAddress.FromIndex(3), 0x80, 0x12300, 0x1122334455667788);
        byte[] bytes = new byte[24];
        address.Encode(bytes);
        Assert.Equal(29, BinaryPrimitives.ReadUInt16LittleEndian(bytes));
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(0x1122334455667788UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(0x12300u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(0x80, bytes[20]);
    }

    [Fact]
    public void Default_means_no_pgn_no_address_and_no_name()
    {
        J1939Address none = default;
        Assert.Equal(J1939.NoPgn, none.Pgn);
        Assert.Equal(J1939.NoAddress, none.Address);
        Assert.Equal(J1939.NoName, none.Name);
        Assert.False(none.HasPgn);
        Assert.Equal("j1939:any:FF,40000,0000000000000000", none.ToString());
    }

    [Theory]
    [InlineData("j1939:vcan0:80", 0x80, J1939.NoPgn, 0UL)]
    [InlineData("j1939:vcan0:,0EF00", 0xFF, 0x0EF00u, 0UL)]
    [InlineData("j1939:vcan0:0x20,0x1FEF1,0x1122", 0x20, 0x1FEF1u, 0x1122UL)]
    [InlineData("j1939:#4:FE,,AB", 0xFE, J1939.NoPgn, 0xABUL)]
    public void Short_forms_leave_missing_fields_at_none(string text, int sa, uint pgn, ulong name)
    {
        J1939Address address = J1939Address.Parse(text);
        Assert.Equal((byte)sa, address.Address);
        Assert.Equal(pgn, address.Pgn);
        Assert.Equal(name, address.Name);
    }

    [Theory]
    [InlineData("vcan0:0x80", "vcan0", 0x80, J1939.NoPgn, 0UL)]
    [InlineData(":0x90,0x12300", null, 0x90, 0x12300u, 0UL)]
    [InlineData("vcan0:128,61184", "vcan0", 0x80, 0xEF00u, 0UL)]
    [InlineData("vcan0:0200", "vcan0", 0x80, J1939.NoPgn, 0UL)]
    [InlineData("vcan1:,0x0FEF1,0x1122334455667788", "vcan1", 0xFF, 0x0FEF1u, 0x1122334455667788UL)]
    [InlineData("vcan0", "vcan0", 0xFF, J1939.NoPgn, 0UL)]
    [InlineData("vcan0:", "vcan0", 0xFF, J1939.NoPgn, 0UL)]
    public void Can_utils_form_reads_as_j1939cat_does(string text, string? iface, int sa, uint pgn, ulong name)
    {
        J1939Address address = J1939Address.ParseCanUtils(text);
        Assert.Equal(iface, address.Interface.InterfaceName);
        Assert.Equal((byte)sa, address.Address);
        Assert.Equal(pgn, address.Pgn);
        Assert.Equal(name, address.Name);
    }

    [Theory]
    [InlineData(0x40001u, "over 18 bits")]
    [InlineData(0x7FFFFu, "over 18 bits")]
    [InlineData(0x0EA12u, "PDU1")]
    [InlineData(0x1EF01u, "low byte must be 0")]
    public void Bad_pgns_are_refused_before_any_syscall(uint pgn, string rule)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new J1939Address(CanAddress.FromIndex(1), 0x80, pgn));
        Assert.Contains(rule, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{pgn:X}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("j1939:vcan0", "'vcan0'")]
    [InlineData("j1939:vcan0:1FF", "'1FF'")]
    [InlineData("j1939:vcan0:80,0EA12", "PDU1")]
    [InlineData("j1939:vcan0:80,50000", "'50000'")]
    [InlineData("j1939:vcan0:80,1,2,3", "more than three fields")]
    [InlineData("j1939:vcan0:zz", "'zz'")]
    public void Malformed_text_names_the_bad_part(string text, string bad) =>
        Assert.Contains(bad, Assert.Throws<FormatException>(() => J1939Address.Parse(text)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("vcan0:0x100", "'0x100' is not an address")]
    [InlineData("vcan0:0x80,0x40001", "'0x40001' is not a PGN")]
    [InlineData("vcan0:0x80,0xEA12", "PDU1")]
    [InlineData("vcan0:08", "'08' is not an address")]
    [InlineData("vcan0:1,2,3,4", "more than SA,PGN,NAME")]
    public void Malformed_can_utils_text_names_the_bad_part(string text, string bad) =>
        Assert.Contains(bad, Assert.Throws<FormatException>(() => J1939Address.ParseCanUtils(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Pdu1_and_pdu2_are_told_apart_by_pf()
    {
        Assert.True(J1939.IsPdu1(0x0EA00));
        Assert.True(J1939.IsPdu1(0x1EF00));
        Assert.False(J1939.IsPdu1(0x0F000));
        Assert.False(J1939.IsPdu1(0x0FEF1));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(-1)]
    public void Priority_outside_0_to_7_is_refused(int priority) =>
        Assert.Contains($"priority {priority} is outside 0–7", Assert.Throws<ArgumentOutOfRangeException>(() => J1939.ValidatePriority(priority, "p")).Message, StringComparison.Ordinal);

    [Fact]
    public void Decoder_is_registered_for_can_j1939_and_not_for_raw()
    {
        byte[] bytes = new byte[24];
        new J1939Address(CanAddress.FromIndex(2), 0x33, 0x0FEF1, 7).Encode(bytes);
        Assert.IsType<J1939Address>(SocketAddressParser.Decode(bytes, protocol: 7));
        Assert.IsType<CanAddress>(SocketAddressParser.Decode(bytes, protocol: 1));
    }
}
