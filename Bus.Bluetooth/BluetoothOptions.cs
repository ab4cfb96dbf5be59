using System.Runtime.InteropServices;
using static Buses.Bluetooth.Interop.BluetoothUapi;

namespace Buses.Bluetooth;

/// <summary>
/// <c>SOL_BLUETOOTH</c> options, each typed by its C type. The socket types wrap them in properties
/// (<see cref="BluetoothSocket.Security"/>, <see cref="L2capSocket.Mode"/> …); these descriptors are for
/// <see cref="BusSocket.Get(BoolOption)"/>-style access on any Bluetooth socket.
/// </summary>
public static class BluetoothSocketOption
{
    private const int L = SocketLevel.Bluetooth;

    /// <summary>BT_SECURITY: the security level the link must reach (and, read back, the encryption key size).</summary>
    public static readonly StructOption<BluetoothSecurity> Security = new(L, BT_SECURITY, "BT_SECURITY");
    /// <summary>BT_DEFER_SETUP: on a listener, accept returns connections before they are confirmed to the peer.</summary>
    public static readonly BoolOption DeferSetup = new(L, BT_DEFER_SETUP, "BT_DEFER_SETUP");
    /// <summary>BT_FLUSHABLE (L2CAP): outgoing packets may be flushed by the controller.</summary>
    public static readonly BoolOption Flushable = new(L, BT_FLUSHABLE, "BT_FLUSHABLE");
    /// <summary>BT_POWER (<c>struct bt_power</c>, one byte): 1 forces the link active (out of sniff mode) while sending.</summary>
    public static readonly StructOption<byte> Power = new(L, BT_POWER, "BT_POWER");
    /// <summary>BT_CHANNEL_POLICY (L2CAP ERTM/streaming): BR/EDR only (0), BR/EDR preferred (1), AMP preferred (2).</summary>
    public static readonly IntOption ChannelPolicy = new(L, BT_CHANNEL_POLICY, "BT_CHANNEL_POLICY", BT_CHANNEL_POLICY_BREDR_ONLY, BT_CHANNEL_POLICY_AMP_PREFERRED);
    /// <summary>BT_VOICE (SCO, <c>struct bt_voice</c>): the air coding, e.g. 0x0060 CVSD or 0x0003 transparent.</summary>
    public static readonly StructOption<ushort> Voice = new(L, BT_VOICE, "BT_VOICE");
    /// <summary>BT_SNDMTU (L2CAP, a <c>u16</c>, read only): the outgoing MTU the peer granted.</summary>
    public static readonly StructOption<ushort> SendMtu = new(L, BT_SNDMTU, "BT_SNDMTU");
    /// <summary>BT_RCVMTU (L2CAP, a <c>u16</c>): the incoming MTU, set before connecting.</summary>
    public static readonly StructOption<ushort> ReceiveMtu = new(L, BT_RCVMTU, "BT_RCVMTU");
    /// <summary>BT_PHY (a <c>u32</c> of <see cref="BluetoothPhy"/> bits, read only): the PHYs the connection may use.</summary>
    public static readonly IntOption Phy = new(L, BT_PHY, "BT_PHY");
    /// <summary>BT_MODE (L2CAP, a <c>u8</c> <see cref="L2capMode"/>): the channel mode, set before connecting.</summary>
    public static readonly StructOption<byte> Mode = new(L, BT_MODE, "BT_MODE");
}

/// <summary><c>SOL_L2CAP</c> options.</summary>
public static class L2capSocketOption
{
    /// <summary>L2CAP_OPTIONS: MTUs, flush timeout and mode (BR/EDR; LE uses BT_MODE and BT_RCVMTU).</summary>
    public static readonly StructOption<L2capOptions> Options = new(SocketLevel.L2cap, L2CAP_OPTIONS, "L2CAP_OPTIONS");
    /// <summary>L2CAP_CONNINFO (read only, connected): the ACL handle and the peer's class of device.</summary>
    public static readonly StructOption<BluetoothConnectionInfo> ConnectionInfo = new(SocketLevel.L2cap, L2CAP_CONNINFO, "L2CAP_CONNINFO");
    /// <summary>L2CAP_LM: the legacy link-mode bits (master, auth, encrypt, trusted, reliable, secure).</summary>
    public static readonly IntOption LinkMode = new(SocketLevel.L2cap, L2CAP_LM, "L2CAP_LM", 0, 0x3F);
}

