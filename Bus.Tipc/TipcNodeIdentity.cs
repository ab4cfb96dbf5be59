using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Buses.Tipc;

/// <summary>
/// The 128-bit node identity of TIPC 2.0 (Linux 4.17+), set with <c>tipc node set identity</c> or
/// derived by the kernel from a bearer's MAC address. Text form: its bytes in hex, trailing zero bytes
/// left off (<c>1111</c> is the bytes 0x11 0x11 and fourteen zeros), as <c>tipc node set identity</c>
/// takes it.
/// </summary>
public readonly struct TipcNodeIdentity : IEquatable<TipcNodeIdentity>
{
    /// <summary>The identity's size in bytes (TIPC_NODEID_LEN).</summary>
    public const int Size = Interop.TipcUapi.TIPC_NODEID_LEN;

    private readonly TipcBytes16 _bytes;

    /// <summary>An identity from its 16 bytes.</summary>
    /// <param name="bytes">Exactly 16 bytes.</param>
    /// <exception cref="ArgumentException">Not 16 bytes.</exception>
    public TipcNodeIdentity(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A TIPC node identity is {Size} bytes; {bytes.Length} were given.", nameof(bytes));
        }

        bytes.CopyTo(_bytes);
    }

    /// <summary>The 16 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in _bytes[0]), Size);

    /// <summary>Whether every byte is zero (no identity set).</summary>
    public bool IsEmpty => Bytes.IndexOfAnyExcept((byte)0) < 0;

    /// <summary>
    /// The 32-bit node address the kernel derives from this identity: the XOR of its four 32-bit
    /// words in host byte order (<c>tipc_node_id2hash</c>, <c>tipc_set_node_id</c>).
    /// </summary>
    public TipcNodeAddress Hash
    {
        get
        {
            ReadOnlySpan<uint> words = MemoryMarshal.Cast<byte, uint>(Bytes);
            return new TipcNodeAddress(words[0] ^ words[1] ^ words[2] ^ words[3]);
        }
    }

    /// <summary>Parses 2 to 32 hex digits (an even count): the leading bytes, the rest zero.</summary>
    /// <param name="text">The hex text.</param>
    /// <returns>The identity.</returns>
    /// <exception cref="FormatException">Not 2–32 hex digits in pairs.</exception>
    public static TipcNodeIdentity Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length is 0 or > 2 * Size || text.Length % 2 != 0)
        {
            throw new FormatException($"TIPC node identity '{text}' is not 2 to {2 * Size} hex digits in pairs.");
        }

        Span<byte> bytes = stackalloc byte[Size];
        bytes.Clear();
        for (int i = 0; i < text.Length / 2; i++)
        {
            if (!byte.TryParse(text.AsSpan(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                throw new FormatException($"TIPC node identity '{text}': '{text.Substring(2 * i, 2)}' is not two hex digits.");
            }
        }

        return new TipcNodeIdentity(bytes);
    }

    /// <summary>The canonical text: hex of the bytes up to the last non-zero one (at least one byte).</summary>
    public override string ToString()
    {
        ReadOnlySpan<byte> bytes = Bytes;
        int length = Math.Max(1, bytes.LastIndexOfAnyExcept((byte)0) + 1);
        return Convert.ToHexStringLower(bytes[..length]);
    }

    /// <inheritdoc/>
    public bool Equals(TipcNodeIdentity other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TipcNodeIdentity other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => BinaryPrimitives.ReadInt32LittleEndian(Bytes) ^ (int)Hash.Value;

    /// <summary>Equality of the 16 bytes.</summary>
    public static bool operator ==(TipcNodeIdentity left, TipcNodeIdentity right) => left.Equals(right);

    /// <summary>Inequality of the 16 bytes.</summary>
    public static bool operator !=(TipcNodeIdentity left, TipcNodeIdentity right) => !left.Equals(right);
}
