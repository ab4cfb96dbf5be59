using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Buses;

/// <summary>
/// One ancillary-data message (<c>struct cmsghdr</c> and its payload) inside a control buffer that
/// <see cref="BusSocket.ReceiveMessage(Span{byte}, Span{byte}, Span{byte}, MessageFlags)"/> filled.
/// Enumerate a buffer with <see cref="Parse"/>; nothing is allocated.
/// </summary>
public readonly ref struct ControlMessage
{
    // cmsg data is aligned to sizeof(size_t): 8 on 64-bit ABIs, 4 on armhf.
    private static readonly int s_align = nint.Size;
    private static readonly int s_headerSize = Align(nint.Size + 8);

    internal ControlMessage(int level, int type, ReadOnlySpan<byte> data)
    {
        Level = level;
        Type = type;
        Data = data;
    }

    /// <summary>The level (<c>cmsg_level</c>), e.g. <see cref="SocketLevel.Socket"/>.</summary>
    public int Level { get; }

    /// <summary>The type (<c>cmsg_type</c>), e.g. <see cref="ControlMessageType.TimestampNanoseconds"/> or <see cref="ControlMessageType.Rights"/>.</summary>
    public int Type { get; }

    /// <summary>The payload.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>CMSG_SPACE: the control-buffer bytes one message with <paramref name="dataLength"/> payload bytes takes, padding included.</summary>
    /// <param name="dataLength">The payload length.</param>
    /// <returns>The space.</returns>
    public static int Space(int dataLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dataLength);
        return s_headerSize + Align(dataLength);
    }

    /// <summary>CMSG_LEN: the <c>cmsg_len</c> value for <paramref name="dataLength"/> payload bytes (header plus payload, no trailing padding).</summary>
    /// <param name="dataLength">The payload length.</param>
    /// <returns>The length.</returns>
    public static int Length(int dataLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dataLength);
        return s_headerSize + dataLength;
    }

    /// <summary>Enumerates the messages of a received control buffer.</summary>
    /// <param name="control">The buffer, cut to <see cref="ReceivedMessage.ControlLength"/>.</param>
    /// <returns>An allocation-free enumerator.</returns>
    public static Enumerator Parse(ReadOnlySpan<byte> control) => new(control);

    /// <summary>The SO_TIMESTAMPNS timestamp this message carries.</summary>
    /// <param name="timestamp">The timestamp.</param>
    /// <returns>Whether this is an SO_TIMESTAMPNS message.</returns>
    public bool TryGetTimestamp(out SocketTimestamp timestamp)
    {
        timestamp = default;
        if (Level != SocketLevel.Socket || Type != ControlMessageType.TimestampNanoseconds || Data.Length < 2 * nint.Size)
        {
            return false;
        }

        timestamp = ReadTimespec(Data);
        return true;
    }

    /// <summary>The SO_TIMESTAMPING timestamps this message carries (<c>struct scm_timestamping</c>).</summary>
    /// <param name="software">The software timestamp (index 0), unset when not requested.</param>
    /// <param name="hardware">The raw hardware timestamp (index 2), unset when the device has none.</param>
    /// <returns>Whether this is an SO_TIMESTAMPING message.</returns>
    public bool TryGetTimestamping(out SocketTimestamp software, out SocketTimestamp hardware)
    {
        software = hardware = default;
        int size = 2 * nint.Size;
        if (Level != SocketLevel.Socket || Type != ControlMessageType.Timestamping || Data.Length < 3 * size)
        {
            return false;
        }

        software = ReadTimespec(Data);
        hardware = ReadTimespec(Data[(2 * size)..]);
        return true;
    }

    /// <summary>The SO_RXQ_OVFL drop counter this message carries: datagrams the socket dropped since it was opened.</summary>
    /// <param name="drops">The running count.</param>
    /// <returns>Whether this is an SO_RXQ_OVFL message.</returns>
    public bool TryGetDropCount(out uint drops)
    {
        drops = 0;
        if (Level != SocketLevel.Socket || Type != ControlMessageType.ReceiveQueueOverflow || Data.Length < sizeof(uint))
        {
            return false;
        }

        drops = MemoryMarshal.Read<uint>(Data);
        return true;
    }

    /// <summary>The descriptors an SCM_RIGHTS message carries. The receiver owns them and must close them (wrap each in a <see cref="BusSocketHandle"/>).</summary>
    /// <param name="descriptors">Filled with up to its length of descriptors.</param>
    /// <param name="count">How many this message carries.</param>
    /// <returns>Whether this is an SCM_RIGHTS message.</returns>
    public bool TryGetFileDescriptors(Span<int> descriptors, out int count)
    {
        count = 0;
        if (Level != SocketLevel.Socket || Type != ControlMessageType.Rights)
        {
            return false;
        }

        ReadOnlySpan<int> fds = MemoryMarshal.Cast<byte, int>(Data);
        count = fds.Length;
        fds[..Math.Min(fds.Length, descriptors.Length)].CopyTo(descriptors);
        return true;
    }

    private static SocketTimestamp ReadTimespec(ReadOnlySpan<byte> data) => nint.Size == 8
        ? new SocketTimestamp(MemoryMarshal.Read<long>(data), MemoryMarshal.Read<long>(data[8..]))
        : new SocketTimestamp(MemoryMarshal.Read<int>(data), MemoryMarshal.Read<int>(data[4..]));

    internal static int Align(int length) => (length + s_align - 1) & ~(s_align - 1);

    internal static int HeaderSize => s_headerSize;

    /// <summary>Walks a control buffer as CMSG_FIRSTHDR/CMSG_NXTHDR do, stopping at a truncated or malformed header.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _control;
        private int _offset;
        private ControlMessage _current;

        internal Enumerator(ReadOnlySpan<byte> control)
        {
            _control = control;
            _offset = 0;
            _current = default;
        }

        /// <summary>The current message.</summary>
        public readonly ControlMessage Current => _current;

        /// <summary>This enumerator, for <c>foreach</c>.</summary>
        /// <returns>The enumerator.</returns>
        public readonly Enumerator GetEnumerator() => this;

        /// <summary>Moves to the next message.</summary>
        /// <returns>Whether there is one.</returns>
        public bool MoveNext()
        {
            if (_control.Length - _offset < s_headerSize)
            {
                return false;
            }

            ReadOnlySpan<byte> header = _control[_offset..];
            long length = nint.Size == 8 ? BinaryPrimitives.ReadInt64LittleEndian(header) : BinaryPrimitives.ReadInt32LittleEndian(header);
            if (length < s_headerSize || length > _control.Length - _offset)
            {
                return false;
            }

            int level = MemoryMarshal.Read<int>(header[nint.Size..]);
            int type = MemoryMarshal.Read<int>(header[(nint.Size + 4)..]);
            _current = new ControlMessage(level, type, header[s_headerSize..(int)length]);
            _offset += Align((int)length);
            return true;
        }
    }
}

