using System.Globalization;
using static Buses.Can.Interop.CanUapi;

namespace Buses.Can;

/// <summary>
/// A CAN identifier as the kernel's <c>canid_t</c>: an 11-bit (standard) or 29-bit (extended)
/// identifier plus the extended (EFF), remote (RTR) and error (ERR) flags in bits 31, 30 and 29.
/// </summary>
/// <remarks>
/// An error frame's identifier carries error <em>classes</em> in its low 29 bits, not an
/// identifier; see <see cref="CanErrorFrame"/>.
/// </remarks>
public readonly struct CanId : IEquatable<CanId>
{
    private readonly uint _raw;

    private CanId(uint raw) => _raw = raw;

    /// <summary>The largest standard (11-bit) identifier, 0x7FF.</summary>
    public const uint MaxStandard = CAN_SFF_MASK;

    /// <summary>The largest extended (29-bit) identifier, 0x1FFFFFFF.</summary>
    public const uint MaxExtended = CAN_EFF_MASK;

    /// <summary>A standard (11-bit) identifier.</summary>
    /// <param name="id">0 to 0x7FF.</param>
    /// <param name="remote">Whether the frame is a remote-transmission request.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> has more than 11 bits.</exception>
    public static CanId Standard(uint id, bool remote = false)
    {
        if (id > CAN_SFF_MASK)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"CAN standard identifier 0x{id:X} is not in 0x000–0x7FF (11 bits).");
        }

        return new CanId(id | (remote ? CAN_RTR_FLAG : 0));
    }

    /// <summary>An extended (29-bit) identifier; the EFF flag is set even for values below 0x800.</summary>
    /// <param name="id">0 to 0x1FFFFFFF.</param>
    /// <param name="remote">Whether the frame is a remote-transmission request.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> has more than 29 bits.</exception>
    public static CanId Extended(uint id, bool remote = false)
    {
        if (id > CAN_EFF_MASK)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"CAN extended identifier 0x{id:X} is not in 0x00000000–0x1FFFFFFF (29 bits).");
        }

        return new CanId(id | CAN_EFF_FLAG | (remote ? CAN_RTR_FLAG : 0));
    }

    /// <summary>The identifier of an error frame carrying <paramref name="classes"/>.</summary>
    /// <param name="classes">The error classes (the low 29 bits).</param>
    public static CanId Error(CanErrorClasses classes) => new(((uint)classes & CAN_ERR_MASK) | CAN_ERR_FLAG);

    /// <summary>
    /// Takes a <c>canid_t</c> exactly as the kernel uses it. Every 32-bit value is a possible
    /// <c>canid_t</c>; bits a standard identifier does not use are kept (the kernel keeps them too).
    /// </summary>
    /// <param name="canId">The raw value, flags included.</param>
    public static CanId FromRaw(uint canId) => new(canId);

    /// <summary>The raw <c>canid_t</c>, flags included.</summary>
    public uint Raw => _raw;

    /// <summary>The identifier without flags: 11 bits for standard, 29 bits for extended, the error classes for an error frame.</summary>
    public uint Value => IsError ? _raw & CAN_ERR_MASK : IsExtended ? _raw & CAN_EFF_MASK : _raw & CAN_SFF_MASK;

    /// <summary>Whether this is a 29-bit identifier (EFF flag).</summary>
    public bool IsExtended => (_raw & CAN_EFF_FLAG) != 0;

    /// <summary>Whether the frame is a remote-transmission request (RTR flag).</summary>
    public bool IsRemote => (_raw & CAN_RTR_FLAG) != 0;

    /// <summary>Whether the frame is an error frame (ERR flag).</summary>
    public bool IsError => (_raw & CAN_ERR_FLAG) != 0;

    /// <summary>The same identifier with the remote flag set or cleared.</summary>
    /// <param name="remote">Whether the flag is set.</param>
    public CanId WithRemote(bool remote) => new(remote ? _raw | CAN_RTR_FLAG : _raw & ~CAN_RTR_FLAG);

    /// <inheritdoc/>
    public bool Equals(CanId other) => _raw == other._raw;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CanId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)_raw;

    /// <summary>
    /// Hex digits as can-utils write them: 3 for a standard identifier, 8 for an extended one or an
    /// error frame; a remote request ends in <c>R</c>, e.g. <c>123</c>, <c>00012345</c>, <c>123R</c>.
    /// </summary>
    public override string ToString()
    {
        string digits = IsError
            ? (_raw & (CAN_ERR_MASK | CAN_ERR_FLAG)).ToString("X8", CultureInfo.InvariantCulture)
            : IsExtended ? Value.ToString("X8", CultureInfo.InvariantCulture) : Value.ToString("X3", CultureInfo.InvariantCulture);
        return IsRemote ? digits + "R" : digits;
    }

    /// <summary>Equality of the raw values.</summary>
    public static bool operator ==(CanId left, CanId right) => left.Equals(right);

    /// <summary>Inequality of the raw values.</summary>
    public static bool operator !=(CanId left, CanId right) => !left.Equals(right);
}
