using System.Globalization;
using System.Runtime.InteropServices;
using static Buses.Can.Interop.CanUapi;

namespace Buses.Can;

/// <summary>
/// A receive filter laid out as the kernel's <c>struct can_filter</c> (8 bytes): a frame passes
/// when <c>received_id &amp; Mask == Id &amp; Mask</c>, or, for an inverted filter, when it does not.
/// </summary>
/// <remarks>
/// The identifier and mask include the EFF and RTR flag bits, so <c>Mask = 0x7FF</c> alone also
/// passes extended frames whose low 11 bits match; <see cref="Exact"/> includes the flags. Error
/// frames never pass a filter: they are selected by the socket's error mask.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Size = Size)]
public readonly struct CanFilter : IEquatable<CanFilter>
{
    /// <summary><c>sizeof(struct can_filter)</c> = 8.</summary>
    public const int Size = 8;

    /// <summary>The most filters one socket accepts (<c>CAN_RAW_FILTER_MAX</c>).</summary>
    public const int MaxCount = CAN_RAW_FILTER_MAX;

    private readonly uint _canId;
    private readonly uint _canMask;

    /// <summary>A filter on raw identifier bits.</summary>
    /// <param name="id">The identifier bits to compare, flags included (EFF 0x80000000, RTR 0x40000000).</param>
    /// <param name="mask">Which bits to compare.</param>
    /// <param name="inverted">Pass the frames that do <em>not</em> match (<c>CAN_INV_FILTER</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> has bit 29 set, which is the inversion flag.</exception>
    public CanFilter(uint id, uint mask, bool inverted = false)
    {
        if ((id & CAN_INV_FILTER) != 0)
        {
            throw new ArgumentException($"CAN filter id 0x{id:X8} has bit 29 (0x20000000) set: that bit is the inversion flag; pass inverted: true instead.", nameof(id));
        }

        _canId = id | (inverted ? CAN_INV_FILTER : 0);
        _canMask = mask;
    }

    /// <summary>Passes exactly one identifier of one kind (standard or extended, data or remote), via the kernel's fast single-id path.</summary>
    /// <param name="id">The identifier.</param>
    /// <param name="inverted">Pass everything except this identifier.</param>
    public static CanFilter Exact(CanId id, bool inverted = false) =>
        new(id.Raw & ~CAN_ERR_FLAG, CAN_EFF_FLAG | CAN_RTR_FLAG | (id.IsExtended ? CAN_EFF_MASK : CAN_SFF_MASK), inverted);

    /// <summary>Passes every frame (id 0, mask 0): the kernel's default filter.</summary>
    public static CanFilter All => new(0, 0);

    /// <summary>The identifier bits compared, flags included, without the inversion flag.</summary>
    public uint Id => _canId & ~CAN_INV_FILTER;

    /// <summary>The mask of compared bits.</summary>
    public uint Mask => _canMask;

    /// <summary>Whether the filter passes the frames that do not match.</summary>
    public bool IsInverted => (_canId & CAN_INV_FILTER) != 0;

    /// <summary>Whether a frame with <paramref name="id"/> matches (before inversion) — the kernel's rule, for software checks.</summary>
    /// <param name="id">A received identifier.</param>
    public bool Matches(CanId id) => ((id.Raw ^ Id) & _canMask) == 0;

    /// <summary>Whether this filter passes <paramref name="id"/>: <see cref="Matches"/>, inverted if <see cref="IsInverted"/>.</summary>
    /// <param name="id">A received identifier.</param>
    public bool Passes(CanId id) => Matches(id) != IsInverted;

    /// <inheritdoc/>
    public bool Equals(CanFilter other) => _canId == other._canId && _canMask == other._canMask;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CanFilter other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_canId, _canMask);

    /// <summary>The filter as candump writes it: <c>id:mask</c>, or <c>id~mask</c> when inverted (8 hex digits each).</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Id:X8}{(IsInverted ? '~' : ':')}{_canMask:X8}");

    /// <summary>Equality of id, mask and inversion.</summary>
    public static bool operator ==(CanFilter left, CanFilter right) => left.Equals(right);

    /// <summary>Inequality of id, mask or inversion.</summary>
    public static bool operator !=(CanFilter left, CanFilter right) => !left.Equals(right);
}
