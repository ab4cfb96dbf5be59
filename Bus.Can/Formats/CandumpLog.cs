namespace Buses.Can;

/// <summary>
/// The candump log line, as <c>candump -l</c> writes files, <c>candump -L</c> prints, and
/// <c>canplayer</c> reads: <c>(1700000000.123456) vcan0 123#1122</c>, optionally followed by
/// <c> R</c> or <c> T</c> (received / sent by this host, candump <c>-x</c>).
/// </summary>
/// <remarks>
/// Reading follows canplayer: a line that does not start with <c>(</c> is not a frame line
/// (candump writes <c>DROPCOUNT:</c> lines into logs); the fraction must have exactly 6 or 9
/// digits; the interface is right-aligned by candump, so fields are separated by runs of spaces;
/// the frame is <see cref="CanFrameText"/>'s syntax. Unlike canplayer, anything after the frame
/// other than the direction letter is an error rather than ignored.
/// </remarks>
public static class CandumpLog
{
    /// <summary>Longest interface name a line can carry (IFNAMSIZ − 1).</summary>
    public const int MaxInterfaceLength = 15;

    /// <summary>Longest log line, without the newline: timestamp, padded name, frame, direction.</summary>
    public const int MaxLineLength = 32 + MaxInterfaceLength + 1 + CanFrameText.MaxLength + 2;

    /// <summary>The text that starts a drop report line.</summary>
    public const string DropCountPrefix = "DROPCOUNT:";

    /// <summary>Whether <paramref name="line"/> is a frame line (starts with <c>(</c>); other lines are skipped by canplayer.</summary>
    /// <param name="line">The line.</param>
    public static bool IsFrameLine(ReadOnlySpan<char> line) => !line.IsEmpty && line[0] == '(';

    /// <summary>Parses one frame line.</summary>
    /// <param name="line">The line, without its newline (a trailing <c>\r</c> is tolerated).</param>
    /// <param name="frame">Receives the frame's wire image; at least <see cref="CanFrameText.MaxWireSize"/> bytes.</param>
    /// <param name="timestamp">The timestamp.</param>
    /// <param name="interfaceName">Where the interface name is in <paramref name="line"/>.</param>
    /// <param name="direction"><c>'R'</c>, <c>'T'</c>, or <c>'\0'</c> when the line has no direction.</param>
    /// <returns>The frame's wire size (as <see cref="CanFrameText.Parse(ReadOnlySpan{char}, Span{byte})"/>).</returns>
    /// <exception cref="FormatException">The line breaks a rule; the message names the part.</exception>
    public static int ParseLine(ReadOnlySpan<char> line, Span<byte> frame, out CandumpTimestamp timestamp, out Range interfaceName, out char direction)
    {
        ReadOnlySpan<char> rest = line.TrimEnd();
        if (rest.IsEmpty || rest[0] != '(')
        {
            throw Malformed(line, rest[..Math.Min(rest.Length, 12)], "does not start a frame line: candump log lines start with '(' and a timestamp");
        }

        int close = rest.IndexOf(')');
        int dot = rest.IndexOf('.');
        if (close < 0 || dot < 0 || dot > close)
        {
            throw Malformed(line, rest[..(close < 0 ? Math.Min(rest.Length, 22) : close + 1)], "is not a timestamp '(seconds.fraction)'");
        }

        ReadOnlySpan<char> secondsText = rest[1..dot];
        ReadOnlySpan<char> fractionText = rest[(dot + 1)..close];
        if (secondsText.IsEmpty || secondsText.Length > 18 || secondsText.ContainsAnyExceptInRange('0', '9'))
        {
            throw Malformed(line, rest[..(close + 1)], "has seconds that are not 1–18 decimal digits");
        }

        if (fractionText.Length is not (6 or 9) || fractionText.ContainsAnyExceptInRange('0', '9'))
        {
            throw Malformed(line, rest[..(close + 1)], "needs a fraction of exactly 6 or 9 decimal digits");
        }

        long seconds = long.Parse(secondsText, provider: System.Globalization.CultureInfo.InvariantCulture);
        int fraction = int.Parse(fractionText, provider: System.Globalization.CultureInfo.InvariantCulture);
        bool nanos = fractionText.Length == 9;
        timestamp = new CandumpTimestamp(seconds, nanos ? fraction : fraction * 1000, nanos);

        int at = close + 1;
        int nameStart = SkipSpaces(rest, at);
        if (nameStart == at || nameStart == rest.Length)
        {
            throw Malformed(line, rest[at..], "must be a space and an interface name after the timestamp");
        }

        int nameEnd = rest[nameStart..].IndexOfAny(' ', '\t') is int end and >= 0 ? nameStart + end : rest.Length;
        if (nameEnd - nameStart > MaxInterfaceLength)
        {
            throw Malformed(line, rest[nameStart..nameEnd], $"is longer than {MaxInterfaceLength} characters, the longest interface name");
        }

        interfaceName = nameStart..nameEnd;
        int frameStart = SkipSpaces(rest, nameEnd);
        if (frameStart == rest.Length)
        {
            throw Malformed(line, rest[nameStart..], "is an interface with no frame after it");
        }

        int frameEnd = rest[frameStart..].IndexOfAny(' ', '\t') is int fe and >= 0 ? frameStart + fe : rest.Length;
        int size = CanFrameText.Parse(rest[frameStart..frameEnd], frame);
        direction = '\0';
        ReadOnlySpan<char> tail = rest[frameEnd..].TrimStart();
        if (!tail.IsEmpty)
        {
            if (tail.Length != 1 || tail[0] is not ('R' or 'T'))
            {
                throw Malformed(line, tail, "follows the frame; only a direction 'R' (received) or 'T' (sent) may");
            }

            direction = tail[0];
        }

        return size;
    }

