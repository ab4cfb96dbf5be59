using System.Runtime.InteropServices;

namespace Buses;

/// <summary>
/// The seam between a socket's one retry loop and the kernel: how one attempt of a system call runs and
/// reports its errno, and how the loop waits for readiness, blocking or async. The kernel engine is
/// the only one the library uses; tests put a scripted engine behind a socket to inject EINTR, EAGAIN,
/// ENOBUFS and readiness where no kernel would produce them on demand.
/// </summary>
internal abstract class SocketEngine
{
    /// <summary>The engine every socket starts with: real system calls, poll and the epoll readiness engine.</summary>
    internal static readonly SocketEngine Kernel = new KernelSocketEngine();

    /// <summary>Runs one attempt of <paramref name="call"/>; on failure (a negative result) <paramref name="errno"/> is set.</summary>
    internal abstract nint Invoke<TCall>(BusSocket socket, scoped ref TCall call, out int errno)
        where TCall : BusSocket.ISocketCall, allows ref struct;

    /// <summary>Blocks until <paramref name="events"/> or <paramref name="deadline"/> (a Stopwatch timestamp; long.MaxValue for none).</summary>
    /// <exception cref="BusTimeoutException">The deadline passed.</exception>
    /// <exception cref="ObjectDisposedException">The socket was disposed during the wait.</exception>
    internal abstract void Wait(BusSocket socket, short events, long deadline, string operation, string? address);

    /// <summary>The readiness generation to pass to <see cref="WaitAsync"/>, read before the attempt that may fail with EAGAIN.</summary>
    internal abstract int Sequence(BusSocket socket, bool write);

    /// <summary>Completes when the direction becomes ready after <paramref name="sequence"/>.</summary>
    internal abstract ValueTask WaitAsync(BusSocket socket, bool write, int sequence, CancellationToken cancellationToken);

    private sealed class KernelSocketEngine : SocketEngine
    {
        internal override nint Invoke<TCall>(BusSocket socket, scoped ref TCall call, out int errno)
        {
            nint result = call.Invoke(socket.Handle);
            errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
            return result;
        }

        internal override void Wait(BusSocket socket, short events, long deadline, string operation, string? address) =>
            socket.Poll(events, deadline, operation, address);

        internal override int Sequence(BusSocket socket, bool write) => socket.Registration().Sequence(write);

        internal override ValueTask WaitAsync(BusSocket socket, bool write, int sequence, CancellationToken cancellationToken) =>
            socket.Registration().WaitAsync(write, sequence, cancellationToken);
    }
}
