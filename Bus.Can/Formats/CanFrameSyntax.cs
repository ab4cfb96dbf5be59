using static Buses.Can.Interop.CanUapi;

namespace Buses.Can;

/// <summary>Which of the three CAN frame formats a compact text frame is.</summary>
internal enum CanTextKind : byte
{
    Classic,
    Fd,
    Xl,
}

/// <summary>
/// The header fields of a frame in the compact syntax, as primitives: the typed frames are built
/// from these (and formatted into them) by <see cref="CanFrameText"/>. Kept internal so there is
/// exactly one public representation of a frame.
/// </summary>
internal struct CanTextHeader
{
    /// <summary>Classic/FD: <c>can_id</c> with the EFF/RTR/ERR flag bits. XL: <c>prio</c> with the VCID in bits 16–23.</summary>
    public uint Id;

    /// <summary>FD: <c>flags</c> (FDF always set after parsing). XL: <c>flags</c> (XLF always set).</summary>
    public byte Flags;

    /// <summary>Classic only: the raw DLC 9–15 of an 8-byte frame, else 0.</summary>
    public byte Len8Dlc;

    /// <summary>XL only: the SDU type.</summary>
    public byte Sdt;

    /// <summary>XL only: the acceptance field.</summary>
    public uint Af;

    /// <summary>Payload length in bytes (for classic RTR, the requested length).</summary>
    public int Length;

    public CanTextKind Kind;
}

/// <summary>
/// The compact frame syntax of can-utils (<c>cansend</c>, <c>candump -L</c>, <c>canplayer</c>),
/// parsed strictly and formatted byte for byte as candump prints it.
/// </summary>
/// <remarks>
/// The grammar, by the position of the first <c>#</c>:
/// <list type="bullet">
/// <item><c>III#data</c>: standard ID, 3 hex digits, at most 7FF.</item>
/// <item><c>IIIIIIII#data</c>: extended ID, 8 hex digits; with bit 0x20000000 set it is an error
/// frame and the extended flag is not added.</item>
/// <item><c>VVPPP#FF:SS:AAAAAAAA#data</c>: CAN XL: VCID (2 digits), priority (3 digits, at most 7FF),
/// flags, SDU type, acceptance field; XLF is always set.</item>
/// </list>
/// After the ID: <c>R</c> or <c>r</c> with an optional length digit 0–8 (and <c>_D</c> after length 8)
/// is a remote frame; <c>#F</c> starts a CAN FD frame with flag digit F (FDF is always set); data is
/// pairs of hex digits, each pair optionally preceded by one <c>.</c>; a classic frame with exactly 8
/// bytes may end in <c>_D</c>, a raw DLC 9–F. Digits may be either case; output is upper case.
/// Where the C parser silently ignores a malformed tail (extra bytes, a stray character after
/// <c>R</c>, a DLC outside 9–F) this parser rejects it, naming the part.
/// An FD payload whose length is not a valid FD length is padded with zeros to the next one, as
/// <c>cansend</c> does.
/// </remarks>
internal static class CanFrameSyntax
{
    /// <summary>Longest text a frame formats to: an XL frame with 2048 bytes and '.' separators.</summary>
    public const int MaxLength = 21 + (2048 * 3) - 1;

    private const string Hex = "0123456789ABCDEF";

