using System.Runtime.InteropServices;

namespace Buses;

/// <summary>
/// The one reader and writer of the <c>sa_family</c> field every <c>sockaddr</c> starts with, for
/// address types of any family: the same checks and the same messages everywhere.
/// </summary>
public static class SocketAddressCodec
{
    /// <summary>The size of <c>sa_family_t</c>.</summary>
    public const int FamilySize = 2;

    /// <summary>
    /// Starts encoding a <c>sockaddr</c>: checks that <paramref name="destination"/> has room for
    /// <paramref name="size"/> bytes, clears them (the kernel reads padding and reserved fields too) and
    /// writes <c>sa_family</c> in host byte order.
    /// </summary>
    /// <param name="destination">The buffer the address is encoded into.</param>
    /// <param name="family">The family.</param>
    /// <param name="size">The whole size of this address's <c>sockaddr</c>.</param>
    /// <param name="structName">The C struct, for the message (<c>sockaddr_can</c>).</param>
    /// <returns>The first <paramref name="size"/> bytes of <paramref name="destination"/>, to fill the rest of.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="size"/>.</exception>
    public static Span<byte> BeginEncode(Span<byte> destination, SocketFamily family, int size, string structName)
    {
        if (destination.Length < size)
        {
            throw new ArgumentException($"A {structName} needs {size} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        Span<byte> bytes = destination[..size];
        bytes.Clear();
        MemoryMarshal.Write(bytes, (ushort)family);
        return bytes;
    }

    /// <summary>The <c>sa_family</c> of <paramref name="sockaddr"/>, or <see cref="SocketFamily.Unspecified"/> when it has fewer than 2 bytes.</summary>
    /// <param name="sockaddr">The bytes, as the kernel returned them.</param>
    /// <returns>The family.</returns>
    public static SocketFamily ReadFamily(ReadOnlySpan<byte> sockaddr) =>
        sockaddr.Length < FamilySize ? SocketFamily.Unspecified : (SocketFamily)MemoryMarshal.Read<ushort>(sockaddr);

    /// <summary>
    /// Checks, before decoding, that <paramref name="sockaddr"/> is of <paramref name="family"/> and at
    /// least <paramref name="minimumLength"/> bytes long.
    /// </summary>
    /// <param name="sockaddr">The bytes, as the kernel returned them.</param>
    /// <param name="family">The family the address type decodes.</param>
    /// <param name="minimumLength">The fewest bytes the address needs.</param>
    /// <param name="structName">The C struct, for the message.</param>
    /// <exception cref="FormatException">Another family, or too short; the message names both.</exception>
    public static void CheckDecode(ReadOnlySpan<byte> sockaddr, SocketFamily family, int minimumLength, string structName)
    {
        SocketFamily actual = ReadFamily(sockaddr);
        if (actual != family)
        {
            throw new FormatException(sockaddr.Length < FamilySize
                ? $"A {structName} needs sa_family {family} ({(int)family}); the kernel returned {sockaddr.Length} byte(s), no address."
                : $"A {structName} needs sa_family {family} ({(int)family}); this sockaddr has {(ushort)actual}.");
        }

        if (sockaddr.Length < minimumLength)
        {
            throw new FormatException($"A {structName} needs at least {minimumLength} bytes; this one has {sockaddr.Length}.");
        }
    }

    /// <summary>
    /// Decodes with <typeparamref name="TAddress"/>'s <see cref="ISocketAddress{TSelf}.TryDecode"/>: what code
    /// holding data the kernel already handed over calls, since it must not throw.
    /// </summary>
    /// <typeparam name="TAddress">The address type.</typeparam>
    /// <param name="sockaddr">The bytes, exactly the length the kernel reported.</param>
    /// <param name="address">The address, or <see langword="default"/>.</param>
    /// <returns>Whether the bytes decoded.</returns>
    public static bool TryDecode<TAddress>(ReadOnlySpan<byte> sockaddr, out TAddress address) where TAddress : struct, ISocketAddress<TAddress> =>
        TAddress.TryDecode(sockaddr, out address);
}
