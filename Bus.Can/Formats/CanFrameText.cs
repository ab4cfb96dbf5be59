using System.Runtime.InteropServices;
using static Buses.Can.Interop.CanUapi;

namespace Buses.Can;

/// <summary>
/// The compact frame text of can-utils — what <c>cansend</c> takes, <c>candump -L</c> prints and
/// <c>canplayer</c> replays: <c>123#DEADBEEF</c>, <c>1F334455#R3</c>, <c>123#1122334455667788_B</c>,
/// <c>123##5112233</c> (CAN FD), <c>45123#81:00:12345678#11223344</c> (CAN XL).
/// </summary>
/// <remarks>
/// <para>
/// Parsing yields the kernel's wire image of the frame (what <c>write()</c> on a CAN_RAW socket takes)
/// and its size, as can-utils' parser yields the MTU: 16 bytes for classic CAN, 72 for CAN FD,
/// 12 plus the payload for CAN XL. The typed <see cref="ParseClassic"/>, <see cref="ParseFd"/> and
/// <see cref="ParseXl"/> give the frame structs.
/// </para>
/// <para>
/// Rules: the position of the first <c>#</c> selects the ID form — 3 hex digits (standard, at most 7FF),
/// 8 (extended, at most 1FFFFFFF; with 20000000 set an error frame, and no extended flag is added)
/// or 5 (CAN XL: VCID and priority, then <c>#FF:SS:AAAAAAAA#</c> flags, SDU type, acceptance field).
/// <c>R</c> or <c>r</c> after the ID is a remote frame with an optional length digit 0–8; <c>##F</c>
/// is CAN FD with flag digit F (FDF is always added); data is pairs of hex digits, each optionally
/// after one <c>.</c>; 8 classic bytes (or remote length 8) may end in <c>_9</c>…<c>_F</c>, the raw DLC.
/// An FD payload of a length FD cannot carry is padded with zeros to the next valid length, as
/// <c>cansend</c> does. Where can-utils silently ignores a malformed tail (extra bytes, a stray
/// character after <c>R</c>, a raw DLC outside 9–F) this parser throws instead.
/// </para>
/// <para>Formatting is byte for byte what candump prints: upper-case hex, standard IDs in 3 digits,
/// extended and error IDs in 8, FD flags as <c>flags &amp; 0xF</c>, no separators unless asked.</para>
/// </remarks>
public static class CanFrameText
{
    /// <summary>The most characters one frame formats to (a 2048-byte CAN XL frame with separators).</summary>
    public const int MaxLength = CanFrameSyntax.MaxLength;

    /// <summary>The buffer size <see cref="Parse(ReadOnlySpan{char}, Span{byte})"/> needs: a whole CAN XL frame.</summary>
    public const int MaxWireSize = CanXlFrame.Size;

    /// <summary>Parses a frame into its kernel wire image.</summary>
    /// <param name="text">One frame, e.g. <c>123#DEADBEEF</c>.</param>
    /// <param name="frame">Receives the frame; at least <see cref="MaxWireSize"/> bytes.</param>
    /// <returns>The number of bytes to send: <see cref="CanFrame.Size"/>, <see cref="CanFdFrame.Size"/>,
    /// or <see cref="CanXlFrame.HeaderSize"/> plus the CAN XL payload length.</returns>
    /// <exception cref="FormatException">The text breaks a rule; the message names the part and the rule.</exception>
    /// <exception cref="ArgumentException"><paramref name="frame"/> is shorter than <see cref="MaxWireSize"/>.</exception>
    public static int Parse(ReadOnlySpan<char> text, Span<byte> frame)
    {
        if (frame.Length < MaxWireSize)
        {
            throw new ArgumentException($"The frame buffer has {frame.Length} bytes; parsing needs {MaxWireSize} (a whole CAN XL frame).", nameof(frame));
        }

        Span<byte> data = stackalloc byte[CANXL_MAX_DLEN];
        CanTextHeader header = CanFrameSyntax.Parse(text, data);
        switch (header.Kind)
        {
            case CanTextKind.Classic:
                CanFrame classic = BuildClassic(text, header, data);
                MemoryMarshal.Write(frame, in classic);
                return CanFrame.Size;
            case CanTextKind.Fd:
                CanFdFrame fd = BuildFd(text, header, data);
                MemoryMarshal.Write(frame, in fd);
                return CanFdFrame.Size;
            default:
                CanXlFrame xl = BuildXl(text, header, data);
                MemoryMarshal.Write(frame, in xl);
                return xl.WireLength;
        }
    }

