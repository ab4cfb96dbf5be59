using System.Buffers.Binary;
using Buses.Can;
using Buses.Netlink;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Can;

public class CanLinkSettingsTests
{
    public static TheoryData<string, string> GoldenVectors()
    {
        var data = new TheoryData<string, string>();
        foreach (string line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Golden", "ip-link-can.golden")))
        {
            string[] parts = line.Split('|');
            data.Add(parts[0], parts[1]);
        }

        return data;
    }

    // The vectors were captured from iproute2 6.1 on `lo` (ifindex 1) by Golden/capture-ip-link-can.sh.
    [Theory]
    [MemberData(nameof(GoldenVectors))]
    public void Request_bytes_equal_iproute2(string arguments, string hex)
    {
        Assert.False(string.IsNullOrEmpty(hex), $"vector for '{arguments}' is empty: re-run the capture script");
        CanLinkSettings settings = CanLinkSettings.ParseIpArguments(arguments);
        var builder = new NetlinkMessageBuilder();
        LinkRequests.WriteSetLinkKindData(builder, 1, "can", settings.WriteKindData);
        byte[] expected = Convert.FromHexString(hex);
        byte[] actual = builder.WrittenSpan.ToArray();
        // Sequence number and port id differ per process.
        expected.AsSpan(8, 8).Clear();
        actual.AsSpan(8, 8).Clear();
        Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(actual));
    }

