using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Buses.Tests.Host;

// Bus.Core's tests stand on Bus.Core alone, so INET, UNIX and netlink addresses are built here as raw
// sockaddr bytes; the typed address types have their own tests in Bus.Inet.Tests.
internal static class HostAddresses
{
    private static int s_counter;

    /// <summary>sockaddr_in for 127.0.0.1:<paramref name="port"/>.</summary>
    internal static RawSocketAddress Loopback(int port)
    {
        Span<byte> payload = stackalloc byte[14];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)port);
        payload[2] = 127;
        payload[5] = 1;
        return new RawSocketAddress(SocketFamily.Inet, payload);
    }

    /// <summary>sockaddr_in6 for [::1]:<paramref name="port"/>.</summary>
    internal static RawSocketAddress Loopback6(int port)
    {
        Span<byte> payload = stackalloc byte[26];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)port);
        payload[21] = 1;
        return new RawSocketAddress(SocketFamily.Inet6, payload);
    }

    /// <summary>The port of a sockaddr_in or sockaddr_in6.</summary>
    internal static int PortOf(RawSocketAddress address) => BinaryPrimitives.ReadUInt16BigEndian(address.Bytes[2..]);

    /// <summary>A fresh Linux abstract UNIX name, unique to this process and call.</summary>
    internal static RawSocketAddress UniqueAbstract()
    {
        string name = $"buses-test-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}";
        byte[] payload = new byte[1 + Encoding.ASCII.GetByteCount(name)];
        Encoding.ASCII.GetBytes(name, payload.AsSpan(1));
        return new RawSocketAddress(SocketFamily.Unix, payload);
    }

    /// <summary>sockaddr_nl with port id 0 (the kernel assigns one) and no groups.</summary>
    internal static RawSocketAddress NetlinkAutobind() => new(SocketFamily.Netlink, stackalloc byte[10]);

    internal static byte[] Bytes<T>(T address) where T : ISocketAddress
    {
        byte[] bytes = new byte[address.EncodedSize];
        address.Encode(bytes);
        return bytes;
    }

    internal static int ReadInt(ReadOnlySpan<byte> bytes) => MemoryMarshal.Read<int>(bytes);
}