    /// <summary>Parses one frame token; the payload goes to <paramref name="data"/> (at least 2048 bytes).</summary>
    /// <exception cref="FormatException">The text breaks a rule; the message names the part and the rule.</exception>
    public static CanTextHeader Parse(ReadOnlySpan<char> text, Span<byte> data)
    {
        var header = default(CanTextHeader);
        int hash = text.IndexOf('#');
        if (hash < 0)
        {
            throw Malformed(text, text, "has no '#' between the CAN ID and the data");
        }

        ReadOnlySpan<char> id = text[..hash];
        ReadOnlySpan<char> rest = text[(hash + 1)..];
        switch (hash)
        {
            case 3:
                header.Id = ParseHex(text, id, "is not a standard CAN ID (3 hex digits)");
                if (header.Id > CAN_SFF_MASK)
                {
                    throw Malformed(text, id, "is above 7FF, the largest standard (11-bit) CAN ID");
                }

                break;
            case 8:
                uint value = ParseHex(text, id, "is not an extended CAN ID (8 hex digits)");
                if ((value & CAN_ERR_FLAG) != 0)
                {
                    if (value > (CAN_ERR_FLAG | CAN_EFF_MASK))
                    {
                        throw Malformed(text, id, "is not an error frame ID: error frames are 20000000 plus the error class bits (at most 3FFFFFFF)");
                    }

                    header.Id = value;
                }
                else
                {
                    if (value > CAN_EFF_MASK)
                    {
                        throw Malformed(text, id, "is above 1FFFFFFF, the largest extended (29-bit) CAN ID");
                    }

                    header.Id = value | CAN_EFF_FLAG;
                }

                break;
            case 5:
                header.Kind = CanTextKind.Xl;
                uint vcid = ParseHex(text, id[..2], "is not a CAN XL VCID (2 hex digits)");
                uint prio = ParseHex(text, id[2..], "is not a CAN XL priority (3 hex digits)");
                if (prio > CAN_SFF_MASK)
                {
                    throw Malformed(text, id[2..], "is above 7FF, the largest CAN XL priority (11 bits)");
                }

                header.Id = prio | (vcid << CANXL_VCID_OFFSET);
                ParseXl(text, rest, ref header, data);
                return header;
            default:
                throw Malformed(text, id, "is not a CAN ID: 3 hex digits (standard), 8 (extended) or 5 (CAN XL VCID and priority) come before '#'");
        }

        if (rest.Length > 0 && (rest[0] == 'R' || rest[0] == 'r'))
        {
            ParseRemote(text, rest[1..], ref header);
            return header;
        }

        int max = 8;
        if (rest.Length > 0 && rest[0] == '#')
        {
            header.Kind = CanTextKind.Fd;
            if (rest.Length < 2 || !IsHex(rest[1]))
            {
                throw Malformed(text, rest[..Math.Min(2, rest.Length)], "must be '#' followed by one hex digit of CAN FD flags (BRS=1, ESI=2, FDF=4)");
            }

            header.Flags = (byte)(Nibble(rest[1]) | CANFD_FDF);
            rest = rest[2..];
            max = 64;
        }

        int length = ParseData(text, ref rest, data, max, header.Kind == CanTextKind.Fd ? "CAN FD carries at most 64 bytes" : "classic CAN carries at most 8 data bytes; use '##' for CAN FD");
        if (header.Kind == CanTextKind.Fd)
        {
            if (!rest.IsEmpty)
            {
                throw Malformed(text, rest, "is not hex data (pairs of hex digits, optionally separated by '.')");
            }

            int padded = CanDlc.RoundUpFdLength(length);
            data[length..padded].Clear();
            length = padded;
        }
        else if (rest.Length > 0)
        {
            if (rest[0] != '_' || length != 8)
            {
                throw Malformed(text, rest, length == 8 ? "is not a raw DLC suffix ('_' and one hex digit 9–F)" : "is not hex data (pairs of hex digits, optionally separated by '.')");
            }

            header.Len8Dlc = ParseRawDlc(text, rest);
        }

        header.Length = length;
        return header;
    }

    /// <summary>Formats a frame as candump does; <paramref name="separators"/> puts '.' between data bytes (cansend's readable form).</summary>
    /// <returns>The number of characters written; <paramref name="destination"/> needs at most <see cref="MaxLength"/>.</returns>
    public static int Format(in CanTextHeader header, ReadOnlySpan<byte> data, Span<char> destination, bool separators = false)
    {
        int n = 0;
        if (header.Kind == CanTextKind.Xl)
        {
            n = PutHex(destination, header.Id >> CANXL_VCID_OFFSET & 0xFF, 2, n);
            n = PutHex(destination, header.Id & CAN_SFF_MASK, 3, n);
            destination[n++] = '#';
            n = PutHex(destination, header.Flags, 2, n);
            destination[n++] = ':';
            n = PutHex(destination, header.Sdt, 2, n);
            destination[n++] = ':';
            n = PutHex(destination, header.Af, 8, n);
            destination[n++] = '#';
            return PutData(destination, data[..header.Length], separators, n);
        }

        if ((header.Id & CAN_ERR_FLAG) != 0)
        {
            n = PutHex(destination, header.Id & (CAN_ERR_FLAG | CAN_EFF_MASK), 8, n);
        }
        else if ((header.Id & CAN_EFF_FLAG) != 0)
        {
            n = PutHex(destination, header.Id & CAN_EFF_MASK, 8, n);
        }
        else
        {
            n = PutHex(destination, header.Id & CAN_SFF_MASK, 3, n);
        }

        destination[n++] = '#';
        bool valid8Dlc = header.Length == 8 && header.Len8Dlc is > 8 and <= 15;
        if (header.Kind == CanTextKind.Classic && (header.Id & CAN_RTR_FLAG) != 0)
        {
            destination[n++] = 'R';
            if (header.Length is > 0 and <= 8)
            {
                destination[n++] = Hex[header.Length];
                if (valid8Dlc)
                {
                    destination[n++] = '_';
                    destination[n++] = Hex[header.Len8Dlc];
                }
            }

            return n;
        }

        int length = Math.Min(header.Length, header.Kind == CanTextKind.Fd ? 64 : 8);
        if (header.Kind == CanTextKind.Fd)
        {
            destination[n++] = '#';
            destination[n++] = Hex[header.Flags & 0xF];
            if (separators && length > 0)
            {
                destination[n++] = '.';
            }
        }

        n = PutData(destination, data[..length], separators, n);
        if (header.Kind == CanTextKind.Classic && valid8Dlc)
        {
            destination[n++] = '_';
            destination[n++] = Hex[header.Len8Dlc];
        }

        return n;
    }