    /// <summary>Parses a classic CAN frame (data, remote or error frame).</summary>
    /// <param name="text">The frame text.</param>
    /// <exception cref="FormatException">The text is malformed or is a CAN FD or CAN XL frame.</exception>
    public static CanFrame ParseClassic(ReadOnlySpan<char> text)
    {
        Span<byte> data = stackalloc byte[CANXL_MAX_DLEN];
        return BuildClassic(text, ParseExpecting(text, data, CanTextKind.Classic, "a classic CAN frame"), data);
    }

    /// <summary>Parses a CAN FD frame (<c>ID##F…</c>).</summary>
    /// <param name="text">The frame text.</param>
    /// <exception cref="FormatException">The text is malformed or is not a CAN FD frame.</exception>
    public static CanFdFrame ParseFd(ReadOnlySpan<char> text)
    {
        Span<byte> data = stackalloc byte[CANXL_MAX_DLEN];
        return BuildFd(text, ParseExpecting(text, data, CanTextKind.Fd, "a CAN FD frame ('##' after the ID)"), data);
    }

    /// <summary>Parses a CAN XL frame (<c>VVPPP#FF:SS:AAAAAAAA#data</c>).</summary>
    /// <param name="text">The frame text.</param>
    /// <exception cref="FormatException">The text is malformed or is not a CAN XL frame.</exception>
    public static CanXlFrame ParseXl(ReadOnlySpan<char> text)
    {
        Span<byte> data = stackalloc byte[CANXL_MAX_DLEN];
        return BuildXl(text, ParseExpecting(text, data, CanTextKind.Xl, "a CAN XL frame (5-digit VCID and priority)"), data);
    }

    /// <summary>Formats a frame given as its kernel wire image, as candump prints it.</summary>
    /// <param name="frame">The bytes a CAN_RAW socket returned: 16 (classic), 72 (FD) or a CAN XL frame (XLF set in byte 4).</param>
    /// <param name="destination">At least <see cref="MaxLength"/> characters, or the frame's own length.</param>
    /// <param name="separators">Put <c>.</c> between data bytes, as <c>cansend</c>'s help shows frames.</param>
    /// <returns>The number of characters written.</returns>
    /// <exception cref="ArgumentException"><paramref name="frame"/> has a size no CAN frame has.</exception>
    public static int Format(ReadOnlySpan<byte> frame, Span<char> destination, bool separators = false)
    {
        switch (CanWire.KindOf(frame))
        {
            case CanFrameKind.Xl:
                Span<byte> whole = stackalloc byte[CanXlFrame.Size];
                whole.Clear();
                frame.CopyTo(whole);
                return Format(MemoryMarshal.AsRef<CanXlFrame>(whole), destination, separators);
            case CanFrameKind.Fd:
                return Format(MemoryMarshal.AsRef<CanFdFrame>(frame), destination, separators);
            default:
                return Format(MemoryMarshal.AsRef<CanFrame>(frame), destination, separators);
        }
    }

    /// <summary>Formats a classic CAN frame as candump prints it.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="destination">Where to write; 28 characters always suffice.</param>
    /// <param name="separators">Put <c>.</c> between data bytes.</param>
    /// <returns>The number of characters written.</returns>
    public static int Format(in CanFrame frame, Span<char> destination, bool separators = false)
    {
        var header = new CanTextHeader
        {
            Kind = CanTextKind.Classic,
            Id = frame.Id.Raw,
            Length = frame.Length,
            Len8Dlc = frame.Dlc > CAN_MAX_DLC ? (byte)frame.Dlc : (byte)0,
        };
        return CanFrameSyntax.Format(header, frame.Data, destination, separators);
    }

    /// <summary>Formats a CAN FD frame as candump prints it (<c>##</c> and the low four flag bits).</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="destination">Where to write; 203 characters always suffice.</param>
    /// <param name="separators">Put <c>.</c> between data bytes.</param>
    /// <returns>The number of characters written.</returns>
    public static int Format(in CanFdFrame frame, Span<char> destination, bool separators = false)
    {
        var header = new CanTextHeader { Kind = CanTextKind.Fd, Id = frame.Id.Raw, Length = frame.Data.Length, Flags = (byte)frame.Flags };
        return CanFrameSyntax.Format(header, frame.Data, destination, separators);
    }

