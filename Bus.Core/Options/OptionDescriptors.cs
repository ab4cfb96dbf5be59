namespace Buses;

/// <summary>
/// A socket option whose C type is an <c>int</c> used as a boolean: read with
/// <see cref="BusSocket.Get(BoolOption)"/>, written with <see cref="BusSocket.Set(BoolOption, bool)"/>.
/// </summary>
/// <param name="Level">The option level (a <see cref="SocketLevel"/> value).</param>
/// <param name="Name">The option number at that level.</param>
/// <param name="CName">The C name (<c>SO_REUSEADDR</c>), checked against the headers and used in error messages.</param>
public readonly record struct BoolOption(int Level, int Name, string CName)
{
    /// <summary>The C name.</summary>
    public override string ToString() => CName;
}

/// <summary>
/// A socket option whose C type is an <c>int</c> with a range: <see cref="BusSocket.Set(IntOption, int)"/>
/// refuses a value outside <see cref="Minimum"/>–<see cref="Maximum"/> before the system call.
/// </summary>
/// <param name="Level">The option level.</param>
/// <param name="Name">The option number.</param>
/// <param name="CName">The C name.</param>
/// <param name="Minimum">The smallest value the kernel accepts.</param>
/// <param name="Maximum">The largest value the kernel accepts.</param>
public readonly record struct IntOption(int Level, int Name, string CName, int Minimum = int.MinValue, int Maximum = int.MaxValue)
{
    /// <summary>Throws when <paramref name="value"/> is outside the option's range.</summary>
    /// <param name="value">The value to set.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is out of range; the message names the option and its range.</exception>
    public void Validate(int value)
    {
        if (value < Minimum || value > Maximum)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{CName} takes {Minimum} to {Maximum}; {value} is outside that range.");
        }
    }

    /// <summary>The C name.</summary>
    public override string ToString() => CName;
}

/// <summary>
/// A socket option whose C type is a structure (<c>struct linger</c>, <c>struct timeval</c>, …) laid out
/// by <typeparamref name="T"/>: read with <see cref="BusSocket.Get{T}(StructOption{T})"/>, written with
/// <see cref="BusSocket.Set{T}(StructOption{T}, in T)"/>.
/// </summary>
/// <typeparam name="T">A blittable struct with the kernel's layout.</typeparam>
/// <param name="Level">The option level.</param>
/// <param name="Name">The option number.</param>
/// <param name="CName">The C name.</param>
public readonly record struct StructOption<T>(int Level, int Name, string CName)
    where T : unmanaged
{
    /// <summary>The C name.</summary>
    public override string ToString() => CName;
}
