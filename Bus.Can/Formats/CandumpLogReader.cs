using System.Globalization;

namespace Buses.Can;

/// <summary>One frame line of a candump log.</summary>
/// <param name="Timestamp">The line's timestamp.</param>
/// <param name="InterfaceName">The interface the frame was seen on.</param>
/// <param name="Frame">The frame's kernel wire image (16, 72, or 12 plus the CAN XL payload bytes).</param>
/// <param name="Direction"><c>'R'</c>, <c>'T'</c>, or <c>'\0'</c> when the line has none.</param>
/// <param name="LineNumber">The 1-based line number in the log.</param>
public sealed record CandumpLogEntry(CandumpTimestamp Timestamp, string InterfaceName, ReadOnlyMemory<byte> Frame, char Direction, long LineNumber)
{
    /// <summary>The frame in candump's text, e.g. <c>123#1122</c>.</summary>
    public string FrameText
    {
        get
        {
            char[] text = new char[CanFrameText.MaxLength];
            return new string(text, 0, CanFrameText.Format(Frame.Span, text));
        }
    }
}

/// <summary>
/// Reads candump log files (<c>candump -l</c>, <c>candump -L</c> output) line by line, as
/// canplayer does: non-frame lines are skipped and counted, <c>DROPCOUNT:</c> lines are totalled.
/// </summary>
public sealed class CandumpLogReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly bool _leaveOpen;
    private readonly byte[] _frame = new byte[CanFrameText.MaxWireSize];

    /// <summary>Reads from <paramref name="reader"/>.</summary>
    /// <param name="reader">The log text.</param>
    /// <param name="leaveOpen">Leave <paramref name="reader"/> open when this reader is disposed.</param>
    public CandumpLogReader(TextReader reader, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _leaveOpen = leaveOpen;
    }

    /// <summary>The number of the line read last (1-based).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Lines that were not frame lines (blank lines, comments, <c>DROPCOUNT:</c> lines).</summary>
    public long SkippedLines { get; private set; }

    /// <summary>The frames the <c>DROPCOUNT:</c> lines of the log say were dropped while recording.</summary>
    public long ReportedDrops { get; private set; }

    /// <summary>Opens a log file.</summary>
    /// <param name="path">The file; <c>-</c> means standard input.</param>
    public static CandumpLogReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path == "-" ? new CandumpLogReader(Console.In, leaveOpen: true) : new CandumpLogReader(new StreamReader(path));
    }

    /// <summary>Reads the next frame line.</summary>
    /// <param name="entry">The entry, or <see langword="null"/> at the end of the log.</param>
    /// <returns><see langword="false"/> at the end of the log.</returns>
    /// <exception cref="FormatException">A frame line is malformed; the message gives the line number.</exception>
    public bool TryRead(out CandumpLogEntry? entry)
    {
        while (_reader.ReadLine() is string line)
        {
            LineNumber++;
            if (!CandumpLog.IsFrameLine(line))
            {
                SkippedLines++;
                CountDrops(line);
                continue;
            }

            int size;
            CandumpTimestamp timestamp;
            Range name;
            char direction;
            try
            {
                size = CandumpLog.ParseLine(line, _frame, out timestamp, out name, out direction);
            }
            catch (FormatException e)
            {
                throw new FormatException($"line {LineNumber}: {e.Message}", e);
            }

            entry = new CandumpLogEntry(timestamp, line[name], _frame.AsSpan(0, size).ToArray(), direction, LineNumber);
            return true;
        }

        entry = null;
        return false;
    }

    /// <summary>Reads every remaining frame line.</summary>
    /// <returns>The entries, read lazily.</returns>
    public IEnumerable<CandumpLogEntry> ReadAll()
    {
        while (TryRead(out CandumpLogEntry? entry))
        {
            yield return entry!;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _reader.Dispose();
        }
    }

    private void CountDrops(string line)
    {
        // "DROPCOUNT: dropped N CAN frame(s) on 'if' socket (total drops M)"
        const string Lead = CandumpLog.DropCountPrefix + " dropped ";
        if (!line.StartsWith(Lead, StringComparison.Ordinal))
        {
            return;
        }

        ReadOnlySpan<char> number = line.AsSpan(Lead.Length);
        int end = number.IndexOf(' ');
        if (end > 0 && long.TryParse(number[..end], NumberStyles.None, CultureInfo.InvariantCulture, out long dropped))
        {
            ReportedDrops += dropped;
        }
    }
}

/// <summary>
/// Writes candump log lines exactly as candump does, without allocating per line: the interface
/// name right-aligned to the longest name written so far, 6 or 9 fraction digits as each timestamp
/// says, and the optional direction letter.
/// </summary>
public sealed class CandumpLogWriter : IDisposable
{
    private readonly TextWriter _writer;
    private readonly bool _leaveOpen;
    private readonly int _secondsWidth;
    private readonly char[] _line = new char[CandumpLog.MaxLineLength];

    /// <summary>Writes to <paramref name="writer"/>.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="interfaceWidth">The width candump would align names to: the longest interface name it was given.</param>
    /// <param name="secondsWidth">10 for absolute timestamps, 3 for relative ones (candump <c>-tz</c>).</param>
    /// <param name="leaveOpen">Leave <paramref name="writer"/> open when this writer is disposed.</param>
    public CandumpLogWriter(TextWriter writer, int interfaceWidth = 0, int secondsWidth = 10, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegative(interfaceWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(secondsWidth);
        _writer = writer;
        InterfaceWidth = interfaceWidth;
        _secondsWidth = secondsWidth;
        _leaveOpen = leaveOpen;
    }

    /// <summary>The width names are aligned to; grows when a longer name is written.</summary>
    public int InterfaceWidth { get; private set; }

    /// <summary>Frame lines written.</summary>
    public long Lines { get; private set; }

    /// <summary>Writes one frame line.</summary>
    /// <param name="timestamp">The frame's timestamp.</param>
    /// <param name="interfaceName">The interface.</param>
    /// <param name="frame">The frame's wire image.</param>
    /// <param name="direction"><c>'R'</c>, <c>'T'</c>, or <c>'\0'</c>.</param>
    public void Write(CandumpTimestamp timestamp, ReadOnlySpan<char> interfaceName, ReadOnlySpan<byte> frame, char direction = '\0')
    {
        InterfaceWidth = Math.Max(InterfaceWidth, interfaceName.Length);
        int n = CandumpLog.FormatLine(_line, timestamp, interfaceName, frame, direction, InterfaceWidth, _secondsWidth);
        _line[n++] = '\n';
        _writer.Write(_line, 0, n);
        Lines++;
    }

    /// <summary>Writes candump's drop report line.</summary>
    /// <param name="dropped">Frames dropped since the last report.</param>
    /// <param name="interfaceName">The socket's interface.</param>
    /// <param name="total">Frames dropped since the socket was opened.</param>
    public void WriteDropCount(uint dropped, string interfaceName, uint total) =>
        _writer.Write(CandumpLog.FormatDropCount(dropped, interfaceName, total) + "\n");

    /// <summary>Flushes the underlying writer.</summary>
    public void Flush() => _writer.Flush();

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_leaveOpen)
        {
            _writer.Flush();
        }
        else
        {
            _writer.Dispose();
        }
    }
}
