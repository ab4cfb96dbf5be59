using System.Buffers.Binary;
using System.Numerics;
using Buses.Can;
using Buses.Cli.Commands;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Cli.Tests.Unit;

/// <summary>
/// <c>buses can dump -e</c> describes error frames with candump's words and line breaks (can-utils
/// 2020.11, as the testbed's candump prints them; hil-tests/CanTools/CanErrorTextTests compares
/// the two on a live interface). Wire images are written byte by byte here.
/// </summary>
public sealed class CandumpErrorTextTests
{
    private static byte[] Error(uint classes, params byte[] data)
    {
        byte[] wire = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(wire, 0x20000000 | classes);
        wire[4] = (byte)data.Length;
        data.CopyTo(wire, 8);
        return wire;
    }

    /// <summary>What the screen view prints for <paramref name="wire"/> with -e (no timestamps, 5-wide name).</summary>
    private static string Screen(byte[] wire, bool extra = false, char timestamps = '\0')
    {
        var output = new StringWriter { NewLine = "\n" };
        new CandumpView(timestamps, extra, decodeErrors: true).Write(output, 1_700_000_000_123_456_789, "vcan0", 5, wire, transmitted: false);
        return output.ToString();
    }

    /// <summary>Only the description lines under the frame line.</summary>
    private static string Described(uint classes, params byte[] data)
    {
        string screen = Screen(Error(classes, data));
        return screen[(screen.IndexOf('\n', StringComparison.Ordinal) + 1)..];
    }

    [Fact]
    public void Tx_timeout_has_its_line_under_the_frame_line()
    {
        Assert.Equal(
            "  vcan0  20000001   [8]  00 00 00 00 00 00 00 00   ERRORFRAME\n" +
            "\ttx-timeout\n",
            Screen(Error(0x001, 0, 0, 0, 0, 0, 0, 0, 0)));
    }

    [Fact]
    public void An_error_frame_without_payload_keeps_candumps_columns()
    {
        Assert.Equal(
            "  vcan0  20000040   [0]                            ERRORFRAME\n" +
            "\tbus-off\n",
            Screen(Error(0x040)));
    }

    [Theory]
    [InlineData(42, "lost-arbitration{at bit 42}\n")]
    [InlineData(0, "lost-arbitration{at bit 0}\n")]
    [InlineData(255, "lost-arbitration{at bit 255}\n")]
    public void Lost_arbitration_names_the_bit_in_decimal_even_when_unspecified(byte bit, string expected)
    {
        Assert.Equal("\t" + expected, Described(0x002, bit));
    }

    [Theory]
    [InlineData(0x00, "controller-problem{}")]
    [InlineData(0x04, "controller-problem{rx-error-warning}")]
    [InlineData(0x40, "controller-problem{back-to-error-active}")]
    [InlineData(0x7F, "controller-problem{rx-overflow,tx-overflow,rx-error-warning,tx-error-warning,rx-error-passive,tx-error-passive,back-to-error-active}")]
    [InlineData(0xA0, "controller-problem{tx-error-passive}")]
    public void Controller_problems_are_listed_in_bit_order_and_an_unknown_bit_is_not_named(byte problems, string expected)
    {
        Assert.Equal($"\t{expected}\n", Described(0x004, 0, problems));
    }

    [Theory]
    [InlineData(0x88, 0x19, "protocol-violation{{tx-dominant-bit-error,error-on-tx}{acknowledge-slot}}")]
    [InlineData(0x01, 0x02, "protocol-violation{{single-bit-error}{id.28-to-id.21}}")]
    [InlineData(0xFF, 0x03, "protocol-violation{{single-bit-error,frame-format-error,bit-stuffing-error,tx-dominant-bit-error,tx-recessive-bit-error,bus-overload,active-error,error-on-tx}{start-of-frame}}")]
    [InlineData(0x00, 0x00, "protocol-violation{{}{}}")]
    [InlineData(0x02, 0x01, "protocol-violation{{frame-format-error}{unspecified}}")]
    [InlineData(0x04, 0x1F, "protocol-violation{{bit-stuffing-error}{unspecified}}")]
    [InlineData(0x04, 0x20, "protocol-violation{{bit-stuffing-error}{}}")]
    [InlineData(0x20, 0x12, "protocol-violation{{bus-overload}{intermission}}")]
    [InlineData(0x10, 0x0F, "protocol-violation{{tx-recessive-bit-error}{id.12-to-id.5}}")]
    public void Protocol_violations_name_their_types_and_the_location(byte types, byte location, string expected)
    {
        Assert.Equal($"\t{expected}\n", Described(0x008, 0, 0, types, location));
    }

