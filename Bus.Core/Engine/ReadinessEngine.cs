using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;
using static Buses.Interop.Constants;

namespace Buses;

/// <summary>
/// The library's own readiness engine: one epoll instance and one thread for every async wait.
/// </summary>
/// <remarks>
/// The runtime's socket engine cannot serve here: it offers no wait for write readiness (a zero-byte
/// send on a datagram socket sends an empty datagram), and CAN back-pressure (ENOBUFS) and
/// sends with ancillary data need exactly that. Each socket is registered once, edge-triggered for
/// both directions; a per-direction sequence number closes the race between a failed non-blocking
/// attempt and the registration of its waiter (an edge that fired in between bumps the sequence, and
/// the waiter retries at once instead of sleeping through it).
/// </remarks>
internal sealed unsafe class ReadinessEngine
{
    private const int MaxEvents = 64;

    private static readonly Lazy<ReadinessEngine> s_instance = new(() => new ReadinessEngine(), LazyThreadSafetyMode.ExecutionAndPublication);

    // x86-64 packs struct epoll_event (12 bytes); every other Linux ABI aligns the u64 to 8.
    private static readonly int s_eventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int s_dataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private readonly int _epollFd;
    private readonly ConcurrentDictionary<long, Registration> _registrations = new();
    private long _nextId;

    private ReadinessEngine()
    {
        _epollFd = Interop.Libc.epoll_create1(EPOLL_CLOEXEC);
        if (_epollFd < 0)
        {
            throw new BusException(Marshal.GetLastPInvokeError(), "epoll_create1");
        }

        // UnsafeStart: the thread must not capture (and keep alive) the ExecutionContext of whichever
        // caller happened to create the engine first, as the runtime's own socket engine does.
        var thread = new Thread(Loop) { IsBackground = true, Name = "Buses readiness" };
        thread.UnsafeStart();
    }

    internal static ReadinessEngine Instance => s_instance.Value;

    /// <summary>How many sockets are registered now; a socket leaves when its handle is released, disposed or finalized.</summary>
    internal int RegistrationCount => _registrations.Count;

    /// <remarks>
    /// The engine's table holds the registration and nothing that reaches the socket or its handle, so an
    /// undisposed socket is still collected and its handle finalized; the handle's release closes the
    /// registration (see <see cref="BusSocketHandle"/>).
    /// </remarks>
    internal Registration Register(BusSocketHandle handle)
    {
        long id = Interlocked.Increment(ref _nextId);
        var registration = new Registration(this, id);
        _registrations[id] = registration;
        byte* ev = stackalloc byte[16];
        *(uint*)ev = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        *(long*)(ev + s_dataOffset) = id;
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (Interop.Libc.epoll_ctl(_epollFd, EPOLL_CTL_ADD, (int)handle.DangerousGetHandle(), ev) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                _registrations.TryRemove(id, out _);
                throw new BusException(errno, "epoll_ctl");
            }
        }
        finally
        {
            handle.DangerousRelease();
        }

