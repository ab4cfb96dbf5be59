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

    internal static void WriteHeader(Span<byte> destination, SocketFamily family, ushort port)
    {
        // sa_family is in host byte order, sin_port/sin6_port in network byte order.
        MemoryMarshal.Write(destination, (ushort)family);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], port);
    }

    internal static ushort ReadHeader(ReadOnlySpan<byte> sockaddr, SocketFamily family, int minimumLength, string scheme)
    {
        if (sockaddr.Length < minimumLength)
        {
            throw new FormatException($"A {scheme} sockaddr of {sockaddr.Length} bytes is shorter than {minimumLength} bytes.");
        }

        ushort actual = MemoryMarshal.Read<ushort>(sockaddr);
        if (actual != (ushort)family)
        {
            throw new FormatException($"A sockaddr with sa_family {actual} is not a {scheme} address (sa_family {(int)family}).");
        }

        return BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]);
    }
}