    public static FormatException Malformed(ReadOnlySpan<char> text, ReadOnlySpan<char> badPart, string rule) =>
        new($"CAN frame '{text}': '{badPart}' {rule}.");

    private static void ParseRemote(ReadOnlySpan<char> text, ReadOnlySpan<char> rest, ref CanTextHeader header)
    {
        if ((header.Id & CAN_ERR_FLAG) != 0)
        {
            throw Malformed(text, text[text.IndexOf('#')..], "cannot follow an error frame ID: error frames are never remote frames");
        }

        header.Id |= CAN_RTR_FLAG;
        if (rest.IsEmpty)
        {
            return;
        }

        if (!IsHex(rest[0]) || Nibble(rest[0]) > 8)
        {
            throw Malformed(text, rest, "is not a remote frame length (one digit 0–8 after 'R')");
        }

        header.Length = Nibble(rest[0]);
        rest = rest[1..];
        if (rest.IsEmpty)
        {
            return;
        }

        if (header.Length != 8 || rest[0] != '_')
        {
            throw Malformed(text, rest, header.Length == 8 ? "is not a raw DLC suffix ('_' and one hex digit 9–F)" : "follows the remote frame length; only length 8 may take a raw DLC suffix '_9'–'_F'");
        }

        header.Len8Dlc = ParseRawDlc(text, rest);
    }

    private static void ParseXl(ReadOnlySpan<char> text, ReadOnlySpan<char> rest, ref CanTextHeader header, Span<byte> data)
    {
        if (rest.Length < 15 || rest[2] != ':' || rest[5] != ':' || rest[14] != '#')
        {
            throw Malformed(text, rest[..Math.Min(15, rest.Length)], "is not a CAN XL header: flags, SDU type and acceptance field as FF:SS:AAAAAAAA# (2, 2 and 8 hex digits)");
        }

        header.Flags = (byte)(ParseHex(text, rest[..2], "is not CAN XL flags (2 hex digits)") | CANXL_XLF);
        header.Sdt = (byte)ParseHex(text, rest[3..5], "is not a CAN XL SDU type (2 hex digits)");
        header.Af = ParseHex(text, rest[6..14], "is not a CAN XL acceptance field (8 hex digits)");
        rest = rest[15..];
        ReadOnlySpan<char> dataText = rest;
        header.Length = ParseData(text, ref rest, data, 2048, "CAN XL carries at most 2048 bytes");
        if (header.Length == 0)
        {
            throw Malformed(text, dataText, "is an empty CAN XL payload: CAN XL carries 1–2048 bytes");
        }
    }

    private static int ParseData(ReadOnlySpan<char> text, ref ReadOnlySpan<char> rest, Span<byte> data, int max, string tooLong)
    {
        int length = 0;
        while (true)
        {
            if (!rest.IsEmpty && rest[0] == '.')
            {
                rest = rest[1..];
            }

            if (rest.IsEmpty || !IsHex(rest[0]))
            {
                return length;
            }

            if (rest.Length < 2 || !IsHex(rest[1]))
            {
                throw Malformed(text, rest[..Math.Min(2, rest.Length)], "is not a data byte (two hex digits)");
            }

            if (length == max)
            {
                throw Malformed(text, rest, $"is more data than fits: {tooLong}");
            }

            data[length++] = (byte)((Nibble(rest[0]) << 4) | Nibble(rest[1]));
            rest = rest[2..];
        }
    }

    private static byte ParseRawDlc(ReadOnlySpan<char> text, ReadOnlySpan<char> suffix)
    {
        if (suffix.Length != 2 || !IsHex(suffix[1]) || Nibble(suffix[1]) < 9)
        {
            throw Malformed(text, suffix, "is not a raw DLC suffix ('_' and one hex digit 9–F)");
        }

        return (byte)Nibble(suffix[1]);
    }

    private static uint ParseHex(ReadOnlySpan<char> text, ReadOnlySpan<char> digits, string rule)
    {
        uint value = 0;
        foreach (char c in digits)
        {
            if (!IsHex(c))
            {
                throw Malformed(text, digits, rule);
            }

            value = (value << 4) | (uint)Nibble(c);
        }

        return value;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int Nibble(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static int PutHex(Span<char> destination, uint value, int digits, int at)
    {
        for (int i = digits - 1; i >= 0; i--)
        {
            destination[at + i] = Hex[(int)(value & 0xF)];
            value >>= 4;
        }

        return at + digits;
    }

    private static int PutData(Span<char> destination, ReadOnlySpan<byte> data, bool separators, int at)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (separators && i > 0)
            {
                destination[at++] = '.';
            }

            destination[at++] = Hex[data[i] >> 4];
            destination[at++] = Hex[data[i] & 0xF];
        }

        return at;
    }
}
