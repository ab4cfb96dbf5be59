using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using static Buses.Netlink.Interop.NetlinkConstants;

namespace Buses.Netlink;

/// <summary>
/// Builds netlink messages: a header, a family header (<c>ifinfomsg</c>, <c>genlmsghdr</c>, …) and
/// 4-byte-aligned attributes, nested to any depth. Families extend requests by writing their own
/// attributes, e.g. Bus.Can writes <c>IFLA_INFO_DATA { IFLA_CAN_BITTIMING … }</c> into a link request.
/// </summary>
/// <remarks>
/// One builder is reused for many requests (<see cref="Reset"/>): the buffer grows once and then
/// building allocates nothing. Several messages may be written back to back (a batch); each
/// <see cref="BeginMessage"/> is closed by <see cref="EndMessage"/>, which writes <c>nlmsg_len</c>.
/// </remarks>
public sealed class NetlinkMessageBuilder
{
    /// <summary>The netlink alignment: messages and attributes start on 4-byte boundaries.</summary>
    public const int Alignment = 4;

    private byte[] _buffer;
    private int _length;
    private int _messageStart = -1;
    private int _openNests;

    /// <summary>Creates a builder.</summary>
    /// <param name="initialCapacity">Bytes to reserve; the buffer grows when needed.</param>
    public NetlinkMessageBuilder(int initialCapacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialCapacity, NetlinkHeader.Size);
        _buffer = new byte[initialCapacity];
    }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>The bytes written so far, as memory (valid until the next write or <see cref="Reset"/>).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>The number of bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The offset of the message being written, or -1 outside a message.</summary>
    public int MessageStart => _messageStart;

    /// <summary>Rounds <paramref name="length"/> up to the netlink alignment.</summary>
    /// <param name="length">A length in bytes.</param>
    public static int Align(int length) => (length + Alignment - 1) & ~(Alignment - 1);

    /// <summary>Forgets everything written; keeps the buffer.</summary>
    public void Reset()
    {
        _length = 0;
        _messageStart = -1;
        _openNests = 0;
    }

    /// <summary>Starts a message: writes a header whose length <see cref="EndMessage"/> fills in.</summary>
    /// <param name="type">nlmsg_type.</param>
    /// <param name="flags">nlmsg_flags; requests include <see cref="NetlinkMessageFlags.Request"/>.</param>
    /// <param name="sequence">nlmsg_seq; a <see cref="NetlinkSocket"/> overwrites it when it sends.</param>
    /// <param name="portId">nlmsg_pid; 0 lets the kernel fill in the sender.</param>
    /// <exception cref="InvalidOperationException">A message is already open.</exception>
    public void BeginMessage(ushort type, NetlinkMessageFlags flags, uint sequence = 0, uint portId = 0)
    {
        if (_messageStart >= 0)
        {
            throw new InvalidOperationException("BeginMessage called while a message is open; call EndMessage first.");
        }

        _length = Align(_length);
        _messageStart = _length;
        new NetlinkHeader(0, type, flags, sequence, portId).Write(Reserve(NetlinkHeader.Size));
    }

    /// <summary>Closes the open message, writing its <c>nlmsg_len</c>.</summary>
    /// <returns>The message's bytes.</returns>
    /// <exception cref="InvalidOperationException">No message is open, or a nested attribute is still open.</exception>
    public ReadOnlySpan<byte> EndMessage()
    {
        RequireMessage();
        if (_openNests != 0)
        {
            throw new InvalidOperationException($"EndMessage called with {_openNests} nested attribute(s) still open; call EndNested first.");
        }

        int start = _messageStart;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(start), (uint)(_length - start));
        _messageStart = -1;
        return _buffer.AsSpan(start, _length - start);
    }

    /// <summary>Overwrites the sequence number and port id of the message at <paramref name="messageOffset"/>.</summary>
    /// <param name="messageOffset">The offset of a message's header (0 for the first).</param>
    /// <param name="sequence">The new nlmsg_seq.</param>
    /// <param name="portId">The new nlmsg_pid.</param>
    public void SetSequence(int messageOffset, uint sequence, uint portId)
    {
        if ((uint)messageOffset > (uint)(_length - NetlinkHeader.Size))
        {
            throw new ArgumentOutOfRangeException(nameof(messageOffset), messageOffset, $"No message header at offset {messageOffset} of {_length} written bytes.");
        }

        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(messageOffset + 8), sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(messageOffset + 12), portId);
    }

    /// <summary>Writes a fixed family header (such as <c>ifinfomsg</c>) right after the message header, padded to 4 bytes.</summary>
    /// <typeparam name="T">A blittable struct with the kernel's layout.</typeparam>
    /// <param name="value">The header.</param>
    public void WriteFamilyHeader<T>(in T value) where T : unmanaged =>
        WriteFamilyHeader(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

    /// <summary>Writes family-header bytes after the message header, padded to 4 bytes.</summary>
    /// <param name="bytes">The bytes.</param>
    public void WriteFamilyHeader(ReadOnlySpan<byte> bytes)
    {
        RequireMessage();
        bytes.CopyTo(Reserve(Align(bytes.Length)));
    }

    /// <summary>Writes an attribute with a raw payload.</summary>
    /// <param name="type">The attribute type, optionally with <c>NLA_F_NESTED</c>/<c>NLA_F_NET_BYTEORDER</c> bits.</param>
    /// <param name="payload">The payload; padding to 4 bytes is added.</param>
    public void AddBytes(ushort type, ReadOnlySpan<byte> payload)
    {
        Span<byte> destination = BeginAttribute(type, payload.Length);
        payload.CopyTo(destination);
    }

    /// <summary>Writes an attribute without a payload (a flag attribute).</summary>
    /// <param name="type">The attribute type.</param>
    public void AddFlag(ushort type) => BeginAttribute(type, 0);

    /// <summary>Writes an 8-bit attribute.</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void AddU8(ushort type, byte value) => BeginAttribute(type, 1)[0] = value;

    /// <summary>Writes a 16-bit attribute in host byte order.</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void AddU16(ushort type, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(BeginAttribute(type, 2), value);

    /// <summary>Writes a 32-bit attribute in host byte order.</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void AddU32(ushort type, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(BeginAttribute(type, 4), value);

    /// <summary>Writes a signed 32-bit attribute in host byte order.</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void AddS32(ushort type, int value) => BinaryPrimitives.WriteInt32LittleEndian(BeginAttribute(type, 4), value);

    /// <summary>Writes a 64-bit attribute in host byte order.</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void AddU64(ushort type, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(BeginAttribute(type, 8), value);

    /// <summary>Writes a 16-bit attribute in network byte order and sets <c>NLA_F_NET_BYTEORDER</c>.</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value, in host order (converted here).</param>
    public void AddU16BigEndian(ushort type, ushort value) =>
        BinaryPrimitives.WriteUInt16BigEndian(BeginAttribute((ushort)(type | NLA_F_NET_BYTEORDER), 2), value);

    /// <summary>Writes a string attribute as UTF-8.</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The string; must not contain NUL.</param>
    /// <param name="nulTerminated">
    /// Whether to include the terminating NUL. Kernel string attributes accept both; the choice only
    /// matters for byte-identical requests (<c>ip link</c> sends <c>IFLA_INFO_KIND</c> without NUL,
    /// <c>IFLA_IFNAME</c> with it).
    /// </param>
    public void AddString(ushort type, string value, bool nulTerminated = true)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"String attribute {type} value \"{value.Replace("\0", "\\0", StringComparison.Ordinal)}\" contains a NUL character.", nameof(value));
        }

        int byteCount = Encoding.UTF8.GetByteCount(value);
        Span<byte> destination = BeginAttribute(type, byteCount + (nulTerminated ? 1 : 0));
        Encoding.UTF8.GetBytes(value, destination);
        if (nulTerminated)
        {
            destination[byteCount] = 0;
        }
    }

    /// <summary>Writes a blittable struct (such as <c>can_bittiming</c>) as an attribute payload.</summary>
    /// <typeparam name="T">A struct with the kernel's layout.</typeparam>
    /// <param name="type">The attribute type.</param>
    /// <param name="value">The value.</param>
    public void AddStruct<T>(ushort type, in T value) where T : unmanaged =>
        AddBytes(type, MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

    /// <summary>Opens a nested attribute; attributes written until <see cref="EndNested"/> go inside it.</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="setNestedFlag">
    /// Whether to set <c>NLA_F_NESTED</c>. Older attributes (<c>IFLA_LINKINFO</c>, <c>IFLA_INFO_DATA</c>)
    /// are sent without it by <c>ip</c>; newer ones (<c>IFLA_CAN_TDC</c>) require it.
    /// </param>
    /// <returns>A token to pass to <see cref="EndNested"/>.</returns>
    public NestToken BeginNested(ushort type, bool setNestedFlag = false)
    {
        int start = _length;
        BeginAttribute(setNestedFlag ? (ushort)(type | NLA_F_NESTED) : type, 0);
        _openNests++;
        return new NestToken(start);
    }

    /// <summary>Closes a nested attribute, writing its length.</summary>
    /// <param name="token">The token <see cref="BeginNested"/> returned.</param>
    public void EndNested(NestToken token)
    {
        RequireMessage();
        if (_openNests == 0 || token.Offset < _messageStart || token.Offset + NLA_HDRLEN > _length)
        {
            throw new InvalidOperationException("EndNested called without a matching BeginNested in this message.");
        }

        int length = _length - token.Offset;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"Nested attribute of {length} bytes exceeds the 65535-byte netlink attribute limit.");
        }

        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(token.Offset), (ushort)length);
        _openNests--;
    }

    private Span<byte> BeginAttribute(ushort type, int payloadLength)
    {
        RequireMessage();
        int length = NLA_HDRLEN + payloadLength;
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException($"Attribute {type} payload of {payloadLength} bytes exceeds the 65535-byte netlink attribute limit.", nameof(payloadLength));
        }

        Span<byte> span = Reserve(Align(length));
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        return span.Slice(NLA_HDRLEN, payloadLength);
    }

    private void RequireMessage()
    {
        if (_messageStart < 0)
        {
            throw new InvalidOperationException("No message is open; call BeginMessage first.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _length < count)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        Span<byte> span = _buffer.AsSpan(_length, count);
        span.Clear();
        _length += count;
        return span;
    }

    /// <summary>Marks an open nested attribute; returned by <see cref="BeginNested"/>.</summary>
    /// <param name="Offset">The attribute's offset in the builder.</param>
    public readonly record struct NestToken(int Offset);
}
