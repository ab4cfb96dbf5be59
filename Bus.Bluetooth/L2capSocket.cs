using System.Net.Sockets;
using static Buses.Bluetooth.Interop.BluetoothUapi;

namespace Buses.Bluetooth;

/// <summary>
/// An L2CAP socket: SEQPACKET (each send one packet, the default) or STREAM, over a BR/EDR PSM, an LE
/// credit-based channel (LE PSM on an LE address) or a fixed channel (ATT, CID 4).
/// </summary>
/// <remarks>
/// Addresses are checked before any system call (<see cref="L2capAddress.Validate"/>). On an LE address
/// with a PSM the kernel picks LE flow-control mode; <see cref="Mode"/> chooses another before connecting
/// (BT_MODE, Linux 5.10+; older kernels answer ENOPROTOOPT).
/// <para>A large SDU is split into ACL fragments that each cost a buffer: a 65535-byte packet over a
/// controller with a small ACL MTU can need more than the default send buffer (<c>net.core.wmem_max</c>),
/// and then never fits: the kernel answers EAGAIN even on a blocking socket, and a send here waits until
/// its timeout. Raise the buffer (SO_SNDBUFFORCE with CAP_NET_ADMIN) for such packets.</para>
/// </remarks>
public sealed class L2capSocket : BluetoothSocket
{
    /// <summary>Opens an L2CAP socket, unbound.</summary>
    /// <param name="type"><see cref="SocketType.Seqpacket"/> (the default) or <see cref="SocketType.Stream"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">Another type.</exception>
    /// <exception cref="BusException">EAFNOSUPPORT without Bluetooth.</exception>
    public L2capSocket(SocketType type = SocketType.Seqpacket)
        : base(new BusSocket(SocketFamily.Bluetooth, CheckType(type), BTPROTO_L2CAP))
    {
    }

    private L2capSocket(BusSocket accepted)
        : base(accepted)
    {
    }

    private static SocketType CheckType(SocketType type) => type is SocketType.Seqpacket or SocketType.Stream
        ? type
        : throw new ArgumentOutOfRangeException(nameof(type), type, "An L2CAP socket here is Seqpacket or Stream.");

    /// <summary>The local address (<c>getsockname</c>).</summary>
    public L2capAddress LocalAddress => Socket.GetLocalEndPoint<L2capAddress>();

    /// <summary>The peer's address (<c>getpeername</c>).</summary>
    public L2capAddress PeerAddress => Socket.GetRemoteEndPoint<L2capAddress>();

    /// <summary>The peer's address, without throwing when the kernel no longer has one (the peer left) or it does not decode.</summary>
    /// <param name="address">The address, or <see langword="default"/>.</param>
    /// <returns>Whether there was one.</returns>
    public bool TryGetPeerAddress(out L2capAddress address) => TryAddress(() => Socket.RemoteEndPoint, out address);

    /// <summary>MTUs, flush timeout and legacy mode (L2CAP_OPTIONS); set before connecting or listening (BR/EDR).</summary>
    public L2capOptions Options
    {
        get => Socket.Get(L2capSocketOption.Options);
        set => Socket.Set(L2capSocketOption.Options, value);
    }

    /// <summary>The outgoing MTU the peer granted, on a connected socket.</summary>
    /// <remarks>BT_SNDMTU answers only on LE channels (EINVAL on BR/EDR, as of Linux 6.12); there the MTU is L2CAP_OPTIONS' <c>omtu</c>.</remarks>
    public int SendMtu => TryBluetoothMtu(BluetoothSocketOption.SendMtu, out int mtu) ? mtu : Options.OutgoingMtu;

