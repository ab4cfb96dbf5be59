using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Buses;

/// <summary>
/// A <c>sockaddr</c> kept as bytes: for families without a typed address (vsock, AF_ALG) and for
/// addresses the kernel returns for a family not registered. Text form:
/// <c>raw:&lt;family&gt;:&lt;hex bytes after sa_family&gt;</c>, e.g. <c>raw:40:0000ffffffff02000000</c>.
/// </summary>
public struct RawSocketAddress : ISocketAddress<RawSocketAddress>
{
    /// <summary>The largest <c>sockaddr</c> the kernel uses (<c>sizeof(struct sockaddr_storage)</c>).</summary>
    public const int MaxSize = 128;

    [InlineArray(MaxSize)]
    private struct Storage
    {
        private byte _element0;
    }

    private Storage _bytes;
    private readonly int _length;

    /// <summary>Creates an address from whole <c>sockaddr</c> bytes (starting with <c>sa_family</c>).</summary>
    /// <param name="sockaddr">2 to 128 bytes.</param>
    /// <exception cref="ArgumentException">Fewer than 2 or more than 128 bytes.</exception>
    public RawSocketAddress(ReadOnlySpan<byte> sockaddr)
    {
        if (sockaddr.Length is < 2 or > MaxSize)
        {
            throw new ArgumentException($"A sockaddr of {sockaddr.Length} bytes is not 2 to {MaxSize} bytes long.", nameof(sockaddr));
        }

        sockaddr.CopyTo(_bytes);
        _length = sockaddr.Length;
    }

    /// <summary>Creates an address of <paramref name="family"/> whose bytes after <c>sa_family</c> are <paramref name="payload"/>.</summary>
    /// <param name="family">The family, written as <c>sa_family</c>.</param>
    /// <param name="payload">At most 126 bytes.</param>
    public RawSocketAddress(SocketFamily family, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxSize - 2)
        {
            throw new ArgumentException($"A sockaddr payload of {payload.Length} bytes is longer than {MaxSize - 2} bytes.", nameof(payload));
        }

        if ((uint)family > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(family), family, "sa_family must be 0 to 65535.");
        }

        Span<byte> bytes = SocketAddressCodec.BeginEncode(_bytes, family, payload.Length + 2, "sockaddr");
        payload.CopyTo(bytes[2..]);
        _length = payload.Length + 2;
    }

    /// <inheritdoc/>
    public static string Scheme => "raw";

    /// <inheritdoc/>
    public readonly SocketFamily Family => SocketAddressCodec.ReadFamily(Bytes);

    /// <inheritdoc/>
    public readonly int EncodedSize => _length;

    /// <summary>The whole <c>sockaddr</c>.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Bytes => ((ReadOnlySpan<byte>)_bytes)[.._length];

    /// <inheritdoc/>
    public readonly int Encode(Span<byte> destination)
    {
        Bytes.CopyTo(destination);
        return _length;
    }

    /// <inheritdoc/>
    public static RawSocketAddress Decode(ReadOnlySpan<byte> sockaddr) =>
        sockaddr.Length < 2 ? default : new RawSocketAddress(sockaddr[..Math.Min(sockaddr.Length, MaxSize)]);

    /// <inheritdoc/>
    public static RawSocketAddress ParseBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw SocketAddressParser.Malformed(Scheme, text, text, "has no ':' between the family number and the hex bytes");
        }

        string familyText = text[..colon];
        if (!ushort.TryParse(familyText, NumberStyles.None, CultureInfo.InvariantCulture, out ushort family))
        {
            throw SocketAddressParser.Malformed(Scheme, text, familyText, "is not a family number from 0 to 65535");
        }

        string hex = text[(colon + 1)..];
        byte[] payload;
        try
        {
            payload = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw SocketAddressParser.Malformed(Scheme, text, hex, "is not an even number of hex digits");
        }

        if (payload.Length > MaxSize - 2)
        {
            throw SocketAddressParser.Malformed(Scheme, text, hex, $"is longer than {MaxSize - 2} bytes");
        }

        return new RawSocketAddress((SocketFamily)family, payload);
    }

    /// <summary>Parses <c>raw:&lt;family&gt;:&lt;hex&gt;</c>.</summary>
    /// <param name="text">The whole text, with the scheme.</param>
    public static RawSocketAddress Parse(string text) => SocketAddressParser.Parse<RawSocketAddress>(text);

    /// <inheritdoc/>
    public readonly bool Equals(RawSocketAddress other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is RawSocketAddress other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    /// <summary>The canonical text, <c>raw:&lt;family&gt;:&lt;hex&gt;</c>.</summary>
    public override readonly string ToString() =>
        _length < 2 ? "raw:0:" : $"raw:{(ushort)Family}:{Convert.ToHexStringLower(Bytes[2..])}";

    /// <summary>Equality of bytes.</summary>
    public static bool operator ==(RawSocketAddress left, RawSocketAddress right) => left.Equals(right);

    /// <summary>Inequality of bytes.</summary>
    public static bool operator !=(RawSocketAddress left, RawSocketAddress right) => !left.Equals(right);
}
