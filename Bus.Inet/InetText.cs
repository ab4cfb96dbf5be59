using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Buses.Inet;

// Text and sockaddr pieces INET and INET6 share: the port after the last colon, and the
// sa_family/sin_port header both sockaddr_in and sockaddr_in6 start with.
internal static class InetText
{
    internal static ushort ParsePort(string scheme, string body, string portText)
    {
        if (portText.Length == 0)
        {
            throw SocketAddressParser.Malformed(scheme, body, body, "has no port after the last ':'");
        }

        if (portText.Length > 5 || !ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out ushort port))
        {
            throw SocketAddressParser.Malformed(scheme, body, portText, "is not a port number from 0 to 65535");
        }

        return port;
    }

    internal static ushort CheckPort(int port, string paramName) =>
        (uint)port <= ushort.MaxValue
            ? (ushort)port
            : throw new ArgumentOutOfRangeException(paramName, port, $"Port {port} is not 0 to 65535.");

    // sin_port/sin6_port follow sa_family, in network byte order.
    internal static Span<byte> WriteHeader(Span<byte> destination, SocketFamily family, int size, string structName, ushort port)
    {
        Span<byte> bytes = SocketAddressCodec.BeginEncode(destination, family, size, structName);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[2..], port);
        return bytes;
    }

    internal static ushort ReadHeader(ReadOnlySpan<byte> sockaddr, SocketFamily family, int minimumLength, string structName)
    {
        SocketAddressCodec.CheckDecode(sockaddr, family, minimumLength, structName);
        return BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]);
    }
}
