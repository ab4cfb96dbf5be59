using static Buses.Can.Interop.CanUapi;

namespace Buses.Can;

/// <summary>Kernel wire images of CAN frames: the bytes a CAN_RAW socket reads and writes.</summary>
public static class CanWire
{
    /// <summary>Which frame structure <paramref name="frame"/> holds.</summary>
    /// <param name="frame">16 bytes (classic), 72 (FD), or a CAN XL header and payload (13–2060 bytes, XLF set).</param>
    /// <exception cref="ArgumentException">The size fits no CAN frame.</exception>
    /// <remarks>
    /// XLF sits in the byte that is <c>len</c> (at most 64) in classic and FD frames, so it alone
    /// marks CAN XL: an XL frame with 4 or 60 data bytes has exactly a classic or FD frame's size.
    /// </remarks>
    public static CanFrameKind KindOf(ReadOnlySpan<byte> frame) =>
        frame.Length is >= CANXL_HDR_SIZE + CANXL_MIN_DLEN and <= CANXL_HDR_SIZE + CANXL_MAX_DLEN && (frame[4] & CANXL_XLF) != 0 ? CanFrameKind.Xl
        : frame.Length == CAN_MTU ? CanFrameKind.Classic
        : frame.Length == CANFD_MTU ? CanFrameKind.Fd
        : throw new ArgumentException($"A CAN frame of {frame.Length} bytes is none of classic (16), FD (72) or XL (12 plus 1–2048, XLF set).", nameof(frame));
}
