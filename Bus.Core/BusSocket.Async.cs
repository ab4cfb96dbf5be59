using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Interop.Constants;

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
}
