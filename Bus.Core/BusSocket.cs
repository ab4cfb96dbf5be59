using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using static Buses.Interop.Constants;

namespace Buses;

/// <summary>
/// A socket of any family, type and protocol the kernel supports — CAN, TIPC, Bluetooth, netlink,
/// AF_PACKET, vsock as well as INET and UNIX — with Python's socket semantics in .NET form.
/// </summary>
/// <remarks>
/// <para>Modes follow Python's socket module: <see cref="Timeout"/> <see langword="null"/> is blocking,
/// <see cref="TimeSpan.Zero"/> is non-blocking (an operation that would block throws
/// <see cref="BusException"/> with <see cref="Errno.EAGAIN"/>), and a positive value bounds every
/// blocking call (<see cref="BusTimeoutException"/>). New sockets take <see cref="DefaultTimeout"/>.
/// EINTR is retried, as PEP 475 does.</para>
/// <para>The descriptor itself is always non-blocking; blocking is done with <c>poll</c> on the socket
/// and on a private event descriptor, so <see cref="Dispose"/> from another thread wakes a blocked
/// call (it throws <see cref="ObjectDisposedException"/>). <see cref="Detach"/> hands the descriptor
/// back in the mode the socket had.</para>
/// <para>Async operations wait on the library's own epoll engine and honour their
/// <see cref="CancellationToken"/>; they ignore <see cref="Timeout"/>.</para>
/// </remarks>
public sealed unsafe partial class BusSocket : IDisposable
{
    private static long s_defaultTimeoutTicks = -1;

    private readonly BusSocketHandle _handle;
    private TimeSpan? _timeout;
    private WakeHandle? _wake;
    private int _disposed;

    // The file status flags an adopted descriptor had (-1 for descriptors the library created): the
    // open file description is shared with the caller's descriptor, so they are restored on Detach and Dispose.
    private readonly int _adoptedStatusFlags = -1;