    [Fact]
    public void Every_location_code_has_candumps_name()
    {
        string[] names =
        [
            "", "unspecified", "id.28-to-id.21", "start-of-frame", "bit-srtr", "bit-ide", "id.20-to-id.18", "id.17-to-id.13",
            "crc-sequence", "reserved-bit-0", "data-field", "data-length-code", "bit-rtr", "reserved-bit-1", "id.4-to-id.0", "id.12-to-id.5",
            "unspecified", "active-error-flag", "intermission", "tolerate-dominant-bits", "unspecified", "unspecified", "passive-error-flag", "error-delimiter",
            "crc-delimiter", "acknowledge-slot", "end-of-frame", "acknowledge-delimiter", "overload-flag", "unspecified", "unspecified", "unspecified",
        ];
        for (int location = 0; location < 256; location++)
        {
            string name = location < names.Length ? names[location] : "";
            Assert.Equal($"\tprotocol-violation{{{{}}{{{name}}}}}\n", Described(0x008, 0, 0, 0, (byte)location));
        }
    }

    [Fact]
    public void Transceiver_status_has_no_details()
    {
        Assert.Equal("\ttransceiver-status\n", Described(0x010, 0, 0, 0, 0, 0x57));
    }

    [Theory]
    [InlineData(0x020u, "no-acknowledgement-on-tx")]
    [InlineData(0x040u, "bus-off")]
    [InlineData(0x080u, "bus-error")]
    [InlineData(0x100u, "restarted-after-bus-off")]
    public void Classes_without_details(uint classes, string expected)
    {
        Assert.Equal($"\t{expected}\n", Described(classes, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    [Fact]
    public void Counters_alone_follow_an_empty_tab_line()
    {
        Assert.Equal("\t\n\terror-counter-tx-rx{{128}{127}}\n", Described(0x200, 0, 0, 0, 0, 0, 0, 0x80, 0x7F));
    }

    [Fact]
    public void The_counter_class_with_zero_counters_repeats_the_frame_text()
    {
        // Nothing to describe: candump's buffer still holds the frame text and it prints that.
        Assert.Equal("\t20000200   [8]  00 00 00 00 00 00 00 00   ERRORFRAME\n", Described(0x200, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    [Fact]
    public void Non_zero_counters_are_printed_whatever_the_classes_say()
    {
        Assert.Equal(
            "\tcontroller-problem{rx-error-warning}\n\terror-counter-tx-rx{{10}{5}}\n",
            Described(0x004, 0, 0x04, 0, 0, 0, 0, 10, 5));
    }

    [Fact]
    public void Several_classes_each_get_a_line_in_bit_order()
    {
        Assert.Equal(
            "\ttx-timeout\n" +
            "\tlost-arbitration{at bit 10}\n" +
            "\tcontroller-problem{rx-overflow,tx-overflow,rx-error-warning,tx-error-warning,rx-error-passive,tx-error-passive}\n" +
            "\tprotocol-violation{{tx-recessive-bit-error,error-on-tx}{data-field}}\n" +
            "\ttransceiver-status\n" +
            "\tno-acknowledgement-on-tx\n" +
            "\tbus-off\n" +
            "\tbus-error\n" +
            "\trestarted-after-bus-off\n" +
            "\terror-counter-tx-rx{{255}{1}}\n",
            Described(0x1FF, 0x0A, 0x3F, 0x90, 0x0A, 0x5F, 0x00, 0xFF, 0x01));
    }

    [Theory]
    [InlineData(0x208u)]
    [InlineData(0x400u)]
    [InlineData(0x1FFFFFFFu)]
    public void A_class_set_candump_rejects_repeats_the_frame_text(uint classes)
    {
        string screen = Screen(Error(classes, 0, 0, 0x04, 0x0A, 0, 0, 0x0A, 0));
        string[] lines = screen.Split('\n');
        string frameText = lines[0][("  vcan0  ".Length)..];
        Assert.Equal(["  vcan0  " + frameText, "\t" + frameText, ""], lines);
        Assert.StartsWith($"{0x20000000 | classes:X8}   [8]  00 00 04 0A 00 00 0A 00", frameText, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_past_a_short_length_are_read_as_candump_reads_them()
    {
        // A vcan peer may send fewer than eight bytes; candump still reads all eight of the buffer.
        byte[] wire = Error(0x002, 0x07);
        wire[14] = 3;
        Assert.Equal(
            "  vcan0  20000002   [1]  07                        ERRORFRAME\n" +
            "\tlost-arbitration{at bit 7}\n" +
            "\terror-counter-tx-rx{{3}{0}}\n",
            Screen(wire));
    }

    [Fact]
    public void With_x_and_timestamps_only_the_frame_line_changes()
    {
        byte[] wire = Error(0x020, 0, 0, 0, 0, 0, 0, 0, 0);
        Assert.Equal(
            " (1700000000.123456)  vcan0  RX - -  20000020   [8]  00 00 00 00 00 00 00 00   ERRORFRAME\n" +
            "\tno-acknowledgement-on-tx\n",
            Screen(wire, extra: true, timestamps: 'a'));
    }

    [Fact]
    public void Describe_gives_a_line_per_class_in_bit_order_then_the_counters_or_nothing()
    {
        Gen<CanErrorFrame> frames =
            from classes in Gen.OneOf(Gen.Choose(0, 0x200), Gen.Elements(0, 0x200))
            from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 8)
            from counters in Gen.Elements(false, true)
            select CanErrorFrame.Decode(new CanFrame(CanId.Error((CanErrorClasses)classes), counters ? bytes : [.. bytes[..6], 0, 0]));
        Prop.ForAll(frames.ToArbitrary(), error =>
        {
            string? text = CandumpErrorText.Describe(error);
            bool counters = error.TransmitErrorCount != 0 || error.ReceiveErrorCount != 0;
            if (((uint)error.Classes & 0x1FF) == 0 && !counters)
            {
                Assert.Null(text);
                return;
            }

            string[] lines = text!.Split(CandumpErrorText.Separator);
            string[] named = [.. Enumerable.Range(0, 9).Where(bit => ((uint)error.Classes & (1u << bit)) != 0).Select(bit => Screen(Error(1u << bit)).Split('\n')[1][1..])];
            int classLines = Math.Max(1, BitOperations.PopCount((uint)error.Classes & 0x1FF));
            Assert.Equal(classLines + (counters ? 1 : 0), lines.Length);
            for (int i = 0; i < named.Length; i++)
            {
                // Each class line starts with the class name (details follow in braces).
                string name = named[i].Split('{')[0];
                Assert.True(lines[i] == name || lines[i].StartsWith(name + "{", StringComparison.Ordinal), $"line {i} '{lines[i]}' is not class '{name}'");
            }

            Assert.Equal(counters, lines[^1].StartsWith("error-counter-tx-rx{{", StringComparison.Ordinal));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Describe_rejects_every_class_set_above_the_counter_bit()
    {
        Prop.ForAll(Gen.Choose(0x201, 0x1FFFFFFF).ToArbitrary(), classes =>
            Assert.Null(CandumpErrorText.Describe(new CanErrorFrame { Classes = (CanErrorClasses)classes })))
            .QuickCheckThrowOnFailure();
    }
}
