using Buses.Can;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Can.Formats;

public class CanFrameTextTests
{
    // Inputs from cansend's help and lib.h, with the text candump prints for the frame they make.
    [Theory]
    [InlineData("5A1#11.2233.44556677.88", "5A1#1122334455667788", 16)]
    [InlineData("123#DEADBEEF", "123#DEADBEEF", 16)]
    [InlineData("5AA#", "5AA#", 16)]
    [InlineData("123##1", "123##5", 72)]
    [InlineData("213##311223344", "213##711223344", 72)]
    [InlineData("1F334455#1122334455667788_B", "1F334455#1122334455667788_B", 16)]
    [InlineData("123#R", "123#R", 16)]
    [InlineData("123#r", "123#R", 16)]
    [InlineData("00000123#R3", "00000123#R3", 16)]
    [InlineData("333#R8_E", "333#R8_E", 16)]
    [InlineData("32345678#112233", "32345678#112233", 16)]
    [InlineData("20000080#0000000000000000", "20000080#0000000000000000", 16)]
    [InlineData("123##0112233", "123##4112233", 72)]
    [InlineData("123##3", "123##7", 72)]
    [InlineData("123#1122334455667788_E", "123#1122334455667788_E", 16)]
    [InlineData("1ab#deadbeef", "1AB#DEADBEEF", 16)]
    [InlineData("123#.11.", "123#11", 16)]
    [InlineData("0E7D3A28#0EE8651E732FBF64", "0E7D3A28#0EE8651E732FBF64", 16)]
    [InlineData("123##1112233445566778899", "123##5112233445566778899000000", 72)]
    [InlineData("45123#81:00:12345678#11223344.556677", "45123#81:00:12345678#11223344556677", 12 + 7)]
    [InlineData("00242#81:07:40000123#112233", "00242#81:07:40000123#112233", 12 + 3)]
    [InlineData("00242#01:07:40000123#11", "00242#81:07:40000123#11", 12 + 1)]
    public void Parses_cansend_syntax_and_formats_as_candump(string input, string candump, int wireSize)
    {
        byte[] wire = new byte[CanFrameText.MaxWireSize];
        int size = CanFrameText.Parse(input, wire);
        Assert.Equal(wireSize, size);
        Assert.Equal(candump, FrameGen.Text(wire.AsSpan(0, size)));
    }

    [Fact]
    public void Typed_parsers_give_the_frame_fields()
    {
        CanFrame remote = CanFrameText.ParseClassic("333#R8_E");
        Assert.True(remote.IsRemote);
        Assert.Equal(8, remote.Length);
        Assert.Equal(0xE, remote.Dlc);
        Assert.Equal(CanId.Standard(0x333, remote: true), remote.Id);

        CanFrame error = CanFrameText.ParseClassic("20000004#0004000000000000");
        Assert.True(error.IsError);
        Assert.False(error.Id.IsExtended);

        CanFrame extended = CanFrameText.ParseClassic("00000123#11");
        Assert.Equal(CanId.Extended(0x123), extended.Id);

        CanFdFrame fd = CanFrameText.ParseFd("123##3AA");
        Assert.Equal(CanFdFlags.BitRateSwitch | CanFdFlags.ErrorStateIndicator | CanFdFlags.FdFormat, fd.Flags);
        Assert.Equal([0xAA], fd.Data.ToArray());

        CanXlFrame xl = CanFrameText.ParseXl("45123#81:07:40000123#112233");
        Assert.Equal(0x45, xl.VirtualCanId);
        Assert.Equal(0x123, xl.Priority);
        Assert.Equal(CanXlFlags.XlFormat | CanXlFlags.SimpleExtendedContent, xl.Flags);
        Assert.Equal(7, xl.ServiceDataUnitType);
        Assert.Equal(0x40000123u, xl.AcceptanceField);
        Assert.Equal("45123#81:07:40000123#112233", CanFrameText.ToText(xl));
        Assert.Equal("45123#81:07:40000123#11.22.33", CanFrameText.ToText(xl, separators: true));
        Assert.Equal("123##7.AA", CanFrameText.ToText(fd, separators: true));
    }

