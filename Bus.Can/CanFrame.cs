using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using static Buses.Can.Interop.CanUapi;

namespace Buses.Can;

/// <summary>
/// A classic CAN frame laid out as the kernel's <c>struct can_frame</c> (16 bytes): identifier,
/// payload length 0–8, the raw DLC 9–15 for 8-byte frames (<c>len8_dlc</c>) and 8 inline data bytes.
/// </summary>
/// <remarks>
/// The data field is 8-byte aligned, as in C, so the struct can sit inside other kernel structures
/// (BCM messages) unchanged. A DLC of 9–15 reaches the bus only on interfaces with the
/// <c>cc-len8-dlc</c> control mode on (Linux 5.11+); elsewhere the driver sends DLC 8.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Size = Size)]
public struct CanFrame : IEquatable<CanFrame>
{
    /// <summary><c>sizeof(struct can_frame)</c> = <c>CAN_MTU</c> = 16: the bytes one frame occupies on a RAW socket.</summary>
    public const int Size = CAN_MTU;

    /// <summary>The largest payload, 8 bytes.</summary>
    public const int MaxDataLength = CAN_MAX_DLEN;

    private uint _canId;
    private byte _len;
    private byte _pad;
    private byte _res0;
    private byte _len8Dlc;
    private ulong _data;

    /// <summary>A data frame (or an error frame when <paramref name="id"/> is an error identifier).</summary>
    /// <param name="id">The identifier; not a remote request (use <see cref="Remote"/>).</param>
    /// <param name="data">0 to 8 bytes.</param>
    /// <exception cref="ArgumentException">More than 8 bytes, or a remote identifier.</exception>
    public CanFrame(CanId id, ReadOnlySpan<byte> data)
    {
        if (data.Length > CAN_MAX_DLEN)
        {
            throw new ArgumentException($"CAN payload length {data.Length} is not in 0–8 (use CanFdFrame for longer payloads).", nameof(data));
        }

        if (id.IsRemote)
        {
            throw new ArgumentException($"CAN identifier {id} is a remote request, which carries no data: use CanFrame.Remote.", nameof(id));
        }

        _canId = id.Raw;
        _len = (byte)data.Length;
        data.CopyTo(DataBuffer);
    }

    /// <summary>An 8-byte data frame whose DLC on the wire is <paramref name="dlc"/> (9–15), or equal to the length.</summary>
    /// <param name="id">The identifier; not a remote request.</param>
    /// <param name="data">0 to 8 bytes; exactly 8 when <paramref name="dlc"/> is above 8.</param>
    /// <param name="dlc">The wire DLC: the data length, or 9–15 for an 8-byte payload.</param>
    /// <exception cref="ArgumentException">A DLC that does not fit the payload.</exception>
    public CanFrame(CanId id, ReadOnlySpan<byte> data, int dlc)
        : this(id, data)
    {
        SetDlc(dlc);
    }

    /// <summary>A remote-transmission request asking for <paramref name="length"/> bytes.</summary>
    /// <param name="id">The identifier; the remote flag is set whether or not it already is.</param>
    /// <param name="length">The requested length, 0 to 8.</param>
    /// <param name="dlc">The wire DLC: <paramref name="length"/> (default) or 9–15 when the length is 8.</param>
    /// <exception cref="ArgumentException">A length above 8, an error identifier, or a DLC that does not fit.</exception>
    public static CanFrame Remote(CanId id, int length = 0, int? dlc = null)
    {
        if ((uint)length > CAN_MAX_DLEN)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"CAN remote request length {length} is not in 0–8.");
        }

        if (id.IsError)
        {
            throw new ArgumentException($"CAN identifier {id} is an error identifier; an error frame cannot be a remote request.", nameof(id));
        }

        var frame = new CanFrame { _canId = id.WithRemote(true).Raw, _len = (byte)length };
        if (dlc is int d)
        {
            frame.SetDlc(d);
        }

        return frame;
    }

    /// <summary>The identifier, with its flags.</summary>
    public readonly CanId Id => CanId.FromRaw(_canId);

    /// <summary>The payload length, 0–8 (for a remote request: the requested length).</summary>
    public readonly int Length => _len;

    /// <summary>The DLC on the wire: <see cref="Length"/>, or 9–15 when <c>len8_dlc</c> says so.</summary>
    public readonly int Dlc => _len == CAN_MAX_DLEN && _len8Dlc is > CAN_MAX_DLC and <= CAN_MAX_RAW_DLC ? _len8Dlc : _len;

    /// <summary>The payload (empty for a remote request).</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Data => MemoryMarshal.AsBytes(new ReadOnlySpan<ulong>(in _data))[..(Id.IsRemote ? 0 : Math.Min((int)_len, CAN_MAX_DLEN))];

    /// <summary>Whether this is an error frame; decode it with <see cref="CanErrorFrame.Decode"/>.</summary>
    public readonly bool IsError => (_canId & CAN_ERR_FLAG) != 0;

    /// <summary>Whether this is a remote-transmission request.</summary>
    public readonly bool IsRemote => (_canId & CAN_RTR_FLAG) != 0;

    [UnscopedRef]
    private Span<byte> DataBuffer => MemoryMarshal.AsBytes(new Span<ulong>(ref _data));

    private void SetDlc(int dlc)
    {
        if (dlc == _len)
        {
            return;
        }

        if (dlc is <= CAN_MAX_DLC or > CAN_MAX_RAW_DLC || _len != CAN_MAX_DLEN)
        {
            throw new ArgumentOutOfRangeException(nameof(dlc), dlc, $"CAN DLC {dlc} does not fit a {_len}-byte payload: the DLC equals the length, or is 9–15 with 8 bytes.");
        }

        _len8Dlc = (byte)dlc;
    }

    /// <inheritdoc/>
    public readonly bool Equals(CanFrame other) =>
        _canId == other._canId && _len == other._len && Dlc == other.Dlc && Data.SequenceEqual(other.Data);

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is CanFrame other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_canId);
        hash.Add(Dlc);
        hash.AddBytes(Data);
        return hash.ToHashCode();
    }

    /// <summary>Identifier, length and data for reading, e.g. <c>123 [3] 11 22 33</c>, <c>123R [8]</c>, <c>123 [8:B] …</c>.</summary>
    public override readonly string ToString() =>
        FrameText.Describe(Id.ToString(), Dlc != _len ? $"{_len}:{Dlc:X}" : $"{_len}", Data);

    /// <summary>Equality of identifier, DLC and payload.</summary>
    public static bool operator ==(CanFrame left, CanFrame right) => left.Equals(right);

    /// <summary>Inequality of identifier, DLC or payload.</summary>
    public static bool operator !=(CanFrame left, CanFrame right) => !left.Equals(right);
}
