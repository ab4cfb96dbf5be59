using System.Collections.Concurrent;

namespace Buses;

/// <summary>
/// The registry of address types and their text schemes. Decoders are keyed by (family, protocol):
/// one <c>sa_family</c> can carry several layouts (Bluetooth's <c>sockaddr_l2</c>, <c>sockaddr_rc</c>,
/// <c>sockaddr_hci</c> and <c>sockaddr_sco</c>; CAN's raw, ISO-TP and J1939 arms of
/// <c>sockaddr_can</c>), and a socket knows both numbers. Bus.Core registers its own families; each
/// family assembly registers its addresses when it loads, so <c>Parse("can:vcan0")</c> works once
/// Bus.Can is referenced and loaded.
/// </summary>
public static class SocketAddressParser
{
    /// <summary>The protocol key of a decoder that serves every protocol of its family without one of its own.</summary>
    public const int AnyProtocol = -1;

    private sealed record Entry(string Scheme, SocketFamily Family, Func<string, ISocketAddress> Parse, DecodeFunc Decode);

    private delegate ISocketAddress? DecodeFunc(ReadOnlySpan<byte> sockaddr);

    private static readonly ConcurrentDictionary<string, Entry> s_byScheme = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(SocketFamily Family, int Protocol), Entry> s_decoders = new();

    /// <summary>Registers <typeparamref name="TAddress"/> as the decoder of <paramref name="family"/> for every protocol that has none of its own, and under its scheme.</summary>
    /// <typeparam name="TAddress">The address type.</typeparam>
    /// <param name="family">The family whose <c>sockaddr</c> bytes <typeparamref name="TAddress"/> decodes.</param>
    public static void Register<TAddress>(SocketFamily family) where TAddress : struct, ISocketAddress<TAddress> =>
        Register<TAddress>(family, AnyProtocol);

    /// <summary>Registers <typeparamref name="TAddress"/> as the decoder of (<paramref name="family"/>, <paramref name="protocol"/>), and under its scheme.</summary>
    /// <typeparam name="TAddress">The address type.</typeparam>
    /// <param name="family">The family.</param>
    /// <param name="protocol">The protocol number within the family (BTPROTO_RFCOMM = 3, CAN_ISOTP = 6, …), or <see cref="AnyProtocol"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A protocol below <see cref="AnyProtocol"/>.</exception>
    /// <exception cref="InvalidOperationException">Another type already decodes (<paramref name="family"/>, <paramref name="protocol"/>).</exception>
    public static void Register<TAddress>(SocketFamily family, int protocol) where TAddress : struct, ISocketAddress<TAddress>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(protocol, AnyProtocol);
        var entry = new Entry(TAddress.Scheme, family, static text => TAddress.ParseBody(text), static bytes => TAddress.TryDecode(bytes, out TAddress a) ? a : null);
        Entry registered = s_decoders.GetOrAdd((family, protocol), entry);
        if (registered.Scheme != entry.Scheme)
        {
            throw new InvalidOperationException($"({family}, protocol {protocol}) is decoded by the '{registered.Scheme}' address type already; '{entry.Scheme}' cannot take it over.");
        }

        s_byScheme[TAddress.Scheme] = entry;
    }

    /// <summary>Parses a canonical address text such as <c>inet:127.0.0.1:8080</c> or <c>can:vcan0</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The address, boxed; use the family type's own <c>Parse</c> to avoid boxing.</returns>
    /// <exception cref="FormatException">No scheme, an unknown scheme, or a malformed body.</exception>
    public static ISocketAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        RunFamilyInitializers();
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException($"Address '{text}' has no scheme: expected 'scheme:address' with a scheme of {KnownSchemes()}.");
        }

        string scheme = text[..colon];
        if (!s_byScheme.TryGetValue(scheme, out Entry? entry))
        {
            throw new FormatException($"Address '{text}' has unknown scheme '{scheme}': known schemes are {KnownSchemes()}.");
        }

        return entry.Parse(text[(colon + 1)..]);
    }

    /// <summary>Parses the canonical text of one address type, scheme included (<c>can:vcan0</c>).</summary>
    /// <typeparam name="TAddress">The address type.</typeparam>
    /// <param name="text">The text.</param>
    /// <exception cref="FormatException">The scheme is not <typeparamref name="TAddress"/>'s, or the body is malformed.</exception>
    public static TAddress Parse<TAddress>(string text) where TAddress : struct, ISocketAddress<TAddress>
    {
        ArgumentNullException.ThrowIfNull(text);
        string scheme = TAddress.Scheme;
        if (text.Length <= scheme.Length || text[scheme.Length] != ':' || !text.StartsWith(scheme, StringComparison.Ordinal))
        {
            throw new FormatException($"Address '{text}' does not start with '{scheme}:'.");
        }

        return TAddress.ParseBody(text[(scheme.Length + 1)..]);
    }

    /// <summary>
    /// Decodes <c>sockaddr</c> bytes that a socket of <paramref name="protocol"/> returned, with the decoder
    /// registered for (family, protocol), else the family's any-protocol decoder. Never throws: bytes no
    /// decoder takes (an unregistered family, an unnamed peer, a layout the decoder rejects) come back
    /// as a <see cref="RawSocketAddress"/> holding them.
    /// </summary>
    /// <param name="sockaddr">The bytes, starting with <c>sa_family</c>; may be empty.</param>
    /// <param name="protocol">The protocol of the socket the bytes came from, or <see cref="AnyProtocol"/>.</param>
    /// <returns>The typed address, boxed, or a <see cref="RawSocketAddress"/>.</returns>
    public static ISocketAddress Decode(ReadOnlySpan<byte> sockaddr, int protocol = AnyProtocol)
    {
        RunFamilyInitializers();
        SocketFamily family = SocketAddressCodec.ReadFamily(sockaddr);
        if (sockaddr.Length >= SocketAddressCodec.FamilySize
            && (s_decoders.TryGetValue((family, protocol), out Entry? entry) || s_decoders.TryGetValue((family, AnyProtocol), out entry))
            && entry.Decode(sockaddr) is { } decoded)
        {
            return decoded;
        }

        return RawSocketAddress.Decode(sockaddr);
    }

    /// <summary>Builds the FormatException every parser throws, naming the whole text, the bad part and the rule.</summary>
    /// <param name="scheme">The scheme being parsed.</param>
    /// <param name="body">The text after the scheme.</param>
    /// <param name="badPart">The part that broke the rule.</param>
    /// <param name="rule">What the part must be.</param>
    public static FormatException Malformed(string scheme, string body, string badPart, string rule) =>
        new($"Address '{scheme}:{body}': '{badPart}' {rule}.");

    private static string KnownSchemes() => string.Join(", ", s_byScheme.Keys.Order(StringComparer.Ordinal));

    // Family assemblies register from their module initializers (Core cannot reference them);
    // Core's own families register here, before the first lookup.
    private static void RunFamilyInitializers() => s_coreRegistered.Equals(true);

    private static readonly bool s_coreRegistered = RegisterCoreFamilies();

    private static bool RegisterCoreFamilies()
    {
        s_byScheme[RawSocketAddress.Scheme] = new Entry(RawSocketAddress.Scheme, SocketFamily.Unspecified, static text => RawSocketAddress.ParseBody(text), static bytes => RawSocketAddress.Decode(bytes));
        Register<Netlink.NetlinkAddress>(SocketFamily.Netlink);
        Register<Packet.PacketAddress>(SocketFamily.Packet);
        return true;
    }
}
