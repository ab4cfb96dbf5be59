using System.Buffers.Binary;
using Buses.Tipc;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Tipc;

public class TipcAddressTests
{
    private static readonly Gen<TipcScope> s_scope = Gen.Elements(TipcScope.Cluster, TipcScope.Node);
    private static readonly Gen<uint> s_u32 = ArbMap.Default.GeneratorFor<uint>();

    private static readonly Gen<TipcAddress> s_address = Gen.OneOf(
        from t in s_u32 from a in s_u32 from b in s_u32 from s in s_scope
        select (TipcAddress)new TipcServiceRange(t, Math.Min(a, b), Math.Max(a, b), s),
        from t in s_u32 from i in s_u32 from n in s_u32 from s in s_scope
        select (TipcAddress)new TipcServiceAddress(t, i, new TipcNodeAddress(n), s),
        from r in s_u32 from n in s_u32
        select (TipcAddress)new TipcSocketAddress(r, new TipcNodeAddress(n)));

    [Theory]
    [InlineData("tipc:{18888,0,100}")]
    [InlineData("tipc:{18888,5,5}/node")]
    [InlineData("tipc:{18888,17}")]
    [InlineData("tipc:{18888,17}@<0.0.2>")]
    [InlineData("tipc:{18888,17}@<1.1.1>/node")]
    [InlineData("tipc:<0.0.1:3456789>")]
    public void Canonical_text_parses_back_through_the_registry(string text)
    {
        Assert.Equal(text, TipcAddress.Parse(text).ToString());
        Assert.Equal(text, SocketAddressParser.Parse(text).ToString());
    }

