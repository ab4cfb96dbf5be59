namespace Buses.Bluetooth;

/// <summary>
/// A device and RFCOMM channel, as 32feet.NET's <c>BluetoothEndPoint</c> names them (<see cref="Port"/> is the
/// channel). Unlike 32feet on Linux, a service UUID is not accepted: without SDP (bluetoothd) it would
/// silently connect to channel 0.
/// </summary>
/// <param name="Address">The device.</param>
/// <param name="Port">The RFCOMM channel, 1–30 (0 only to listen on any free channel).</param>
public sealed record BluetoothEndPoint(BluetoothAddress Address, int Port)
{
    /// <summary>The RFCOMM socket address of this end point.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A port outside 0–30.</exception>
    public RfcommAddress ToRfcommAddress() => new(Address, Port);

    /// <summary>The RFCOMM address text, <c>rfcomm:00:AA:01:01:00:01,5</c>.</summary>
    public override string ToString() => ToRfcommAddress().ToString();
}

/// <summary>
/// An RFCOMM client in the shape of 32feet.NET's <c>BluetoothClient</c>: connect to an end point, then read
/// and write a <see cref="Stream"/>.
/// </summary>
public sealed class BluetoothClient : IDisposable
{
    private readonly RfcommSocket _socket;
    private BusSocketStream? _stream;

    /// <summary>An unconnected client.</summary>
    public BluetoothClient() => _socket = new RfcommSocket();

    internal BluetoothClient(RfcommSocket connected) => _socket = connected;

    /// <summary>The socket, for options (security, timeouts).</summary>
    public RfcommSocket Client => _socket;

    /// <summary>Whether the client is connected (it has a peer).</summary>
    public bool Connected => _socket.TryGetPeerAddress(out _);

    /// <summary>The connected peer, or <see langword="null"/>.</summary>
    public BluetoothEndPoint? RemoteEndPoint => _socket.TryGetPeerAddress(out RfcommAddress peer) ? new BluetoothEndPoint(peer.Device, peer.Channel) : null;

    /// <summary>Connects to <paramref name="endPoint"/>.</summary>
    /// <param name="endPoint">The device and channel, 1–30.</param>
    public void Connect(BluetoothEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        _socket.Connect(endPoint.ToRfcommAddress());
    }

    /// <summary>Connects to <paramref name="address"/> on <paramref name="channel"/>.</summary>
    /// <param name="address">The device.</param>
    /// <param name="channel">1–30.</param>
    public void Connect(BluetoothAddress address, int channel) => Connect(new BluetoothEndPoint(address, channel));

    /// <summary>Connects asynchronously.</summary>
    /// <param name="endPoint">The device and channel.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when connected.</returns>
    public ValueTask ConnectAsync(BluetoothEndPoint endPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return _socket.ConnectAsync(endPoint.ToRfcommAddress(), cancellationToken);
    }

    /// <summary>The connection as a stream (one per client; disposing it disposes the client's socket).</summary>
    /// <returns>The stream.</returns>
    public Stream GetStream() => _stream ??= new BusSocketStream(_socket.Socket, ownsSocket: true);

    /// <summary>Closes the connection.</summary>
    public void Dispose()
    {
        _stream?.Dispose();
        _socket.Dispose();
    }
}

/// <summary>An RFCOMM listener in the shape of 32feet.NET's <c>BluetoothListener</c>.</summary>
/// <remarks>No SDP record is published (that needs bluetoothd); peers connect to the channel directly.</remarks>
public sealed class BluetoothListener : IDisposable
{
    private readonly RfcommSocket _socket = new();
    private readonly BluetoothEndPoint _local;

    /// <summary>A listener on <paramref name="channel"/> of any local controller.</summary>
    /// <param name="channel">1–30, or 0 for any free channel (see <see cref="LocalEndPoint"/> after <see cref="Start"/>).</param>
    public BluetoothListener(int channel)
        : this(new BluetoothEndPoint(BluetoothAddress.Any, channel))
    {
    }

    /// <summary>A listener on a local controller and channel.</summary>
    /// <param name="localEndPoint">The controller (<see cref="BluetoothAddress.Any"/> for any) and channel.</param>
    public BluetoothListener(BluetoothEndPoint localEndPoint)
    {
        ArgumentNullException.ThrowIfNull(localEndPoint);
        _ = localEndPoint.ToRfcommAddress();
        _local = localEndPoint;
    }

    /// <summary>The socket, for options (security, deferred setup, timeouts).</summary>
    public RfcommSocket Server => _socket;

    /// <summary>The bound end point (the channel the kernel picked, after <see cref="Start"/> with 0).</summary>
    public BluetoothEndPoint LocalEndPoint
    {
        get
        {
            RfcommAddress a = _socket.LocalAddress;
            return new BluetoothEndPoint(a.Device, a.Channel);
        }
    }

    /// <summary>Binds and listens.</summary>
    /// <param name="backlog">The queue length.</param>
    public void Start(int backlog = 8)
    {
        _socket.Bind(_local.ToRfcommAddress());
        _socket.Listen(backlog);
    }

    /// <summary>Accepts a client.</summary>
    /// <returns>The connected client.</returns>
    public BluetoothClient AcceptBluetoothClient() => new(_socket.Accept());

    /// <summary>Accepts a client asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The connected client.</returns>
    public async ValueTask<BluetoothClient> AcceptBluetoothClientAsync(CancellationToken cancellationToken = default) =>
        new(await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>Stops listening.</summary>
    public void Stop() => _socket.Dispose();

    /// <summary>Stops listening.</summary>
    public void Dispose() => _socket.Dispose();
}
