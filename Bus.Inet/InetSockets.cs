using System.Net;
using System.Net.Sockets;

namespace Buses.Inet;

/// <summary>
/// Python's INET conveniences over <see cref="BusSocket"/>: name resolution, a connect that tries every
/// resolved address (<c>create_connection</c>) and a listener with dual-stack support (<c>create_server</c>).
/// </summary>
public static partial class InetSockets
{
    /// <summary>Resolves <paramref name="host"/> to socket addresses with the system resolver.</summary>
    /// <param name="host">A host name or numeric address; <c>''</c> is the wildcard address, <c>&lt;broadcast&gt;</c> 255.255.255.255.</param>
    /// <param name="port">0 to 65535.</param>
    /// <param name="family"><see cref="SocketFamily.Unspecified"/> for both, or <see cref="SocketFamily.Inet"/>/<see cref="SocketFamily.Inet6"/>.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The addresses in the resolver's order (the order <c>getaddrinfo</c> returns, which RFC 6724 sorts).</returns>
    /// <exception cref="ArgumentException">Bad port or family, before any lookup.</exception>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    public static async ValueTask<IReadOnlyList<IPEndPoint>> ResolveAsync(string host, int port, SocketFamily family = SocketFamily.Unspecified, CancellationToken cancellationToken = default)
    {
        AddressFamily addressFamily = CheckResolveArguments(host, port, family);
        if (TryResolveLiteral(host, port, family) is { } literal)
        {
            return literal;
        }

        IPAddress[] addresses = await Dns.GetHostAddressesAsync(host, addressFamily, cancellationToken).ConfigureAwait(false);
        return ToEndPoints(addresses, port);
    }

    /// <summary>Resolves <paramref name="host"/> to socket addresses with the system resolver, blocking.</summary>
    /// <param name="host">A host name or numeric address; <c>''</c> is the wildcard address, <c>&lt;broadcast&gt;</c> 255.255.255.255.</param>
    /// <param name="port">0 to 65535.</param>
    /// <param name="family"><see cref="SocketFamily.Unspecified"/> for both, or <see cref="SocketFamily.Inet"/>/<see cref="SocketFamily.Inet6"/>.</param>
    /// <returns>The addresses in the resolver's order.</returns>
    /// <exception cref="ArgumentException">Bad port or family, before any lookup.</exception>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    public static IReadOnlyList<IPEndPoint> Resolve(string host, int port, SocketFamily family = SocketFamily.Unspecified)
    {
        AddressFamily addressFamily = CheckResolveArguments(host, port, family);
        return TryResolveLiteral(host, port, family) ?? ToEndPoints(Dns.GetHostAddresses(host, addressFamily), port);
    }

    private static AddressFamily CheckResolveArguments(string host, int port, SocketFamily family)
    {
        ArgumentNullException.ThrowIfNull(host);
        InetText.CheckPort(port, nameof(port));
        return family switch
        {
            SocketFamily.Unspecified => AddressFamily.Unspecified,
            SocketFamily.Inet => AddressFamily.InterNetwork,
            SocketFamily.Inet6 => AddressFamily.InterNetworkV6,
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, $"Family {family} is not Unspecified, Inet or Inet6."),
        };
    }

    // Python's special host strings, and literals the resolver would return unchanged anyway; answering
    // them here keeps a numeric address from ever reaching a name server.
    private static IPEndPoint[]? TryResolveLiteral(string host, int port, SocketFamily family)
    {
        IPAddress? literal = host switch
        {
            "" => family == SocketFamily.Inet6 ? IPAddress.IPv6Any : IPAddress.Any,
            "<broadcast>" when family != SocketFamily.Inet6 => IPAddress.Broadcast,
            _ => IPAddress.TryParse(host, out IPAddress? parsed) ? parsed : null,
        };
        if (literal is null)
        {
            return null;
        }

        bool matches = family == SocketFamily.Unspecified
            || (family == SocketFamily.Inet) == (literal.AddressFamily == AddressFamily.InterNetwork);
        return matches
            ? [new IPEndPoint(literal, port)]
            : throw new ArgumentException($"Host '{host}' is a {literal.AddressFamily} address, not of family {family}.", nameof(host));
    }

    private static IPEndPoint[] ToEndPoints(IPAddress[] addresses, int port) =>
        Array.ConvertAll(addresses, address => new IPEndPoint(address, port));
}
