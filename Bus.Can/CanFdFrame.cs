using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Buses.Can.Interop.CanUapi;

namespace Buses.Can;

/// <summary>The flags byte of a CAN FD frame (<c>canfd_frame.flags</c>).</summary>
[Flags]
public enum CanFdFlags : byte
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>CANFD_BRS: the data phase uses the data bitrate.</summary>
    BitRateSwitch = CANFD_BRS,

    /// <summary>CANFD_ESI: the transmitter was error-passive (set by the controller; meaningful on vcan for tests).</summary>
    ErrorStateIndicator = CANFD_ESI,

    /// <summary>
    /// CANFD_FDF: marks the structure as holding an FD frame. The kernel sets it on every FD frame it
    /// delivers (since CAN XL support, Linux 6.2); this library sets it on every FD frame it builds.
    /// </summary>
    FdFormat = CANFD_FDF,
}

/// <summary>
/// A CAN FD frame laid out as the kernel's <c>struct canfd_frame</c> (72 bytes): identifier,
/// payload length (0–8, 12, 16, 20, 24, 32, 48 or 64), flags and 64 inline data bytes.
/// </summary>
/// <remarks>
/// On a RAW socket with FD frames on, a 72-byte read is an FD frame and a 16-byte read a classic
/// one; the shared first 8 bytes are why the length, not the content, tells them apart.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Size = Size)]
public struct CanFdFrame : IEquatable<CanFdFrame>
{
    /// <summary><c>sizeof(struct canfd_frame)</c> = <c>CANFD_MTU</c> = 72.</summary>
    public const int Size = CANFD_MTU;

    /// <summary>The largest payload, 64 bytes.</summary>
    public const int MaxDataLength = CANFD_MAX_DLEN;

    private const CanFdFlags KnownFlags = CanFdFlags.BitRateSwitch | CanFdFlags.ErrorStateIndicator | CanFdFlags.FdFormat;

    [InlineArray(8)]
    private struct Data64
    {
        private ulong _element0;
    }

    private uint _canId;
    private byte _len;
    private byte _flags;
    private byte _res0;
    private byte _res1;
    private Data64 _data;

    /// <summary>An FD data frame; <see cref="CanFdFlags.FdFormat"/> is always set.</summary>
    /// <param name="id">A standard or extended identifier (FD has no remote or error frames).</param>
    /// <param name="data">0–8, 12, 16, 20, 24, 32, 48 or 64 bytes (see <see cref="Padded"/> for other lengths).</param>
    /// <param name="flags">BRS and ESI as wanted.</param>
    /// <exception cref="ArgumentException">A length that is not an FD length, a remote or error identifier, or an unknown flag.</exception>
    public CanFdFrame(CanId id, ReadOnlySpan<byte> data, CanFdFlags flags = CanFdFlags.None)
    {
        if (!CanDlc.IsValidFdLength(data.Length))
        {
            throw new ArgumentException($"CAN FD payload length {data.Length} {CanDlc.FdLengthRule}.", nameof(data));
        }

        Validate(id, flags);
        _canId = id.Raw;
        _len = (byte)data.Length;
        _flags = (byte)(flags | CanFdFlags.FdFormat);
        data.CopyTo(DataBuffer);
    }

    /// <summary>An FD frame whose payload is <paramref name="data"/> zero-padded to the next valid FD length (13 bytes → 16), as <c>cansend</c> does.</summary>
    /// <param name="id">A standard or extended identifier.</param>
    /// <param name="data">0 to 64 bytes.</param>
    /// <param name="flags">BRS and ESI as wanted.</param>
    /// <exception cref="ArgumentException">More than 64 bytes, a remote or error identifier, or an unknown flag.</exception>
    public static CanFdFrame Padded(CanId id, ReadOnlySpan<byte> data, CanFdFlags flags = CanFdFlags.None)
    {
        if (data.Length > CANFD_MAX_DLEN)
        {
            throw new ArgumentException($"CAN FD payload length {data.Length} is more than 64.", nameof(data));
        }

        Validate(id, flags);
        var frame = new CanFdFrame { _canId = id.Raw, _len = (byte)CanDlc.RoundUpFdLength(data.Length), _flags = (byte)(flags | CanFdFlags.FdFormat) };
        data.CopyTo(frame.DataBuffer);
        return frame;
    }

    private static void Validate(CanId id, CanFdFlags flags)
    {
        if (id.IsRemote || id.IsError)
        {
            throw new ArgumentException($"CAN identifier {id} has the {(id.IsError ? "error" : "remote")} flag, which CAN FD frames do not carry.", nameof(id));
        }

        if ((flags & ~KnownFlags) != 0)
        {
            throw new ArgumentException($"CAN FD flags 0x{(byte)flags:X2} have bits outside BRS (0x01), ESI (0x02) and FDF (0x04).", nameof(flags));
        }
    }

    /// <summary>The identifier.</summary>
    public readonly CanId Id => CanId.FromRaw(_canId);

    /// <summary>The payload length: 0–8, 12, 16, 20, 24, 32, 48 or 64.</summary>
    public readonly int Length => _len;

    /// <summary>The DLC on the wire (0–15).</summary>
    public readonly int Dlc => CanDlc.FromFdLength(Math.Min((int)_len, CANFD_MAX_DLEN));

    /// <summary>The flags, as the kernel delivered them or as built.</summary>
    public readonly CanFdFlags Flags => (CanFdFlags)_flags;

    /// <summary>The payload.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Data => MemoryMarshal.AsBytes((ReadOnlySpan<ulong>)_data)[..Math.Min((int)_len, CANFD_MAX_DLEN)];

    [UnscopedRef]
    private Span<byte> DataBuffer => MemoryMarshal.AsBytes((Span<ulong>)_data);

    // FDF only marks the structure; frames from kernels before 6.2 lack it but are the same frame.
    private readonly byte ComparedFlags => (byte)(_flags & ~CANFD_FDF);

    /// <inheritdoc/>
    public readonly bool Equals(CanFdFrame other) =>
        _canId == other._canId && _len == other._len && ComparedFlags == other.ComparedFlags && Data.SequenceEqual(other.Data);

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is CanFdFrame other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_canId);
        hash.Add(ComparedFlags);
        hash.AddBytes(Data);
        return hash.ToHashCode();
    }

    /// <summary>Identifier, flags, length and data for reading, e.g. <c>123 FD BRS [12] …</c>.</summary>
    public override readonly string ToString()
    {
        string head = Id.ToString() + " FD"
            + ((Flags & CanFdFlags.BitRateSwitch) != 0 ? " BRS" : string.Empty)
            + ((Flags & CanFdFlags.ErrorStateIndicator) != 0 ? " ESI" : string.Empty);
        return FrameText.Describe(head, Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Data);
    }

    /// <summary>Equality of identifier, BRS/ESI flags and payload.</summary>
    public static bool operator ==(CanFdFrame left, CanFdFrame right) => left.Equals(right);

    /// <summary>Inequality of identifier, flags or payload.</summary>
    public static bool operator !=(CanFdFrame left, CanFdFrame right) => !left.Equals(right);
}
