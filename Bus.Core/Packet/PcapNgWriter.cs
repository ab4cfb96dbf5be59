using System.Buffers.Binary;
using System.Text;

namespace Buses.Packet;

/// <summary>
/// Writes a pcapng capture file (one section, any number of interfaces) that Wireshark and
/// <c>tshark</c> read. Timestamps are nanoseconds since the Unix epoch (<c>if_tsresol</c> = 9).
/// </summary>
/// <remarks>
/// For <see cref="LinkTypeCanSocketCan"/> the first four bytes of each frame (CAN id and flags), which
/// AF_PACKET delivers in host order, are written in network order as that link type requires.
/// </remarks>
public sealed class PcapNgWriter : IDisposable
{
    /// <summary>LINKTYPE_ETHERNET.</summary>
    public const ushort LinkTypeEthernet = 1;

    /// <summary>LINKTYPE_RAW: IPv4/IPv6 without link-layer header.</summary>
    public const ushort LinkTypeRaw = 101;

    /// <summary>LINKTYPE_CAN_SOCKETCAN: Linux <c>can_frame</c>/<c>canfd_frame</c> with the id in network order.</summary>
    public const ushort LinkTypeCanSocketCan = 227;

    private const uint SectionHeaderBlock = 0x0A0D0D0A;
    private const uint InterfaceDescriptionBlock = 1;
    private const uint EnhancedPacketBlock = 6;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly List<ushort> _linkTypes = [];
    private byte[] _buffer = new byte[2048];

    /// <summary>Starts a file: writes the section header.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="application">The writing application, recorded as <c>shb_userappl</c>.</param>
    /// <param name="leaveOpen">Whether <see cref="Dispose"/> leaves the stream open.</param>
    public PcapNgWriter(Stream stream, string application = "buses", bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        Span<byte> body = stackalloc byte[256];
        BinaryPrimitives.WriteUInt32LittleEndian(body, 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(body[4..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(body[6..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(body[8..], -1); // section length unknown
        int length = 16;
        length += WriteOption(body[length..], 4, Encoding.UTF8.GetBytes(application)); // shb_userappl
        length += WriteOption(body[length..], 0, []);
        WriteBlock(SectionHeaderBlock, body[..length]);
    }

    /// <summary>The number of packets written.</summary>
    public long PacketCount { get; private set; }

    /// <summary>The capture link type for an <c>ARPHRD_*</c> hardware type.</summary>
    /// <param name="hardwareType">The hardware type of the interface.</param>
    /// <exception cref="NotSupportedException">A hardware type this writer has no link type for.</exception>
    public static ushort LinkTypeFor(ushort hardwareType) => hardwareType switch
    {
        HardwareType.Ethernet or HardwareType.Loopback => LinkTypeEthernet,
        HardwareType.Can => LinkTypeCanSocketCan,
        HardwareType.None => LinkTypeRaw,
        _ => throw new NotSupportedException($"No pcapng link type is known for hardware type {hardwareType}; supported: 1 (Ethernet), 772 (loopback), 280 (CAN), 65534 (none)."),
    };

    /// <summary>Describes an interface; packets refer to it by the returned id.</summary>
    /// <param name="linkType">The <c>LINKTYPE_*</c> (see <see cref="LinkTypeFor"/>).</param>
    /// <param name="name">The interface name (<c>if_name</c>), if known.</param>
    /// <param name="snapLength">The largest captured length.</param>
    /// <returns>The interface id.</returns>
    public int AddInterface(ushort linkType, string? name = null, int snapLength = 262144)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(snapLength);
        Span<byte> body = stackalloc byte[128];
        BinaryPrimitives.WriteUInt16LittleEndian(body, linkType);
        BinaryPrimitives.WriteUInt16LittleEndian(body[2..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(body[4..], snapLength);
        int length = 8;
        if (!string.IsNullOrEmpty(name))
        {
            length += WriteOption(body[length..], 2, Encoding.UTF8.GetBytes(name)); // if_name
        }

        length += WriteOption(body[length..], 9, [9]); // if_tsresol: 10^-9 s
        length += WriteOption(body[length..], 0, []);
        WriteBlock(InterfaceDescriptionBlock, body[..length]);
        _linkTypes.Add(linkType);
        return _linkTypes.Count - 1;
    }

    /// <summary>Writes one packet (an Enhanced Packet Block).</summary>
    /// <param name="interfaceId">An id from <see cref="AddInterface"/>.</param>
    /// <param name="timestampNanoseconds">Nanoseconds since the Unix epoch.</param>
    /// <param name="data">The captured bytes.</param>
    /// <param name="originalLength">The length on the wire, when longer than the captured bytes; -1 for the same.</param>
    public void WritePacket(int interfaceId, long timestampNanoseconds, ReadOnlySpan<byte> data, int originalLength = -1)
    {
        if ((uint)interfaceId >= (uint)_linkTypes.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(interfaceId), interfaceId, $"Interface id {interfaceId} was not added; {_linkTypes.Count} interface(s) exist.");
        }

        int padded = (data.Length + 3) & ~3;
        int total = 12 + 20 + padded;
        if (_buffer.Length < total)
        {
            _buffer = new byte[Math.Max(total, _buffer.Length * 2)];
        }

        Span<byte> block = _buffer.AsSpan(0, total);
        BinaryPrimitives.WriteUInt32LittleEndian(block, EnhancedPacketBlock);
        BinaryPrimitives.WriteInt32LittleEndian(block[4..], total);
        BinaryPrimitives.WriteInt32LittleEndian(block[8..], interfaceId);
        BinaryPrimitives.WriteUInt32LittleEndian(block[12..], (uint)((ulong)timestampNanoseconds >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(block[16..], (uint)timestampNanoseconds);
        BinaryPrimitives.WriteInt32LittleEndian(block[20..], data.Length);
        BinaryPrimitives.WriteInt32LittleEndian(block[24..], originalLength < 0 ? data.Length : originalLength);
        Span<byte> payload = block.Slice(28, padded);
        payload.Clear();
        data.CopyTo(payload);
        if (_linkTypes[interfaceId] == LinkTypeCanSocketCan && data.Length >= 4)
        {
            // can_id is host order on the socket; LINKTYPE_CAN_SOCKETCAN wants network order.
            BinaryPrimitives.WriteUInt32BigEndian(payload, BinaryPrimitives.ReadUInt32LittleEndian(data));
        }

        BinaryPrimitives.WriteInt32LittleEndian(block[(total - 4)..], total);
        _stream.Write(block);
        PacketCount++;
    }

    /// <summary>Flushes the stream.</summary>
    public void Flush() => _stream.Flush();

    /// <summary>Flushes and, unless told otherwise, closes the stream.</summary>
    public void Dispose()
    {
        _stream.Flush();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private static int WriteOption(Span<byte> destination, ushort code, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination, code);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], (ushort)value.Length);
        int padded = (value.Length + 3) & ~3;
        destination.Slice(4, padded).Clear();
        value.CopyTo(destination[4..]);
        return 4 + padded;
    }

    private void WriteBlock(uint type, ReadOnlySpan<byte> body)
    {
        int total = 12 + body.Length;
        Span<byte> block = stackalloc byte[total];
        BinaryPrimitives.WriteUInt32LittleEndian(block, type);
        BinaryPrimitives.WriteInt32LittleEndian(block[4..], total);
        body.CopyTo(block[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(block[(total - 4)..], total);
        _stream.Write(block);
    }
}