    [Fact]
    public void Every_address_round_trips_through_sockaddr_bytes_and_text() =>
        Prop.ForAll(s_address.ToArbitrary(), address =>
        {
            byte[] bytes = new byte[TipcAddress.Size];
            Assert.Equal(16, address.Encode(bytes));
            return TipcAddress.Decode(bytes) == address
                && TipcAddress.Parse(address.ToString()) == address
                && (TipcAddress)SocketAddressParser.Decode(bytes) == address
                && (TipcAddress)SocketAddressParser.Parse(address.ToString()) == address;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Each_kind_parses_with_its_own_type_and_refuses_the_others()
    {
        Assert.Equal(new TipcServiceRange(70, 1, 9), TipcServiceRange.Parse("tipc:{70,1,9}"));
        Assert.Equal(new TipcServiceAddress(70, 4), TipcServiceAddress.Parse("tipc:{70,4}"));
        Assert.Equal(new TipcSocketAddress(12, new TipcNodeAddress(1, 2, 3)), TipcSocketAddress.Parse("tipc:<1.2.3:12>"));
        Assert.Throws<FormatException>(() => TipcServiceRange.Parse("tipc:{70,4}"));
        Assert.Throws<FormatException>(() => TipcServiceAddress.Parse("tipc:<1.2.3:12>"));
        Assert.Throws<FormatException>(() => TipcSocketAddress.Parse("tipc:{70,1,9}"));
    }

    [Fact]
    public void Service_range_has_the_kernel_layout()
    {
        byte[] bytes = new byte[16];
        new TipcServiceRange(18888, 200, 210, TipcScope.Node).Encode(bytes);
        Assert.Equal(30, BinaryPrimitives.ReadUInt16LittleEndian(bytes));
        Assert.Equal(1, bytes[2]);
        Assert.Equal(3, bytes[3]);
        Assert.Equal(18888u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(200u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(210u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
    }

    [Fact]
    public void Socket_address_puts_ref_before_node_and_carries_no_scope()
    {
        byte[] bytes = new byte[16];
        new TipcSocketAddress(77, new TipcNodeAddress(0x01001002)).Encode(bytes);
        Assert.Equal(3, bytes[2]);
        Assert.Equal(0, bytes[3]);
        Assert.Equal(77u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(0x01001002u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Scope_zero_and_the_deprecated_zone_scope_decode_as_cluster(byte scope)
    {
        byte[] bytes = new byte[16];
        new TipcServiceRange(100, 1, 2).Encode(bytes);
        bytes[3] = scope;
        Assert.Equal(TipcScope.Cluster, TipcServiceRange.Decode(bytes).Scope);
    }

    [Theory]
    [InlineData("tipc:{1,2,3,4}", "'{1,2,3,4}'")]
    [InlineData("tipc:{70,9,1}", "lower 9 above upper 1")]
    [InlineData("tipc:{70,4294967296}", "'4294967296'")]
    [InlineData("tipc:{70,-1}", "'-1'")]
    [InlineData("tipc:{70,1,2}@<0.0.1>", "only a service address")]
    [InlineData("tipc:{70,1}@<256.0.1>", "zone '256'")]
    [InlineData("tipc:<1.4096.1:5>", "cluster '4096'")]
    [InlineData("tipc:<1.1.1:x>", "'x'")]
    [InlineData("tipc:70,1", "'70,1'")]
    public void Malformed_text_names_the_bad_part(string text, string bad) =>
        Assert.Contains(bad, Assert.Throws<FormatException>(() => TipcAddress.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Lower_above_upper_is_refused_when_constructed()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TipcServiceRange(100, 10, 5));
        Assert.Contains("lower 10 is above upper 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sockaddr_with_an_unknown_addrtype_is_refused_by_decode_but_not_by_try_decode()
    {
        byte[] bytes = new byte[16];
        new TipcServiceRange(100, 1, 2).Encode(bytes);
        bytes[2] = 9;
        Assert.Contains("addrtype 9", Assert.Throws<FormatException>(() => TipcAddress.Decode(bytes)).Message, StringComparison.Ordinal);
        Assert.False(TipcAddress.TryDecode(bytes, out _));
        Assert.IsType<RawSocketAddress>(SocketAddressParser.Decode(bytes));
    }

    [Fact]
    public void Default_address_cannot_be_encoded() =>
        Assert.Throws<InvalidOperationException>(() => default(TipcAddress).Encode(new byte[16]));

    // CPython's getsockaddrarg reads (addr_type, v1, v2, v3[, scope]) as below, and makesockaddr
    // writes ranges and socket addresses back in the same shape (Modules/socketmodule.c).
    [Theory]
    [InlineData(1, 18888u, 200u, 210u, 2, "tipc:{18888,200,210}")]
    [InlineData(1, 18888u, 200u, 210u, 3, "tipc:{18888,200,210}/node")]
    [InlineData(2, 18888u, 205u, 0u, 2, "tipc:{18888,205}")]
    [InlineData(2, 18888u, 205u, 2u, 2, "tipc:{18888,205}@<0.0.2>")]
    [InlineData(3, 16781313u, 12345u, 0u, 0, "tipc:<1.1.1:12345>")]
    public void Python_tuples_map_one_to_one(int type, uint v1, uint v2, uint v3, int scope, string text)
    {
        TipcAddress address = TipcAddress.FromPythonTuple(type, v1, v2, v3, scope);
        Assert.Equal(text, address.ToString());
        Assert.Equal((type, v1, v2, v3, scope), address.ToPythonTuple());
    }

    [Fact]
    public void Python_tuples_round_trip_for_every_address() =>
        Prop.ForAll(s_address.ToArbitrary(), address =>
        {
            var (t, v1, v2, v3, scope) = address.ToPythonTuple();
            return TipcAddress.FromPythonTuple(t, v1, v2, v3, scope) == address;
        }).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData(4, 1L, 1L, 1L, "type 4")]
    [InlineData(2, -1L, 1L, 0L, "-1")]
    [InlineData(1, 100L, 0L, 4294967296L, "4294967296")]
    [InlineData(1, 100L, 7L, 6L, "lower 7 is above upper 6")]
    public void Bad_python_tuples_are_refused_with_the_reason(int type, long v1, long v2, long v3, string reason) =>
        Assert.Contains(reason, Assert.ThrowsAny<ArgumentOutOfRangeException>(() => TipcAddress.FromPythonTuple(type, v1, v2, v3)).Message, StringComparison.Ordinal);

    [Fact]
    public void Kind_accessors_refuse_the_wrong_kind()
    {
        TipcAddress address = new TipcSocketAddress(1, default);
        Assert.Contains("Socket", Assert.Throws<InvalidOperationException>(() => address.ServiceRange).Message, StringComparison.Ordinal);
    }
}