    /// <summary>Creates a socket with <c>socket(family, type | SOCK_CLOEXEC, protocol)</c>.</summary>
    /// <param name="family">The address family.</param>
    /// <param name="type">The socket type; the values of <see cref="SocketType"/> are Linux's.</param>
    /// <param name="protocol">The protocol number within the family (CAN_RAW = 1, NETLINK_ROUTE = 0, …).</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative family, type or protocol.</exception>
    /// <exception cref="BusException">The kernel refused, e.g. <see cref="Errno.EAFNOSUPPORT"/> when the family is not built in.</exception>
    public BusSocket(SocketFamily family, SocketType type, int protocol = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative((int)family);
        if ((int)type <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "A socket type must be a positive SOCK_* value (Stream = 1, Dgram = 2, Raw = 3, Rdm = 4, Seqpacket = 5).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(protocol);
        int fd = Interop.Libc.socket((int)family, (int)type | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
        if (fd < 0)
        {
            throw new BusException(Marshal.GetLastPInvokeError(), "socket", $"{family}, {type}, {protocol}");
        }

        _handle = new BusSocketHandle(fd, ownsHandle: true);
        Family = family;
        Type = type;
        Protocol = protocol;
        _timeout = DefaultTimeout;
    }

    /// <summary>Adopts a socket descriptor: reads its family, type and protocol from the kernel.</summary>
    /// <param name="handle">The handle; the socket owns it from now on.</param>
    /// <remarks>
    /// The socket sets O_NONBLOCK on the descriptor (blocking is done with poll, which is what lets
    /// <see cref="Dispose"/> wake a blocked call). O_NONBLOCK belongs to the open file description, which
    /// a descriptor the caller still holds (a dup, a forked child's copy) shares, so it sees the change
    /// while this socket lives; <see cref="Detach"/> and <see cref="Dispose"/> put the original flags back.
    /// Python keeps blocking sockets' descriptors blocking instead and cannot wake a blocked call on close.
    /// </remarks>
    /// <exception cref="BusException">The descriptor is not a socket (<see cref="Errno.ENOTSOCK"/>) or is closed.</exception>
    public BusSocket(BusSocketHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        _handle = handle;
        Family = (SocketFamily)ReadIntOption(handle, SO_DOMAIN);
        Type = (SocketType)ReadIntOption(handle, SO_TYPE);
        Protocol = ReadIntOption(handle, SO_PROTOCOL);
        _adoptedStatusFlags = SetNonBlocking(handle);
        _timeout = DefaultTimeout;
    }

    /// <summary>The family the socket was created with.</summary>
    public SocketFamily Family { get; }

    /// <summary>The socket type.</summary>
    public SocketType Type { get; }

    /// <summary>The protocol number.</summary>
    public int Protocol { get; }

    /// <summary>The handle, for APIs that take one. The socket still owns it.</summary>
    public BusSocketHandle Handle => _handle;

    /// <summary>The descriptor number, for logging and <c>poll</c>-style integration.</summary>
    /// <exception cref="ObjectDisposedException">The socket is disposed.</exception>
    public int FileDescriptor
    {
        get
        {
            ThrowIfDisposed();
            return (int)_handle.DangerousGetHandle();
        }
    }

    /// <summary>
    /// The timeout of blocking operations: <see langword="null"/> blocks forever, <see cref="TimeSpan.Zero"/>
    /// makes the socket non-blocking, a positive value bounds each call (all of <see cref="SendAll"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative timeout.</exception>
    public TimeSpan? Timeout
    {
        get => _timeout;
        set
        {
            ValidateTimeout(value, nameof(value));
            _timeout = value;
        }
    }

    /// <summary>Whether the socket blocks: the same as <c>Timeout != TimeSpan.Zero</c>. Setting it sets <see cref="Timeout"/> to <see langword="null"/> or zero.</summary>
    public bool Blocking
    {
        get => _timeout != TimeSpan.Zero;
        set => _timeout = value ? null : TimeSpan.Zero;
    }

    /// <summary>The timeout that new sockets, including accepted ones, start with. <see langword="null"/> (the default) is blocking.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative timeout.</exception>
    public static TimeSpan? DefaultTimeout
    {
        get
        {
            long ticks = Interlocked.Read(ref s_defaultTimeoutTicks);
            return ticks < 0 ? null : TimeSpan.FromTicks(ticks);
        }
        set
        {
            ValidateTimeout(value, nameof(value));
            Interlocked.Exchange(ref s_defaultTimeoutTicks, value?.Ticks ?? -1);
        }
    }

    /// <summary>Whether a child process started with exec inherits the descriptor (the inverse of FD_CLOEXEC). New sockets are not inheritable.</summary>
    /// <exception cref="BusException">fcntl failed.</exception>
    public bool Inheritable
    {
        get => (Check(Interop.Libc.fcntl(_handle, F_GETFD, 0), "fcntl(F_GETFD)") & FD_CLOEXEC) == 0;
        set
        {
            int flags = Check(Interop.Libc.fcntl(_handle, F_GETFD, 0), "fcntl(F_GETFD)");
            flags = value ? flags & ~FD_CLOEXEC : flags | FD_CLOEXEC;
            Check(Interop.Libc.fcntl(_handle, F_SETFD, flags), "fcntl(F_SETFD)");
        }
    }

    /// <summary>Wraps a duplicate of <paramref name="fd"/> (Python's <c>socket.fromfd</c>): the caller keeps its own descriptor.</summary>
    /// <remarks>The duplicate shares the caller's open file description: while this socket lives, the
    /// caller's descriptor is non-blocking too, and disposing or detaching the socket restores its flags
    /// (see <see cref="BusSocket(BusSocketHandle)"/>).</remarks>
    /// <param name="fd">An open socket descriptor.</param>
    /// <returns>A socket over a close-on-exec duplicate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is negative.</exception>
    /// <exception cref="BusException">The descriptor is not open or not a socket.</exception>
    public static BusSocket FromFileDescriptor(int fd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        int dup = Interop.Libc.fcntl_fd(fd, F_DUPFD_CLOEXEC, 0);
        if (dup < 0)
        {
            throw new BusException(Marshal.GetLastPInvokeError(), "fcntl(F_DUPFD_CLOEXEC)");
        }

        return new BusSocket(new BusSocketHandle(dup, ownsHandle: true));
    }

    /// <summary>Creates a connected pair (<c>socketpair</c>), by default two UNIX stream sockets.</summary>
    /// <param name="family">The family; Linux supports <see cref="SocketFamily.Unix"/> only.</param>
    /// <param name="type">Stream, Dgram or Seqpacket.</param>
    /// <param name="protocol">The protocol, normally 0.</param>
    /// <returns>The two ends.</returns>
    /// <exception cref="BusException">The kernel refused.</exception>
    public static (BusSocket First, BusSocket Second) CreatePair(SocketFamily family = SocketFamily.Unix, SocketType type = SocketType.Stream, int protocol = 0)
    {
        int* fds = stackalloc int[2];
        if (Interop.Libc.socketpair((int)family, (int)type | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol, fds) != 0)
        {
            throw new BusException(Marshal.GetLastPInvokeError(), "socketpair", $"{family}, {type}, {protocol}");
        }

        var first = new BusSocketHandle(fds[0], ownsHandle: true);
        var second = new BusSocketHandle(fds[1], ownsHandle: true);
        return (new BusSocket(first, family, type, protocol), new BusSocket(second, family, type, protocol));
    }

    private BusSocket(BusSocketHandle handle, SocketFamily family, SocketType type, int protocol)
    {
        _handle = handle;
        Family = family;
        Type = type;
        Protocol = protocol;
        _timeout = DefaultTimeout;
    }

    /// <summary>A new socket over a close-on-exec duplicate of this one's descriptor (Python's <c>dup</c>).</summary>
    /// <returns>The duplicate, with this socket's timeout.</returns>
    public BusSocket Duplicate()
    {
        ThrowIfDisposed();
        int dup = Interop.Libc.fcntl(_handle, F_DUPFD_CLOEXEC, 0);
        if (dup < 0)
        {
            throw new BusException(Marshal.GetLastPInvokeError(), "fcntl(F_DUPFD_CLOEXEC)");
        }

        return new BusSocket(new BusSocketHandle(dup, ownsHandle: true), Family, Type, Protocol) { _timeout = _timeout };
    }

    /// <summary>
    /// Gives up the descriptor without closing it and disposes the socket. An adopted descriptor gets its
    /// original flags back; one the library created comes back blocking when the socket was in blocking mode.
    /// </summary>
    /// <returns>The descriptor, now the caller's to close.</returns>
    public int Detach()
    {
        ThrowIfDisposed();
        int fd = (int)_handle.DangerousGetHandle();
        RestoreBlocking(_adoptedStatusFlags >= 0 ? (_adoptedStatusFlags & O_NONBLOCK) == 0 : _timeout is null);

        _handle.SetHandleAsInvalid();
        Dispose();
        return fd;
    }

    /// <summary>Binds to <paramref name="address"/>.</summary>
    /// <typeparam name="TAddress">The address type.</typeparam>
    /// <param name="address">The local address.</param>
    /// <exception cref="BusException">The kernel refused; the exception names the address.</exception>
    public void Bind<TAddress>(in TAddress address) where TAddress : ISocketAddress
    {
        Span<byte> sockaddr = stackalloc byte[RawSocketAddress.MaxSize];
        int length = EncodeAddress(address, sockaddr);
        ThrowIfDisposed();
        fixed (byte* p = sockaddr)
        {
            if (Interop.Libc.bind(_handle, p, (uint)length) != 0)
            {
                throw new BusException(Marshal.GetLastPInvokeError(), "bind", address.ToString());
            }
        }
    }

    /// <summary>Connects to <paramref name="address"/>, waiting for a stream connection to complete in blocking and timeout modes.</summary>
    /// <typeparam name="TAddress">The address type.</typeparam>
    /// <param name="address">The peer.</param>
    /// <exception cref="BusException">The connection failed; <see cref="Errno.EINPROGRESS"/> in non-blocking mode.</exception>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    public void Connect<TAddress>(in TAddress address) where TAddress : ISocketAddress
    {
        Errno result = TryConnect(address);
        if (result != Errno.None)
        {
            throw new BusException((int)result, "connect", address.ToString());
        }
    }

    /// <summary>Connects like <see cref="Connect{TAddress}(in TAddress)"/> but returns the errno instead of throwing it (Python's <c>connect_ex</c>).</summary>
    /// <typeparam name="TAddress">The address type.</typeparam>
    /// <param name="address">The peer.</param>
    /// <returns><see cref="Errno.None"/> on success, else the kernel's errno.</returns>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    /// <exception cref="ObjectDisposedException">The socket is disposed.</exception>
    /// <remarks>In timeout mode a connect that has not finished when the timeout elapses throws
    /// <see cref="BusTimeoutException"/>, where Python's <c>connect_ex</c> returns EWOULDBLOCK: a timeout is
    /// the same distinct exception in every call of this library. Non-blocking mode returns EINPROGRESS, as Python does.</remarks>
    public Errno TryConnect<TAddress>(in TAddress address) where TAddress : ISocketAddress
    {
        long deadline = StartDeadline();
        int errno = StartConnect(address);

        // A UNIX listener with a full backlog fails a non-blocking connect with EAGAIN, and poll cannot
        // tell when room appears (an unconnected UNIX stream socket polls as hung up), so blocking and
        // timeout modes retry after a short sleep, as a blocking connect would wait.
        while (errno == (int)Errno.EAGAIN && Family == SocketFamily.Unix && _timeout != TimeSpan.Zero)
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                throw new BusTimeoutException("connect", _timeout ?? TimeSpan.Zero, address.ToString());
            }

            Thread.Sleep(10);
            errno = StartConnect(address);
        }

        if (errno != (int)Errno.EINPROGRESS || _timeout == TimeSpan.Zero)
        {
            return (Errno)errno;
        }

        Engine.Wait(this, POLLOUT, deadline, "connect", address.ToString());
        ThrowIfDisposed();
        return (Errno)Get(SocketOption.Error);
    }

