using System.Globalization;

namespace Buses.Tipc;

/// <summary>
/// A TIPC socket address (<c>struct tipc_socket_addr</c>, old name <c>tipc_portid</c>): the port
/// <see cref="Reference"/> the kernel gave one socket, on <see cref="Node"/>. What receives report as
/// the sender and <c>getsockname</c> as a socket's own address. Text form <c>tipc:&lt;z.c.n:ref&gt;</c>.
/// </summary>
/// <param name="Reference">The socket's port reference.</param>
/// <param name="Node">The node the socket lives on.</param>
public readonly record struct TipcSocketAddress(uint Reference, TipcNodeAddress Node) : ISocketAddress<TipcSocketAddress>
{
    /// <inheritdoc/>
    public static string Scheme => TipcAddress.Scheme;

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Tipc;

    /// <inheritdoc/>
    public int EncodedSize => TipcAddress.Size;

    /// <inheritdoc/>
    public int Encode(Span<byte> destination) => ((TipcAddress)this).Encode(destination);

    /// <inheritdoc/>
    public static TipcSocketAddress Decode(ReadOnlySpan<byte> sockaddr) => TipcAddress.Decode(sockaddr) is { Kind: TipcAddressKind.Socket } a
        ? a.Socket
        : throw new FormatException("This sockaddr_tipc is not a socket address (addrtype TIPC_SOCKET_ADDR).");

    /// <inheritdoc/>
    public static TipcSocketAddress ParseBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.LastIndexOf(':');
        if (text.Length < 5 || text[0] != '<' || text[^1] != '>' || colon < 0)
        {
            throw SocketAddressParser.Malformed(Scheme, text, text, "is not a socket address <z.c.n:ref>");
        }

        string nodeText = text[1..colon];
        if (!TipcNodeAddress.TryParse(nodeText, out TipcNodeAddress node, out string? error))
        {
            throw SocketAddressParser.Malformed(Scheme, text, nodeText, error!);
        }

        string refText = text[(colon + 1)..^1];
        if (!uint.TryParse(refText, NumberStyles.None, CultureInfo.InvariantCulture, out uint reference))
        {
            throw SocketAddressParser.Malformed(Scheme, text, refText, "is not a port reference 0–4294967295");
        }

        return new TipcSocketAddress(reference, node);
    }

    /// <summary>Parses <c>tipc:&lt;z.c.n:ref&gt;</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The address.</returns>
    public static TipcSocketAddress Parse(string text) => SocketAddressParser.Parse<TipcSocketAddress>(text);

    /// <summary>The canonical text, <c>tipc:&lt;z.c.n:ref&gt;</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"tipc:<{Node.ToInnerString()}:{Reference}>");
}
