using Buses.Bluetooth;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Bluetooth;

public class AddressTests
{
    // The rfcomm:, l2cap:, sco: and hci: schemes register when Bus.Bluetooth's module initializer runs,
    // which is when its code is first touched; a theory that only calls SocketAddressParser.Parse can
    // run first, so the class makes sure.
    static AddressTests() => System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(BluetoothAddress).Module.ModuleHandle);

    private static readonly Gen<BluetoothAddress> Devices = Gen.Choose(0, 0xFFFFFF).Two().Select(t => new BluetoothAddress(((ulong)(uint)t.Item1 << 24) | (uint)t.Item2));

    private static byte[] Encode(ISocketAddress address)
    {
        byte[] bytes = new byte[address.EncodedSize];
        Assert.Equal(bytes.Length, address.Encode(bytes));
        return bytes;
    }

    private static bool TryDecode<T>(byte[] bytes) where T : struct, ISocketAddress<T> => T.TryDecode(bytes, out _);

    [Fact]
    public void Address_text_is_msb_first_and_wire_bytes_lsb_first()
    {
        BluetoothAddress address = BluetoothAddress.Parse("00:AA:01:01:00:01");
        Assert.Equal(0x00AA01010001UL, address.Value);
        byte[] wire = new byte[6];
        address.Write(wire);
        Assert.Equal(new byte[] { 0x01, 0x00, 0x01, 0x01, 0xAA, 0x00 }, wire);
        Assert.Equal(address, BluetoothAddress.Read(wire));
        Assert.Equal("00:AA:01:01:00:01", address.ToString());
        Assert.Equal("AA:BB:CC:DD:EE:FF", BluetoothAddress.Parse("aa:bb:cc:dd:ee:ff").ToString());
        Assert.Equal("00:00:00:FF:FF:FF", BluetoothAddress.Local.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("00:AA:01:01:00")]
    [InlineData("00:AA:01:01:00:01:02")]
    [InlineData("00:AA:01:01:00:1")]
    [InlineData("0:AA:01:01:00:01x")]
    [InlineData("00-AA-01-01-00-01")]
    [InlineData("00:AA:01:01:00:0G")]
    [InlineData("00:AA:01:01:00:01 ")]
    [InlineData("+0:AA:01:01:00:01")]
    public void Address_text_that_is_not_six_hex_pairs_is_rejected(string text)
    {
        Assert.False(BluetoothAddress.TryParse(text, out _));
        Assert.Contains($"'{text}'", Assert.Throws<FormatException>(() => BluetoothAddress.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Address_round_trips_through_text_and_wire_bytes() =>
        Prop.ForAll(Devices.ToArbitrary(), address =>
        {
            byte[] wire = new byte[6];
            address.Write(wire);
            return BluetoothAddress.Parse(address.ToString()) == address && BluetoothAddress.Read(wire) == address
                && BluetoothAddress.Parse(address.ToString().ToLowerInvariant()) == address;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Rfcomm_address_encodes_sockaddr_rc_golden_bytes()
    {
        var address = new RfcommAddress(BluetoothAddress.Parse("00:AA:01:01:00:01"), 5);
        Assert.Equal(new byte[] { 31, 0, 0x01, 0x00, 0x01, 0x01, 0xAA, 0x00, 5, 0 }, Encode(address));
        Assert.Equal("rfcomm:00:AA:01:01:00:01,5", address.ToString());
    }

    [Fact]
    public void L2cap_address_encodes_sockaddr_l2_golden_bytes_little_endian()
    {
        var address = new L2capAddress(BluetoothAddress.Parse("00:AA:01:01:00:01"), 0x1001);
        Assert.Equal(new byte[] { 31, 0, 0x01, 0x10, 0x01, 0x00, 0x01, 0x01, 0xAA, 0x00, 0, 0, 0, 0 }, Encode(address));
        var att = new L2capAddress(BluetoothAddress.Parse("C0:00:00:00:00:01"), 0, 4, BluetoothAddressType.LeRandom);
        Assert.Equal(new byte[] { 31, 0, 0, 0, 0x01, 0, 0, 0, 0, 0xC0, 4, 0, 2, 0 }, Encode(att));
        Assert.Equal("l2cap:00:AA:01:01:00:01,4097", address.ToString());
        Assert.Equal("l2cap:C0:00:00:00:00:01,0,4,le-random", att.ToString());
    }

    [Fact]
    public void Sco_and_hci_addresses_encode_golden_bytes()
    {
        Assert.Equal(new byte[] { 31, 0, 0x01, 0x00, 0x01, 0x01, 0xAA, 0x00 }, Encode(new ScoAddress(BluetoothAddress.Parse("00:AA:01:01:00:01"))));
        Assert.Equal(new byte[] { 31, 0, 1, 0, 0, 0 }, Encode(new HciAddress(1)));
        Assert.Equal(new byte[] { 31, 0, 0xFF, 0xFF, 3, 0 }, Encode(HciAddress.Control));
    }

    [Theory]
    [InlineData("rfcomm:00:AA:01:01:00:01,5")]
    [InlineData("l2cap:00:AA:01:01:00:01,4097")]
    [InlineData("l2cap:00:AA:01:01:00:01,0,64")]
    [InlineData("l2cap:00:AA:01:01:00:01,128,0,le-public")]
    [InlineData("sco:00:AA:01:01:00:01")]
    [InlineData("hci:0")]
    [InlineData("hci:1,user")]
    [InlineData("hci:none,monitor")]
    [InlineData("hci:none,control")]
    public void Canonical_text_parses_back_through_the_registry(string text) =>
        Assert.Equal(text, SocketAddressParser.Parse(text).ToString());

    [Theory]
    [InlineData("l2cap:00:AA:01:01:00:01,0x1001", "l2cap:00:AA:01:01:00:01,4097")]
    [InlineData("l2cap:00:AA:01:01:00:01,0x80,0,1", "l2cap:00:AA:01:01:00:01,128,0,le-public")]
    [InlineData("hci:0,raw", "hci:0")]
    [InlineData("hci:65535,3", "hci:none,control")]
    [InlineData("rfcomm:aa:bb:cc:dd:ee:ff,0x1E", "rfcomm:AA:BB:CC:DD:EE:FF,30")]
    public void Other_spellings_parse_to_the_canonical_text(string text, string canonical) =>
        Assert.Equal(canonical, SocketAddressParser.Parse(text).ToString());

    [Theory]
    [InlineData("rfcomm:00:AA:01:01:00:01,31", "'31'")]
    [InlineData("rfcomm:00:AA:01:01:00:01", "'00:AA:01:01:00:01'")]
    [InlineData("rfcomm:00:AA:01:01:00,5", "'00:AA:01:01:00'")]
    [InlineData("l2cap:00:AA:01:01:00:01,4097,0,le", "'le'")]
    [InlineData("l2cap:00:AA:01:01:00:01,70000", "'70000'")]
    [InlineData("hci:x", "'x'")]
    [InlineData("hci:0,bogus", "'bogus'")]
    [InlineData("sco:00:AA:01:01:00:01,1", "'00:AA:01:01:00:01,1'")]
    public void Malformed_text_names_the_bad_part(string text, string bad) =>
        Assert.Contains(bad, Assert.Throws<FormatException>(() => SocketAddressParser.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Rfcomm_channel_outside_0_to_30_is_rejected_with_the_rule() =>
        Assert.Contains("RFCOMM channel 31 is outside 1–30", Assert.Throws<ArgumentOutOfRangeException>(() => new RfcommAddress(BluetoothAddress.Any, 31)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(0x1002, BluetoothAddressType.BrEdr, "BR/EDR PSM 0x1002 is invalid")]
    [InlineData(0x1101, BluetoothAddressType.BrEdr, "BR/EDR PSM 0x1101 is invalid")]
    [InlineData(0x0100, BluetoothAddressType.LePublic, "LE PSM 0x0100 is outside 0x0001–0x00FF")]
    public void Invalid_psm_is_rejected_naming_value_and_rule(int psm, BluetoothAddressType type, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => new L2capAddress(BluetoothAddress.Any, psm, 0, type).Validate()).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(0x0001, BluetoothAddressType.BrEdr)]
    [InlineData(0x0004, BluetoothAddressType.BrEdr)]
    [InlineData(0x003F, BluetoothAddressType.LePublic)]
    public void Cid_below_0x40_other_than_att_on_le_is_rejected(int cid, BluetoothAddressType type) =>
        Assert.Contains($"CID 0x{cid:X4} is below 0x0040", Assert.Throws<ArgumentException>(() => new L2capAddress(BluetoothAddress.Any, 0, cid, type).Validate()).Message, StringComparison.Ordinal);

    [Fact]
    public void Valid_psms_and_att_pass_validation()
    {
        new L2capAddress(BluetoothAddress.Any, 0x1001).Validate();
        new L2capAddress(BluetoothAddress.Any, 0x0001).Validate();
        new L2capAddress(BluetoothAddress.Any, 0x0080, 0, BluetoothAddressType.LeRandom).Validate();
        new L2capAddress(BluetoothAddress.Any, 0, 4, BluetoothAddressType.LePublic).Validate();
        new L2capAddress(BluetoothAddress.Any, 0, 0x0040).Validate();
    }

    [Fact]
    public void Psm_and_cid_together_are_rejected() =>
        Assert.Contains("both PSM", Assert.Throws<ArgumentException>(() => new L2capAddress(BluetoothAddress.Any, 0x1001, 0x40).Validate()).Message, StringComparison.Ordinal);

    [Fact]
    public void Each_protocol_decodes_with_its_own_layout()
    {
        var rc = new RfcommAddress(BluetoothAddress.Parse("00:AA:01:01:00:01"), 7);
        var l2 = new L2capAddress(BluetoothAddress.Parse("00:AA:01:01:00:01"), 0x1003);
        Assert.Equal(rc, SocketAddressParser.Decode(Encode(rc), 3));
        Assert.Equal(l2, SocketAddressParser.Decode(Encode(l2), 0));
        Assert.Equal(new HciAddress(2, HciChannel.User), SocketAddressParser.Decode(Encode(new HciAddress(2, HciChannel.User)), 1));
        Assert.IsType<ScoAddress>(SocketAddressParser.Decode(Encode(new ScoAddress(BluetoothAddress.All)), 2));
    }

    [Fact]
    public void Undecodable_bytes_come_back_raw_not_as_an_exception()
    {
        byte[] badChannel = Encode(new RfcommAddress(BluetoothAddress.Any, 1));
        badChannel[8] = 99;
        Assert.IsType<RawSocketAddress>(SocketAddressParser.Decode(badChannel, 3));
        Assert.False(TryDecode<RfcommAddress>([31, 0]));
        Assert.Throws<FormatException>(() => HciAddress.Decode([2, 0, 0, 0, 0, 0]));
    }

    [Fact]
    public void Short_sockaddr_l2_without_cid_and_type_decodes_with_both_zero()
    {
        byte[] full = Encode(new L2capAddress(BluetoothAddress.Parse("00:AA:01:01:00:01"), 0x1001));
        Assert.Equal(new L2capAddress(BluetoothAddress.Parse("00:AA:01:01:00:01"), 0x1001), L2capAddress.Decode(full.AsSpan(0, 10)));
    }

    [Fact]
    public void Rfcomm_address_round_trips_through_bytes_and_text() =>
        Prop.ForAll(Devices.ToArbitrary(), Gen.Choose(0, 30).ToArbitrary(), (device, channel) =>
        {
            var a = new RfcommAddress(device, channel);
            return RfcommAddress.Decode(Encode(a)) == a && RfcommAddress.Parse(a.ToString()) == a;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void L2cap_address_round_trips_through_bytes_and_text() =>
        Prop.ForAll(Devices.ToArbitrary(), Gen.Choose(0, 0xFFFF).Two().ToArbitrary(), Gen.Elements(BluetoothAddressType.BrEdr, BluetoothAddressType.LePublic, BluetoothAddressType.LeRandom).ToArbitrary(), (device, numbers, type) =>
        {
            var a = new L2capAddress(device, numbers.Item1, numbers.Item2, type);
            return L2capAddress.Decode(Encode(a)) == a && L2capAddress.Parse(a.ToString()) == a;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Sco_and_hci_addresses_round_trip_through_bytes_and_text() =>
        Prop.ForAll(Devices.ToArbitrary(), Gen.Choose(0, 0xFFFF).ToArbitrary(), Gen.Choose(0, 4).ToArbitrary(), (device, dev, channel) =>
        {
            var sco = new ScoAddress(device);
            var hci = new HciAddress(dev, (HciChannel)channel);
            return ScoAddress.Decode(Encode(sco)) == sco && ScoAddress.Parse(sco.ToString()) == sco
                && HciAddress.Decode(Encode(hci)) == hci && HciAddress.Parse(hci.ToString()) == hci;
        }).QuickCheckThrowOnFailure();
}
