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
        ReadinessEngine.Registration registration = Registration();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int sequence = registration.Sequence(write);
            if (PollNow(write ? POLLOUT : POLLIN))
            {
                return;
            }

            await registration.WaitAsync(write, sequence, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a call until it stops failing with EAGAIN, waiting on the readiness engine in between.
    /// Pooled so the steady state of a receive loop allocates nothing, even when it waits.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<int> RunAsync<TCall>(TCall call, bool write, string operation, CancellationToken cancellationToken)
        where TCall : struct, ISocketCall
    {
        ReadinessEngine.Registration registration = Registration();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfDisposed();
            int sequence = registration.Sequence(write);
            nint result = call.Invoke(_handle);
            if (result >= 0)
            {
                return (int)result;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == (int)Errno.EINTR)
            {
                continue;
            }

            if (errno != (int)Errno.EAGAIN)
            {
                throw new BusException(errno, operation);
            }

            await registration.WaitAsync(write, sequence, cancellationToken).ConfigureAwait(false);
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
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendBatchAsync(MessageBatch batch, int count, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.CheckCount(count, nameof(count));
        int sent = 0;
        while (sent < count)
        {
            sent += await RunAsync(new BatchCall(batch, count - sent, (int)flags, send: true, start: sent), write: true, "sendmmsg", cancellationToken).ConfigureAwait(false);
        }
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
        ReadinessEngine.Registration registration = Registration();
        int sequence = registration.Sequence(write: true);
        int errno = StartConnect(address);

        // A full UNIX backlog gives EAGAIN with nothing to wait on (see TryConnect): retry after a pause.
        while (errno == (int)Errno.EAGAIN && Family == SocketFamily.Unix)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            errno = StartConnect(address);
        }

        if (errno == (int)Errno.EINPROGRESS)
        {
            while (!PollNow(Interop.Constants.POLLOUT))
            {
                await registration.WaitAsync(write: true, sequence, cancellationToken).ConfigureAwait(false);
                sequence = registration.Sequence(write: true);
            }

            errno = Get(SocketOption.Error);
        }

        if (errno != 0)
        {
            throw new BusException(errno, "connect", address.ToString());
        }
    }

    /// <summary>Accepts a connection asynchronously. The new socket is close-on-exec and starts with <see cref="DefaultTimeout"/>.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The connected socket.</returns>
    public async ValueTask<BusSocket> AcceptAsync(CancellationToken cancellationToken = default)
    {
        int fd = await RunAsync(new AcceptAnyCall(), write: false, "accept", cancellationToken).ConfigureAwait(false);
        return new BusSocket(new BusSocketHandle(fd, ownsHandle: true), Family, Type, Protocol);
    }

    private readonly unsafe struct AcceptAnyCall : ISocketCall
    {
        public nint Invoke(BusSocketHandle handle) =>
            Interop.Libc.accept4(handle, null, null, SOCK_CLOEXEC | SOCK_NONBLOCK);
    }
}
