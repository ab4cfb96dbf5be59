using System.Buffers.Binary;
using System.Globalization;
using Buses.Can.Interop;
using static Buses.Can.Interop.J1939Uapi;

namespace Buses.Can;

/// <summary>
/// A J1939 socket address: the J1939 arm of <c>struct sockaddr_can</c> (interface, NAME, PGN, address).
/// Text form, can-utils' order: <c>j1939:IFACE:SA,PGN,NAME</c> in hex, e.g. <c>j1939:vcan0:80,0EF00,0000000000000000</c>;
/// <c>IFACE</c> is a name, <c>any</c> or <c>#index</c>; the parser also takes <c>j1939:vcan0:80</c>,
/// <c>j1939:vcan0:,0EF00</c> and <c>0x</c> prefixes, with missing parts meaning none.
/// </summary>
/// <remarks>
/// <see langword="default"/> is every interface, no NAME, no PGN (<see cref="J1939.NoPgn"/>) and no address
/// (<see cref="J1939.NoAddress"/>): what the kernel reads as "not given" in each field.
/// As a bind address, SA is the source address and NAME the source NAME (the kernel then uses the address
/// the NAME claimed); as a destination, SA 0xFF with no NAME is broadcast (needs SO_BROADCAST).
/// </remarks>
public readonly struct J1939Address : ISocketAddress<J1939Address>
{
    private readonly CanAddress _interface;
    private readonly ulong _name;

    // Stored XOR their "none" values so that default(J1939Address) means no PGN and no address.
    private readonly uint _pgnBits;
    private readonly byte _addressBits;

    /// <summary>An address on <paramref name="interfaceAddress"/>.</summary>
    /// <param name="interfaceAddress">The interface (or <see cref="CanAddress.Any"/>).</param>
    /// <param name="address">The source or destination address, 0–253, 254 (idle) or 255 (none/broadcast).</param>
    /// <param name="pgn">The PGN, or <see cref="J1939.NoPgn"/>.</param>
    /// <param name="name">The 64-bit NAME, or <see cref="J1939.NoName"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A PGN over 18 bits, or a PDU1 PGN with a non-zero low byte.</exception>
    public J1939Address(CanAddress interfaceAddress, byte address = J1939.NoAddress, uint pgn = J1939.NoPgn, ulong name = J1939.NoName)
    {
        J1939.ValidatePgn(pgn, nameof(pgn));
        _interface = interfaceAddress;
        _addressBits = (byte)(address ^ J1939_NO_ADDR);
        _pgnBits = pgn ^ J1939_NO_PGN;
        _name = name;
    }

    /// <summary>An address on the interface named <paramref name="interfaceName"/>.</summary>
    /// <param name="interfaceName">E.g. <c>vcan0</c>.</param>
    /// <param name="address">The address.</param>
    /// <param name="pgn">The PGN, or <see cref="J1939.NoPgn"/>.</param>
    /// <param name="name">The NAME, or <see cref="J1939.NoName"/>.</param>
    public J1939Address(string interfaceName, byte address = J1939.NoAddress, uint pgn = J1939.NoPgn, ulong name = J1939.NoName)
        : this(new CanAddress(interfaceName), address, pgn, name)
    {
    }

    private J1939Address(CanAddress interfaceAddress, byte address, uint pgn, ulong name, bool unchecked_)
    {
        _ = unchecked_;
        _interface = interfaceAddress;
        _addressBits = (byte)(address ^ J1939_NO_ADDR);
        _pgnBits = pgn ^ J1939_NO_PGN;
        _name = name;
    }

    /// <inheritdoc/>
    public static string Scheme => "j1939";

    /// <summary>The interface.</summary>
    public CanAddress Interface => _interface;

    /// <summary>The address (SA when bound or received from, DA when sent to).</summary>
    public byte Address => (byte)(_addressBits ^ J1939_NO_ADDR);

    /// <summary>The PGN, or <see cref="J1939.NoPgn"/>.</summary>
    public uint Pgn => _pgnBits ^ J1939_NO_PGN;

    /// <summary>The NAME, or <see cref="J1939.NoName"/>.</summary>
    public ulong Name => _name;

    /// <summary>Whether a PGN is given.</summary>
    public bool HasPgn => Pgn <= J1939.MaxPgn;

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Can;

    /// <inheritdoc/>
    public int EncodedSize => J1939_MIN_NAMELEN;

    /// <summary>This address with another address byte.</summary>
    /// <param name="address">The address.</param>
    public J1939Address WithAddress(byte address) => new(_interface, address, Pgn, _name, unchecked_: true);

    /// <summary>This address with another PGN.</summary>
    /// <param name="pgn">The PGN, checked like the constructor's.</param>
    public J1939Address WithPgn(uint pgn) => new(_interface, Address, pgn, _name);

    internal J1939Address WithPgnUnchecked(uint pgn) => new(_interface, Address, pgn, _name, unchecked_: true);

    /// <summary>This address with another NAME.</summary>
    /// <param name="name">The NAME.</param>
    public J1939Address WithName(ulong name) => new(_interface, Address, Pgn, name, unchecked_: true);

    /// <inheritdoc/>
    /// <exception cref="BusException">No interface has the name (ENODEV).</exception>
    public int Encode(Span<byte> destination)
    {
        Span<byte> bytes = SocketAddressCodec.BeginEncode(destination, SocketFamily.Can, J1939_MIN_NAMELEN, "sockaddr_can (J1939)");
        BinaryPrimitives.WriteInt32LittleEndian(bytes[4..], _interface.ResolveIndex());
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], _name);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[16..], Pgn);
        bytes[20] = Address;
        return J1939_MIN_NAMELEN;
    }

    /// <inheritdoc/>
    public static J1939Address Decode(ReadOnlySpan<byte> sockaddr)
    {
        SocketAddressCodec.CheckDecode(sockaddr, SocketFamily.Can, J1939_MIN_NAMELEN, "sockaddr_can (J1939)");

        // What the kernel hands back is taken as it is: a received PGN is never re-validated.
        return new J1939Address(
            CanAddress.FromIndex(Math.Max(0, BinaryPrimitives.ReadInt32LittleEndian(sockaddr[4..]))),
            sockaddr[20],
            BinaryPrimitives.ReadUInt32LittleEndian(sockaddr[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(sockaddr[8..]),
            unchecked_: true);
    }

    /// <inheritdoc/>
    public static J1939Address ParseBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            throw SocketAddressParser.Malformed(Scheme, text, text, "is not 'IFACE:SA,PGN,NAME'");
        }

        CanAddress iface;
        try
        {
            iface = CanAddress.ParseBody(text[..colon]);
        }
        catch (FormatException ex)
        {
            throw SocketAddressParser.Malformed(Scheme, text, text[..colon], "is not an interface: " + ex.Message);
        }

        string[] parts = text[(colon + 1)..].Split(',');
        if (parts.Length > 3)
        {
            throw SocketAddressParser.Malformed(Scheme, text, text[(colon + 1)..], "has more than three fields (SA,PGN,NAME)");
        }

        byte address = parts[0].Length == 0 ? J1939.NoAddress : (byte)ParseHex(text, parts[0], 0xFF, "is not an address of 2 hex digits (00–FF)");
        uint pgn = parts.Length < 2 || parts[1].Length == 0 ? J1939.NoPgn : (uint)ParseHex(text, parts[1], J1939.NoPgn, "is not a PGN (hex, up to 3FFFF, 40000 for none)");
        ulong name = parts.Length < 3 || parts[2].Length == 0 ? J1939.NoName : ParseHex(text, parts[2], ulong.MaxValue, "is not a NAME (up to 16 hex digits)");
        try
        {
            return new J1939Address(iface, address, pgn, name);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw SocketAddressParser.Malformed(Scheme, text, parts[1], "breaks a PGN rule: " + ex.Message.Split(" (Parameter", 2)[0]);
        }
    }

    /// <summary>
    /// Parses the command-line form of can-utils' <c>j1939cat</c> and <c>j1939sr</c> (libj1939_parse_canaddr):
    /// <c>[IFACE][:[SA][,[PGN][,NAME]]]</c>, each number as C's <c>strtoul(…, 0)</c> reads it (<c>0x80</c> hex,
    /// <c>128</c> decimal, <c>0200</c> octal); fields left out mean none.
    /// </summary>
    /// <param name="text">E.g. <c>vcan0:0x80</c>, <c>:0x90,0x12300</c> or <c>vcan0:,0x0FEF1,0x1122334455667788</c>.</param>
    /// <param name="defaultInterface">The interface when the text names none.</param>
    /// <exception cref="FormatException">A field is not a number, or a value breaks a rule; the message names it.</exception>
    public static J1939Address ParseCanUtils(string text, CanAddress defaultInterface = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        CanAddress iface = defaultInterface;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string ifaceText = colon < 0 ? text : text[..colon];
        if (ifaceText.Length > 0)
        {
            try
            {
                iface = new CanAddress(ifaceText);
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"J1939 address '{text}': '{ifaceText}' is not an interface name: {ex.Message.Split(" (Parameter", 2)[0]}");
            }
        }

        string[] parts = colon < 0 ? [] : text[(colon + 1)..].Split(',');
        if (parts.Length > 3)
        {
            throw new FormatException($"J1939 address '{text}' has more than SA,PGN,NAME after the interface.");
        }

        byte address = parts.Length > 0 && parts[0].Length > 0 ? (byte)CNumber(text, parts[0], 0xFF, "an address (0–255)") : J1939.NoAddress;
        uint pgn = parts.Length > 1 && parts[1].Length > 0 ? (uint)CNumber(text, parts[1], J1939.NoPgn, "a PGN (up to 0x3FFFF)") : J1939.NoPgn;
        ulong name = parts.Length > 2 && parts[2].Length > 0 ? CNumber(text, parts[2], ulong.MaxValue, "a 64-bit NAME") : J1939.NoName;
        try
        {
            return new J1939Address(iface, address, pgn, name);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new FormatException($"J1939 address '{text}': {ex.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    private static ulong CNumber(string whole, string part, ulong max, string what)
    {
        (string digits, NumberStyles style, int radix) = part.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? (part[2..], NumberStyles.AllowHexSpecifier, 16)
            : part.Length > 1 && part[0] == '0' ? (part[1..], NumberStyles.None, 8) : (part, NumberStyles.None, 10);
        ulong value = 0;
        bool ok = digits.Length > 0;
        if (ok && radix == 8)
        {
            foreach (char c in digits)
            {
                if (c is < '0' or > '7' || value > (ulong.MaxValue >> 3))
                {
                    ok = false;
                    break;
                }

                value = (value << 3) | (uint)(c - '0');
            }
        }
        else if (ok)
        {
            ok = ulong.TryParse(digits, style, CultureInfo.InvariantCulture, out value);
        }

        if (!ok || value > max)
        {
            throw new FormatException($"J1939 address '{whole}': '{part}' is not {what} (C notation: 0x hex, 0 octal, else decimal).");
        }

        return value;
    }

    /// <summary>Parses <c>j1939:vcan0:80,0EF00,0000000000000000</c> and its shorter forms.</summary>
    /// <param name="text">The text, with the scheme.</param>
    public static J1939Address Parse(string text) => SocketAddressParser.Parse<J1939Address>(text);

    private static string StripHexPrefix(string s) =>
        s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s[2..] : s;

    private static ulong ParseHex(string whole, string part, ulong max, string rule)
    {
        string digits = StripHexPrefix(part);
        if (digits.Length is 0 or > 16
            || !ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value)
            || value > max)
        {
            throw new FormatException($"J1939 address '{whole}': '{part}' {rule}.");
        }

        return value;
    }

    /// <inheritdoc/>
    public bool Equals(J1939Address other) =>
        _interface == other._interface && _name == other._name && _pgnBits == other._pgnBits && _addressBits == other._addressBits;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is J1939Address other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_interface, _name, _pgnBits, _addressBits);

    /// <summary>The canonical text: <c>j1939:vcan0:80,0EF00,0000000000000000</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"j1939:{_interface.ToString()["can:".Length..]}:{Address:X2},{Pgn:X5},{_name:X16}");

    /// <summary>Equality of every field.</summary>
    public static bool operator ==(J1939Address left, J1939Address right) => left.Equals(right);

    /// <summary>Inequality of any field.</summary>
    public static bool operator !=(J1939Address left, J1939Address right) => !left.Equals(right);
}