    // One attempt: the socket is non-blocking, so connect never sleeps in the kernel and cannot meet
    // EINTR; completion of an EINPROGRESS connect is waited for by the callers.
    private int StartConnect<TAddress>(in TAddress address) where TAddress : ISocketAddress
    {
        Span<byte> sockaddr = stackalloc byte[RawSocketAddress.MaxSize];
        int length = EncodeAddress(address, sockaddr);
        ThrowIfDisposed();
        fixed (byte* p = sockaddr)
        {
            return Interop.Libc.connect(_handle, p, (uint)length) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Listens for connections.</summary>
    /// <param name="backlog">The queue length; by default the smaller of SOMAXCONN and 128, as Python chooses.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative backlog.</exception>
    /// <remarks>Python clamps a negative backlog to 0; here it is refused before the syscall, since a negative queue length is a caller's mistake, not a request.</remarks>
    public void Listen(int backlog = 128)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(backlog);
        ThrowIfDisposed();
        Check(Interop.Libc.listen(_handle, backlog), "listen");
    }

    /// <summary>Accepts a connection. The new socket is close-on-exec and starts with <see cref="DefaultTimeout"/>.</summary>
    /// <returns>The connected socket.</returns>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    public BusSocket Accept() => Accept(Span<byte>.Empty, out _);

    /// <summary>Accepts a connection and decodes the peer's address.</summary>
    /// <typeparam name="TAddress">The peer's address type; it must be of this socket's family, which is checked before the call.</typeparam>
    /// <param name="peer">The peer, or <see langword="default"/> when the kernel named none that decodes (the connection is returned all the same).</param>
    /// <returns>The connected socket.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TAddress"/> is of another family than the socket (an <c>InetAddress</c> from an INET6 listener).</exception>
    public BusSocket Accept<TAddress>(out TAddress peer) where TAddress : struct, ISocketAddress<TAddress>
    {
        CheckAddressType<TAddress>("accept");
        Span<byte> sockaddr = stackalloc byte[RawSocketAddress.MaxSize];
        BusSocket accepted = Accept(sockaddr, out int length);
        TAddress.TryDecode(sockaddr[..length], out peer);
        return accepted;
    }

    private BusSocket Accept(Span<byte> sockaddr, out int addressLength)
    {
        var call = new AcceptCall(sockaddr);
        int fd = (int)Run(ref call, POLLIN, "accept");
        addressLength = (int)Math.Min(call.AddressLength, (uint)sockaddr.Length);
        return Adopt(fd);
    }

    // The descriptor goes into its handle before anything else can throw.
    private BusSocket Adopt(int fd) => new(new BusSocketHandle(fd, ownsHandle: true), Family, Type, Protocol);

    /// <summary>
    /// Refuses, before the system call, an address type that cannot describe this socket's peers: decoding
    /// after the kernel handed data or a connection over must never fail (GUIDE: never decode after the
    /// syscall in a way that can throw).
    /// </summary>
    internal void CheckAddressType<TAddress>(string operation) where TAddress : struct, ISocketAddress<TAddress>
    {
        SocketFamily family = default(TAddress).Family;
        if (family != SocketFamily.Unspecified && family != Family)
        {
            throw new ArgumentException($"{operation} on a {Family} socket cannot give a {typeof(TAddress).Name} (a {family} address); use the {Family} address type or RawSocketAddress.", nameof(TAddress));
        }
    }

    /// <summary>Shuts down one or both directions.</summary>
    /// <param name="how">Which directions; the values of <see cref="SocketShutdown"/> are Linux's SHUT_*.</param>
    public void Shutdown(SocketShutdown how)
    {
        if (how is < SocketShutdown.Receive or > SocketShutdown.Both)
        {
            throw new ArgumentOutOfRangeException(nameof(how), how, "Shutdown direction must be Receive, Send or Both.");
        }

        ThrowIfDisposed();
        Check(Interop.Libc.shutdown(_handle, (int)how), "shutdown");
    }

    /// <summary>The local address (<c>getsockname</c>), typed.</summary>
    /// <typeparam name="TAddress">The address type.</typeparam>
    /// <returns>The decoded address.</returns>
    /// <exception cref="FormatException">The kernel's address is not a <typeparamref name="TAddress"/>; nothing is lost, since this call transfers no data.</exception>
    public TAddress GetLocalEndPoint<TAddress>() where TAddress : struct, ISocketAddress<TAddress> =>
        TAddress.Decode(ReadName(peer: false, stackalloc byte[RawSocketAddress.MaxSize]));

    /// <summary>The peer's address (<c>getpeername</c>), typed.</summary>
    /// <typeparam name="TAddress">The address type.</typeparam>
    /// <returns>The decoded address.</returns>
    /// <exception cref="BusException"><see cref="Errno.ENOTCONN"/> when not connected.</exception>
    /// <exception cref="FormatException">The kernel's address is not a <typeparamref name="TAddress"/>.</exception>
    public TAddress GetRemoteEndPoint<TAddress>() where TAddress : struct, ISocketAddress<TAddress> =>
        TAddress.Decode(ReadName(peer: true, stackalloc byte[RawSocketAddress.MaxSize]));

    /// <summary>The local address, decoded by this socket's (family, protocol), boxed; a <see cref="RawSocketAddress"/> when no decoder takes it.</summary>
    public ISocketAddress LocalEndPoint => SocketAddressParser.Decode(ReadName(peer: false, stackalloc byte[RawSocketAddress.MaxSize]), Protocol);

    /// <summary>The peer's address, decoded by this socket's (family, protocol), boxed; a <see cref="RawSocketAddress"/> when no decoder takes it.</summary>
    /// <exception cref="BusException"><see cref="Errno.ENOTCONN"/> when not connected.</exception>
    public ISocketAddress RemoteEndPoint => SocketAddressParser.Decode(ReadName(peer: true, stackalloc byte[RawSocketAddress.MaxSize]), Protocol);

    private ReadOnlySpan<byte> ReadName(bool peer, Span<byte> buffer)
    {
        ThrowIfDisposed();
        uint length = (uint)buffer.Length;
        fixed (byte* p = buffer)
        {
            int rc = peer ? Interop.Libc.getpeername(_handle, p, &length) : Interop.Libc.getsockname(_handle, p, &length);
            Check(rc, peer ? "getpeername" : "getsockname");
        }

        return buffer[..(int)Math.Min(length, (uint)buffer.Length)];
    }

    /// <summary>Closes the socket. A thread blocked in a call on it wakes with <see cref="ObjectDisposedException"/>; pending async operations fail the same way.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        int fd = (int)_handle.DangerousGetHandle();
        _handle.Registration?.Close(fd);
        if (_adoptedStatusFlags >= 0 && (_adoptedStatusFlags & O_NONBLOCK) == 0)
        {
            // Another descriptor may share this open file description: hand it back as it came.
            RestoreBlocking(blocking: true);
        }

        WakeHandle? wake = Volatile.Read(ref _wake);
        if (wake is not null)
        {
            // Threads inside poll hold references on both handles, so neither descriptor number
            // can be reused under them; the event makes their poll return at once.
            wake.Signal();
            wake.Dispose();
        }

        _handle.Dispose();
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static void ValidateTimeout(TimeSpan? value, string name)
    {
        if (value is { } t && t < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, t, "A socket timeout must be zero (non-blocking), positive, or null (blocking).");
        }
    }

