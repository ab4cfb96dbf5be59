using System.Runtime.InteropServices;

namespace Buses;

/// <summary>
/// Fixed slots of native memory for many messages per system call (<c>recvmmsg</c>/<c>sendmmsg</c>):
/// each slot has a data buffer, a control buffer and an address buffer. Allocated once; reused by
/// every batch call, so a batched receive or send loop allocates nothing.
/// </summary>
public sealed unsafe class MessageBatch : IDisposable
{
    private readonly Interop.mmsghdr* _headers;
    private readonly Interop.iovec* _iov;
    private readonly byte* _memory;
    private readonly int _slotSize;
    private bool _disposed;

    /// <summary>Allocates <paramref name="capacity"/> slots.</summary>
    /// <param name="capacity">Messages per call, 1 to 1024 (UIO_MAXIOV).</param>
    /// <param name="bufferSize">Data bytes per message, 1 or more (72 holds a CAN FD frame).</param>
    /// <param name="controlSize">Ancillary bytes per message, 0 or more (see <see cref="ControlMessage.Space"/>).</param>
    /// <param name="addressSize">Address bytes per message, 0 to 128.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size outside its range.</exception>
    public MessageBatch(int capacity, int bufferSize, int controlSize = 0, int addressSize = RawSocketAddress.MaxSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(controlSize);
        ArgumentOutOfRangeException.ThrowIfNegative(addressSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(addressSize, RawSocketAddress.MaxSize);
        Capacity = capacity;
        BufferSize = bufferSize;
        ControlSize = ControlMessage.Align(controlSize);
        AddressSize = addressSize;
        _slotSize = ControlMessage.Align(bufferSize) + ControlSize + ControlMessage.Align(addressSize);
        _headers = (Interop.mmsghdr*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(Interop.mmsghdr));
        _iov = (Interop.iovec*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(Interop.iovec));
        _memory = (byte*)NativeMemory.AlignedAlloc((nuint)(capacity * _slotSize), 16);
        NativeMemory.Clear(_memory, (nuint)(capacity * _slotSize));
        for (int i = 0; i < capacity; i++)
        {
            _iov[i] = new Interop.iovec { iov_base = Slot(i), iov_len = (nuint)bufferSize };
            _headers[i].msg_hdr.msg_iov = &_iov[i];
            _headers[i].msg_hdr.msg_iovlen = 1;
        }
    }

    /// <summary>The number of slots.</summary>
    public int Capacity { get; }

    /// <summary>Data bytes per slot.</summary>
    public int BufferSize { get; }

    /// <summary>Control bytes per slot (rounded up to the ABI's alignment).</summary>
    public int ControlSize { get; }

    /// <summary>Address bytes per slot.</summary>
    public int AddressSize { get; }

    /// <summary>The whole data buffer of slot <paramref name="index"/>, for filling before a send.</summary>
    /// <param name="index">The slot.</param>
    /// <returns>The buffer.</returns>
    public Span<byte> Buffer(int index) => new(Slot(Check(index)), BufferSize);

    /// <summary>The data slot <paramref name="index"/> received, or was set to send.</summary>
    /// <param name="index">The slot.</param>
    /// <returns>The data.</returns>
    public ReadOnlySpan<byte> Data(int index) => new(Slot(Check(index)), (int)Math.Min(_headers[index].msg_len, (uint)BufferSize));

    /// <summary>The length the kernel reported for slot <paramref name="index"/> (larger than <see cref="BufferSize"/> only if truncated with MSG_TRUNC).</summary>
    /// <param name="index">The slot.</param>
    /// <returns>The length.</returns>
    public int Length(int index) => (int)_headers[Check(index)].msg_len;

    /// <summary>The ancillary data slot <paramref name="index"/> received; enumerate it with <see cref="ControlMessage.Parse"/>.</summary>
    /// <param name="index">The slot.</param>
    /// <returns>The control bytes.</returns>
    public ReadOnlySpan<byte> Control(int index) =>
        new(Slot(Check(index)) + ControlMessage.Align(BufferSize), (int)Math.Min(_headers[index].msg_hdr.msg_controllen, (nuint)ControlSize));

    /// <summary>The sender's <c>sockaddr</c> bytes of slot <paramref name="index"/>.</summary>
    /// <param name="index">The slot.</param>
    /// <returns>The address bytes.</returns>
    public ReadOnlySpan<byte> Address(int index) =>
        new(AddressPointer(Check(index)), (int)Math.Min(_headers[index].msg_hdr.msg_namelen, (uint)AddressSize));

    /// <summary>The kernel's message flags of slot <paramref name="index"/> (MSG_CONFIRM, MSG_DONTROUTE, MSG_TRUNC, …).</summary>
    /// <param name="index">The slot.</param>
    /// <returns>The flags.</returns>
    public MessageFlags Flags(int index) => (MessageFlags)_headers[Check(index)].msg_hdr.msg_flags;

    /// <summary>Sets how many bytes of slot <paramref name="index"/>'s buffer to send.</summary>
    /// <param name="index">The slot.</param>
    /// <param name="length">0 to <see cref="BufferSize"/>.</param>
    public void SetLength(int index, int length)
    {
        Check(index);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, BufferSize);
        _iov[index].iov_len = (nuint)length;
        _headers[index].msg_len = (uint)length;
    }

