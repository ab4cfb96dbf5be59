using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Buses;

/// <summary>
/// The registry of address families and their text schemes. Bus.Core registers its own families;
/// each family assembly registers its addresses when it loads, so <c>Parse("can:vcan0")</c> works
/// once Bus.Can is referenced and loaded.
/// </summary>
public static class SocketAddressParser
{
    private sealed record Entry(string Scheme, SocketFamily Family, Func<string, ISocketAddress> Parse, Func<ReadOnlyMemory<byte>, ISocketAddress> Decode);

    private static readonly ConcurrentDictionary<string, Entry> s_byScheme = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<SocketFamily, Entry> s_byFamily = new();

    /// <summary>Registers <typeparamref name="TAddress"/> under its scheme and family.</summary>
    /// <typeparam name="TAddress">The address type.</typeparam>
    /// <param name="family">The family whose <c>sockaddr</c> bytes <typeparamref name="TAddress"/> decodes.</param>
    public static void Register<TAddress>(SocketFamily family) where TAddress : struct, ISocketAddress<TAddress>
    {
        var entry = new Entry(TAddress.Scheme, family, static text => TAddress.ParseBody(text), static bytes => TAddress.Decode(bytes.Span));
        s_byScheme[TAddress.Scheme] = entry;
        s_byFamily.TryAdd(family, entry);
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

    /// <summary>Decodes <c>sockaddr</c> bytes of any registered family.</summary>
    /// <param name="sockaddr">The bytes, starting with <c>sa_family</c>.</param>
    /// <returns>The typed address, boxed, or a <see cref="RawSocketAddress"/> for an unregistered family.</returns>
    public static ISocketAddress Decode(ReadOnlySpan<byte> sockaddr)
    {
        RunFamilyInitializers();
        if (sockaddr.Length < 2)
        {
            return RawSocketAddress.Decode(sockaddr);
        }

        var family = (SocketFamily)BitConverter.ToUInt16(sockaddr);
        return s_byFamily.TryGetValue(family, out Entry? entry) ? entry.Decode(sockaddr.ToArray()) : RawSocketAddress.Decode(sockaddr);
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
        Register<RawSocketAddress>(SocketFamily.Unspecified);
        Register<Netlink.NetlinkAddress>(SocketFamily.Netlink);
        Register<Packet.PacketAddress>(SocketFamily.Packet);
        return true;
    }
}
