using System.Diagnostics;
using System.Runtime.InteropServices;
using static Buses.Interop.Constants;

namespace Buses;

public sealed unsafe partial class BusSocket
{
    /// <summary>A system call to retry across EINTR and to wait and retry across EAGAIN.</summary>
    internal interface ISocketCall
    {
        /// <summary>Runs the call once; a negative result means failure with errno set.</summary>
        nint Invoke(BusSocketHandle handle);
    }

    /// <summary>The seam the retry loop runs its attempts and waits through; tests script it.</summary>
    internal SocketEngine Engine { get; set; } = SocketEngine.Kernel;

    /// <summary>
    /// Runs <paramref name="call"/> in this socket's mode and throws the kernel's error, naming
    /// <paramref name="operation"/>. One deadline covers the whole call.
    /// </summary>
    internal nint Run<TCall>(scoped ref TCall call, short events, string operation, string? address = null)
        where TCall : ISocketCall, allows ref struct
    {
        long deadline = 0;
        int errno = TryRun(ref call, events, operation, ref deadline, out nint result, address);
        return errno == 0 ? result : throw new BusException(errno, operation, address);
    }

    /// <summary>
    /// The one retry loop, blocking face: retries EINTR at once; on EAGAIN waits in this socket's mode and
    /// retries (non-blocking mode returns EAGAIN instead); returns any other kernel error instead of
    /// throwing it, for callers that treat one as flow (CAN's ENOBUFS back-pressure: an exception per full
    /// queue would cost more than the send). <paramref name="deadline"/> starts at 0 and is set at the first
    /// wait, so callers that loop over several calls (sendall, sendmmsg) share one deadline.
    /// </summary>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    /// <exception cref="ObjectDisposedException">The socket is or was disposed.</exception>
    internal int TryRun<TCall>(scoped ref TCall call, short events, string operation, ref long deadline, out nint result, string? address = null)
        where TCall : ISocketCall, allows ref struct
    {
        ThrowIfDisposed();
        SocketEngine engine = Engine;
        while (true)
        {
            result = engine.Invoke(this, ref call, out int errno);
            if (result >= 0)
            {
                return 0;
            }

            if (errno == (int)Errno.EINTR)
            {
                continue;
            }

            if (errno != (int)Errno.EAGAIN || _timeout == TimeSpan.Zero)
            {
                return errno;
            }

            if (deadline == 0)
            {
                deadline = StartDeadline();
            }

            engine.Wait(this, events, deadline, operation, address);
            ThrowIfDisposed();
        }
    }

    /// <summary>Waits until the socket is readable, in this socket's mode.</summary>
    /// <exception cref="BusException"><see cref="Errno.EAGAIN"/> in non-blocking mode when nothing is ready.</exception>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    /// <exception cref="ObjectDisposedException">The socket was disposed, before or during the wait.</exception>
    public void WaitReadable() => WaitReady(POLLIN, "wait-readable");

    /// <summary>Waits until the socket is writable, in this socket's mode.</summary>
    /// <exception cref="BusException"><see cref="Errno.EAGAIN"/> in non-blocking mode when the socket is not writable.</exception>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    /// <exception cref="ObjectDisposedException">The socket was disposed, before or during the wait.</exception>
    public void WaitWritable() => WaitReady(POLLOUT, "wait-writable");

    private void WaitReady(short events, string operation)
    {
        ThrowIfDisposed();
        if (!PollNow(events))
        {
            if (_timeout == TimeSpan.Zero)
            {
                throw new BusException((int)Errno.EAGAIN, operation);
            }

            Engine.Wait(this, events, StartDeadline(), operation, null);
        }
    }

