using System.Buffers;
using System.Net.Sockets;
using static Buses.Tipc.Interop.TipcUapi;

namespace Buses.Tipc;

/// <summary>
/// A TIPC socket of type RDM (reliable datagrams), DGRAM, SEQPACKET or STREAM: bind service names and
/// ranges, send to a service (anycast), a range (multicast) or a socket, connect by service name, and
/// receive each message with its sender, the name it was sent to, and why it came back if it did.
/// </summary>
/// <remarks>
/// <para>TIPC needs the kernel's <c>tipc</c> module (Linux 2.6.16+); the names here are those of Linux
/// 4.17+ (service address, service range, socket address).</para>
/// <para>A message that cannot be delivered comes back to the sender unless the sender is
/// <see cref="DestinationDroppable"/>: receive it as a <see cref="TipcReceived"/> whose
/// <see cref="TipcReceived.Rejection"/> names the reason. A send to a service nobody has bound, looked
/// up on this node, fails at once with EHOSTUNREACH instead.</para>
/// </remarks>
public sealed class TipcSocket : IDisposable
{
    private readonly BusSocket _socket;

    /// <summary>Opens an unbound TIPC socket.</summary>
    /// <param name="type"><see cref="SocketType.Rdm"/>, <see cref="SocketType.Dgram"/>, <see cref="SocketType.Seqpacket"/> or <see cref="SocketType.Stream"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">Another socket type.</exception>
    /// <exception cref="BusException">EAFNOSUPPORT when the kernel has no TIPC (modprobe tipc).</exception>
    public TipcSocket(SocketType type)
    {
        if (type is not (SocketType.Rdm or SocketType.Dgram or SocketType.Seqpacket or SocketType.Stream))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, $"A TIPC socket is Rdm, Dgram, Seqpacket or Stream, not {type}.");
        }

        _socket = new BusSocket(SocketFamily.Tipc, type, 0);
    }

    private TipcSocket(BusSocket accepted) => _socket = accepted;

    /// <summary>The underlying socket, for what this type does not wrap.</summary>
    public BusSocket Socket => _socket;

    /// <summary>The socket type.</summary>
    public SocketType Type => _socket.Type;

    /// <summary>The timeout of blocking calls: <see langword="null"/> blocks, zero is non-blocking.</summary>
    public TimeSpan? Timeout
    {
        get => _socket.Timeout;
        set => _socket.Timeout = value;
    }

    /// <summary>This socket's own address: its port reference on this node (<c>getsockname</c>).</summary>
    public TipcSocketAddress LocalAddress => _socket.GetLocalEndPoint<TipcSocketAddress>();

    /// <summary>The connected peer's socket address (<c>getpeername</c>).</summary>
    /// <exception cref="BusException">ENOTCONN when not connected.</exception>
    public TipcSocketAddress PeerAddress => _socket.GetRemoteEndPoint<TipcSocketAddress>();

    /// <summary>The importance of the messages this socket sends (TIPC_IMPORTANCE).</summary>
    public TipcImportance Importance
    {
        get => (TipcImportance)_socket.Get(TipcOption.Importance);
        set => _socket.Set(TipcOption.Importance, (int)value);
    }

    /// <summary>Whether messages may be dropped under congestion (TIPC_SRC_DROPPABLE); the kernel's default is on for DGRAM only.</summary>
    public bool SourceDroppable
    {
        get => _socket.Get(TipcOption.SourceDroppable);
        set => _socket.Set(TipcOption.SourceDroppable, value);
    }

    /// <summary>Whether undeliverable messages are dropped instead of coming back rejected (TIPC_DEST_DROPPABLE); the kernel's default is on for DGRAM only.</summary>
    public bool DestinationDroppable
    {
        get => _socket.Get(TipcOption.DestinationDroppable);
        set => _socket.Set(TipcOption.DestinationDroppable, value);
    }

    /// <summary>How long a connect waits for the peer (TIPC_CONN_TIMEOUT, milliseconds; default 8 s).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or more than int.MaxValue milliseconds.</exception>
    public TimeSpan ConnectionTimeout
    {
        get => TimeSpan.FromMilliseconds(_socket.Get(TipcOption.ConnectionTimeout));
        set
        {
            double ms = value.TotalMilliseconds;
            if (ms is < 0 or > int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "TIPC_CONN_TIMEOUT takes 0 to int.MaxValue milliseconds.");
            }

            _socket.Set(TipcOption.ConnectionTimeout, (int)ms);
        }
    }

    /// <summary>TIPC_NODE_RECVQ_DEPTH.</summary>
    /// <remarks>Obsolete in the kernel since Linux 4.x: it answers 0.</remarks>
    public int NodeReceiveQueueDepth => _socket.Get(TipcOption.NodeReceiveQueueDepth);

    /// <summary>How many messages wait in this socket's receive queue (TIPC_SOCK_RECVQ_DEPTH).</summary>
    public int SocketReceiveQueueDepth => _socket.Get(TipcOption.SocketReceiveQueueDepth);

    /// <summary>How many bytes the receive queue holds (TIPC_SOCK_RECVQ_USED, Linux 4.16+).</summary>
    public int SocketReceiveQueueUsed => _socket.Get(TipcOption.SocketReceiveQueueUsed);

    /// <summary>Turns a stream's "smart nagle" off or on (TIPC_NODELAY, Linux 4.14+; the kernel cannot read it back).</summary>
    /// <param name="noDelay">True sends each write at once.</param>
    public void SetNoDelay(bool noDelay) => _socket.Set(TipcOption.NoDelay, noDelay);

    /// <summary>Forces how multicast reaches other nodes (TIPC_MCAST_BROADCAST / TIPC_MCAST_REPLICAST, Linux 4.15+); by default the kernel chooses per message.</summary>
    /// <param name="method">The method.</param>
    public void SetMulticastMethod(TipcMulticastMethod method) =>
        _socket.SetOption(SocketLevel.Tipc, method == TipcMulticastMethod.Broadcast ? TIPC_MCAST_BROADCAST : TIPC_MCAST_REPLICAST, ReadOnlySpan<byte>.Empty);

    /// <summary>Publishes <paramref name="range"/>: messages to any instance in it may reach this socket. A socket may hold several bindings.</summary>
    /// <param name="range">The range; its scope says who sees the binding.</param>
    /// <exception cref="ArgumentOutOfRangeException">A reserved type (below 64).</exception>
    /// <exception cref="BusException">EACCES in a group, EADDRINUSE for a duplicate binding, or another kernel error.</exception>
    public void Bind(TipcServiceRange range)
    {
        range.CheckBindable(nameof(range));
        _socket.Bind((TipcAddress)range);
    }

    /// <summary>Publishes one service instance (the one-instance range).</summary>
    /// <param name="service">The service; its lookup node is ignored.</param>
    public void Bind(TipcServiceAddress service) => Bind(service.ToRange());

    /// <summary>Withdraws one binding made with <see cref="Bind(TipcServiceRange)"/>: same type, bounds and scope.</summary>
    /// <param name="range">The binding.</param>
    /// <exception cref="BusException">EINVAL when the socket holds no such binding.</exception>
    /// <remarks>Sent to the kernel as a bind with the scope negated, which is how TIPC spells unbind.</remarks>
    public void Unbind(TipcServiceRange range)
    {
        range.CheckBindable(nameof(range));
        _socket.Bind(new Withdrawal(range));
    }

    /// <summary>Withdraws the binding of one service instance.</summary>
    /// <param name="service">The service.</param>
    public void Unbind(TipcServiceAddress service) => Unbind(service.ToRange());

    /// <summary>Withdraws every binding of this socket (a bind with address length 0).</summary>
    public void UnbindAll() => _socket.Bind(default(WithdrawAll));

    /// <summary>Connects to a service (or a socket), waiting in this socket's mode and within <see cref="ConnectionTimeout"/>.</summary>
    /// <param name="service">The service to connect to; one of the sockets bound to it accepts.</param>
    public void Connect(TipcServiceAddress service) => _socket.Connect((TipcAddress)service);

    /// <summary>Connects to one socket.</summary>
    /// <param name="socket">The socket address.</param>
    public void Connect(TipcSocketAddress socket) => _socket.Connect((TipcAddress)socket);

    /// <summary>Connects to a service asynchronously.</summary>
    /// <param name="service">The service.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when connected.</returns>
    public ValueTask ConnectAsync(TipcServiceAddress service, CancellationToken cancellationToken = default) => _socket.ConnectAsync((TipcAddress)service, cancellationToken);

    /// <summary>Connects to one socket asynchronously.</summary>
    /// <param name="socket">The socket address.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when connected.</returns>
    public ValueTask ConnectAsync(TipcSocketAddress socket, CancellationToken cancellationToken = default) => _socket.ConnectAsync((TipcAddress)socket, cancellationToken);

    /// <summary>Listens for connections (SEQPACKET and STREAM).</summary>
    /// <param name="backlog">The queue length.</param>
    public void Listen(int backlog = 128) => _socket.Listen(backlog);

    /// <summary>Accepts a connection, waiting in this socket's mode.</summary>
    /// <returns>The connected socket; its <see cref="PeerAddress"/> is the client.</returns>
    public TipcSocket Accept() => new(_socket.Accept());

    /// <summary>Accepts a connection asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The connected socket.</returns>
    public async ValueTask<TipcSocket> AcceptAsync(CancellationToken cancellationToken = default) =>
        new(await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>Sends on a connected socket (or, in a group, broadcasts).</summary>
    /// <param name="data">At most 66000 bytes per message, except on a stream.</param>
    /// <returns>The bytes sent.</returns>
    public int Send(ReadOnlySpan<byte> data) => _socket.Send(data);

    /// <summary>Sends on a connected socket asynchronously.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The bytes sent.</returns>
    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => _socket.SendAsync(data, cancellationToken: cancellationToken);

    /// <summary>Sends all of <paramref name="data"/> on a stream, looping over partial sends.</summary>
    /// <param name="data">The bytes.</param>
    public void SendAll(ReadOnlySpan<byte> data) => _socket.SendAll(data);

    /// <summary>Sends all of <paramref name="data"/> on a stream asynchronously.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Cancels the remaining sends.</param>
    /// <returns>A task that completes when everything was sent.</returns>
    public ValueTask SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => _socket.SendAllAsync(data, cancellationToken: cancellationToken);

    /// <summary>Sends one message to a service (anycast), a service range (multicast to every socket bound in it) or a socket.</summary>
    /// <param name="data">At most 66000 bytes.</param>
    /// <param name="destination">The destination.</param>
    /// <returns>The bytes sent.</returns>
    /// <exception cref="BusException">EHOSTUNREACH when no socket is bound to a service looked up on this node.</exception>
    public int SendTo(ReadOnlySpan<byte> data, TipcAddress destination) => _socket.SendTo(data, destination);

    /// <summary>Sends one message to a service, range or socket asynchronously.</summary>
    /// <param name="data">At most 66000 bytes.</param>
    /// <param name="destination">The destination.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The bytes sent.</returns>
    public ValueTask<int> SendToAsync(ReadOnlyMemory<byte> data, TipcAddress destination, CancellationToken cancellationToken = default) =>
        _socket.SendToAsync(data, destination, cancellationToken: cancellationToken);

    /// <summary>Receives one message with its sender and TIPC's per-message data, waiting in this socket's mode.</summary>
    /// <param name="buffer">The data destination; a rejected message's returned bytes land here too.</param>
    /// <returns>What arrived.</returns>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    public TipcReceived Receive(Span<byte> buffer) => Receive(_socket, buffer);

    /// <summary>Receives one message asynchronously.</summary>
    /// <param name="buffer">The data destination.</param>
    /// <param name="cancellationToken">Cancels the wait; disposing the socket also ends it.</param>
    /// <returns>What arrived.</returns>
    public ValueTask<TipcReceived> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ReceiveAsync(_socket, buffer, cancellationToken);

    internal static TipcReceived Receive(BusSocket socket, Span<byte> buffer)
    {
        int controlSpace = TipcReceived.ControlSpace(buffer.Length);
        byte[] rented = ArrayPool<byte>.Shared.Rent(controlSpace + TipcReceived.AddressSpace);
        try
        {
            Span<byte> control = rented.AsSpan(0, controlSpace);
            Span<byte> address = rented.AsSpan(controlSpace, TipcReceived.AddressSpace);
            ReceivedMessage received = socket.ReceiveMessage(buffer, control, address);
            return TipcReceived.Parse(received, buffer, control, address[..received.AddressLength]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    internal static async ValueTask<TipcReceived> ReceiveAsync(BusSocket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int controlSpace = TipcReceived.ControlSpace(buffer.Length);
        byte[] rented = ArrayPool<byte>.Shared.Rent(controlSpace + TipcReceived.AddressSpace);
        try
        {
            Memory<byte> control = rented.AsMemory(0, controlSpace);
            Memory<byte> address = rented.AsMemory(controlSpace, TipcReceived.AddressSpace);
            ReceivedMessage received = await socket.ReceiveMessageAsync(buffer, control, address, cancellationToken: cancellationToken).ConfigureAwait(false);
            return TipcReceived.Parse(received, buffer.Span, control.Span, address.Span[..received.AddressLength]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Closes the socket; its bindings are withdrawn and a blocked receive wakes with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _socket.Dispose();

    // bind(2) with a negative scope withdraws the binding instead of publishing it (net/tipc/socket.c).
    private readonly struct Withdrawal(TipcServiceRange range) : ISocketAddress
    {
        public SocketFamily Family => SocketFamily.Tipc;

        public int EncodedSize => TipcAddress.Size;

        public int Encode(Span<byte> destination) => ((TipcAddress)range).Encode(destination, (sbyte)-(int)range.Scope);

        public override string ToString() => range + " (withdrawal)";
    }

    // bind(2) with address length 0 withdraws every binding of the socket.
    private readonly struct WithdrawAll : ISocketAddress
    {
        public SocketFamily Family => SocketFamily.Tipc;

        public int EncodedSize => 0;

        public int Encode(Span<byte> destination) => 0;

        public override string ToString() => "tipc: every binding (withdrawal)";
    }
}