    /// <summary>Formats a CAN XL frame as candump prints it.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="destination">Where to write; <see cref="MaxLength"/> characters always suffice.</param>
    /// <param name="separators">Put <c>.</c> between data bytes.</param>
    /// <returns>The number of characters written.</returns>
    public static int Format(in CanXlFrame frame, Span<char> destination, bool separators = false)
    {
        var header = new CanTextHeader
        {
            Kind = CanTextKind.Xl,
            Id = frame.RawPriority,
            Flags = (byte)frame.Flags,
            Sdt = frame.ServiceDataUnitType,
            Af = frame.AcceptanceField,
            Length = frame.Data.Length,
        };
        return CanFrameSyntax.Format(header, frame.Data, destination, separators);
    }

    /// <summary>The candump text of a classic frame, e.g. <c>123#DEADBEEF</c>.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="separators">Put <c>.</c> between data bytes.</param>
    public static string ToText(in CanFrame frame, bool separators = false)
    {
        Span<char> text = stackalloc char[32];
        return new string(text[..Format(frame, text, separators)]);
    }

    /// <summary>The candump text of a CAN FD frame, e.g. <c>123##5DEADBEEF</c>.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="separators">Put <c>.</c> between data bytes.</param>
    public static string ToText(in CanFdFrame frame, bool separators = false)
    {
        Span<char> text = stackalloc char[256];
        return new string(text[..Format(frame, text, separators)]);
    }

    /// <summary>The candump text of a CAN XL frame, e.g. <c>45123#81:00:12345678#11223344</c>.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="separators">Put <c>.</c> between data bytes.</param>
    public static string ToText(in CanXlFrame frame, bool separators = false)
    {
        char[] text = new char[MaxLength];
        return new string(text, 0, Format(frame, text, separators));
    }

    private static CanTextHeader ParseExpecting(ReadOnlySpan<char> text, Span<byte> data, CanTextKind kind, string expected)
    {
        CanTextHeader header = CanFrameSyntax.Parse(text, data);
        return header.Kind == kind ? header : throw CanFrameSyntax.Malformed(text, text, $"is a {KindName(header.Kind)} frame, not {expected}");
    }

    private static string KindName(CanTextKind kind) => kind switch
    {
        CanTextKind.Classic => "classic CAN",
        CanTextKind.Fd => "CAN FD",
        _ => "CAN XL",
    };

    // The frame types enforce the value rules (FD carries no error/RTR flag, XL flags known, …);
    // their ArgumentException becomes the FormatException a parser owes its caller.
    private static CanFrame BuildClassic(ReadOnlySpan<char> text, in CanTextHeader header, ReadOnlySpan<byte> data)
    {
        var id = CanId.FromRaw(header.Id);
        try
        {
            if (id.IsRemote)
            {
                return CanFrame.Remote(id.WithRemote(false), header.Length, header.Len8Dlc == 0 ? null : header.Len8Dlc);
            }

            return header.Len8Dlc == 0 ? new CanFrame(id, data[..header.Length]) : new CanFrame(id, data[..header.Length], header.Len8Dlc);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"CAN frame '{text}': {e.Message}", e);
        }
    }

    private static CanFdFrame BuildFd(ReadOnlySpan<char> text, in CanTextHeader header, ReadOnlySpan<byte> data)
    {
        try
        {
            return new CanFdFrame(CanId.FromRaw(header.Id), data[..header.Length], (CanFdFlags)header.Flags);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"CAN frame '{text}': {e.Message}", e);
        }
    }

    private static CanXlFrame BuildXl(ReadOnlySpan<char> text, in CanTextHeader header, ReadOnlySpan<byte> data)
    {
        try
        {
            return new CanXlFrame(
                (int)(header.Id & CANXL_PRIO_MASK),
                data[..header.Length],
                header.Sdt,
                header.Af,
                (CanXlFlags)header.Flags,
                (byte)(header.Id >> CANXL_VCID_OFFSET));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"CAN frame '{text}': {e.Message}", e);
        }
    }
}
