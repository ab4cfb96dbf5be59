using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Buses.Bluetooth;

/// <summary>
/// A 48-bit Bluetooth device address (<c>bdaddr_t</c>). The text form is six hex pairs, most significant
/// first (<c>00:AA:01:01:00:01</c>, as <c>hciconfig</c> prints it); on the wire the bytes are least
/// significant first.
/// </summary>
public readonly struct BluetoothAddress : IEquatable<BluetoothAddress>, IComparable<BluetoothAddress>, ISpanFormattable
{
    /// <summary>The number of bytes of an address.</summary>
    public const int Size = 6;

    /// <summary>The text length: six pairs and five colons.</summary>
    public const int TextLength = 17;

    private const ulong Mask = 0xFFFF_FFFF_FFFFUL;

    private readonly ulong _value;

    /// <summary>An address from its 48-bit value (<c>0x00AA01010001</c> is <c>00:AA:01:01:00:01</c>).</summary>
    /// <param name="value">0 to 2⁴⁸ − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">More than 48 bits.</exception>
    public BluetoothAddress(ulong value)
    {
        if (value > Mask)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"A Bluetooth address has 48 bits; 0x{value:X} has more.");
        }

        _value = value;
    }

    /// <summary><c>BDADDR_ANY</c>, <c>00:00:00:00:00:00</c>: bind to any controller.</summary>
    public static BluetoothAddress Any => default;

    /// <summary><c>BDADDR_ALL</c>, <c>FF:FF:FF:FF:FF:FF</c>.</summary>
    public static BluetoothAddress All => new(Mask);

    /// <summary><c>BDADDR_LOCAL</c>, <c>00:00:00:FF:FF:FF</c>.</summary>
    public static BluetoothAddress Local => new(0xFF_FFFF);

    /// <summary>The 48-bit value, most significant byte first as in the text.</summary>
    public ulong Value => _value;

    /// <summary>Reads an address in wire order (<c>bdaddr_t</c>: least significant byte first).</summary>
    /// <param name="bytes">At least 6 bytes; the first 6 are read.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentException">Fewer than 6 bytes.</exception>
    public static BluetoothAddress Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Size)
        {
            throw new ArgumentException($"A bdaddr_t has {Size} bytes; the span has {bytes.Length}.", nameof(bytes));
        }

        return new BluetoothAddress(BinaryPrimitives.ReadUInt32LittleEndian(bytes) | ((ulong)BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]) << 32));
    }

    /// <summary>Writes the address in wire order (least significant byte first).</summary>
    /// <param name="destination">At least 6 bytes.</param>
    /// <exception cref="ArgumentException">Fewer than 6 bytes.</exception>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"A bdaddr_t has {Size} bytes; the span has {destination.Length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)_value);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], (ushort)(_value >> 32));
    }

    /// <summary>Parses <c>XX:XX:XX:XX:XX:XX</c> (upper or lower case hex, exactly two digits a pair).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">Anything but six colon-separated hex pairs; the message names the text.</exception>
    public static BluetoothAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out BluetoothAddress address)
            ? address
            : throw new FormatException($"Bluetooth address '{text}' is not six colon-separated hex pairs (XX:XX:XX:XX:XX:XX).");
    }

    /// <summary>Parses like <see cref="Parse"/> without throwing.</summary>
    /// <param name="text">The text.</param>
    /// <param name="address">The address, or <see cref="Any"/> when the text is not one.</param>
    /// <returns>Whether the text is an address.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out BluetoothAddress address) => TryParse(text.AsSpan(), out address);

    /// <summary>Parses like <see cref="Parse"/> without throwing.</summary>
    /// <param name="text">The text.</param>
    /// <param name="address">The address, or <see cref="Any"/> when the text is not one.</param>
    /// <returns>Whether the text is an address.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out BluetoothAddress address)
    {
        address = default;
        if (text.Length != TextLength)
        {
            return false;
        }

        ulong value = 0;
        for (int i = 0; i < Size; i++)
        {
            int at = i * 3;
            if (i > 0 && text[at - 1] != ':')
            {
                return false;
            }

            int high = HexDigit(text[at]);
            int low = HexDigit(text[at + 1]);
            if ((high | low) < 0)
            {
                return false;
            }

            value = (value << 8) | (uint)((high << 4) | low);
        }

        address = new BluetoothAddress(value);
        return true;
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    /// <summary>The text form, upper-case hex (<c>00:AA:01:01:00:01</c>), as BlueZ's <c>ba2str</c> and Python print it.</summary>
    public override string ToString() => string.Create(TextLength, _value, static (span, value) => Format(span, value));

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (destination.Length < TextLength)
        {
            charsWritten = 0;
            return false;
        }

        Format(destination, _value);
        charsWritten = TextLength;
        return true;
    }

    private static void Format(Span<char> span, ulong value)
    {
        const string Digits = "0123456789ABCDEF";
        for (int i = 0; i < Size; i++)
        {
            byte b = (byte)(value >> (8 * (Size - 1 - i)));
            span[i * 3] = Digits[b >> 4];
            span[(i * 3) + 1] = Digits[b & 0xF];
            if (i < Size - 1)
            {
                span[(i * 3) + 2] = ':';
            }
        }
    }

    /// <inheritdoc/>
    public bool Equals(BluetoothAddress other) => _value == other._value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BluetoothAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(BluetoothAddress other) => _value.CompareTo(other._value);

    /// <summary>Equality.</summary>
    public static bool operator ==(BluetoothAddress left, BluetoothAddress right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(BluetoothAddress left, BluetoothAddress right) => !left.Equals(right);

    /// <summary>Order by value.</summary>
    public static bool operator <(BluetoothAddress left, BluetoothAddress right) => left._value < right._value;

    /// <summary>Order by value.</summary>
    public static bool operator >(BluetoothAddress left, BluetoothAddress right) => left._value > right._value;

    /// <summary>Order by value.</summary>
    public static bool operator <=(BluetoothAddress left, BluetoothAddress right) => left._value <= right._value;

    /// <summary>Order by value.</summary>
    public static bool operator >=(BluetoothAddress left, BluetoothAddress right) => left._value >= right._value;
}

/// <summary>The kind of a device address (<c>BDADDR_*</c>): what an L2CAP socket connects over.</summary>
public enum BluetoothAddressType : byte
{
    /// <summary>BDADDR_BREDR: a classic (BR/EDR) address.</summary>
    BrEdr = 0,
    /// <summary>BDADDR_LE_PUBLIC: a Low Energy public address.</summary>
    LePublic = 1,
    /// <summary>BDADDR_LE_RANDOM: a Low Energy random address.</summary>
    LeRandom = 2,
}