    /// <summary>The incoming MTU: 48–65535, set before connecting or listening.</summary>
    /// <remarks>BT_RCVMTU serves LE channels; on BR/EDR the kernel answers EINVAL and L2CAP_OPTIONS' <c>imtu</c> is used instead.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">Below 48 (L2CAP's minimum MTU) or above 65535.</exception>
    public int ReceiveMtu
    {
        get => TryBluetoothMtu(BluetoothSocketOption.ReceiveMtu, out int mtu) ? mtu : Options.IncomingMtu;
        set
        {
            if (value is < 48 or > ushort.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"L2CAP MTU {value} is outside 48–65535.");
            }

            try
            {
                Socket.Set(BluetoothSocketOption.ReceiveMtu, (ushort)value);
            }
            catch (BusException ex) when (ex.Errno == Errno.EINVAL)
            {
                Options = Options with { IncomingMtu = (ushort)value };
            }
        }
    }

    private bool TryBluetoothMtu(StructOption<ushort> option, out int mtu)
    {
        try
        {
            mtu = Socket.Get(option);
            return true;
        }
        catch (BusException ex) when (ex.Errno == Errno.EINVAL)
        {
            mtu = 0;
            return false;
        }
    }

    /// <summary>The channel mode (BT_MODE, Linux 5.10+): basic, ERTM, streaming (BR/EDR) or LE / extended flow control.</summary>
    public L2capMode Mode
    {
        get => (L2capMode)Socket.Get(BluetoothSocketOption.Mode);
        set
        {
            if (value > L2capMode.ExtendedFlowControl)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "BT_MODE is Basic, EnhancedRetransmission, Streaming, LeFlowControl or ExtendedFlowControl (0–4).");
            }

            Socket.Set(BluetoothSocketOption.Mode, (byte)value);
        }
    }

    /// <summary>Whether outgoing packets may be flushed by the controller (BT_FLUSHABLE).</summary>
    public bool Flushable
    {
        get => Socket.Get(BluetoothSocketOption.Flushable);
        set => Socket.Set(BluetoothSocketOption.Flushable, value);
    }

    /// <summary>The AMP channel policy (BT_CHANNEL_POLICY, ERTM and streaming modes only): 0 BR/EDR only, 1 BR/EDR preferred, 2 AMP preferred.</summary>
    public int ChannelPolicy
    {
        get => Socket.Get(BluetoothSocketOption.ChannelPolicy);
        set => Socket.Set(BluetoothSocketOption.ChannelPolicy, value);
    }

    /// <summary>The PHYs the connection may use (BT_PHY, Linux 5.10+), on a connected socket.</summary>
    public BluetoothPhy Phy => (BluetoothPhy)Socket.Get(BluetoothSocketOption.Phy);

    /// <summary>The ACL handle and the peer's class of device (L2CAP_CONNINFO), on a connected BR/EDR socket.</summary>
    public BluetoothConnectionInfo ConnectionInfo => Socket.Get(L2capSocketOption.ConnectionInfo);

    /// <summary>Binds to a local controller and a PSM or CID, after checking the address.</summary>
    /// <param name="address">The local address.</param>
    /// <exception cref="ArgumentException">The PSM or CID breaks the rules of its address type.</exception>
    public void Bind(L2capAddress address)
    {
        address.Validate();
        Socket.Bind(address);
    }

    /// <summary>Connects, after checking the address, waiting in this socket's mode.</summary>
    /// <param name="address">The peer with a PSM or a fixed CID.</param>
    /// <exception cref="ArgumentException">The PSM or CID breaks the rules, or neither is set.</exception>
    /// <exception cref="BusException">EHOSTDOWN when the device does not answer, ECONNREFUSED when nothing listens on the PSM.</exception>
    public void Connect(L2capAddress address) => Socket.Connect(CheckPeer(address));

    /// <summary>Connects asynchronously; see <see cref="Connect"/>.</summary>
    /// <param name="address">The peer.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when connected.</returns>
    public ValueTask ConnectAsync(L2capAddress address, CancellationToken cancellationToken = default) =>
        Socket.ConnectAsync(CheckPeer(address), cancellationToken);

    /// <summary>Accepts a connection.</summary>
    /// <returns>The connected socket.</returns>
    public L2capSocket Accept() => new(Socket.Accept());

    /// <summary>Accepts a connection asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The connected socket.</returns>
    public async ValueTask<L2capSocket> AcceptAsync(CancellationToken cancellationToken = default) =>
        new(await Socket.AcceptAsync(cancellationToken).ConfigureAwait(false));

    private static L2capAddress CheckPeer(L2capAddress address)
    {
        address.Validate();
        if (address.Psm == 0 && address.Cid == 0)
        {
            throw new ArgumentException($"L2CAP address {address} has neither a PSM nor a CID to connect to.", nameof(address));
        }

        return address;
    }
}
