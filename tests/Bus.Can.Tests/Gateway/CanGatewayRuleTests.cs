using Buses.Can;
using Buses.Netlink;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Can;

public class CanGatewayRuleTests
{
    private static readonly string[] s_golden = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Golden", "cangw.golden"));

    private static Dictionary<string, int> GoldenIndexes()
    {
        // First line: "# vcan0=3 vcan1=2", the indexes the vectors were captured with.
        return s_golden[0].TrimStart('#', ' ').Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    public static TheoryData<string, string> GoldenVectors()
    {
        var data = new TheoryData<string, string>();
        foreach (string line in s_golden.Skip(1))
        {
            string[] parts = line.Split('|');
            data.Add(parts[0], parts[1]);
        }

        return data;
    }

    private static string[] Words(string arguments) => arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    // Captured from can-utils 2020.11's cangw by Golden/capture-cangw.sh.
    [Theory]
    [MemberData(nameof(GoldenVectors))]
    public void Request_bytes_equal_cangw(string arguments, string hex)
    {
        Assert.False(string.IsNullOrEmpty(hex), $"vector for '{arguments}' is empty: re-run the capture script");
        Dictionary<string, int> indexes = GoldenIndexes();
        CanGatewayRule rule = CanGatewayRule.Parse(Words(arguments), out CanGatewayCommand command);
        var builder = new NetlinkMessageBuilder();
        rule.WriteRequest(builder, command, a => indexes[a.InterfaceName!]);
        Assert.Equal(hex, Convert.ToHexStringLower(builder.WrittenSpan));
    }

    [Fact]
    public void Golden_file_covers_every_option_and_command()
    {
        string all = string.Join('\n', s_golden.Skip(1).Select(line => line.Split('|')[0]));
        foreach (string option in new[] { "-A", "-D", "-F", "-L", "-s", "-d", "-X", "-t", "-e", "-i", "-u", "-l", "-f", "~", "-m AND", "-m OR", "-m XOR", "-m SET", "-M AND", "-M XOR", "-M SET", "-x", "-c", "-p 1", "-p 2", "-p 3" })
        {
            Assert.Contains(option, all, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(GoldenVectors))]
    public void Every_golden_request_decodes_back_to_the_rule_it_came_from(string arguments, string hex)
    {
        Dictionary<string, int> indexes = GoldenIndexes();
        CanGatewayRule parsed = CanGatewayRule.Parse(Words(arguments), out CanGatewayCommand command);
        byte[] bytes = Convert.FromHexString(hex);
        foreach (NetlinkMessage message in NetlinkMessage.Enumerate(bytes))
        {
            CanGatewayRule decoded = CanGatewayRule.Decode(message);
            int source = command == CanGatewayCommand.Flush || parsed.Source.IsAny ? 0 : indexes[parsed.Source.InterfaceName!];
            Assert.Equal(source, decoded.Source.InterfaceIndex);
            AssertSameOptions(parsed, decoded);
        }
    }

    [Fact]
    public void Listing_text_is_what_cangw_prints()
    {
        CanGatewayRule rule = CanGatewayRule.Parse(Words("-A -s vcan0 -d vcan1 -e -f 123:7FF -m SET:IL:333.4.1122334455667788"), out _);
        Assert.Equal("-A -s vcan0 -d vcan1 -e -f 123:7FF -m SET:IL:333.4.1122334455667788 # 0 handled 0 dropped 0 deleted", rule.ToString());
        CanGatewayRule inverted = CanGatewayRule.Parse(Words("-A -s vcan0 -d vcan1 -X -t -i -f 12~7FF -u 1A -l 2"), out _);
        Assert.Equal("-A -s vcan0 -d vcan1 -X -t -i -f 012~7FF -u 1A -l 2 # 0 handled 0 dropped 0 deleted", inverted.ToString());
    }

    [Fact]
    public void Listed_rules_print_in_the_dump_attribute_order_with_counters()
    {
        // A dump message laid out as the kernel's cgw_put_job writes it: counters, hops, mods, uid, xor, filter, interfaces.
        var b = new NetlinkMessageBuilder();
        b.BeginMessage(24, NetlinkMessageFlags.Multi);
        b.WriteFamilyHeader([29, 1, 1, 0]);
        b.AddU32(7, 42);
        b.AddU32(8, 1);
        b.AddU8(13, 3);
        b.AddBytes(4, [0x33, 0x03, 0, 0, 4, 0, 0, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x03]);
        b.AddU32(14, 0xBEEF);
        b.AddBytes(5, [0, 6, 7, 0xAA]);
        b.AddBytes(11, [0x23, 0x01, 0, 0, 0xFF, 0x07, 0, 0]);
        b.AddU32(9, 1);
        b.AddU32(10, 2);
        b.EndMessage();
        foreach (NetlinkMessage m in NetlinkMessage.Enumerate(b.WrittenSpan))
        {
            CanGatewayRule rule = CanGatewayRule.Decode(m);
            Assert.Equal(42u, rule.Handled);
            Assert.Equal(1u, rule.Dropped);
            Assert.Equal("-A -s a -d b -e -l 3 -m SET:IL:333.4.1122334455667788 -u BEEF -x 0:6:7:AA -f 123:7FF # 42 handled 1 dropped 0 deleted",
                rule.Format(a => a.InterfaceIndex == 1 ? "a" : "b"));
        }
    }

    private static Gen<CanGatewayModification> Modification(bool fd, CanGatewayOperation op) =>
        from fields in Gen.Choose(1, fd ? 15 : 7)
        from id in Gen.Choose(0, 0x7FF)
        from length in Gen.Choose(0, op == CanGatewayOperation.Set ? (fd ? 64 : 8) : (fd ? 255 : 15))
        from flags in Gen.Choose(0, fd ? 7 : 0)
        from data in Gen.ArrayOf(Gen.Choose(0, 255).Select(x => (byte)x), fd ? 64 : 8)
        select new CanGatewayModification(op, (CanGatewayFields)fields, (uint)id, (byte)length, (byte)flags, data);

    private static Gen<CanGatewayRule> Rules() =>
        from fd in Gen.Elements(true, false)
        from flagBits in Gen.Choose(0, 7)
        from and in Modification(fd, CanGatewayOperation.And)
        from or in Modification(fd, CanGatewayOperation.Or)
        from xor in Modification(fd, CanGatewayOperation.Xor)
        from set in Modification(fd, CanGatewayOperation.Set)
        from which in Gen.Choose(0, 15)
        let mods = new[] { and, or, xor, set }.Where((_, i) => ((which >> i) & 1) != 0).ToArray()
        from hasFilter in Gen.Elements(true, false)
        from filterId in Gen.Choose(0, 0x7FF)
        from inverted in Gen.Elements(true, false)
        from uid in Gen.Choose(0, int.MaxValue)
        from hops in Gen.Choose(0, 6)
        from xorIdx in Gen.ArrayOf(Gen.Choose(fd ? -64 : -8, fd ? 63 : 7), 3)
        from hasXor in Gen.Elements(true, false)
        from hasCrc in Gen.Elements(true, false)
        from profile in Gen.Choose(0, 3)
        from table in Gen.ArrayOf(Gen.Choose(0, 255).Select(x => (byte)x), 256)
        select new CanGatewayRule
        {
            Source = CanAddress.FromIndex(3),
            Destination = CanAddress.FromIndex(2),
            Flags = (CanGatewayFlags)flagBits | (fd ? CanGatewayFlags.Fd : 0),
            Modifications = mods.ToList(),
            Filter = hasFilter ? new CanFilter((uint)filterId, 0x7FF, inverted) : null,
            Uid = (uint)uid,
            HopLimit = (byte)hops,
            XorChecksum = hasXor && mods.Any() ? new CanGatewayXorChecksum((sbyte)xorIdx[0], (sbyte)xorIdx[1], (sbyte)xorIdx[2], 0x5A) : null,
            Crc8Checksum = hasCrc && mods.Any()
                ? new CanGatewayCrc8Checksum((sbyte)xorIdx[1], (sbyte)xorIdx[2], (sbyte)xorIdx[0], 1, 2, table, (CanGatewayCrc8Profile)profile,
                    profile == 2 ? table.AsSpan(0, 16).ToArray().Concat(new byte[4]).ToArray() : profile == 1 ? new byte[] { 0x77 }.Concat(new byte[19]).ToArray() : new byte[20])
                : null,
        };

    [Fact]
    public void Rules_round_trip_through_netlink_bytes() =>
        Prop.ForAll(Rules().ToArbitrary(), rule =>
        {
            rule.Validate();
            var builder = new NetlinkMessageBuilder();
            rule.WriteRequest(builder, CanGatewayCommand.Add);
            foreach (NetlinkMessage m in NetlinkMessage.Enumerate(builder.WrittenSpan))
            {
                AssertSameOptions(rule, CanGatewayRule.Decode(m));
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Rules_round_trip_through_cangw_text() =>
        Prop.ForAll(Rules().ToArbitrary(), rule =>
        {
            string text = rule.Format(a => a.InterfaceIndex == 3 ? "vcan0" : "vcan1");
            CanGatewayRule parsed = CanGatewayRule.Parse(Words(text.Split(" # ")[0]), out CanGatewayCommand command);
            Assert.Equal(CanGatewayCommand.Add, command);
            AssertSameOptions(rule, parsed);
        }).QuickCheckThrowOnFailure();

    private static void AssertSameOptions(CanGatewayRule expected, CanGatewayRule actual)
    {
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.Filter, actual.Filter);
        Assert.Equal(expected.Uid, actual.Uid);
        Assert.Equal(expected.HopLimit, actual.HopLimit);
        Assert.Equal(expected.XorChecksum, actual.XorChecksum);
        Assert.Equal(expected.Crc8Checksum, actual.Crc8Checksum);
        Assert.Equal(expected.Modifications, actual.Modifications);
    }

    [Theory]
    [InlineData("-A -s vcan0 -d vcan1 -m SET:L:0.9.0000000000000000", "sets length 9, past the classic frame's 8 bytes")]
    [InlineData("-A -s vcan0 -d vcan1 -X -M SET:L:0.0.41.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", "sets length 65, past the CAN FD frame's 64 bytes")]
    [InlineData("-A -s vcan0 -d vcan1 -m SET:D:0.0.0000000000000000 -x 0:8:7:00", "XOR checksum to index 8 is past the 8-byte classic frame (-8…7)")]
    [InlineData("-A -s vcan0 -d vcan1 -m SET:D:0.0.0000000000000000 -x -9:1:7:00", "from index -9 is past")]
    [InlineData("-A -s vcan0 -d vcan1 -m SET:D:0.0.0000000000000000 -p 4:", "profile 4 is not one of")]
    [InlineData("-A -s vcan0 -d vcan1 -x 0:6:7:00", "needs at least one modification")]
    [InlineData("-A -s vcan0 -d vcan1 -X -m SET:D:0.0.0000000000000000", "No -m modifications allowed in CAN FD mode")]
    [InlineData("-A -s vcan0 -d vcan1 -M SET:D:0.0.0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", "add -X")]
    [InlineData("-A -s vcan0", "needs both -s <src_dev> and -d <dst_dev>")]
    [InlineData("-A -s vcan0 -d vcan1 -m SET:D:0.0.0000000000000000 -m SET:I:1.0.0000000000000000", "one SET modification; this one has 2")]
    [InlineData("-A -s vcan0 -d vcan1 -m NOT:D:0.0.0000000000000000", "'NOT' is not AND, OR, XOR or SET")]
    [InlineData("-A -s vcan0 -d vcan1 -m SET:Q:0.0.0000000000000000", "'Q' is not a frame element")]
    [InlineData("-A -s vcan0 -d vcan1 -m SET:D:0.0.00", "has 2 hex digits; it needs exactly 16")]
    [InlineData("-A -s vcan0 -d vcan1 -l 0", "Bad hop limit definition '0'")]
    [InlineData("-A -s vcan0 -d vcan1 -f 123", "Bad filter definition '123'")]
    [InlineData("-s vcan0 -d vcan1", "needs one of -A")]
    [InlineData("-A -s vcan0 -d vcan1 -q", "no option -q")]
    public void Bad_rules_are_refused_before_anything_is_sent(string arguments, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => CanGatewayRule.Parse(Words(arguments), out _)).Message, StringComparison.Ordinal);

    [Fact]
    public void A_crc8_profile_index_outside_0_to_3_is_refused_by_validate()
    {
        var rule = new CanGatewayRule
        {
            Source = CanAddress.FromIndex(1),
            Destination = CanAddress.FromIndex(2),
            Modifications = [new CanGatewayModification(CanGatewayOperation.Set, CanGatewayFields.Data, 0, 0, 0, new byte[8])],
            Crc8Checksum = new CanGatewayCrc8Checksum(0, 6, 7, 0, 0, new byte[256], (CanGatewayCrc8Profile)7, new byte[20]),
        };
        Assert.Contains("CRC8 profile 7 is not one of 0 (none), 1 (1U8), 2 (16U8), 3 (SFFID_XOR)", Assert.Throws<ArgumentException>(rule.Validate).Message, StringComparison.Ordinal);
    }
}
