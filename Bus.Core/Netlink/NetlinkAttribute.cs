using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using static Buses.Netlink.Interop.NetlinkConstants;

namespace Buses.Netlink;

/// <summary>
/// One attribute (<c>struct nlattr</c> + payload) of a received message, viewed in place. Typed getters
/// check the payload length and throw a <see cref="FormatException"/> naming the attribute and its offset.
/// </summary>
public readonly ref struct NetlinkAttribute
{
    private readonly ushort _rawType;

    internal NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> payload, int offset)
    {
        _rawType = rawType;
        Payload = payload;
        Offset = offset;
    }

    /// <summary>The attribute type without the <c>NLA_F_NESTED</c>/<c>NLA_F_NET_BYTEORDER</c> bits.</summary>
    public ushort Type => (ushort)(_rawType & NLA_TYPE_MASK);

    /// <summary>The type field as sent, flag bits included.</summary>
    public ushort RawType => _rawType;

    /// <summary>Whether the sender set <c>NLA_F_NESTED</c>.</summary>
    public bool HasNestedFlag => (_rawType & NLA_F_NESTED) != 0;

    /// <summary>Whether the sender set <c>NLA_F_NET_BYTEORDER</c>.</summary>
    public bool IsNetworkByteOrder => (_rawType & NLA_F_NET_BYTEORDER) != 0;

    /// <summary>The payload, without header or padding.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The offset of the attribute header in the buffer the parse started from (for error messages).</summary>
    public int Offset { get; }

    /// <summary>The payload as an 8-bit value.</summary>
    public byte GetU8() => Need(1)[0];

    /// <summary>The payload as a 16-bit value (host order, or network order when <see cref="IsNetworkByteOrder"/>).</summary>
    public ushort GetU16() => IsNetworkByteOrder ? BinaryPrimitives.ReadUInt16BigEndian(Need(2)) : BinaryPrimitives.ReadUInt16LittleEndian(Need(2));

    /// <summary>The payload as a 32-bit value (host order, or network order when <see cref="IsNetworkByteOrder"/>).</summary>
    public uint GetU32() => IsNetworkByteOrder ? BinaryPrimitives.ReadUInt32BigEndian(Need(4)) : BinaryPrimitives.ReadUInt32LittleEndian(Need(4));

    /// <summary>The payload as a signed 32-bit value in host order.</summary>
    public int GetS32() => BinaryPrimitives.ReadInt32LittleEndian(Need(4));

    /// <summary>The payload as a 64-bit value in host order.</summary>
    public ulong GetU64() => BinaryPrimitives.ReadUInt64LittleEndian(Need(8));

    /// <summary>The payload as a UTF-8 string; a terminating NUL (and anything after it) is dropped.</summary>
    public string GetString()
    {
        ReadOnlySpan<byte> bytes = Payload;
        int nul = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? bytes[..nul] : bytes);
    }

    /// <summary>The payload as a blittable struct with the kernel's layout.</summary>
    /// <typeparam name="T">The struct type.</typeparam>
    /// <remarks>A payload longer than the struct is accepted: newer kernels append fields.</remarks>
    public T GetStruct<T>() where T : unmanaged => MemoryMarshal.Read<T>(Need(System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));

    /// <summary>The payload parsed as nested attributes.</summary>
    public NetlinkAttributeReader GetNested() => new(Payload, Offset + NLA_HDRLEN);

    private ReadOnlySpan<byte> Need(int size)
    {
        if (Payload.Length < size)
        {
            throw new FormatException($"Netlink attribute type {Type} at offset {Offset} has a {Payload.Length}-byte payload; {size} bytes are needed.");
        }

        return Payload;
    }
}

/// <summary>
/// Enumerates the attributes in a span (use in <c>foreach</c>). Malformed input — a length below 4
/// or past the end — throws a <see cref="FormatException"/> naming the offset and the lengths; it
/// never reads outside the span.
/// </summary>
public ref struct NetlinkAttributeReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly int _baseOffset;
    private int _position;
    private NetlinkAttribute _current;

    /// <summary>Starts reading attributes from <paramref name="attributes"/>.</summary>
    /// <param name="attributes">A sequence of aligned attributes.</param>
    /// <param name="baseOffset">The offset of <paramref name="attributes"/> in a larger buffer, for error messages.</param>
    public NetlinkAttributeReader(ReadOnlySpan<byte> attributes, int baseOffset = 0)
    {
        _buffer = attributes;
        _baseOffset = baseOffset;
        _position = 0;
        _current = default;
    }

    /// <summary>The attribute the last <see cref="MoveNext"/> reached.</summary>
    public readonly NetlinkAttribute Current => _current;

    /// <summary>Returns this reader (for <c>foreach</c>).</summary>
    public readonly NetlinkAttributeReader GetEnumerator() => this;

    /// <summary>Moves to the next attribute.</summary>
    /// <returns><see langword="false"/> at the end.</returns>
    /// <exception cref="FormatException">The attribute at the current position is truncated or has a bad length.</exception>
    public bool MoveNext()
    {
        int remaining = _buffer.Length - _position;
        if (remaining <= 0)
        {
            return false;
        }

        int offset = _baseOffset + _position;
        if (remaining < NLA_HDRLEN)
        {
            throw new FormatException($"Netlink attribute at offset {offset} is truncated: {remaining} byte(s) remain, a header needs {NLA_HDRLEN}.");
        }

        ushort length = BinaryPrimitives.ReadUInt16LittleEndian(_buffer[_position..]);
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(_buffer[(_position + 2)..]);
        if (length < NLA_HDRLEN)
        {
            throw new FormatException($"Netlink attribute type {type & NLA_TYPE_MASK} at offset {offset} has length {length}, below the {NLA_HDRLEN}-byte header.");
        }

        if (length > remaining)
        {
            throw new FormatException($"Netlink attribute type {type & NLA_TYPE_MASK} at offset {offset} has length {length} but only {remaining} byte(s) remain.");
        }

        _current = new NetlinkAttribute(type, _buffer.Slice(_position + NLA_HDRLEN, length - NLA_HDRLEN), offset);
        // The last attribute's padding may be missing (the kernel trims it from message ends).
        _position = Math.Min(_buffer.Length, _position + NetlinkMessageBuilder.Align(length));
        return true;
    }

    /// <summary>Finds the first attribute of <paramref name="type"/> (flag bits ignored), reading from the start.</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="attribute">The attribute, when found.</param>
    /// <returns>Whether it was found.</returns>
    public readonly bool TryFind(ushort type, out NetlinkAttribute attribute)
    {
        var reader = new NetlinkAttributeReader(_buffer, _baseOffset);
        while (reader.MoveNext())
        {
            if (reader.Current.Type == type)
            {
                attribute = reader.Current;
                return true;
            }
        }

        attribute = default;
        return false;
    }

    /// <summary>Reads every attribute to the end, so a malformed one throws now rather than later.</summary>
    /// <returns>The number of attributes.</returns>
    public readonly int Validate()
    {
        var reader = new NetlinkAttributeReader(_buffer, _baseOffset);
        int count = 0;
        while (reader.MoveNext())
        {
            count++;
        }

        return count;
    }
}
