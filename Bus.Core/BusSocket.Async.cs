using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Buses.Interop.Constants;

namespace Buses;

// Async operations live in a part without the unsafe modifier: C# forbids await in unsafe code.
public sealed partial class BusSocket
{
    /// <summary>Sends data asynchronously.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The number of bytes sent.</returns>
    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> data, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        RunAsync(new SendMemoryCall(data, flags), write: true, "send", cancellationToken);

    /// <summary>Sends all of <paramref name="data"/> asynchronously, looping over partial sends.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the remaining sends.</param>
    /// <returns>A task that completes when everything was sent.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAllAsync(ReadOnlyMemory<byte> data, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        while (!data.IsEmpty)
        {
            int sent = await RunAsync(new SendMemoryCall(data, flags), write: true, "sendall", cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    /// <summary>Receives asynchronously.</summary>
    /// <param name="buffer">The destination.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the wait; disposing the socket also ends it.</param>
    /// <returns>The number of bytes received; 0 at the end of a stream.</returns>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        RunAsync(new ReceiveMemoryCall(buffer, flags), write: false, "recv", cancellationToken);

    /// <summary>Waits asynchronously until the socket is readable.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the socket is readable (or has an error or hang-up to report).</returns>
    public ValueTask WaitReadableAsync(CancellationToken cancellationToken = default) => WaitReadyAsync(write: false, cancellationToken);

    /// <summary>Waits asynchronously until the socket is writable.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the socket is writable (or has an error or hang-up to report).</returns>
    public ValueTask WaitWritableAsync(CancellationToken cancellationToken = default) => WaitReadyAsync(write: true, cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitReadyAsync(bool write, CancellationToken cancellationToken)
    {
        SocketEngine engine = Engine;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfDisposed();
            int sequence = engine.Sequence(this, write);
            if (PollNow(write ? POLLOUT : POLLIN))
            {
                return;
            }

            await engine.WaitAsync(this, write, sequence, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Like <see cref="TryRunAsync"/>, throwing the kernel's error, naming <paramref name="operation"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<int> RunAsync<TCall>(TCall call, bool write, string operation, CancellationToken cancellationToken, string? address = null)
        where TCall : struct, ISocketCall
    {
        (int errno, int result) = await TryRunAsync(call, write, cancellationToken).ConfigureAwait(false);
        return errno == 0 ? result : throw new BusException(errno, operation, address);
    }

    /// <summary>
    /// The one retry loop, async face: retries EINTR at once, waits on the engine across EAGAIN (in every
    /// mode: async calls ignore <see cref="Timeout"/> and honour their token), and returns any other kernel
    /// error as its errno. Pooled, so the steady state of a receive loop allocates nothing, even when it waits.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<(int Errno, int Result)> TryRunAsync<TCall>(TCall call, bool write, CancellationToken cancellationToken)
        where TCall : struct, ISocketCall
    {
        SocketEngine engine = Engine;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfDisposed();
            int sequence = engine.Sequence(this, write);
            nint result = engine.Invoke(this, ref call, out int errno);
            if (result >= 0)
            {
                return (0, (int)result);
            }

            if (errno == (int)Errno.EINTR)
            {
                continue;
            }

            if (errno != (int)Errno.EAGAIN)
            {
                return (errno, -1);
            }

            await engine.WaitAsync(this, write, sequence, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Receives one message with ancillary data and sender asynchronously (<c>recvmsg</c>).</summary>
    /// <param name="buffer">The data destination.</param>
    /// <param name="control">The ancillary-data destination, or empty.</param>
    /// <param name="address">The sender's <c>sockaddr</c> destination, or empty.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The lengths filled and the kernel's message flags.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReceivedMessage> ReceiveMessageAsync(Memory<byte> buffer, Memory<byte> control = default, Memory<byte> address = default, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        // One box per socket serves the usual single receiver without allocating.
        MessageResultBox result = Interlocked.Exchange(ref _messageBox, null) ?? new MessageResultBox();
        try
        {
            await RunAsync(new MemoryMessageCall(buffer, control, address, (int)flags, send: false, result), write: false, "recvmsg", cancellationToken).ConfigureAwait(false);
            return result.Message;
        }
        finally
        {
            _messageBox = result;
        }
    }

    /// <summary>Sends one message with ancillary data asynchronously (<c>sendmsg</c>).</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="control">Ancillary data, or empty.</param>
    /// <param name="address">The destination's <c>sockaddr</c> bytes, or empty.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The number of bytes sent.</returns>
    public ValueTask<int> SendMessageAsync(ReadOnlyMemory<byte> data, ReadOnlyMemory<byte> control = default, ReadOnlyMemory<byte> address = default, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        RunAsync(new MemoryMessageCall(MemoryMarshal.AsMemory(data), MemoryMarshal.AsMemory(control), MemoryMarshal.AsMemory(address), (int)flags, send: true, null), write: true, "sendmsg", cancellationToken);

    /// <summary>Receives one message scattered over several buffers asynchronously (<c>recvmsg</c> with an iovec list).</summary>
    /// <param name="buffers">The buffers, filled in order; at most <see cref="MaxBuffersPerMessage"/>.</param>
    /// <param name="control">The ancillary-data destination, or empty.</param>
    /// <param name="address">The sender's <c>sockaddr</c> destination, or empty.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The lengths filled and the kernel's message flags.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReceivedMessage> ReceiveMessageAsync(ReadOnlyMemory<Memory<byte>> buffers, Memory<byte> control = default, Memory<byte> address = default, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        CheckBufferCount(buffers.Length);
        MessageResultBox result = Interlocked.Exchange(ref _messageBox, null) ?? new MessageResultBox();
        try
        {
            ReadOnlyMemory<ReadOnlyMemory<byte>> asReadOnly = Unsafe.As<ReadOnlyMemory<Memory<byte>>, ReadOnlyMemory<ReadOnlyMemory<byte>>>(ref buffers);
            await RunAsync(new VectorMessageCall(asReadOnly, control, address, (int)flags, send: false, result), write: false, "recvmsg", cancellationToken).ConfigureAwait(false);
            return result.Message;
        }
        finally
        {
            _messageBox = result;
        }
    }

    /// <summary>Sends one message gathered from several buffers asynchronously (<c>sendmsg</c> with an iovec list).</summary>
    /// <param name="buffers">The buffers, sent in order; at most <see cref="MaxBuffersPerMessage"/>.</param>
    /// <param name="control">Ancillary data, or empty.</param>
    /// <param name="address">The destination's <c>sockaddr</c> bytes, or empty.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The number of bytes sent.</returns>
    public ValueTask<int> SendMessageAsync(ReadOnlyMemory<ReadOnlyMemory<byte>> buffers, ReadOnlyMemory<byte> control = default, ReadOnlyMemory<byte> address = default, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        CheckBufferCount(buffers.Length);
        return RunAsync(new VectorMessageCall(buffers, MemoryMarshal.AsMemory(control), MemoryMarshal.AsMemory(address), (int)flags, send: true, null), write: true, "sendmsg", cancellationToken);
    }

    // Pins the buffers for one attempt only: nothing stays pinned while the call waits for readiness.
    private readonly unsafe struct VectorMessageCall(ReadOnlyMemory<ReadOnlyMemory<byte>> buffers, Memory<byte> control, Memory<byte> address, int flags, bool send, MessageResultBox? result) : ISocketCall
    {
        public nint Invoke(BusSocketHandle handle)
        {
            ReadOnlySpan<ReadOnlyMemory<byte>> list = buffers.Span;
            System.Buffers.MemoryHandle[] pins = System.Buffers.ArrayPool<System.Buffers.MemoryHandle>.Shared.Rent(list.Length);
            try
            {
                Interop.iovec* iov = stackalloc Interop.iovec[list.Length];
                for (int i = 0; i < list.Length; i++)
                {
                    pins[i] = list[i].Pin();
                    iov[i] = new Interop.iovec { iov_base = pins[i].Pointer, iov_len = (nuint)list[i].Length };
                }

                var call = new MessageCall(iov, list.Length, control.Span, address.Span, flags, send);
                nint n = call.Invoke(handle);
                if (n >= 0 && result is not null)
                {
                    result.Message = call.Result((int)n);
                }

                return n;
            }
            finally
            {
                Unpin(pins, list.Length);
            }
        }
    }

    /// <summary>Receives a batch asynchronously (<c>recvmmsg</c>): waits for the first message, then takes what is queued.</summary>
    /// <param name="batch">The slots to fill.</param>
    /// <param name="count">The most messages to take; by default the batch's capacity.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The number of messages received.</returns>
    public ValueTask<int> ReceiveBatchAsync(MessageBatch batch, int count = 0, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        count = count == 0 ? batch.Capacity : count;
        batch.CheckCount(count, nameof(count));
        return RunAsync(new BatchCall(batch, count, (int)flags, send: false), write: false, "recvmmsg", cancellationToken);
    }

    /// <summary>Sends the first <paramref name="count"/> slots asynchronously (<c>sendmmsg</c>), waiting for room as needed.</summary>
    /// <param name="batch">The slots.</param>
    /// <param name="count">How many slots to send.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the remaining sends.</param>
    /// <returns>A task that completes when all were sent.</returns>
    /// <exception cref="BusException">The kernel refused a message; the ones before it went out.</exception>
    public async ValueTask SendBatchAsync(MessageBatch batch, int count, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        (Errno errno, _) = await TrySendBatchAsync(batch, 0, count, flags, cancellationToken).ConfigureAwait(false);
        if (errno != Errno.None)
        {
            throw new BusException((int)errno, "sendmmsg");
        }
    }

    /// <summary>The async twin of <see cref="TrySendBatch"/>: sends until done or until a kernel error other than EAGAIN, which it returns.</summary>
    /// <param name="batch">The slots.</param>
    /// <param name="start">The first slot to send.</param>
    /// <param name="count">How many slots to send from <paramref name="start"/>.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The error that stopped the batch (<see cref="Errno.None"/> when all were sent) and how many went out.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<(Errno Errno, int Sent)> TrySendBatchAsync(MessageBatch batch, int start, int count, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        CheckSendBatch(batch, start, count);
        int sent = 0;
        while (sent < count)
        {
            (int errno, int n) = await TryRunAsync(new BatchCall(batch, count - sent, (int)flags, send: true, start: start + sent), write: true, cancellationToken).ConfigureAwait(false);
            if (errno != 0)
            {
                return ((Errno)errno, sent);
            }

            sent += n;
        }

        return (Errno.None, sent);
    }

    // Carries recvmsg's output fields out of the call struct, which RunAsync holds by value.
    private MessageResultBox? _messageBox = new();

    private sealed class MessageResultBox
    {
        internal ReceivedMessage Message;
    }

    private readonly unsafe struct MemoryMessageCall(Memory<byte> data, Memory<byte> control, Memory<byte> address, int flags, bool send, MessageResultBox? result) : ISocketCall
    {
        public nint Invoke(BusSocketHandle handle)
        {
            fixed (byte* d = data.Span)
            {
                Interop.iovec iov = new() { iov_base = d, iov_len = (nuint)data.Length };
                var call = new MessageCall(&iov, 1, control.Span, address.Span, flags, send);
                nint n = call.Invoke(handle);
                if (n >= 0 && result is not null)
                {
                    result.Message = call.Result((int)n);
                }

                return n;
            }
        }
    }

    /// <summary>Connects asynchronously, waiting for a stream connection to complete.</summary>
    /// <typeparam name="TAddress">The address type.</typeparam>
    /// <param name="address">The peer.</param>
    /// <param name="cancellationToken">Cancels the wait; the half-open connection is left to <see cref="Dispose"/>.</param>
    /// <returns>A task that completes when connected.</returns>
    /// <exception cref="BusException">The connection failed; the exception names the address.</exception>
    public async ValueTask ConnectAsync<TAddress>(TAddress address, CancellationToken cancellationToken = default) where TAddress : ISocketAddress
    {
        Errno result = await TryConnectAsync(address, cancellationToken).ConfigureAwait(false);
        if (result != Errno.None)
        {
            throw new BusException((int)result, "connect", address.ToString());
        }
    }

    /// <summary>Connects like <see cref="ConnectAsync{TAddress}(TAddress, CancellationToken)"/> but returns the errno instead of throwing it (Python's <c>connect_ex</c>).</summary>
    /// <typeparam name="TAddress">The address type.</typeparam>
    /// <param name="address">The peer.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see cref="Errno.None"/> on success, else the kernel's errno.</returns>
    public async ValueTask<Errno> TryConnectAsync<TAddress>(TAddress address, CancellationToken cancellationToken = default) where TAddress : ISocketAddress
    {
        SocketEngine engine = Engine;
        int sequence = engine.Sequence(this, write: true);
        int errno = StartConnect(address);

        // A full UNIX backlog gives EAGAIN with nothing to wait on (see TryConnect): retry after a pause.
        while (errno == (int)Errno.EAGAIN && Family == SocketFamily.Unix)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            errno = StartConnect(address);
        }

        if (errno == (int)Errno.EINPROGRESS)
        {
            while (!PollNow(POLLOUT))
            {
                await engine.WaitAsync(this, write: true, sequence, cancellationToken).ConfigureAwait(false);
                sequence = engine.Sequence(this, write: true);
            }

            errno = Get(SocketOption.Error);
        }

        return (Errno)errno;
    }

    /// <summary>Accepts a connection asynchronously. The new socket is close-on-exec and starts with <see cref="DefaultTimeout"/>.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The connected socket.</returns>
    public async ValueTask<BusSocket> AcceptAsync(CancellationToken cancellationToken = default)
    {
        int fd = await RunAsync(new AcceptMemoryCall(null), write: false, "accept", cancellationToken).ConfigureAwait(false);
        return Adopt(fd);
    }

    /// <summary>Accepts a connection asynchronously and decodes the peer's address.</summary>
    /// <typeparam name="TAddress">The peer's address type; it must be of this socket's family, which is checked before the call.</typeparam>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The connected socket and its peer. The connection is never dropped: a peer that does not decode gives <see cref="AcceptResult{TAddress}.HasPeer"/> false.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TAddress"/> is of another family than the socket.</exception>
    public async ValueTask<AcceptResult<TAddress>> AcceptAsync<TAddress>(CancellationToken cancellationToken = default) where TAddress : struct, ISocketAddress<TAddress>
    {
        CheckAddressType<TAddress>("accept");
        AddressBox box = RentAddressBox();
        try
        {
            int fd = await RunAsync(new AcceptMemoryCall(box), write: false, "accept", cancellationToken).ConfigureAwait(false);
            bool hasPeer = TAddress.TryDecode(box.Name, out TAddress peer);
            return new AcceptResult<TAddress>(Adopt(fd), peer, hasPeer);
        }
        finally
        {
            ReturnAddressBox(box);
        }
    }

    /// <summary>Sends a datagram to <paramref name="address"/> asynchronously.</summary>
    /// <typeparam name="TAddress">The address type.</typeparam>
    /// <param name="data">The bytes.</param>
    /// <param name="address">The destination.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The number of bytes sent.</returns>
    /// <exception cref="BusException">The kernel refused; the exception names the address.</exception>
    public async ValueTask<int> SendToAsync<TAddress>(ReadOnlyMemory<byte> data, TAddress address, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) where TAddress : ISocketAddress
    {
        AddressBox box = RentAddressBox();
        try
        {
            box.Length = (uint)EncodeAddress(address, box.Bytes);
            return await RunAsync(new SendToMemoryCall(data, box, flags), write: true, "sendto", cancellationToken, address.ToString()).ConfigureAwait(false);
        }
        finally
        {
            ReturnAddressBox(box);
        }
    }

    /// <summary>Sends like <see cref="SendAsync"/> but returns a kernel error instead of throwing it (see <see cref="TrySend"/>).</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The errno (<see cref="Errno.None"/> on success) and the number of bytes sent.</returns>
    public async ValueTask<(Errno Errno, int Sent)> TrySendAsync(ReadOnlyMemory<byte> data, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        (int errno, int sent) = await TryRunAsync(new SendMemoryCall(data, flags), write: true, cancellationToken).ConfigureAwait(false);
        return ((Errno)errno, errno == 0 ? sent : 0);
    }

    /// <summary>Receives a datagram and its sender asynchronously (Python's <c>recvfrom_into</c>).</summary>
    /// <typeparam name="TAddress">The sender's address type; it must be of this socket's family, which is checked before the call.</typeparam>
    /// <param name="buffer">The destination.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The length and the sender. The data is never lost to the address: a sender the kernel did not name gives <see cref="ReceiveFromResult{TAddress}.HasSender"/> false.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TAddress"/> is of another family than the socket.</exception>
    public async ValueTask<ReceiveFromResult<TAddress>> ReceiveFromAsync<TAddress>(Memory<byte> buffer, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) where TAddress : struct, ISocketAddress<TAddress>
    {
        CheckAddressType<TAddress>("recvfrom");
        AddressBox box = RentAddressBox();
        try
        {
            int received = await RunAsync(new ReceiveFromMemoryCall(buffer, box, flags), write: false, "recvfrom", cancellationToken).ConfigureAwait(false);
            bool hasSender = TAddress.TryDecode(box.Name, out TAddress sender);
            return new ReceiveFromResult<TAddress>(received, sender, hasSender);
        }
        finally
        {
            ReturnAddressBox(box);
        }
    }

    /// <summary>Receives a datagram and its sender of any registered family asynchronously, boxed.</summary>
    /// <param name="buffer">The destination.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The length and the sender, decoded by this socket's (family, protocol); a <see cref="RawSocketAddress"/> when no decoder takes it.</returns>
    public async ValueTask<ReceiveFromResult<ISocketAddress>> ReceiveFromAsync(Memory<byte> buffer, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        AddressBox box = RentAddressBox();
        try
        {
            int received = await RunAsync(new ReceiveFromMemoryCall(buffer, box, flags), write: false, "recvfrom", cancellationToken).ConfigureAwait(false);
            return new ReceiveFromResult<ISocketAddress>(received, SocketAddressParser.Decode(box.Name, Protocol), box.Length > 0);
        }
        finally
        {
            ReturnAddressBox(box);
        }
    }

    // A sockaddr buffer that lives across awaits; one per socket serves the usual single caller without allocating.
    private AddressBox? _addressBox = new();

    private AddressBox RentAddressBox() => Interlocked.Exchange(ref _addressBox, null) ?? new AddressBox();

    private void ReturnAddressBox(AddressBox box) => _addressBox = box;

    private sealed class AddressBox
    {
        internal readonly byte[] Bytes = new byte[RawSocketAddress.MaxSize];
        internal uint Length;

        internal ReadOnlySpan<byte> Name => Bytes.AsSpan(0, (int)Math.Min(Length, (uint)Bytes.Length));
    }

    private readonly unsafe struct AcceptMemoryCall(AddressBox? box) : ISocketCall
    {
        public nint Invoke(BusSocketHandle handle)
        {
            if (box is null)
            {
                return Interop.Libc.accept4(handle, null, null, SOCK_CLOEXEC | SOCK_NONBLOCK);
            }

            box.Length = (uint)box.Bytes.Length;
            fixed (byte* a = box.Bytes)
            fixed (uint* length = &box.Length)
            {
                return Interop.Libc.accept4(handle, a, length, SOCK_CLOEXEC | SOCK_NONBLOCK);
            }
        }
    }

    private readonly unsafe struct SendToMemoryCall(ReadOnlyMemory<byte> data, AddressBox box, MessageFlags flags) : ISocketCall
    {
        public nint Invoke(BusSocketHandle handle)
        {
            fixed (byte* d = data.Span)
            fixed (byte* a = box.Bytes)
            {
                return Interop.Libc.sendto(handle, d, (nuint)data.Length, (int)flags | MSG_NOSIGNAL, a, box.Length);
            }
        }
    }

    private readonly unsafe struct ReceiveFromMemoryCall(Memory<byte> buffer, AddressBox box, MessageFlags flags) : ISocketCall
    {
        public nint Invoke(BusSocketHandle handle)
        {
            box.Length = (uint)box.Bytes.Length;
            fixed (byte* b = buffer.Span)
            fixed (byte* a = box.Bytes)
            fixed (uint* length = &box.Length)
            {
                return Interop.Libc.recvfrom(handle, b, (nuint)buffer.Length, (int)flags, a, length);
            }
        }
    }
}
