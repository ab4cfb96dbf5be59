using System.Globalization;

namespace Buses.Can;

/// <summary>
/// The <c>(seconds.fraction)</c> of a candump log line: whole seconds (since the epoch for
/// <c>-ta</c>, since the first frame for <c>-tz</c>) and a fraction written with 6 digits
/// (microseconds, the default) or 9 (nanoseconds, candump <c>-N</c>).
/// </summary>
/// <param name="Seconds">Whole seconds, not negative.</param>
/// <param name="Nanoseconds">The fraction in nanoseconds, 0–999 999 999.</param>
/// <param name="NanosecondDigits">Whether the fraction is written with 9 digits rather than 6.</param>
public readonly record struct CandumpTimestamp(long Seconds, int Nanoseconds, bool NanosecondDigits = false) : IComparable<CandumpTimestamp>
{
    /// <summary>The time as nanoseconds (since the epoch for absolute timestamps).</summary>
    public long TotalNanoseconds => (Seconds * 1_000_000_000) + Nanoseconds;

    /// <summary>A timestamp from nanoseconds, e.g. a kernel receive time since the epoch.</summary>
    /// <param name="nanoseconds">Nanoseconds, not negative.</param>
    /// <param name="nanosecondDigits">Write 9 fraction digits rather than 6.</param>
    public static CandumpTimestamp FromNanoseconds(long nanoseconds, bool nanosecondDigits = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nanoseconds);
        return new CandumpTimestamp(nanoseconds / 1_000_000_000, (int)(nanoseconds % 1_000_000_000), nanosecondDigits);
    }

    /// <summary>The time elapsed from <paramref name="earlier"/> to this timestamp (negative if it is later).</summary>
    /// <param name="earlier">The earlier timestamp.</param>
    public TimeSpan Since(CandumpTimestamp earlier) => TimeSpan.FromTicks((TotalNanoseconds - earlier.TotalNanoseconds) / 100);

    /// <inheritdoc/>
    public int CompareTo(CandumpTimestamp other) => TotalNanoseconds.CompareTo(other.TotalNanoseconds);

    /// <summary>Writes <c>(ssssssssss.ffffff)</c> with the seconds zero-padded to <paramref name="secondsWidth"/> digits.</summary>
    /// <param name="destination">Where to write; 32 characters suffice.</param>
    /// <param name="secondsWidth">10 for absolute times (candump <c>-ta</c>), 3 for relative (<c>-tz</c>).</param>
    /// <returns>The number of characters written.</returns>
    public int Format(Span<char> destination, int secondsWidth = 10)
    {
        destination[0] = '(';
        Seconds.TryFormat(destination[1..], out int n, secondsWidth == 0 ? default : $"D{secondsWidth}", CultureInfo.InvariantCulture);
        n++;
        destination[n++] = '.';
        long fraction = NanosecondDigits ? Nanoseconds : Nanoseconds / 1000;
        fraction.TryFormat(destination[n..], out int digits, NanosecondDigits ? "D9" : "D6", CultureInfo.InvariantCulture);
        n += digits;
        destination[n++] = ')';
        return n;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        Span<char> text = stackalloc char[32];
        return new string(text[..Format(text)]);
    }

    /// <summary>Orders two timestamps.</summary>
    public static bool operator <(CandumpTimestamp left, CandumpTimestamp right) => left.CompareTo(right) < 0;

    /// <summary>Orders two timestamps.</summary>
    public static bool operator >(CandumpTimestamp left, CandumpTimestamp right) => left.CompareTo(right) > 0;

    /// <summary>Orders two timestamps.</summary>
    public static bool operator <=(CandumpTimestamp left, CandumpTimestamp right) => left.CompareTo(right) <= 0;

    /// <summary>Orders two timestamps.</summary>
    public static bool operator >=(CandumpTimestamp left, CandumpTimestamp right) => left.CompareTo(right) >= 0;
}
