namespace Buses;

/// <summary>
/// A socket address of one family: encodes to the kernel's <c>sockaddr</c> bytes and has one
/// canonical text form (<c>scheme:rest</c>) that <see cref="SocketAddressParser.Parse"/> reads back
/// to an equal value.
/// </summary>
public interface ISocketAddress
{
    /// <summary>The address family this address belongs to.</summary>
    SocketFamily Family { get; }

    /// <summary>The number of bytes <see cref="Encode"/> writes.</summary>
    int EncodedSize { get; }

    /// <summary>Writes the <c>sockaddr</c> bytes, starting with <c>sa_family</c>.</summary>
    /// <param name="destination">At least <see cref="EncodedSize"/> bytes.</param>
    /// <returns>The number of bytes written: the address length to pass to the kernel.</returns>
    int Encode(Span<byte> destination);
}

/// <summary>
/// A socket address value type that can also be decoded from <c>sockaddr</c> bytes and parsed from
/// its canonical text, so typed receive paths need no boxing and no registry lookup.
/// </summary>
/// <typeparam name="TSelf">The address type itself.</typeparam>
public interface ISocketAddress<TSelf> : ISocketAddress, IEquatable<TSelf>
    where TSelf : struct, ISocketAddress<TSelf>
{
    /// <summary>The scheme of the canonical text form, without the colon (<c>can</c>, <c>inet6</c>).</summary>
    static abstract string Scheme { get; }

    /// <summary>Decodes <c>sockaddr</c> bytes as the kernel returned them (<c>getsockname</c>, <c>recvfrom</c>).</summary>
    /// <param name="sockaddr">The bytes, exactly the length the kernel reported.</param>
    /// <exception cref="FormatException">The bytes are not a valid address of this family.</exception>
    static abstract TSelf Decode(ReadOnlySpan<byte> sockaddr);

    /// <summary>Parses the part of the canonical text after <c>scheme:</c>.</summary>
    /// <param name="text">The text after the scheme and colon.</param>
    /// <exception cref="FormatException">The text is malformed; the message points at the bad part.</exception>
    static abstract TSelf ParseBody(string text);

    /// <summary>
    /// Decodes like <see cref="Decode"/> but reports failure instead of throwing: what every receive and
    /// accept path uses once the kernel has handed data over, so a datagram or a connection is never lost
    /// to an address it could not decode (Python returns <c>None</c> there).
    /// </summary>
    /// <param name="sockaddr">The bytes, exactly the length the kernel reported (0 when it gave none).</param>
    /// <param name="address">The address, or <see langword="default"/> when the bytes are not one of this type.</param>
    /// <returns>Whether the bytes decoded.</returns>
    static virtual bool TryDecode(ReadOnlySpan<byte> sockaddr, out TSelf address)
    {
        try
        {
            address = TSelf.Decode(sockaddr);
            return true;
        }
        catch (FormatException)
        {
            address = default;
            return false;
        }
    }
}
