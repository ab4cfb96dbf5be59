using System.Net.Sockets;

namespace Buses.Bluetooth;

/// <summary>
/// What RFCOMM, L2CAP and SCO sockets share: the <c>SOL_BLUETOOTH</c> options, stream and packet I/O in
/// the three socket modes, and disposal. Each protocol's type adds its addresses and options.
/// </summary>
/// <remarks>
/// AF_BLUETOOTH exists only in the initial network namespace: inside another one (a container) the kernel
/// answers <c>socket()</c> with EAFNOSUPPORT, as it does when the kernel has no Bluetooth.
/// </remarks>
public abstract class BluetoothSocket : IDisposable
{
    private protected BluetoothSocket(BusSocket socket) => Socket = socket;

    /// <summary>The underlying socket, for options and calls this type does not wrap.</summary>
    public BusSocket Socket { get; }

    /// <summary>The timeout of blocking calls: <see langword="null"/> blocks, zero is non-blocking. Async calls ignore it.</summary>
    public TimeSpan? Timeout
    {
        get => Socket.Timeout;
        set => Socket.Timeout = value;
    }

    /// <summary>The required security level and, read back on a connected socket, the key size (BT_SECURITY).</summary>
    /// <remarks>Set it before connecting or listening; raising it on a connected socket starts pairing or encryption.</remarks>
    public BluetoothSecurity Security
    {
        get => Socket.Get(BluetoothSocketOption.Security);
        set
        {
            if (value.Level > BluetoothSecurityLevel.Fips)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value.Level, $"BT_SECURITY level {(int)value.Level} is outside SDP (0) to FIPS (4).");
            }

            Socket.Set(BluetoothSocketOption.Security, new BluetoothSecurity(value.Level));
        }
    }

    /// <summary>
    /// Whether a listener defers confirming connections (BT_DEFER_SETUP): <c>Accept</c> then returns a
    /// connection the peer still waits on, which <see cref="Authorize"/> confirms and disposing rejects.
    /// </summary>
    /// <remarks>Set on the listening socket before <c>Listen</c>. Linux 2.6.31+ (L2CAP, RFCOMM), SCO since 3.10.</remarks>
    public bool DeferSetup
    {
        get => Socket.Get(BluetoothSocketOption.DeferSetup);
        set => Socket.Set(BluetoothSocketOption.DeferSetup, value);
    }

    /// <summary>Whether the link is forced active (out of sniff mode) while this socket sends (BT_POWER).</summary>
    public bool ForceActive
    {
        get => Socket.Get(BluetoothSocketOption.Power) != 0;
        set => Socket.Set(BluetoothSocketOption.Power, (byte)(value ? 1 : 0));
    }

    /// <summary>
    /// Confirms a connection accepted while <see cref="DeferSetup"/> was on: the kernel answers the peer's
    /// pending connect when the socket is first read, and that read returns no data.
    /// </summary>
    /// <remarks>The peer's connect completes after this; the first data may follow only once the channel is configured.</remarks>
    public void Authorize() => Socket.Receive(stackalloc byte[1]);

    /// <summary>Confirms a deferred connection; see <see cref="Authorize"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the confirmation was sent.</returns>
    public async ValueTask AuthorizeAsync(CancellationToken cancellationToken = default) =>
        await Socket.ReceiveAsync(new byte[1], cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Sends bytes: on a stream socket some or all of them, on a packet socket one packet.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The number of bytes sent.</returns>
    public int Send(ReadOnlySpan<byte> data) => Socket.Send(data);

    /// <summary>Sends bytes asynchronously; see <see cref="Send"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The number of bytes sent.</returns>
    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        Socket.SendAsync(data, cancellationToken: cancellationToken);

    /// <summary>Sends every byte (stream sockets), within one <see cref="Timeout"/> for the whole call.</summary>
    /// <param name="data">The bytes.</param>
    public void SendAll(ReadOnlySpan<byte> data) => Socket.SendAll(data);

    /// <summary>Sends every byte asynchronously.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when everything was sent.</returns>
    public ValueTask SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        Socket.SendAllAsync(data, cancellationToken: cancellationToken);

    /// <summary>Receives bytes: on a stream socket what is there, on a packet socket one packet (0 = the peer closed).</summary>
    /// <param name="buffer">Where to put them.</param>
    /// <returns>The number of bytes received.</returns>
    public int Receive(Span<byte> buffer) => Socket.Receive(buffer);

    /// <summary>Receives bytes asynchronously; see <see cref="Receive"/>.</summary>
    /// <param name="buffer">Where to put them.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The number of bytes received.</returns>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Socket.ReceiveAsync(buffer, cancellationToken: cancellationToken);

    /// <summary>Shuts down one or both directions.</summary>
    /// <param name="how">Which directions.</param>
    public void Shutdown(SocketShutdown how) => Socket.Shutdown(how);

    /// <summary>Listens for connections.</summary>
    /// <param name="backlog">The queue length.</param>
    public void Listen(int backlog = 8) => Socket.Listen(backlog);

    /// <summary>Closes the socket; a blocked call wakes with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        Socket.Dispose();
        GC.SuppressFinalize(this);
    }

    // The address decoded without throwing: the kernel has already handed the connection over.
    private protected static bool TryAddress<TAddress>(Func<ISocketAddress> read, out TAddress address) where TAddress : struct, ISocketAddress<TAddress>
    {
        try
        {
            if (read() is TAddress decoded)
            {
                address = decoded;
                return true;
            }
        }
        catch (BusException)
        {
        }

        address = default;
        return false;
    }
}
