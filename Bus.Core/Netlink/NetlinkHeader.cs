using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Buses.Netlink;

/// <summary>A netlink message header (<c>struct nlmsghdr</c>, 16 bytes, host byte order).</summary>
/// <param name="Length">nlmsg_len: the message length including this header, before padding.</param>
/// <param name="Type">nlmsg_type: a <see cref="NetlinkMessageType"/> or a protocol message type.</param>
/// <param name="Flags">nlmsg_flags.</param>
/// <param name="Sequence">nlmsg_seq: matches a reply to its request.</param>
/// <param name="PortId">nlmsg_pid: the sender's port id (0 for the kernel).</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct NetlinkHeader(uint Length, ushort Type, NetlinkMessageFlags Flags, uint Sequence, uint PortId)
{
    /// <summary>The size of the header: 16 bytes.</summary>
    public const int Size = 16;

    /// <summary>Reads a header from the first 16 bytes of <paramref name="source"/>.</summary>
    /// <param name="source">At least 16 bytes.</param>
    /// <exception cref="FormatException">Fewer than 16 bytes.</exception>
    public static NetlinkHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
        {
            throw new FormatException($"Netlink message header needs {Size} bytes but only {source.Length} remain.");
        }

        return new NetlinkHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(source),
            BinaryPrimitives.ReadUInt16LittleEndian(source[4..]),
            (NetlinkMessageFlags)BinaryPrimitives.ReadUInt16LittleEndian(source[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[12..]));
    }

    /// <summary>Writes the header into the first 16 bytes of <paramref name="destination"/>.</summary>
    /// <param name="destination">At least 16 bytes.</param>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"A netlink header needs {Size} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, Length);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], Type);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], Sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], PortId);
    }
}
