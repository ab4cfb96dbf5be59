using System.Buffers;
using static Buses.Interop.Constants;

namespace Buses;

public sealed unsafe partial class BusSocket
{
    /// <summary>The largest scatter/gather list one message may have (IOV_MAX).</summary>
    public const int MaxBuffersPerMessage = 1024;

    /// <summary>Receives one message with its ancillary data and sender (<c>recvmsg</c>).</summary>
    /// <param name="buffer">The data destination.</param>
    /// <param name="control">The ancillary-data destination; size it with <see cref="ControlMessage.Space"/>. Empty for none.</param>
    /// <param name="address">The sender's <c>sockaddr</c> destination (128 bytes holds any). Empty for none.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <returns>The lengths filled and the kernel's message flags.</returns>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    public ReceivedMessage ReceiveMessage(Span<byte> buffer, Span<byte> control = default, Span<byte> address = default, MessageFlags flags = MessageFlags.None)
    {
        fixed (byte* b = buffer)
        {
            Interop.iovec iov = new() { iov_base = b, iov_len = (nuint)buffer.Length };
            var call = new MessageCall(&iov, 1, control, address, (int)flags, send: false);
            int length = (int)Run(ref call, POLLIN, "recvmsg");
            return call.Result(length);
        }
    }

    /// <summary>Receives one message scattered over several buffers (<c>recvmsg</c> with an iovec list).</summary>
    /// <param name="buffers">The buffers, filled in order; at most <see cref="MaxBuffersPerMessage"/>.</param>
    /// <param name="control">The ancillary-data destination, or empty.</param>
    /// <param name="address">The sender's <c>sockaddr</c> destination, or empty.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <returns>The lengths filled and the kernel's message flags.</returns>
    public ReceivedMessage ReceiveMessage(ReadOnlySpan<Memory<byte>> buffers, Span<byte> control = default, Span<byte> address = default, MessageFlags flags = MessageFlags.None) =>
        TransferVector(AsReadOnly(buffers), control, address, (int)flags, send: false);

    /// <summary>Sends one message with ancillary data, optionally to an address (<c>sendmsg</c>).</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="control">Ancillary data built with <see cref="ControlMessageWriter"/>, or empty.</param>
    /// <param name="address">The destination's <c>sockaddr</c> bytes (see <see cref="ISocketAddress.Encode"/>), or empty on a connected socket.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <returns>The number of bytes sent.</returns>
    public int SendMessage(ReadOnlySpan<byte> data, ReadOnlySpan<byte> control = default, ReadOnlySpan<byte> address = default, MessageFlags flags = MessageFlags.None)
    {
        fixed (byte* d = data)
        {
            Interop.iovec iov = new() { iov_base = d, iov_len = (nuint)data.Length };
            var call = new MessageCall(&iov, 1, AsWritable(control), AsWritable(address), (int)flags, send: true);
            return (int)Run(ref call, POLLOUT, "sendmsg");
        }
    }

    /// <summary>Sends one message gathered from several buffers (<c>sendmsg</c> with an iovec list).</summary>
    /// <param name="buffers">The buffers, sent in order; at most <see cref="MaxBuffersPerMessage"/>.</param>
    /// <param name="control">Ancillary data, or empty.</param>
    /// <param name="address">The destination's <c>sockaddr</c> bytes, or empty.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <returns>The number of bytes sent.</returns>
    public int SendMessage(ReadOnlySpan<ReadOnlyMemory<byte>> buffers, ReadOnlySpan<byte> control = default, ReadOnlySpan<byte> address = default, MessageFlags flags = MessageFlags.None) =>
        TransferVector(buffers, AsWritable(control), AsWritable(address), (int)flags, send: true).Length;

    private ReceivedMessage TransferVector(ReadOnlySpan<ReadOnlyMemory<byte>> buffers, Span<byte> control, Span<byte> address, int flags, bool send)
    {
        CheckBufferCount(buffers.Length);
        MemoryHandle[] pins = ArrayPool<MemoryHandle>.Shared.Rent(buffers.Length);
        try
        {
            Interop.iovec* iov = stackalloc Interop.iovec[buffers.Length];
            for (int i = 0; i < buffers.Length; i++)
            {
                pins[i] = buffers[i].Pin();
                iov[i] = new Interop.iovec { iov_base = pins[i].Pointer, iov_len = (nuint)buffers[i].Length };
            }

            var call = new MessageCall(iov, buffers.Length, control, address, flags, send);
            int length = (int)Run(ref call, send ? POLLOUT : POLLIN, send ? "sendmsg" : "recvmsg");
            return call.Result(length);
        }
        finally
        {
            Unpin(pins, buffers.Length);
        }
    }

    // Memory<T> and ReadOnlyMemory<T> share one layout; the kernel writes through either pin.
    private static ReadOnlySpan<ReadOnlyMemory<byte>> AsReadOnly(ReadOnlySpan<Memory<byte>> buffers) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(
            ref System.Runtime.CompilerServices.Unsafe.As<Memory<byte>, ReadOnlyMemory<byte>>(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(buffers)), buffers.Length);

    private static void CheckBufferCount(int count)
    {
        if (count is < 1 or > MaxBuffersPerMessage)
        {
            throw new ArgumentOutOfRangeException("buffers", count, $"A message takes 1 to {MaxBuffersPerMessage} buffers.");
        }
    }

    private static void Unpin(MemoryHandle[] pins, int count)
    {
        for (int i = 0; i < count; i++)
        {
            pins[i].Dispose();
        }

        ArrayPool<MemoryHandle>.Shared.Return(pins, clearArray: true);
    }

    // sendmsg takes its control and name through the same non-const msghdr fields recvmsg fills;
    // the kernel only reads them on send.
    private static Span<byte> AsWritable(ReadOnlySpan<byte> span) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span), span.Length);

    internal ref struct MessageCall : ISocketCall
    {
        private readonly Interop.iovec* _iov;
        private readonly int _iovCount;
        private readonly Span<byte> _control;
        private readonly Span<byte> _address;
        private readonly int _flags;
        private readonly bool _send;
        private Interop.msghdr _header;

        internal MessageCall(Interop.iovec* iov, int iovCount, Span<byte> control, Span<byte> address, int flags, bool send)
        {
            _iov = iov;
            _iovCount = iovCount;
            _control = control;
            _address = address;
            _flags = send ? flags | MSG_NOSIGNAL : flags;
            _send = send;
        }

        public nint Invoke(BusSocketHandle handle)
        {
            fixed (byte* c = _control)
            fixed (byte* a = _address)
            fixed (Interop.msghdr* header = &_header)
            {
                *header = new Interop.msghdr
                {
                    msg_name = _address.IsEmpty ? null : a,
                    msg_namelen = (uint)_address.Length,
                    msg_iov = _iov,
                    msg_iovlen = (nuint)_iovCount,
                    msg_control = _control.IsEmpty ? null : c,
                    msg_controllen = (nuint)_control.Length,
                };
                return _send ? Interop.Libc.sendmsg(handle, header, _flags) : Interop.Libc.recvmsg(handle, header, _flags);
            }
        }

        internal readonly ReceivedMessage Result(int length) =>
            new(length, (int)_header.msg_controllen, (int)Math.Min(_header.msg_namelen, (uint)_address.Length), (MessageFlags)_header.msg_flags);
    }
}