    [Theory]
    [InlineData("", "''")]
    [InlineData("123", "'123'")]
    [InlineData("12#11", "'12'")]
    [InlineData("1234#11", "'1234'")]
    [InlineData("800#", "'800'")]
    [InlineData("12G#", "'12G'")]
    [InlineData("40000000#", "'40000000'")]
    [InlineData("123#1", "'1'")]
    [InlineData("123#1G", "'1G'")]
    [InlineData("123#11..22", "'.22'")]
    [InlineData("123#112233445566778899", "'99'")]
    [InlineData("123#R9", "'9'")]
    [InlineData("123#RX", "'X'")]
    [InlineData("123#R3_E", "'_E'")]
    [InlineData("123#R8_7", "'_7'")]
    [InlineData("123#1122334455667788_5", "'_5'")]
    [InlineData("123#1122334455667788_", "'_'")]
    [InlineData("123#11_9", "'_9'")]
    [InlineData("123##", "'#'")]
    [InlineData("123##G11", "'#G'")]
    [InlineData("123##111 ", "' '")]
    [InlineData("20000000#R", "'#R'")]
    [InlineData("45123#81:00:1234567#11", "'81:00:1234567#1'")]
    [InlineData("45123#81:00:12345678#", "''")]
    [InlineData("45823#80:00:00000000#11", "'823'")]
    [InlineData("4G123#80:00:00000000#11", "'4G'")]
    public void Malformed_frames_name_the_bad_part(string input, string badPart)
    {
        var e = Assert.Throws<FormatException>(() => CanFrameText.Parse(input, new byte[CanFrameText.MaxWireSize]));
        Assert.Contains($"CAN frame '{input}': {badPart}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("123##9", "BRS")]
    [InlineData("20000004##1", "error")]
    [InlineData("45123#C1:00:00000000#11", "flags")]
    public void Value_rules_of_the_frame_types_become_format_errors(string input, string mention)
    {
        var e = Assert.Throws<FormatException>(() => CanFrameText.Parse(input, new byte[CanFrameText.MaxWireSize]));
        Assert.StartsWith($"CAN frame '{input}': ", e.Message, StringComparison.Ordinal);
        Assert.Contains(mention, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Typed_parser_rejects_the_other_kinds()
    {
        Assert.Contains("not a classic", Assert.Throws<FormatException>(() => CanFrameText.ParseClassic("123##1")).Message, StringComparison.Ordinal);
        Assert.Contains("not a CAN FD", Assert.Throws<FormatException>(() => CanFrameText.ParseFd("123#11")).Message, StringComparison.Ordinal);
        Assert.Contains("not a CAN XL", Assert.Throws<FormatException>(() => CanFrameText.ParseXl("123#11")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_frame_round_trips_through_its_text()
    {
        Prop.ForAll(FrameGen.AnyWire.ToArbitrary(), wire =>
        {
            string text = FrameGen.Text(wire);
            Assert.Equal(wire, FrameGen.ParseWire(text));
            Assert.Equal(wire, FrameGen.ParseWire(FrameGen.Text(wire, separators: true)));
            Assert.Equal(wire, FrameGen.ParseWire(text.ToLowerInvariant()));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Typed_round_trips()
    {
        Prop.ForAll(FrameGen.Classic.ToArbitrary(), frame => CanFrameText.ParseClassic(CanFrameText.ToText(frame)) == frame).QuickCheckThrowOnFailure();
        Prop.ForAll(FrameGen.Fd.ToArbitrary(), frame => CanFrameText.ParseFd(CanFrameText.ToText(frame)) == frame).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Fd_payloads_are_padded_to_the_next_fd_length_as_cansend_does()
    {
        Prop.ForAll(FrameGen.Bytes(0, 64).ToArbitrary(), data =>
        {
            CanFdFrame frame = CanFrameText.ParseFd("123##1" + Convert.ToHexString(data));
            Assert.Equal(CanDlc.RoundUpFdLength(data.Length), frame.Length);
            Assert.Equal(data, frame.Data[..data.Length].ToArray());
            Assert.All(frame.Data[data.Length..].ToArray(), b => Assert.Equal(0, b));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_corrupted_character_is_a_format_error_never_another_exception()
    {
        Gen<(byte[] Wire, int At, char Bad)> cases =
            from wire in FrameGen.AnyWire
            from at in Gen.Choose(0, 1000)
            from bad in Gen.Elements('G', 'z', ' ', '#', '_', ':', '-', 'R', 'é', '\0')
            select (wire, at, bad);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            char[] text = FrameGen.Text(c.Wire).ToCharArray();
            text[c.At % text.Length] = c.Bad;
            try
            {
                FrameGen.ParseWire(new string(text));
            }
            catch (FormatException e)
            {
                Assert.StartsWith("CAN frame '", e.Message, StringComparison.Ordinal);
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Random_text_is_parsed_or_rejected_with_a_format_error()
    {
        Gen<string> junk =
            from chars in Gen.ArrayOf(Gen.Elements("0123456789abcdefABCDEF#R_.:rxG ".ToCharArray()))
            select new string(chars);
        Prop.ForAll(junk.ToArbitrary(), text =>
        {
            try
            {
                byte[] wire = FrameGen.ParseWire(text);
                // Whatever parses formats to text that parses to the same frame.
                Assert.Equal(wire, FrameGen.ParseWire(FrameGen.Text(wire)));
            }
            catch (FormatException)
            {
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Format_rejects_sizes_no_frame_has()
    {
        var e = Assert.Throws<ArgumentException>(() => CanFrameText.Format(new byte[20], new char[CanFrameText.MaxLength]));
        Assert.Contains("20 bytes", e.Message, StringComparison.Ordinal);
    }
}
