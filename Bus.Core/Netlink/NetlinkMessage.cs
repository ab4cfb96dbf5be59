using System.Buffers.Binary;
using static Buses.Netlink.Interop.NetlinkConstants;

namespace Buses.Netlink;

/// <summary>One received netlink message viewed in place: its header and payload.</summary>
public readonly ref struct NetlinkMessage
{
    internal NetlinkMessage(NetlinkHeader header, ReadOnlySpan<byte> payload, int offset)
    {
        Header = header;
        Payload = payload;
        Offset = offset;
    }

    /// <summary>The header.</summary>
    public NetlinkHeader Header { get; }

    /// <summary>The bytes after the header, up to <c>nlmsg_len</c>.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The offset of the header in the buffer the parse started from.</summary>
    public int Offset { get; }

    /// <summary>The message type.</summary>
    public ushort Type => Header.Type;

    /// <summary>The message flags.</summary>
    public NetlinkMessageFlags Flags => Header.Flags;

    /// <summary>The attributes after a family header of <paramref name="familyHeaderSize"/> bytes (aligned to 4).</summary>
    /// <param name="familyHeaderSize">The size of the protocol's fixed header: 16 for <c>ifinfomsg</c>, 4 for <c>genlmsghdr</c>.</param>
    /// <exception cref="FormatException">The payload is shorter than the family header.</exception>
    public NetlinkAttributeReader GetAttributes(int familyHeaderSize)
    {
        int start = NetlinkMessageBuilder.Align(familyHeaderSize);
        if (Payload.Length < familyHeaderSize)
        {
            throw new FormatException($"Netlink message type {Type} at offset {Offset} has a {Payload.Length}-byte payload, shorter than its {familyHeaderSize}-byte family header.");
        }

        return new NetlinkAttributeReader(start >= Payload.Length ? default : Payload[start..], Offset + NetlinkHeader.Size + start);
    }

    /// <summary>Decodes an <c>NLMSG_ERROR</c> message: the error (0 for an ACK) and the extended-ACK text and offset.</summary>
    /// <exception cref="InvalidOperationException">This is not an <c>NLMSG_ERROR</c> message.</exception>
    /// <exception cref="FormatException">The payload is truncated.</exception>
    public NetlinkAck GetAck()
    {
        if (Type != NetlinkMessageType.Error)
        {
            throw new InvalidOperationException($"Netlink message type {Type} is not NLMSG_ERROR ({NetlinkMessageType.Error}).");
        }

        // struct nlmsgerr: int error; struct nlmsghdr msg; then the echoed payload unless
        // NLM_F_CAPPED, then the extended-ACK TLVs when NLM_F_ACK_TLVS.
        if (Payload.Length < 4 + NetlinkHeader.Size)
        {
            throw new FormatException($"NLMSG_ERROR at offset {Offset} has a {Payload.Length}-byte payload; struct nlmsgerr needs {4 + NetlinkHeader.Size}.");
        }

        int error = BinaryPrimitives.ReadInt32LittleEndian(Payload);
        NetlinkHeader request = NetlinkHeader.Read(Payload[4..]);
        string? message = null;
        uint? attributeOffset = null;
        if ((Flags & NetlinkMessageFlags.AckTlvs) != 0)
        {
            int tlvStart = 4 + ((Flags & NetlinkMessageFlags.Capped) != 0 ? NetlinkHeader.Size : NetlinkMessageBuilder.Align((int)Math.Min(request.Length, int.MaxValue)));
            if (tlvStart > Payload.Length)
            {
                throw new FormatException($"NLMSG_ERROR at offset {Offset} claims an echoed request of {request.Length} bytes but its payload is {Payload.Length} bytes.");
            }

            foreach (NetlinkAttribute attribute in new NetlinkAttributeReader(Payload[tlvStart..], Offset + NetlinkHeader.Size + tlvStart))
            {
                if (attribute.Type == NLMSGERR_ATTR_MSG)
                {
                    message = attribute.GetString();
                }
                else if (attribute.Type == NLMSGERR_ATTR_OFFS)
                {
                    attributeOffset = attribute.GetU32();
                }
            }
        }

        return new NetlinkAck(-error, request.Sequence, message, attributeOffset);
    }

    /// <summary>Enumerates the messages in a received datagram.</summary>
    /// <param name="datagram">The bytes <c>recv</c> returned.</param>
    public static NetlinkMessageReader Enumerate(ReadOnlySpan<byte> datagram) => new(datagram);
}