        return registration;
    }

    private void Unregister(Registration registration, int fd)
    {
        _registrations.TryRemove(registration.Id, out _);
        byte* ev = stackalloc byte[16];
        // EPOLL_CTL_DEL may fail with EBADF/ENOENT when the fd is already gone; closing the fd
        // removes it from the set anyway, so there is nothing to report.
        Interop.Libc.epoll_ctl(_epollFd, EPOLL_CTL_DEL, fd, ev);
    }

    private void Loop()
    {
        byte* events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * s_eventSize));
        while (true)
        {
            int n = Interop.Libc.epoll_wait(_epollFd, events, MaxEvents, -1);
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == (int)Errno.EINTR)
                {
                    continue;
                }

                Environment.FailFast($"epoll_wait failed in the Buses readiness engine: {BusException.ErrnoName(errno)}");
            }

            for (int i = 0; i < n; i++)
            {
                byte* ev = events + (i * s_eventSize);
                uint flags = *(uint*)ev;
                long id = *(long*)(ev + s_dataOffset);
                if (_registrations.TryGetValue(id, out Registration? registration))
                {
                    const uint failure = EPOLLERR | EPOLLHUP;
                    if ((flags & (EPOLLIN | EPOLLRDHUP | failure)) != 0)
                    {
                        registration.Signal(write: false);
                    }

                    if ((flags & (EPOLLOUT | failure)) != 0)
                    {
                        registration.Signal(write: true);
                    }
                }
            }
        }
    }

    /// <summary>One socket's membership in the engine: its two directions and their waiters.</summary>
    internal sealed class Registration
    {
        private readonly ReadinessEngine _engine;
        private readonly Direction _read;
        private readonly Direction _write;
        private bool _closed;

        internal Registration(ReadinessEngine engine, long id)
        {
            _engine = engine;
            Id = id;
            _read = new Direction(this);
            _write = new Direction(this);
        }

        internal long Id { get; }

        private object Gate => _read;

        /// <summary>The sequence to pass to <see cref="WaitAsync"/>: read it before the attempt that may fail with EAGAIN.</summary>
        internal int Sequence(bool write) => Volatile.Read(ref (write ? _write : _read).SequenceField);

        /// <summary>Waits until the direction becomes ready after <paramref name="sequence"/>.</summary>
        internal ValueTask WaitAsync(bool write, int sequence, CancellationToken cancellationToken)
        {
            Direction direction = write ? _write : _read;
            Waiter waiter;
            lock (Gate)
            {
                ObjectDisposedException.ThrowIf(_closed, typeof(BusSocket));
                if (direction.SequenceField != sequence)
                {
                    return ValueTask.CompletedTask;
                }

                waiter = direction.Rent();
                direction.Pending.Add(waiter);
            }

            waiter.Arm(cancellationToken);
            return new ValueTask(waiter, waiter.Version);
        }

        internal void Signal(bool write)
        {
            Direction direction = write ? _write : _read;
            Waiter? single = null;
            Waiter[]? several = null;
            lock (Gate)
            {
                direction.SequenceField++;
                if (direction.Pending.Count == 1)
                {
                    single = direction.Pending[0];
                }
                else if (direction.Pending.Count > 1)
                {
                    several = [.. direction.Pending];
                }

                direction.Pending.Clear();
            }

            single?.Complete(null);
            if (several is not null)
            {
                foreach (Waiter w in several)
                {
                    w.Complete(null);
                }
            }
        }

        internal void Cancel(Waiter waiter, Exception error)
        {
            lock (Gate)
            {
                if (!_read.Pending.Remove(waiter) && !_write.Pending.Remove(waiter))
                {
                    return;
                }
            }

            waiter.Complete(error);
        }

        internal void Close(int fd)
        {
            List<Waiter> orphans;
            lock (Gate)
            {
                if (_closed)
                {
                    return;
                }

                _closed = true;
                orphans = [.. _read.Pending, .. _write.Pending];
                _read.Pending.Clear();
                _write.Pending.Clear();
            }

            _engine.Unregister(this, fd);
            foreach (Waiter w in orphans)
            {
                w.Complete(new ObjectDisposedException(nameof(BusSocket), "The socket was disposed while an operation was waiting on it."));
            }
        }

        private sealed class Direction(Registration owner)
        {
            internal int SequenceField;
            internal readonly List<Waiter> Pending = new(1);
            private readonly Waiter _cached = new(owner);

            // One cached waiter serves the usual single reader or writer without allocating;
            // concurrent waiters on the same direction get their own.
            internal Waiter Rent() => _cached.TryClaim() ? _cached : new Waiter(owner, claimed: true);
        }
    }

    /// <summary>A reusable awaitable for one wait; completes once per arming.</summary>
    internal sealed class Waiter : IValueTaskSource
    {
        private readonly Registration _owner;
        private ManualResetValueTaskSourceCore<bool> _core;
        private CancellationTokenRegistration _cancellation;
        private int _claimed;
        private int _completed;

        internal Waiter(Registration owner, bool claimed = false)
        {
            _owner = owner;
            _claimed = claimed ? 1 : 0;
            // Continuations must not run on the engine thread: user code there would stall every
            // other socket's readiness.
            _core.RunContinuationsAsynchronously = true;
        }

        internal short Version => _core.Version;

        internal bool TryClaim() => Interlocked.CompareExchange(ref _claimed, 1, 0) == 0;

        internal void Arm(CancellationToken cancellationToken)
        {
            if (cancellationToken.CanBeCanceled)
            {
                _cancellation = cancellationToken.UnsafeRegister(static (state, token) =>
                {
                    var waiter = (Waiter)state!;
                    waiter._owner.Cancel(waiter, new OperationCanceledException(token));
                }, this);
            }
        }

        internal void Complete(Exception? error)
        {
            if (Interlocked.Exchange(ref _completed, 1) != 0)
            {
                return;
            }

            if (error is null)
            {
                _core.SetResult(true);
            }
            else
            {
                _core.SetException(error);
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        public void GetResult(short token)
        {
            try
            {
                _core.GetResult(token);
            }
            finally
            {
                _cancellation.Dispose();
                _cancellation = default;
                _core.Reset();
                _completed = 0;
                Volatile.Write(ref _claimed, 0);
            }
        }
    }
}