/// <summary>Builds a control buffer for <see cref="BusSocket.SendMessage(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, MessageFlags)"/>, allocation-free.</summary>
public ref struct ControlMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _written;

    /// <summary>Writes into <paramref name="buffer"/>; size it with <see cref="ControlMessage.Space"/>.</summary>
    /// <param name="buffer">The destination.</param>
    public ControlMessageWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _written = 0;
    }

    /// <summary>The bytes written so far: pass this as the control buffer.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._written];

    /// <summary>Appends a message of any level and type.</summary>
    /// <param name="level">The level.</param>
    /// <param name="type">The type.</param>
    /// <param name="data">The payload.</param>
    /// <exception cref="ArgumentException">The buffer has no room for it.</exception>
    public void Add(int level, int type, scoped ReadOnlySpan<byte> data)
    {
        int space = ControlMessage.Space(data.Length);
        if (_buffer.Length - _written < space)
        {
            throw new ArgumentException($"The control buffer has {_buffer.Length - _written} bytes left; a message with {data.Length} payload bytes needs {space} (CMSG_SPACE).", nameof(data));
        }

        Span<byte> target = _buffer.Slice(_written, space);
        target.Clear();
        if (nint.Size == 8)
        {
            BinaryPrimitives.WriteInt64LittleEndian(target, ControlMessage.Length(data.Length));
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(target, ControlMessage.Length(data.Length));
        }

        MemoryMarshal.Write(target[nint.Size..], level);
        MemoryMarshal.Write(target[(nint.Size + 4)..], type);
        data.CopyTo(target[ControlMessage.HeaderSize..]);
        _written += space;
    }

    /// <summary>Appends an SCM_RIGHTS message passing <paramref name="descriptors"/> (UNIX sockets only).</summary>
    /// <param name="descriptors">The descriptors; the sender keeps its own copies open.</param>
    /// <exception cref="ArgumentException">Empty, or more than the kernel's limit of 253 (SCM_MAX_FD).</exception>
    public void AddFileDescriptors(scoped ReadOnlySpan<int> descriptors)
    {
        if (descriptors.Length is 0 or > 253)
        {
            throw new ArgumentException($"SCM_RIGHTS carries 1 to 253 descriptors (SCM_MAX_FD), not {descriptors.Length}.", nameof(descriptors));
        }

        Add(SocketLevel.Socket, ControlMessageType.Rights, MemoryMarshal.AsBytes(descriptors));
    }
}