/// <summary>A decoded <c>NLMSG_ERROR</c>: an acknowledgement when <see cref="ErrorNumber"/> is 0.</summary>
/// <param name="ErrorNumber">The positive errno, or 0 for success.</param>
/// <param name="Sequence">The sequence number of the request it answers.</param>
/// <param name="Message">The kernel's extended-ACK text (<c>NLMSGERR_ATTR_MSG</c>), if any.</param>
/// <param name="AttributeOffset">The offset in the request of the attribute the kernel blamed (<c>NLMSGERR_ATTR_OFFS</c>), if any.</param>
public readonly record struct NetlinkAck(int ErrorNumber, uint Sequence, string? Message, uint? AttributeOffset)
{
    /// <summary>Whether this is a success acknowledgement.</summary>
    public bool IsSuccess => ErrorNumber == 0;

    /// <summary>Builds the exception for a failed request.</summary>
    /// <param name="operation">The operation, e.g. <c>RTM_NEWLINK</c>.</param>
    /// <param name="target">What the request was about (an interface name), if anything.</param>
    public BusException ToException(string operation, string? target = null) => new(ErrorNumber, operation, target, Message);
}

/// <summary>
/// Enumerates netlink messages in a datagram (use in <c>foreach</c>). A header whose length is below
/// 16 or runs past the datagram throws a <see cref="FormatException"/> naming offset and length.
/// </summary>
public ref struct NetlinkMessageReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;
    private NetlinkMessage _current;

    /// <summary>Starts reading <paramref name="datagram"/>.</summary>
    /// <param name="datagram">One or more messages.</param>
    public NetlinkMessageReader(ReadOnlySpan<byte> datagram)
    {
        _buffer = datagram;
        _position = 0;
        _current = default;
    }

    /// <summary>The message the last <see cref="MoveNext"/> reached.</summary>
    public readonly NetlinkMessage Current => _current;

    /// <summary>Returns this reader (for <c>foreach</c>).</summary>
    public readonly NetlinkMessageReader GetEnumerator() => this;

    /// <summary>Moves to the next message.</summary>
    /// <returns><see langword="false"/> at the end of the datagram.</returns>
    /// <exception cref="FormatException">A truncated or inconsistent message.</exception>
    public bool MoveNext()
    {
        int remaining = _buffer.Length - _position;
        if (remaining <= 0)
        {
            return false;
        }

        if (remaining < NetlinkHeader.Size)
        {
            throw new FormatException($"Netlink message at offset {_position} is truncated: {remaining} byte(s) remain, a header needs {NetlinkHeader.Size}.");
        }

        NetlinkHeader header = NetlinkHeader.Read(_buffer[_position..]);
        if (header.Length < NetlinkHeader.Size)
        {
            throw new FormatException($"Netlink message at offset {_position} has nlmsg_len {header.Length}, below the {NetlinkHeader.Size}-byte header.");
        }

        if (header.Length > (uint)remaining)
        {
            throw new FormatException($"Netlink message at offset {_position} has nlmsg_len {header.Length} but only {remaining} byte(s) remain.");
        }

        int length = (int)header.Length;
        _current = new NetlinkMessage(header, _buffer.Slice(_position + NetlinkHeader.Size, length - NetlinkHeader.Size), _position);
        _position = Math.Min(_buffer.Length, _position + NetlinkMessageBuilder.Align(length));
        return true;
    }
}