    private static int EncodeAddress<TAddress>(in TAddress address, Span<byte> sockaddr) where TAddress : ISocketAddress
    {
        // Testing the type first keeps unoptimized builds from boxing a struct address on every call.
        if (!typeof(TAddress).IsValueType && address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        return address.Encode(sockaddr);
    }

    private static int ReadIntOption(BusSocketHandle handle, int name)
    {
        int value = 0;
        uint length = sizeof(int);
        if (Interop.Libc.getsockopt(handle, SocketLevel.Socket, name, &value, &length) != 0)
        {
            throw new BusException(Marshal.GetLastPInvokeError(), "getsockopt");
        }

        return value;
    }

    private static int SetNonBlocking(BusSocketHandle handle)
    {
        int flags = Interop.Libc.fcntl(handle, F_GETFL, 0);
        if (flags < 0 || Interop.Libc.fcntl(handle, F_SETFL, flags | O_NONBLOCK) < 0)
        {
            throw new BusException(Marshal.GetLastPInvokeError(), "fcntl(F_SETFL)");
        }

        return flags;
    }

    private void RestoreBlocking(bool blocking)
    {
        if (!blocking || _handle.IsClosed)
        {
            return;
        }

        // Best effort: the descriptor is being given up, and a failure here changes nothing the caller can act on.
        int flags = Interop.Libc.fcntl(_handle, F_GETFL, 0);
        if (flags >= 0)
        {
            Interop.Libc.fcntl(_handle, F_SETFL, flags & ~O_NONBLOCK);
        }
    }

    private static int Check(int result, string operation)
    {
        if (result < 0)
        {
            throw new BusException(Marshal.GetLastPInvokeError(), operation);
        }

        return result;
    }

    private long StartDeadline() =>
        _timeout is { } t && t > TimeSpan.Zero ? Stopwatch.GetTimestamp() + (long)(t.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
}
