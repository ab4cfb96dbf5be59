using System.Net.Sockets;
using static Buses.Bluetooth.Interop.BluetoothUapi;

namespace Buses.Bluetooth;

/// <summary>
/// An RFCOMM stream socket: a serial-port-like byte stream to a server channel (1–30) on a device,
/// what 32feet's BluetoothClient and Python's <c>socket(AF_BLUETOOTH, SOCK_STREAM, BTPROTO_RFCOMM)</c> give.
/// </summary>
/// <remarks>
/// The channel of a service is published through SDP, which needs bluetoothd; this type connects to a
/// known channel. On a client, <see cref="LocalAddress"/> reports the remote channel (a kernel quirk seen on 6.1).
/// </remarks>
public sealed class RfcommSocket : BluetoothSocket
{
    /// <summary>Opens an RFCOMM stream socket, unbound.</summary>
    /// <exception cref="BusException">EAFNOSUPPORT without Bluetooth (or outside the initial network namespace), EPROTONOSUPPORT without the rfcomm module.</exception>
    public RfcommSocket()
        : base(new BusSocket(SocketFamily.Bluetooth, SocketType.Stream, BTPROTO_RFCOMM))
    {
    }

    private RfcommSocket(BusSocket accepted)
        : base(accepted)
    {
    }

    /// <summary>The local address (<c>getsockname</c>).</summary>
    public RfcommAddress LocalAddress => Socket.GetLocalEndPoint<RfcommAddress>();

    /// <summary>The peer's address (<c>getpeername</c>).</summary>
    /// <exception cref="BusException">ENOTCONN when not connected.</exception>
    public RfcommAddress PeerAddress => Socket.GetRemoteEndPoint<RfcommAddress>();

    /// <summary>The ACL handle and the peer's class of device (RFCOMM_CONNINFO), on a connected socket.</summary>
    public BluetoothConnectionInfo ConnectionInfo => Socket.Get(RfcommSocketOption.ConnectionInfo);

    /// <summary>Binds to a local controller and channel (channel 0: the kernel picks one at <c>Listen</c>).</summary>
    /// <param name="address">The local address; <see cref="BluetoothAddress.Any"/> for any controller.</param>
    public void Bind(RfcommAddress address) => Socket.Bind(address);

    /// <summary>Connects to a server channel, waiting in this socket's mode.</summary>
    /// <param name="address">The peer and its channel, 1–30.</param>
    /// <exception cref="ArgumentException">Channel 0, which only binding takes.</exception>
    /// <exception cref="BusException">EHOSTDOWN when the device does not answer the page, ECONNREFUSED when nothing listens on the channel.</exception>
    public void Connect(RfcommAddress address) => Socket.Connect(CheckPeer(address));

    /// <summary>Connects asynchronously; see <see cref="Connect"/>.</summary>
    /// <param name="address">The peer and its channel, 1–30.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when connected.</returns>
    public ValueTask ConnectAsync(RfcommAddress address, CancellationToken cancellationToken = default) =>
        Socket.ConnectAsync(CheckPeer(address), cancellationToken);

    /// <summary>Accepts a connection.</summary>
    /// <returns>The connected socket.</returns>
    public RfcommSocket Accept() => new(Socket.Accept());

    /// <summary>Accepts a connection asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The connected socket.</returns>
    public async ValueTask<RfcommSocket> AcceptAsync(CancellationToken cancellationToken = default) =>
        new(await Socket.AcceptAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>The peer's address, without throwing when the kernel no longer has one (the peer left) or it does not decode.</summary>
    /// <param name="address">The address, or <see langword="default"/>.</param>
    /// <returns>Whether there was one.</returns>
    public bool TryGetPeerAddress(out RfcommAddress address) => TryAddress(() => Socket.RemoteEndPoint, out address);

    private static RfcommAddress CheckPeer(RfcommAddress address) => address.Channel == 0
        ? throw new ArgumentException($"RFCOMM channel 0 of {address} is outside 1–{RfcommAddress.MaxChannel}: only binding takes 0.", nameof(address))
        : address;
}
