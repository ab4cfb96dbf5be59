namespace Buses;

/// <summary>A kernel timestamp (<c>struct timespec</c>): seconds and nanoseconds since the Unix epoch (or, for hardware clocks, since the clock's own origin).</summary>
/// <param name="Seconds">Whole seconds.</param>
/// <param name="Nanoseconds">Nanoseconds, 0 to 999 999 999.</param>
public readonly record struct SocketTimestamp(long Seconds, long Nanoseconds) : IComparable<SocketTimestamp>
{
    /// <summary>Whether the kernel filled this timestamp (an all-zero one means "not taken").</summary>
    public bool IsSet => Seconds != 0 || Nanoseconds != 0;

    /// <summary>The whole value in nanoseconds.</summary>
    public long TotalNanoseconds => (Seconds * 1_000_000_000) + Nanoseconds;

    /// <summary>As a UTC instant (.NET keeps 100 ns ticks, so the last two digits are dropped).</summary>
    /// <returns>The instant.</returns>
    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.UnixEpoch.AddTicks((Seconds * TimeSpan.TicksPerSecond) + (Nanoseconds / 100));

    /// <inheritdoc/>
    public int CompareTo(SocketTimestamp other) => Seconds != other.Seconds ? Seconds.CompareTo(other.Seconds) : Nanoseconds.CompareTo(other.Nanoseconds);

    /// <summary>Orders timestamps.</summary>
    public static bool operator <(SocketTimestamp left, SocketTimestamp right) => left.CompareTo(right) < 0;

    /// <summary>Orders timestamps.</summary>
    public static bool operator >(SocketTimestamp left, SocketTimestamp right) => left.CompareTo(right) > 0;

    /// <summary>Orders timestamps.</summary>
    public static bool operator <=(SocketTimestamp left, SocketTimestamp right) => left.CompareTo(right) <= 0;

    /// <summary>Orders timestamps.</summary>
    public static bool operator >=(SocketTimestamp left, SocketTimestamp right) => left.CompareTo(right) >= 0;
}