/// <summary><c>SOL_RFCOMM</c> options.</summary>
public static class RfcommSocketOption
{
    /// <summary>RFCOMM_CONNINFO (read only, connected): the ACL handle and the peer's class of device.</summary>
    public static readonly StructOption<BluetoothConnectionInfo> ConnectionInfo = new(SocketLevel.Rfcomm, RFCOMM_CONNINFO, "RFCOMM_CONNINFO");
    /// <summary>RFCOMM_LM: the legacy link-mode bits, as L2CAP_LM.</summary>
    public static readonly IntOption LinkMode = new(SocketLevel.Rfcomm, RFCOMM_LM, "RFCOMM_LM", 0, 0x3F);
}

/// <summary><c>SOL_SCO</c> options.</summary>
public static class ScoSocketOption
{
    /// <summary>SCO_OPTIONS (<c>struct sco_options</c>, read only, connected): the SCO MTU.</summary>
    public static readonly StructOption<ushort> Options = new(SocketLevel.Sco, SCO_OPTIONS, "SCO_OPTIONS");
    /// <summary>SCO_CONNINFO (read only, connected): the SCO handle and the peer's class of device.</summary>
    public static readonly StructOption<BluetoothConnectionInfo> ConnectionInfo = new(SocketLevel.Sco, SCO_CONNINFO, "SCO_CONNINFO");
}

/// <summary><c>SOL_HCI</c> options, valid only on <see cref="HciChannel.Raw"/> sockets (EBADFD elsewhere).</summary>
public static class HciSocketOption
{
    /// <summary>HCI_DATA_DIR: each received packet carries HCI_CMSG_DIR (1 = from the controller).</summary>
    public static readonly BoolOption DataDirection = new(SocketLevel.Hci, HCI_DATA_DIR, "HCI_DATA_DIR");
    /// <summary>HCI_FILTER: which packet types, events and command opcode reach the socket.</summary>
    public static readonly StructOption<HciFilter> Filter = new(SocketLevel.Hci, HCI_FILTER, "HCI_FILTER");
    /// <summary>HCI_TIME_STAMP: each received packet carries HCI_CMSG_TSTAMP (a <c>struct timeval</c>).</summary>
    public static readonly BoolOption TimeStamp = new(SocketLevel.Hci, HCI_TIME_STAMP, "HCI_TIME_STAMP");
}

/// <summary>The security level of a link (<c>BT_SECURITY_*</c>).</summary>
public enum BluetoothSecurityLevel : byte
{
    /// <summary>BT_SECURITY_SDP: none at all (SDP only).</summary>
    Sdp = 0,
    /// <summary>BT_SECURITY_LOW: no authentication or encryption required (the default).</summary>
    Low = 1,
    /// <summary>BT_SECURITY_MEDIUM: encryption, unauthenticated keys allowed.</summary>
    Medium = 2,
    /// <summary>BT_SECURITY_HIGH: authenticated (MITM-protected) encryption.</summary>
    High = 3,
    /// <summary>BT_SECURITY_FIPS: Secure Connections only, FIPS-approved algorithms.</summary>
    Fips = 4,
}

/// <summary><c>struct bt_security</c>: the level, and (read back) the key size of the link's encryption.</summary>
/// <param name="Level">The level.</param>
/// <param name="KeySize">The encryption key size in bytes (0 when not encrypted); ignored when set.</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct BluetoothSecurity(BluetoothSecurityLevel Level, byte KeySize = 0);

/// <summary>L2CAP channel modes for <see cref="BluetoothSocketOption.Mode"/> (<c>BT_MODE_*</c>, Linux 5.10+).</summary>
public enum L2capMode : byte
{
    /// <summary>BT_MODE_BASIC.</summary>
    Basic = 0,
    /// <summary>BT_MODE_ERTM: enhanced retransmission (BR/EDR).</summary>
    EnhancedRetransmission = 1,
    /// <summary>BT_MODE_STREAMING (BR/EDR).</summary>
    Streaming = 2,
    /// <summary>BT_MODE_LE_FLOWCTL: LE credit-based flow control (LE CoC).</summary>
    LeFlowControl = 3,
    /// <summary>BT_MODE_EXT_FLOWCTL: enhanced credit-based flow control (needs <c>enable_ecred</c>).</summary>
    ExtendedFlowControl = 4,
}