    /// <summary>Whether the socket is ready for <paramref name="events"/> right now (error and hang-up count as ready).</summary>
    internal bool PollNow(short events)
    {
        bool added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            var fd = new Interop.pollfd { fd = (int)_handle.DangerousGetHandle(), events = events };
            int rc;
            do
            {
                rc = Interop.Libc.poll(&fd, 1, 0);
            }
            while (rc < 0 && Marshal.GetLastPInvokeError() == (int)Errno.EINTR);

            return rc > 0;
        }
        finally
        {
            _handle.DangerousRelease();
        }
    }

    /// <summary>The kernel engine's blocking wait: poll on the socket and on the wake descriptor Dispose signals.</summary>
    internal void Poll(short events, long deadline, string operation, string? address)
    {
        WakeHandle wake = EnsureWakeHandle();
        bool socketAdded = false;
        bool wakeAdded = false;
        try
        {
            _handle.DangerousAddRef(ref socketAdded);
            wake.DangerousAddRef(ref wakeAdded);
            ThrowIfDisposed();
            Interop.pollfd* fds = stackalloc Interop.pollfd[2];
            fds[0] = new Interop.pollfd { fd = (int)_handle.DangerousGetHandle(), events = events };
            fds[1] = new Interop.pollfd { fd = (int)wake.DangerousGetHandle(), events = POLLIN };
            while (true)
            {
                int timeoutMs = -1;
                if (deadline != long.MaxValue)
                {
                    long remaining = deadline - Stopwatch.GetTimestamp();
                    if (remaining <= 0)
                    {
                        throw new BusTimeoutException(operation, _timeout ?? TimeSpan.Zero, address);
                    }

                    // Round up: a poll that returns a little early would throw a timeout too soon.
                    timeoutMs = (int)Math.Min(int.MaxValue, ((remaining * 1000) + Stopwatch.Frequency - 1) / Stopwatch.Frequency);
                }

                int rc = Interop.Libc.poll(fds, 2, timeoutMs);
                if (rc < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == (int)Errno.EINTR)
                    {
                        continue;
                    }

                    throw new BusException(errno, "poll");
                }

                if (fds[1].revents != 0)
                {
                    ThrowIfDisposed();
                }

                if (fds[0].revents != 0)
                {
                    return;
                }
            }
        }
        finally
        {
            if (wakeAdded)
            {
                wake.DangerousRelease();
            }

            if (socketAdded)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private WakeHandle EnsureWakeHandle()
    {
        WakeHandle? wake = Volatile.Read(ref _wake);
        if (wake is not null)
        {
            return wake;
        }

        var created = WakeHandle.Create();
        wake = Interlocked.CompareExchange(ref _wake, created, null);
        if (wake is not null)
        {
            created.Dispose();
            return wake;
        }

        // Dispose may have run between the check and the publish and missed this handle.
        if (Volatile.Read(ref _disposed) != 0)
        {
            created.Signal();
        }

        return created;
    }

    internal ReadinessEngine.Registration Registration()
    {
        ReadinessEngine.Registration? registration = _handle.Registration;
        if (registration is not null)
        {
            return registration;
        }

        lock (_handle)
        {
            ThrowIfDisposed();
            return _handle.Registration ??= ReadinessEngine.Instance.Register(_handle);
        }
    }

    /// <summary>An eventfd that Dispose signals to wake threads blocked in poll on this socket.</summary>
    private sealed class WakeHandle : SafeHandle
    {
        private WakeHandle(int fd)
            : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

        public override bool IsInvalid => handle.ToInt64() < 0;

        internal static WakeHandle Create()
        {
            int fd = Interop.Libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
            if (fd < 0)
            {
                throw new BusException(Marshal.GetLastPInvokeError(), "eventfd");
            }

            return new WakeHandle(fd);
        }

        internal void Signal()
        {
            ulong one = 1;
            Interop.Libc.write((int)handle, &one, sizeof(ulong));
        }

        protected override bool ReleaseHandle() => Interop.Libc.close((int)handle) == 0;
    }

    private ref struct AcceptCall(Span<byte> sockaddr) : ISocketCall
    {
        private readonly Span<byte> _sockaddr = sockaddr;
        public uint AddressLength;

        public nint Invoke(BusSocketHandle handle)
        {
            AddressLength = (uint)_sockaddr.Length;
            fixed (byte* p = _sockaddr)
            fixed (uint* length = &AddressLength)
            {
                return Interop.Libc.accept4(handle, _sockaddr.IsEmpty ? null : p, _sockaddr.IsEmpty ? null : length, SOCK_CLOEXEC | SOCK_NONBLOCK);
            }
        }
    }
}