    /// <summary>Writes one log line (without newline) exactly as candump does.</summary>
    /// <param name="destination">At least <see cref="MaxLineLength"/> characters.</param>
    /// <param name="timestamp">The frame's timestamp.</param>
    /// <param name="interfaceName">The interface name.</param>
    /// <param name="frame">The frame's wire image.</param>
    /// <param name="direction"><c>'R'</c>, <c>'T'</c>, or <c>'\0'</c> for none.</param>
    /// <param name="interfaceWidth">Right-align the name to this width, as candump aligns to its longest interface name.</param>
    /// <param name="secondsWidth">10 for absolute times, 3 for relative ones (candump <c>-tz</c>).</param>
    /// <returns>The number of characters written.</returns>
    /// <exception cref="ArgumentException">The interface name or direction is not one a log line can carry.</exception>
    public static int FormatLine(Span<char> destination, CandumpTimestamp timestamp, ReadOnlySpan<char> interfaceName, ReadOnlySpan<byte> frame, char direction = '\0', int interfaceWidth = 0, int secondsWidth = 10)
    {
        if (interfaceName.IsEmpty || interfaceName.Length > MaxInterfaceLength || interfaceName.ContainsAny(' ', '\t'))
        {
            throw new ArgumentException($"Interface name '{interfaceName}' is not 1–{MaxInterfaceLength} characters without spaces.", nameof(interfaceName));
        }

        if (direction is not ('\0' or 'R' or 'T'))
        {
            throw new ArgumentException($"Direction '{direction}' is not 'R', 'T' or none.", nameof(direction));
        }

        int n = timestamp.Format(destination, secondsWidth);
        destination[n++] = ' ';
        for (int pad = interfaceWidth - interfaceName.Length; pad > 0; pad--)
        {
            destination[n++] = ' ';
        }

        interfaceName.CopyTo(destination[n..]);
        n += interfaceName.Length;
        destination[n++] = ' ';
        n += CanFrameText.Format(frame, destination[n..]);
        if (direction != '\0')
        {
            destination[n++] = ' ';
            destination[n++] = direction;
        }

        return n;
    }

    /// <summary>The drop report candump prints when the kernel dropped frames on a socket.</summary>
    /// <param name="dropped">Frames dropped since the last report.</param>
    /// <param name="interfaceName">The socket's interface.</param>
    /// <param name="total">Frames dropped since the socket was opened.</param>
    public static string FormatDropCount(uint dropped, string interfaceName, uint total) =>
        $"{DropCountPrefix} dropped {dropped} CAN frame{(dropped > 1 ? "s" : "")} on '{interfaceName}' socket (total drops {total})";

    /// <summary>The file name candump <c>-l</c> chooses: <c>candump-YYYY-MM-DD_HHMMSS.log</c>, in local time.</summary>
    /// <param name="now">The time the log starts.</param>
    public static string DefaultFileName(DateTime now) =>
        now.ToString("'candump-'yyyy'-'MM'-'dd'_'HHmmss'.log'", System.Globalization.CultureInfo.InvariantCulture);

    private static int SkipSpaces(ReadOnlySpan<char> text, int at)
    {
        while (at < text.Length && text[at] is ' ' or '\t')
        {
            at++;
        }

        return at;
    }

    private static FormatException Malformed(ReadOnlySpan<char> line, ReadOnlySpan<char> badPart, string rule) =>
        new($"candump log line '{line.TrimEnd()}': '{badPart}' {rule}.");
}