/// <summary>PHY bits of <see cref="BluetoothSocketOption.Phy"/> (<c>BT_PHY_*</c>).</summary>
[Flags]
public enum BluetoothPhy
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>BT_PHY_BR_1M_1SLOT.</summary>
    Br1M1Slot = 0x1,
    /// <summary>BT_PHY_BR_1M_3SLOT.</summary>
    Br1M3Slot = 0x2,
    /// <summary>BT_PHY_BR_1M_5SLOT.</summary>
    Br1M5Slot = 0x4,
    /// <summary>BT_PHY_EDR_2M_1SLOT.</summary>
    Edr2M1Slot = 0x8,
    /// <summary>BT_PHY_EDR_2M_3SLOT.</summary>
    Edr2M3Slot = 0x10,
    /// <summary>BT_PHY_EDR_2M_5SLOT.</summary>
    Edr2M5Slot = 0x20,
    /// <summary>BT_PHY_EDR_3M_1SLOT.</summary>
    Edr3M1Slot = 0x40,
    /// <summary>BT_PHY_EDR_3M_3SLOT.</summary>
    Edr3M3Slot = 0x80,
    /// <summary>BT_PHY_EDR_3M_5SLOT.</summary>
    Edr3M5Slot = 0x100,
    /// <summary>BT_PHY_LE_1M_TX.</summary>
    Le1MTransmit = 0x200,
    /// <summary>BT_PHY_LE_1M_RX.</summary>
    Le1MReceive = 0x400,
    /// <summary>BT_PHY_LE_2M_TX.</summary>
    Le2MTransmit = 0x800,
    /// <summary>BT_PHY_LE_2M_RX.</summary>
    Le2MReceive = 0x1000,
    /// <summary>BT_PHY_LE_CODED_TX.</summary>
    LeCodedTransmit = 0x2000,
    /// <summary>BT_PHY_LE_CODED_RX.</summary>
    LeCodedReceive = 0x4000,
}

/// <summary>
/// <c>struct l2cap_options</c> (L2CAP_OPTIONS, 12 bytes). <see cref="Mode"/> uses the legacy
/// <c>L2CAP_MODE_*</c> numbering (basic 0, ERTM 3, streaming 4), not BT_MODE's.
/// </summary>
/// <param name="OutgoingMtu"><c>omtu</c>: the largest packet this side sends.</param>
/// <param name="IncomingMtu"><c>imtu</c>: the largest packet this side receives (default 672).</param>
/// <param name="FlushTimeout"><c>flush_to</c>, 0xFFFF = infinite.</param>
/// <param name="Mode"><c>mode</c> (L2CAP_MODE_*).</param>
/// <param name="Fcs"><c>fcs</c>: frame check sequence, 0 none, 1 16-bit.</param>
/// <param name="MaxTransmit"><c>max_tx</c>: ERTM retransmissions.</param>
/// <param name="TransmitWindowSize"><c>txwin_size</c>: ERTM window.</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct L2capOptions(ushort OutgoingMtu, ushort IncomingMtu, ushort FlushTimeout, byte Mode, byte Fcs, byte MaxTransmit, ushort TransmitWindowSize);

/// <summary><c>struct l2cap_conninfo</c>, <c>rfcomm_conninfo</c> and <c>sco_conninfo</c> (one layout, 6 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct BluetoothConnectionInfo : IEquatable<BluetoothConnectionInfo>
{
    private readonly ushort _hciHandle;
    private readonly byte _class0;
    private readonly byte _class1;
    private readonly byte _class2;

    /// <summary>The HCI connection handle of the link.</summary>
    public ushort HciHandle => _hciHandle;

    /// <summary>The peer's class of device, 24 bits.</summary>
    public int DeviceClass => _class0 | (_class1 << 8) | (_class2 << 16);

    /// <inheritdoc/>
    public bool Equals(BluetoothConnectionInfo other) => _hciHandle == other._hciHandle && DeviceClass == other.DeviceClass;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BluetoothConnectionInfo other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_hciHandle, DeviceClass);

    /// <summary>The handle and class in hex.</summary>
    public override string ToString() => $"handle 0x{HciHandle:X4} class 0x{DeviceClass:X6}";

    /// <summary>Equality.</summary>
    public static bool operator ==(BluetoothConnectionInfo left, BluetoothConnectionInfo right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(BluetoothConnectionInfo left, BluetoothConnectionInfo right) => !left.Equals(right);
}