    /// <summary>Copies <paramref name="data"/> into slot <paramref name="index"/> for sending.</summary>
    /// <param name="index">The slot.</param>
    /// <param name="data">At most <see cref="BufferSize"/> bytes.</param>
    public void SetData(int index, ReadOnlySpan<byte> data)
    {
        if (data.Length > BufferSize)
        {
            throw new ArgumentException($"{data.Length} bytes do not fit a batch slot of {BufferSize} bytes.", nameof(data));
        }

        data.CopyTo(Buffer(index));
        SetLength(index, data.Length);
    }

    /// <summary>Sets the destination of slot <paramref name="index"/> for sending, or clears it with an empty span.</summary>
    /// <param name="index">The slot.</param>
    /// <param name="sockaddr">The <c>sockaddr</c> bytes, at most <see cref="AddressSize"/>.</param>
    public void SetAddress(int index, ReadOnlySpan<byte> sockaddr)
    {
        Check(index);
        if (sockaddr.Length > AddressSize)
        {
            throw new ArgumentException($"A {sockaddr.Length}-byte address does not fit a batch slot's {AddressSize} bytes.", nameof(sockaddr));
        }

        sockaddr.CopyTo(new Span<byte>(AddressPointer(index), AddressSize));
        _headers[index].msg_hdr.msg_name = sockaddr.IsEmpty ? null : AddressPointer(index);
        _headers[index].msg_hdr.msg_namelen = (uint)sockaddr.Length;
    }

    /// <summary>Frees the native memory.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        NativeMemory.Free(_headers);
        NativeMemory.Free(_iov);
        NativeMemory.AlignedFree(_memory);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the native memory if <see cref="Dispose"/> was not called.</summary>
    ~MessageBatch() => Dispose();

    /// <summary>Resets slot lengths before a receive: the kernel overwrote them on the previous call.</summary>
    internal Interop.mmsghdr* PrepareReceive(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (int i = 0; i < count; i++)
        {
            ref Interop.msghdr h = ref _headers[i].msg_hdr;
            _iov[i].iov_len = (nuint)BufferSize;
            h.msg_name = AddressSize == 0 ? null : AddressPointer(i);
            h.msg_namelen = (uint)AddressSize;
            h.msg_control = ControlSize == 0 ? null : Slot(i) + ControlMessage.Align(BufferSize);
            h.msg_controllen = (nuint)ControlSize;
            h.msg_flags = 0;
            _headers[i].msg_len = 0;
        }

        return _headers;
    }

    internal Interop.mmsghdr* PrepareSend(int start)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _headers + start;
    }

    internal void CheckCount(int count, string parameterName)
    {
        if (count < 1 || count > Capacity)
        {
            throw new ArgumentOutOfRangeException(parameterName, count, $"A batch call takes 1 to {Capacity} messages (the batch's capacity).");
        }
    }

    private byte* Slot(int index) => _memory + ((nint)index * _slotSize);

    private byte* AddressPointer(int index) => Slot(index) + ControlMessage.Align(BufferSize) + ControlSize;

    private int Check(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)index >= (uint)Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Slot index must be 0 to {Capacity - 1}.");
        }

        return index;
    }
}