    [Fact]
    public void Golden_file_covers_every_setter()
    {
        string all = string.Join('\n', File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Golden", "ip-link-can.golden")).Select(line => line.Split('|')[0]));
        foreach (string keyword in new[] { "bitrate", "sample-point", "tq", "prop-seg", "phase-seg1", "phase-seg2", "sjw", "dbitrate", "dsample-point", "dtq", "dprop-seg", "dphase-seg1", "dphase-seg2", "dsjw", "loopback", "listen-only", "triple-sampling", "one-shot", "berr-reporting", "fd on", "fd-non-iso", "presume-ack", "cc-len8-dlc", "restart-ms", "restart\n", "termination" })
        {
            Assert.Contains(keyword, all + "\n", StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parsed_values_land_in_the_right_fields()
    {
        CanLinkSettings s = CanLinkSettings.ParseIpArguments("tq 125 prop-seg 6 phase-seg1 7 phase-seg2 2 sjw 1 dbitrate 2000000 dsample-point 0.75 fd on loopback off restart-ms 100 termination 120");
        Assert.Equal(CanLinkSettings.FromSegments(125, 6, 7, 2, 1), s.BitTiming);
        Assert.Equal(CanLinkSettings.FromBitrate(2_000_000, 0.75), s.DataBitTiming);
        Assert.Equal(CanControllerModes.Fd | CanControllerModes.Loopback, s.ModeMask);
        Assert.Equal(CanControllerModes.Fd, s.ModeFlags);
        Assert.Equal(100u, s.RestartMilliseconds);
        Assert.Equal((ushort)120, s.Termination);
        Assert.False(s.Restart);
    }

    [Theory]
    [InlineData("bitrate fast", "'fast' is not a whole number")]
    [InlineData("bitrate", "'bitrate' needs a value")]
    [InlineData("sample-point 1.5", "'1.5' is not a sample point")]
    [InlineData("loopback yes", "'yes' is not 'on' or 'off'")]
    [InlineData("termination 70000", "'70000' is not a resistance")]
    [InlineData("bitrat 500000", "'bitrat' is not a keyword")]
    [InlineData("bitrate 500000 tq 125", "both a bitrate (500000) and a time quantum (125 ns)")]
    [InlineData("sample-point 0.875", "neither a bitrate nor a time quantum")]
    [InlineData("tq 125 prop-seg 6", "needs prop-seg, phase-seg1 and phase-seg2")]
    [InlineData("dsjw 2", "data bit timing has neither")]
    public void Malformed_arguments_name_the_bad_part(string arguments, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => CanLinkSettings.ParseIpArguments(arguments));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Setter_validation_happens_before_any_request()
    {
        Assert.Contains("sample point 1.2", Assert.Throws<ArgumentOutOfRangeException>(() => CanLinkSettings.FromBitrate(500_000, 1.2)).Message, StringComparison.Ordinal);
        Assert.Contains("bitrate 0", Assert.Throws<ArgumentOutOfRangeException>(() => CanLinkSettings.FromBitrate(0)).Message, StringComparison.Ordinal);
        var settings = new CanLinkSettings { BitTiming = new CanBitTiming(500_000, 0, 125) };
        Assert.Throws<ArgumentException>(() => settings.WriteKindData(new NetlinkMessageBuilder()));
    }

    [Fact]
    public void Ip_arguments_round_trip() =>
        Prop.ForAll(
            Gen.Zip(Gen.Choose(1, 1_000_000), Gen.Choose(0, 999)).ToArbitrary(),
            Gen.Zip(Gen.Choose(0, 0x1FF), Gen.Zip(Gen.Choose(0, 0x1FF), Gen.Choose(-1, 65535))).ToArbitrary(),
            (timing, other) =>
            {
                (int bitrate, int permille) = timing;
                (int mask, (int flags, int termination)) = other;
                var settings = new CanLinkSettings
                {
                    BitTiming = new CanBitTiming((uint)bitrate, (uint)permille),
                    DataBitTiming = CanLinkSettings.FromSegments(25, 3, 4, 2, (uint)(permille % 3)),
                    RestartMilliseconds = (uint)permille,
                    Restart = bitrate % 2 == 0,
                    Termination = termination < 0 ? null : (ushort)termination,
                };
                settings.SetModes((CanControllerModes)(mask & flags), on: true);
                settings.SetModes((CanControllerModes)(mask & ~flags), on: false);
                CanLinkSettings back = CanLinkSettings.ParseIpArguments(settings.ToIpArguments());
                return back.BitTiming == settings.BitTiming && back.DataBitTiming == settings.DataBitTiming
                    && back.ModeMask == settings.ModeMask && back.ModeFlags == settings.ModeFlags
                    && back.RestartMilliseconds == settings.RestartMilliseconds && back.Restart == settings.Restart
                    && back.Termination == settings.Termination;
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void Link_info_decodes_and_formats_like_ip_details()
    {
        var b = new NetlinkMessageBuilder();
        b.BeginMessage(16, NetlinkMessageFlags.Request);
        NetlinkMessageBuilder.NestToken data = b.BeginNested(2);
        b.AddStruct(1, new CanBitTiming(500_000, 875, 125, 6, 7, 2, 1, 1));
        byte[] btc = new byte[48];
        "sja1000"u8.CopyTo(btc);
        uint[] limits = [1, 16, 1, 8, 4, 1, 64, 1];
        for (int i = 0; i < limits.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(btc.AsSpan(16 + (4 * i)), limits[i]);
        }

        b.AddBytes(2, btc);
        b.AddU32(3, 8_000_000);
        b.AddU32(4, 2);
        b.AddBytes(5, [0xFF, 0x01, 0, 0, 0x11, 0, 0, 0]);
        b.AddU32(6, 100);
        b.AddBytes(8, [130, 0, 5, 0]);
        b.EndNested(data);
        b.EndMessage();
        ReadOnlySpan<byte> attrs = b.WrittenSpan[(16 + 4)..];
        byte[] xstats = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(xstats.AsSpan(20), 3);
        CanLinkInfo info = CanLinkInfo.Parse(attrs, xstats);
        Assert.Equal(CanState.ErrorPassive, info.State);
        Assert.Equal(CanControllerModes.Loopback | CanControllerModes.BusErrorReporting, info.Modes);
        Assert.Equal(new CanBusErrorCounters(130, 5), info.BusErrorCounters);
        Assert.Equal("sja1000", info.BitTimingConstant!.Value.Name);
        Assert.Equal(3u, info.Statistics!.Value.Restarts);
        Assert.Equal(
            "<LOOPBACK,BERR-REPORTING> state ERROR-PASSIVE (berr-counter tx 130 rx 5) restart-ms 100 \n"
            + "  bitrate 500000 sample-point 0.875\n"
            + "  tq 125 prop-seg 6 phase-seg1 7 phase-seg2 2 sjw 1 brp 1\n"
            + "  sja1000: tseg1 1..16 tseg2 1..8 sjw 1..4 brp 1..64 brp-inc 1\n"
            + "  clock 8000000\n"
            + "  re-started bus-errors arbit-lost error-warn error-pass bus-off\n"
            + "  3          0          0          0          0          0",
            info.Format());
    }
}
