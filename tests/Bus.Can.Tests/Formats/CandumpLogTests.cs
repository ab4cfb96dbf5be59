using Buses.Can;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Can.Formats;

public class CandumpLogTests
{
    private static string Line(CandumpTimestamp timestamp, string name, string frame, char direction = '\0', int width = 0, int secondsWidth = 10)
    {
        char[] line = new char[CandumpLog.MaxLineLength];
        int n = CandumpLog.FormatLine(line, timestamp, name, FrameGen.ParseWire(frame), direction, width, secondsWidth);
        return new string(line, 0, n);
    }

    [Fact]
    public void Lines_are_written_as_candump_writes_them()
    {
        Assert.Equal("(1700000000.123456) vcan0 123#1122", Line(new CandumpTimestamp(1700000000, 123456789), "vcan0", "123#1122"));
        Assert.Equal("(1700000000.123456789) vcan0 123#1122", Line(new CandumpTimestamp(1700000000, 123456789, NanosecondDigits: true), "vcan0", "123#1122"));
        Assert.Equal("(0000000001.000001)  can1 00000123#R R", Line(new CandumpTimestamp(1, 1000), "can1", "00000123#R", 'R', width: 5));
        Assert.Equal("(000.200074) vcan0 05F541AB#", Line(new CandumpTimestamp(0, 200074000), "vcan0", "05F541AB#", secondsWidth: 3));
        Assert.Equal("(1735270588.936508) can0 120##500112233445566778899AABB T", Line(new CandumpTimestamp(1735270588, 936508000), "can0", "120##100112233445566778899AABB", 'T'));
    }

    [Fact]
    public void Writer_aligns_names_to_the_longest_seen_and_reports_drops()
    {
        var text = new StringWriter();
        using (var writer = new CandumpLogWriter(text, leaveOpen: true))
        {
            writer.Write(new CandumpTimestamp(1, 0), "vcan0", FrameGen.ParseWire("123#11"));
            writer.Write(new CandumpTimestamp(2, 0), "can1", FrameGen.ParseWire("123#22"), 'R');
            writer.WriteDropCount(3, "vcan0", 7);
            writer.WriteDropCount(1, "vcan0", 8);
            Assert.Equal(2, writer.Lines);
        }

        Assert.Equal(
            "(0000000001.000000) vcan0 123#11\n" +
            "(0000000002.000000)  can1 123#22 R\n" +
            "DROPCOUNT: dropped 3 CAN frames on 'vcan0' socket (total drops 7)\n" +
            "DROPCOUNT: dropped 1 CAN frame on 'vcan0' socket (total drops 8)\n",
            text.ToString());
    }

    [Fact]
    public void Reader_accepts_what_candump_writes_and_skips_other_lines()
    {
        const string Log =
            "(1735270496.916858) can0 110#00112233\n" +
            "(1735270588.936508)  can0 120##500112233445566778899AABB\r\n" +
            "DROPCOUNT: dropped 2 CAN frames on 'can0' socket (total drops 2)\n" +
            "\n" +
            "# a comment\n" +
            "(1735279041.257318) can1 104#R T\n" +
            "(1735279048.349278123) vcan10 110#R4 R\n" +
            "(000.200074) vcan0 05F541AB#\n";
        using var reader = new CandumpLogReader(new StringReader(Log));
        CandumpLogEntry[] entries = [.. reader.ReadAll()];
        Assert.Equal(5, entries.Length);
        Assert.Equal(3, reader.SkippedLines);
        Assert.Equal(2, reader.ReportedDrops);
        Assert.Equal(["110#00112233", "120##500112233445566778899AABB", "104#R", "110#R4", "05F541AB#"], entries.Select(e => e.FrameText));
        Assert.Equal(["can0", "can0", "can1", "vcan10", "vcan0"], entries.Select(e => e.InterfaceName));
        Assert.Equal(['\0', '\0', 'T', 'R', '\0'], entries.Select(e => e.Direction));
        Assert.Equal(new CandumpTimestamp(1735279048, 349278123, true), entries[3].Timestamp);
        Assert.Equal(new CandumpTimestamp(1735270496, 916858000), entries[0].Timestamp);
        Assert.Equal(7, entries[3].LineNumber);
        Assert.Equal(72, entries[1].Frame.Length);
    }

    [Theory]
    [InlineData("(1735270496.91685) can0 110#00", "'(1735270496.91685)'")]
    [InlineData("(1735270496.9168580) can0 110#00", "'(1735270496.9168580)'")]
    [InlineData("(17352x0496.916858) can0 110#00", "'(17352x0496.916858)'")]
    [InlineData("(1735270496) can0 110#00", "'(1735270496)'")]
    [InlineData("(1735270496.916858)can0 110#00", "'can0 110#00'")]
    [InlineData("(1735270496.916858) can0", "'can0'")]
    [InlineData("(1735270496.916858) averyveryverylongname 110#00", "'averyveryverylongname'")]
    [InlineData("(1735270496.916858) can0 110#00 X", "'X'")]
    [InlineData("(1735270496.916858) can0 110#0", "'0'")]
    public void Malformed_lines_name_the_bad_part(string line, string badPart)
    {
        var e = Assert.Throws<FormatException>(() => new CandumpLogReader(new StringReader("(1.000000) can0 123#\n" + line + "\n")).ReadAll().ToList());
        Assert.StartsWith("line 2: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(badPart, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_round_trip()
    {
        Gen<string> names =
            from length in Gen.Choose(1, 15)
            from chars in Gen.ArrayOf(Gen.Elements("abcdefvcanxl0123456789_-".ToCharArray()), length)
            select new string(chars);
        Gen<CandumpTimestamp> stamps =
            from seconds in Gen.Choose(0, int.MaxValue)
            from micro in Gen.Choose(0, 999_999)
            from nano in Gen.Choose(0, 999)
            from nine in ArbMap.Default.GeneratorFor<bool>()
            select new CandumpTimestamp(seconds, (micro * 1000) + (nine ? nano : 0), nine);
        Gen<(CandumpTimestamp, string, byte[], char, int)> cases =
            from stamp in stamps
            from name in names
            from wire in FrameGen.AnyWire
            from direction in Gen.Elements('\0', 'R', 'T')
            from width in Gen.Choose(0, 15)
            select (stamp, name, wire, direction, width);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            (CandumpTimestamp stamp, string name, byte[] wire, char direction, int width) = c;
            char[] line = new char[CandumpLog.MaxLineLength];
            int n = CandumpLog.FormatLine(line, stamp, name, wire, direction, width);
            byte[] frame = new byte[CanFrameText.MaxWireSize];
            int size = CandumpLog.ParseLine(line.AsSpan(0, n), frame, out CandumpTimestamp parsedStamp, out Range nameRange, out char parsedDirection);
            Assert.Equal(wire, frame[..size]);
            Assert.Equal(stamp, parsedStamp);
            Assert.Equal(name, new string(line.AsSpan(0, n)[nameRange]));
            Assert.Equal(direction, parsedDirection);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Default_file_name_is_candumps()
    {
        Assert.Equal("candump-2026-11-21_183455.log", CandumpLog.DefaultFileName(new DateTime(2026, 11, 21, 18, 34, 55)));
    }
}
