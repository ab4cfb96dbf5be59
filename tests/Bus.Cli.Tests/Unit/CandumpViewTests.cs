using System.Buffers.Binary;
using Buses.Cli.Commands;
using Xunit;

namespace Buses.Cli.Tests.Unit;

/// <summary>candump's screen lines, column for column, for fixed frames (wire images written byte by byte here).</summary>
public sealed class CandumpViewTests
{
    private const long T0 = 1_700_000_000_123_456_789;

    private static byte[] Classic(uint id, params byte[] data)
    {
        byte[] wire = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(wire, id);
        wire[4] = (byte)data.Length;
        data.CopyTo(wire, 8);
        return wire;
    }

    private static byte[] Remote(uint id, byte length)
    {
        byte[] wire = Classic(id | 0x40000000);
        wire[4] = length;
        return wire;
    }

    private static byte[] Fd(uint id, byte flags, int length)
    {
        byte[] wire = new byte[72];
        BinaryPrimitives.WriteUInt32LittleEndian(wire, id);
        wire[4] = (byte)length;
        wire[5] = flags;
        for (int i = 0; i < length; i++)
        {
            wire[8 + i] = (byte)i;
        }

        return wire;
    }

    private static string Lines(CandumpView view, string iface, int width, params (long Ns, byte[] Frame, bool Tx)[] frames)
    {
        var output = new StringWriter { NewLine = "\n" };
        foreach ((long ns, byte[] frame, bool tx) in frames)
        {
            view.Write(output, ns, iface, width, frame, tx);
        }

        return output.ToString();
    }

    [Fact]
    public void Classic_extended_then_indented_standard()
    {
        // An empty classic frame keeps the blank after its length column, as candump prints it.
        string text = Lines(new CandumpView('\0', false, false), "vcan0", 5,
            (T0, Classic(0x123, 0x11, 0x22, 0x33, 0x44), false),
            (T0, Classic(0x92345678, 0xAA, 0xBB), false),
            (T0, Classic(0x123, 0x01), false),
            (T0, Classic(0x7FF), false));

        Assert.Equal(
            "  vcan0  123   [4]  11 22 33 44\n" +
            "  vcan0  12345678   [2]  AA BB\n" +
            "  vcan0       123   [1]  01\n" +
            "  vcan0       7FF   [0] \n",
            text);
    }

    [Fact]
    public void Remote_request_and_error_frame()
    {
        byte[] error = Classic(0x20000004, 0x00, 0x04, 0, 0, 0, 0, 0, 0);
        string text = Lines(new CandumpView('\0', false, false), "vcan0", 5,
            (T0, Remote(0x7DF, 3), false),
            (T0, error, false));

        Assert.Equal(
            "  vcan0  7DF   [3]  remote request\n" +
            "  vcan0  20000004   [8]  00 04 00 00 00 00 00 00   ERRORFRAME\n",
            text);
    }

    [Fact]
    public void Fd_frames_show_a_two_digit_length_and_with_x_their_flags()
    {
        byte[] brs = Fd(0x123, 0x01, 12);
        byte[] both = Fd(0x80000456, 0x03, 2);

        Assert.Equal(
            "  vcan0  123  [12]  00 01 02 03 04 05 06 07 08 09 0A 0B\n" +
            "  vcan0  00000456  [02]  00 01\n",
            Lines(new CandumpView('\0', false, false), "vcan0", 5, (T0, brs, false), (T0, both, false)));
        Assert.Equal(
            "  vcan0  TX B -  123  [12]  00 01 02 03 04 05 06 07 08 09 0A 0B\n" +
            "  vcan0  RX B E  00000456  [02]  00 01\n" +
            "  vcan0  RX - -       321   [1]  FF\n",
            Lines(new CandumpView('\0', true, false), "vcan0", 5, (T0, brs, true), (T0, both, false), (T0, Classic(0x321, 0xFF), false)));
    }

    [Fact]
    public void Xl_frames_show_the_xl_header()
    {
        byte[] wire = new byte[12 + 4];
        BinaryPrimitives.WriteUInt32LittleEndian(wire, 0x00450123); // VCID 0x45, priority 0x123
        wire[4] = 0x81; // XLF | SEC
        wire[5] = 0x00; // SDT
        BinaryPrimitives.WriteUInt16LittleEndian(wire.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(wire.AsSpan(8), 0x12345678);
        new byte[] { 0x11, 0x22, 0x33, 0x44 }.CopyTo(wire, 12);

        Assert.Equal("  vcan0  123 [0004] (45|81:00:12345678) 11 22 33 44\n",
            Lines(new CandumpView('\0', false, false), "vcan0", 5, (T0, wire, false)));
        Assert.Equal("  vcan0  TX S -  123 [0004] (45|81:00:12345678) 11 22 33 44\n",
            Lines(new CandumpView('\0', true, false), "vcan0", 5, (T0, wire, true)));
    }

    [Fact]
    public void Interface_names_are_right_aligned_to_the_width_of_the_dump_argument()
    {
        Assert.Equal("     v0  123   [1]  01\n",
            Lines(new CandumpView('\0', false, false), "v0", 5, (T0, Classic(0x123, 0x01), false)));
    }

    [Theory]
    [InlineData('a', " (1700000000.123456)  vcan0  123   [1]  01\n (1700000001.623463)  vcan0  123   [1]  01\n (1700000001.623463)  vcan0  123   [1]  01\n")]
    [InlineData('z', " (000.000000)  vcan0  123   [1]  01\n (001.500007)  vcan0  123   [1]  01\n (001.500007)  vcan0  123   [1]  01\n")]
    [InlineData('d', " (000.000000)  vcan0  123   [1]  01\n (001.500007)  vcan0  123   [1]  01\n (000.000000)  vcan0  123   [1]  01\n")]
    public void Timestamps_absolute_from_start_and_delta(char mode, string expected)
    {
        long t1 = T0 + 1_500_007_000;
        byte[] frame = Classic(0x123, 0x01);

        Assert.Equal(expected, Lines(new CandumpView(mode, false, false), "vcan0", 5, (T0, frame, false), (t1, frame, false), (t1, frame, false)));
    }
}
