using System.Globalization;
using Buses.Can;

namespace Buses.Cli.Commands;

/// <summary>
/// candump's default screen line: <c>  vcan0  123   [4]  11 22 33 44</c>, with candump's column
/// rules (standard IDs indented once an extended one was seen, <c>[N]</c> for classic,
/// <c>[NN]</c> for FD, <c>[NNNN]</c> and the XL header for XL, <c>remote request</c>,
/// <c>ERRORFRAME</c>), the <c>-x</c> direction and FD flags, <c>-t</c> timestamps, and with
/// <c>-e</c> candump's description of each error frame on the lines after it (<see cref="CandumpErrorText"/>).
/// </summary>
internal sealed class CandumpView(char timestampMode, bool extraInfo, bool decodeErrors)
{
    private const string Hex = "0123456789ABCDEF";
    private static readonly string[] s_flagInfo = ["- -", "B -", "- E", "B E"];
    private static readonly string[] s_xlFlagInfo = ["- -", "S -", "- R", "S R"];

    private readonly char[] _line = new char[CanFrameText.MaxLength * 2];
    private bool _indentStandard;
    private long _firstNanoseconds = -1;
    private long _lastNanoseconds = -1;

    /// <summary>Writes one frame line (and, with <c>-e</c>, the tab-indented lines describing an error frame).</summary>
    public void Write(TextWriter output, long timestampNanoseconds, string interfaceName, int interfaceWidth, ReadOnlySpan<byte> frame, bool transmitted)
    {
        int n = 0;
        _line[n++] = ' ';
        n = WriteTimestamp(timestampNanoseconds, n);
        _line[n++] = ' ';
        for (int pad = interfaceWidth - interfaceName.Length; pad > 0; pad--)
        {
            _line[n++] = ' ';
        }

        interfaceName.CopyTo(_line.AsSpan(n));
        n += interfaceName.Length;
        bool xl = CanWire.KindOf(frame) == CanFrameKind.Xl;
        if (extraInfo)
        {
            n = Put(transmitted ? "  TX " : "  RX ", n);
            n = Put(xl ? s_xlFlagInfo[frame[4] & 3] : s_flagInfo[frame.Length == CanFdFrame.Size ? frame[5] & 3 : 0], n);
        }

        n = Put("  ", n);
        int frameText = n;
        n = xl ? WriteXl(frame, n) : WriteClassicOrFd(frame, n);
        output.Write(_line, 0, n);
        if (decodeErrors && !xl && CanId.FromRaw(BitConverter.ToUInt32(frame)).IsError)
        {
            output.Write(CandumpErrorText.Separator);
            // Where candump has no description it prints the frame's own text again.
            string? description = CandumpErrorText.Describe(ErrorOf(frame));
            if (description is null)
            {
                output.Write(_line, frameText, n - frameText);
            }
            else
            {
                output.Write(description);
            }
        }

        output.Write('\n');
    }

    /// <summary>
    /// The error frame's details as candump reads them: the eight bytes after the header, whatever
    /// the length field says (a peer on vcan may send fewer; drivers always send eight).
    /// </summary>
    private static CanErrorFrame ErrorOf(ReadOnlySpan<byte> frame) =>
        CanErrorFrame.Decode(new CanFrame(CanId.FromRaw(BitConverter.ToUInt32(frame)), frame.Slice(8, 8)));

    private int WriteTimestamp(long nanoseconds, int n)
    {
        if (timestampMode == '\0')
        {
            return n;
        }

        if (_firstNanoseconds < 0)
        {
            _firstNanoseconds = _lastNanoseconds = nanoseconds;
        }

        long shown = timestampMode switch
        {
            'd' => nanoseconds - _lastNanoseconds,
            'z' => nanoseconds - _firstNanoseconds,
            _ => nanoseconds,
        };
        _lastNanoseconds = nanoseconds;
        long seconds = shown / 1_000_000_000;
        long micros = shown % 1_000_000_000 / 1000;
        string text = timestampMode == 'A'
            ? string.Create(CultureInfo.InvariantCulture, $"({DateTimeOffset.FromUnixTimeSeconds(seconds).LocalDateTime:yyyy-MM-dd HH:mm:ss}.{micros:D6}) ")
            : string.Create(CultureInfo.InvariantCulture, $"({(timestampMode == 'a' ? seconds.ToString("D10", CultureInfo.InvariantCulture) : seconds.ToString("D3", CultureInfo.InvariantCulture))}.{micros:D6}) ");
        return Put(text, n);
    }

    private int WriteClassicOrFd(ReadOnlySpan<byte> frame, int n)
    {
        bool fd = frame.Length == CanFdFrame.Size;
        uint id = BitConverter.ToUInt32(frame);
        int length = Math.Min((int)frame[4], fd ? 64 : 8);
        _line.AsSpan(n, 15).Fill(' ');
        if ((id & 0x20000000) != 0)
        {
            PutHex(id & 0x3FFFFFFF, 8, n);
            n += 10;
        }
        else if ((id & 0x80000000) != 0)
        {
            _indentStandard = true;
            PutHex(id & 0x1FFFFFFF, 8, n);
            n += 10;
        }
        else if (_indentStandard)
        {
            PutHex(id & 0x7FF, 3, n + 5);
            n += 10;
        }
        else
        {
            PutHex(id & 0x7FF, 3, n);
            n += 5;
        }

        if (!fd)
        {
            _line[n + 1] = '[';
            _line[n + 2] = (char)('0' + length);
            _line[n + 3] = ']';
            if ((id & 0x40000000) != 0)
            {
                return Put(" remote request", n + 5);
            }
        }
        else
        {
            _line[n] = '[';
            _line[n + 1] = (char)('0' + (length / 10));
            _line[n + 2] = (char)('0' + (length % 10));
            _line[n + 3] = ']';
        }

        n += 5;
        for (int i = 0; i < length; i++)
        {
            _line[n++] = ' ';
            _line[n++] = Hex[frame[8 + i] >> 4];
            _line[n++] = Hex[frame[8 + i] & 0xF];
        }

        if ((id & 0x20000000) != 0 && length <= 8)
        {
            int width = (3 * (8 - length)) + 13;
            _line.AsSpan(n, width - 10).Fill(' ');
            n = Put("ERRORFRAME", n + width - 10);
        }

        return n;
    }

    private int WriteXl(ReadOnlySpan<byte> frame, int n)
    {
        uint prio = BitConverter.ToUInt32(frame);
        int length = BitConverter.ToUInt16(frame[6..]);
        uint af = BitConverter.ToUInt32(frame[8..]);
        PutHex(prio & 0x7FF, 3, n);
        _line[n + 3] = ' ';
        n += 4;
        n = Put(string.Create(CultureInfo.InvariantCulture, $"[{length:D4}] ({(prio >> 16) & 0xFF:X2}|{frame[4]:X2}:{frame[5]:X2}:{af:X8}) "), n);
        int shown = Math.Min(length, 64);
        for (int i = 0; i < shown; i++)
        {
            _line[n++] = Hex[frame[12 + i] >> 4];
            _line[n++] = Hex[frame[12 + i] & 0xF];
            if (i + 1 < shown)
            {
                _line[n++] = ' ';
            }
        }

        return length > shown ? Put(" ...", n) : n;
    }

    private int Put(string text, int n)
    {
        text.CopyTo(_line.AsSpan(n));
        return n + text.Length;
    }

    private void PutHex(uint value, int digits, int at)
    {
        for (int i = digits - 1; i >= 0; i--)
        {
            _line[at + i] = Hex[(int)(value & 0xF)];
            value >>= 4;
        }
    }
}
