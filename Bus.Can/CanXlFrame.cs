using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Buses.Can.Interop.CanUapi;

namespace Buses.Can;

/// <summary>The flags byte of a CAN XL frame (<c>canxl_frame.flags</c>).</summary>
[Flags]
public enum CanXlFlags : byte
{
    /// <summary>No flags besides the mandatory XL format flag.</summary>
    None = 0,

    /// <summary>CANXL_SEC: simple extended content (the SEC bit on the wire).</summary>
    SimpleExtendedContent = CANXL_SEC,

    /// <summary>CANXL_RRS: remote request substitution; needs the driver's XL RRS control mode.</summary>
    RemoteRequestSubstitution = CANXL_RRS,

    /// <summary>CANXL_XLF: marks the structure as a CAN XL frame; always set (it sits where CC/FD keep <c>len</c>, so CC/FD length checks reject it).</summary>
    XlFormat = CANXL_XLF,
}

/// <summary>
/// A CAN XL frame laid out as the kernel's <c>struct canxl_frame</c> (2060 bytes): 11-bit priority,
/// virtual CAN network id (VCID), flags, SDU type (SDT), payload length 1–2048, acceptance field
/// (AF) and the inline data.
/// </summary>
/// <remarks>
/// On the socket an XL frame is variable-length: the 12-byte header plus <see cref="Length"/>
/// bytes (<see cref="WireLength"/>). The VCID shares the <c>prio</c> word (bits 16–23); the kernel
/// only passes it through with the socket's XL VCID options set (Linux 6.9+).
/// The struct is large: pass it with <c>in</c>/<c>ref</c>.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Size = Size)]
public struct CanXlFrame : IEquatable<CanXlFrame>
{
    /// <summary><c>sizeof(struct canxl_frame)</c> = <c>CANXL_MTU</c> = 2060.</summary>
    public const int Size = CANXL_MTU;

    /// <summary><c>CANXL_HDR_SIZE</c>: the 12 bytes before the data.</summary>
    public const int HeaderSize = CANXL_HDR_SIZE;

    /// <summary>The smallest payload, 1 byte.</summary>
    public const int MinDataLength = CANXL_MIN_DLEN;

    /// <summary>The largest payload, 2048 bytes.</summary>
    public const int MaxDataLength = CANXL_MAX_DLEN;

    /// <summary>The largest priority, 0x7FF (11 bits).</summary>
    public const int MaxPriority = (int)CANXL_PRIO_MASK;

    private const CanXlFlags KnownFlags = CanXlFlags.SimpleExtendedContent | CanXlFlags.RemoteRequestSubstitution | CanXlFlags.XlFormat;

    [InlineArray(CANXL_MAX_DLEN)]
    private struct Data2048
    {
        private byte _element0;
    }

    private uint _prio;
    private byte _flags;
    private byte _sdt;
    private ushort _len;
    private uint _af;
    private Data2048 _data;

    /// <summary>An XL frame; <see cref="CanXlFlags.XlFormat"/> is always set.</summary>
    /// <param name="priority">The 11-bit priority (arbitration id), 0 to 0x7FF.</param>
    /// <param name="data">1 to 2048 bytes.</param>
    /// <param name="serviceDataUnitType">SDT: what the payload carries.</param>
    /// <param name="acceptanceField">AF: 32-bit acceptance field.</param>
    /// <param name="flags">SEC and RRS as wanted.</param>
    /// <param name="virtualCanId">VCID, 0 to 255.</param>
    /// <exception cref="ArgumentException">A priority above 0x7FF, a length outside 1–2048, or an unknown flag.</exception>
    public CanXlFrame(int priority, ReadOnlySpan<byte> data, byte serviceDataUnitType = 0, uint acceptanceField = 0, CanXlFlags flags = CanXlFlags.None, byte virtualCanId = 0)
    {
        if ((uint)priority > CANXL_PRIO_MASK)
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, $"CAN XL priority 0x{priority:X} is not in 0x000–0x7FF (11 bits).");
        }

        if (data.Length is < CANXL_MIN_DLEN or > CANXL_MAX_DLEN)
        {
            throw new ArgumentException($"CAN XL payload length {data.Length} is not in 1–2048.", nameof(data));
        }

        if ((flags & ~KnownFlags) != 0)
        {
            throw new ArgumentException($"CAN XL flags 0x{(byte)flags:X2} have bits outside SEC (0x01), RRS (0x02) and XLF (0x80).", nameof(flags));
        }

        _prio = (uint)priority | ((uint)virtualCanId << CANXL_VCID_OFFSET);
        _flags = (byte)(flags | CanXlFlags.XlFormat);
        _sdt = serviceDataUnitType;
        _len = (ushort)data.Length;
        _af = acceptanceField;
        data.CopyTo(_data);
    }

    /// <summary>The 11-bit priority.</summary>
    public readonly int Priority => (int)(_prio & CANXL_PRIO_MASK);

    /// <summary>The virtual CAN network id (VCID).</summary>
    public readonly byte VirtualCanId => (byte)((_prio & CANXL_VCID_MASK) >> CANXL_VCID_OFFSET);

    /// <summary>The raw <c>prio</c> word: priority and VCID.</summary>
    public readonly uint RawPriority => _prio;

    /// <summary>The flags, <see cref="CanXlFlags.XlFormat"/> included.</summary>
    public readonly CanXlFlags Flags => (CanXlFlags)_flags;

    /// <summary>The SDU type (SDT).</summary>
    public readonly byte ServiceDataUnitType => _sdt;

    /// <summary>The acceptance field (AF).</summary>
    public readonly uint AcceptanceField => _af;

    /// <summary>The payload length, 1–2048.</summary>
    public readonly int Length => _len;

    /// <summary>The bytes the frame occupies on the socket: 12-byte header plus the payload.</summary>
    public readonly int WireLength => CANXL_HDR_SIZE + Math.Min((int)_len, CANXL_MAX_DLEN);

    /// <summary>The payload.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Data => ((ReadOnlySpan<byte>)_data)[..Math.Min((int)_len, CANXL_MAX_DLEN)];

    /// <inheritdoc/>
    public readonly bool Equals(CanXlFrame other) =>
        _prio == other._prio && _flags == other._flags && _sdt == other._sdt && _af == other._af && Data.SequenceEqual(other.Data);

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is CanXlFrame other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_prio);
        hash.Add(_flags);
        hash.Add(_sdt);
        hash.Add(_af);
        hash.AddBytes(Data);
        return hash.ToHashCode();
    }

    /// <summary>Header and data for reading, e.g. <c>XL 123 vcid 45 sdt 07 af 40000123 [3] 11 22 33</c>.</summary>
    public override readonly string ToString()
    {
        string head = string.Create(CultureInfo.InvariantCulture, $"XL {Priority:X3} vcid {VirtualCanId:X2} sdt {_sdt:X2} af {_af:X8}")
            + ((Flags & CanXlFlags.SimpleExtendedContent) != 0 ? " SEC" : string.Empty)
            + ((Flags & CanXlFlags.RemoteRequestSubstitution) != 0 ? " RRS" : string.Empty);
        return FrameText.Describe(head, Length.ToString(CultureInfo.InvariantCulture), Data);
    }

    /// <summary>Equality of header and payload.</summary>
    public static bool operator ==(CanXlFrame left, CanXlFrame right) => left.Equals(right);

    /// <summary>Inequality of header or payload.</summary>
    public static bool operator !=(CanXlFrame left, CanXlFrame right) => !left.Equals(right);
}
