using System.Runtime.InteropServices;
using static Buses.Can.Interop.IsoTpUapi;

namespace Buses.Can;

/// <summary>The behaviour flags of an ISO-TP socket (<c>can_isotp_options.flags</c>).</summary>
[Flags]
public enum IsoTpFlags : uint
{
    /// <summary>None: normal addressing, no padding, full duplex.</summary>
    None = 0,
    /// <summary>Listen only: never send flow control (CAN_ISOTP_LISTEN_MODE), for sniffers.</summary>
    ListenMode = CAN_ISOTP_LISTEN_MODE,
    /// <summary>Extended (or mixed) addressing: the first data byte is <see cref="IsoTpOptions.ExtendedAddress"/> (CAN_ISOTP_EXTEND_ADDR).</summary>
    ExtendedAddress = CAN_ISOTP_EXTEND_ADDR,
    /// <summary>Pad sent frames to full length with <see cref="IsoTpOptions.TransmitPadding"/> (CAN_ISOTP_TX_PADDING).</summary>
    TransmitPadding = CAN_ISOTP_TX_PADDING,
    /// <summary>Expect padded received frames (CAN_ISOTP_RX_PADDING); needed by the two checks.</summary>
    ReceivePadding = CAN_ISOTP_RX_PADDING,
    /// <summary>Drop received frames that are not padded to full length, reporting EBADMSG (CAN_ISOTP_CHK_PAD_LEN).</summary>
    CheckPaddingLength = CAN_ISOTP_CHK_PAD_LEN,
    /// <summary>Drop received frames whose padding is not <see cref="IsoTpOptions.ReceivePadding"/>, reporting EBADMSG (CAN_ISOTP_CHK_PAD_DATA).</summary>
    CheckPaddingData = CAN_ISOTP_CHK_PAD_DATA,
    /// <summary>Half duplex: no reception while sending and the reverse (CAN_ISOTP_HALF_DUPLEX).</summary>
    HalfDuplex = CAN_ISOTP_HALF_DUPLEX,
    /// <summary>Ignore the peer's STmin and use <see cref="IsoTpOptions.FrameTransmitTime"/> (CAN_ISOTP_FORCE_TXSTMIN).</summary>
    ForceTransmitStmin = CAN_ISOTP_FORCE_TXSTMIN,
    /// <summary>Drop consecutive frames that come faster than the receive STmin (CAN_ISOTP_FORCE_RXSTMIN).</summary>
    ForceReceiveStmin = CAN_ISOTP_FORCE_RXSTMIN,
    /// <summary>Receive with <see cref="IsoTpOptions.ReceiveExtendedAddress"/> instead of the transmit one (CAN_ISOTP_RX_EXT_ADDR).</summary>
    ReceiveExtendedAddress = CAN_ISOTP_RX_EXT_ADDR,
    /// <summary>A send returns only when the whole PDU is out, with its error (ECOMM without flow control) (CAN_ISOTP_WAIT_TX_DONE).</summary>
    WaitTransmitDone = CAN_ISOTP_WAIT_TX_DONE,
    /// <summary>1-to-N functional addressing: single frames only, no flow control (CAN_ISOTP_SF_BROADCAST, Linux 5.11+).</summary>
    SingleFrameBroadcast = CAN_ISOTP_SF_BROADCAST,
    /// <summary>1-to-N transmission of segmented PDUs without flow control (CAN_ISOTP_CF_BROADCAST, Linux 5.19+).</summary>
    ConsecutiveFrameBroadcast = CAN_ISOTP_CF_BROADCAST,
    /// <summary>Flow-control parameters may change between PDUs of a transfer (CAN_ISOTP_DYN_FC_PARMS, Linux 6.6+).</summary>
    DynamicFlowControl = CAN_ISOTP_DYN_FC_PARMS,
}

/// <summary>
/// <c>struct can_isotp_options</c> (12 bytes): the general options, set with <see cref="IsoTpSocket.Options"/>
/// before binding.
/// </summary>
/// <param name="Flags">The behaviour flags.</param>
/// <param name="FrameTransmitTime">Nanoseconds between frames when the STmin is forced (and N_As/N_Ar); 0 keeps the kernel's 50 µs, <see cref="IsoTpOptions.ZeroTransmitTime"/> means really zero.</param>
/// <param name="ExtendedAddress">The address byte of extended/mixed addressing (sent, and received unless <see cref="IsoTpFlags.ReceiveExtendedAddress"/>).</param>
/// <param name="TransmitPadding">The padding byte sent (default 0xCC, which avoids bit stuffing).</param>
/// <param name="ReceivePadding">The padding byte expected by <see cref="IsoTpFlags.CheckPaddingData"/>.</param>
/// <param name="ReceiveExtendedAddress">The address byte received with <see cref="IsoTpFlags.ReceiveExtendedAddress"/>.</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct IsoTpOptions(
    IsoTpFlags Flags = IsoTpFlags.None,
    uint FrameTransmitTime = 0,
    byte ExtendedAddress = 0,
    byte TransmitPadding = CAN_ISOTP_DEFAULT_PAD_CONTENT,
    byte ReceivePadding = CAN_ISOTP_DEFAULT_PAD_CONTENT,
    byte ReceiveExtendedAddress = 0)
{
    /// <summary>The <see cref="FrameTransmitTime"/> that means zero (CAN_ISOTP_FRAME_TXTIME_ZERO); plain 0 keeps the default.</summary>
    public const uint ZeroTransmitTime = CAN_ISOTP_FRAME_TXTIME_ZERO;

    /// <summary>The kernel's defaults: no flags, 50 µs frame time, padding 0xCC.</summary>
    public static IsoTpOptions Default => new(IsoTpFlags.None);
}

/// <summary>
/// <c>struct can_isotp_fc_options</c> (3 bytes): the flow control this socket sends when it receives
/// (<see cref="IsoTpSocket.FlowControl"/>).
/// </summary>
/// <param name="BlockSize">Consecutive frames per flow control (0 = all at once).</param>
/// <param name="SeparationTime">The STmin byte asked of the sender: 0x00–0x7F ms, 0xF1–0xF9 = 100–900 µs.</param>
/// <param name="WaitFrameMax">How many wait frames (FC.WT) may be sent before giving up (0 = none).</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct IsoTpFlowControl(byte BlockSize = 0, byte SeparationTime = 0, byte WaitFrameMax = 0)
{
    /// <summary>Throws when <see cref="SeparationTime"/> is a reserved STmin value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">0x80–0xF0 or 0xFA–0xFF.</exception>
    public void Validate()
    {
        if (SeparationTime is > 0x7F and not (>= 0xF1 and <= 0xF9))
        {
            throw new ArgumentOutOfRangeException(nameof(SeparationTime), SeparationTime, $"ISO-TP STmin 0x{SeparationTime:X2} is reserved: use 0x00–0x7F (milliseconds) or 0xF1–0xF9 (100–900 µs).");
        }
    }
}

/// <summary>
/// <c>struct can_isotp_ll_options</c> (3 bytes): the link layer, classic CAN or CAN FD
/// (<see cref="IsoTpSocket.LinkLayer"/>, Linux 5.10+).
/// </summary>
/// <param name="Mtu">16 (classic CAN) or 72 (CAN FD); the interface must carry it.</param>
/// <param name="TransmitDataLength">The frame payload used to send: 8 on classic; 8, 12, 16, 20, 24, 32, 48 or 64 on FD.</param>
/// <param name="TransmitFlags">FD flags of sent frames (e.g. <see cref="CanFdFlags.BitRateSwitch"/>).</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct IsoTpLinkLayer(byte Mtu = CAN_ISOTP_DEFAULT_LL_MTU, byte TransmitDataLength = CAN_ISOTP_DEFAULT_LL_TX_DL, CanFdFlags TransmitFlags = CanFdFlags.None)
{
    /// <summary>Classic CAN: MTU 16, 8-byte frames.</summary>
    public static IsoTpLinkLayer Classic => new(CAN_ISOTP_DEFAULT_LL_MTU);

    /// <summary>CAN FD with <paramref name="dataLength"/>-byte frames.</summary>
    /// <param name="dataLength">8, 12, 16, 20, 24, 32, 48 or 64.</param>
    /// <param name="flags">FD flags, e.g. bit-rate switch.</param>
    /// <returns>The link layer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Another data length.</exception>
    public static IsoTpLinkLayer Fd(int dataLength = 64, CanFdFlags flags = CanFdFlags.None)
    {
        var ll = new IsoTpLinkLayer(CanFdFrame.Size, (byte)Math.Clamp(dataLength, 0, 255), flags);
        if (dataLength is < 0 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(dataLength), dataLength, "ISO-TP tx_dl must be 8, 12, 16, 20, 24, 32, 48 or 64.");
        }

        ll.Validate();
        return ll;
    }

    /// <summary>Throws on a combination the kernel refuses with EINVAL.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bad MTU or data length.</exception>
    public void Validate()
    {
        if (Mtu is not (CanFrame.Size or CanFdFrame.Size))
        {
            throw new ArgumentOutOfRangeException(nameof(Mtu), Mtu, $"ISO-TP link-layer MTU {Mtu} is neither 16 (CAN_MTU) nor 72 (CANFD_MTU).");
        }

        if (TransmitDataLength is not (8 or 12 or 16 or 20 or 24 or 32 or 48 or 64))
        {
            throw new ArgumentOutOfRangeException(nameof(TransmitDataLength), TransmitDataLength, $"ISO-TP tx_dl {TransmitDataLength} is not one of 8, 12, 16, 20, 24, 32, 48, 64.");
        }

        if (Mtu == CanFrame.Size && TransmitDataLength != 8)
        {
            throw new ArgumentOutOfRangeException(nameof(TransmitDataLength), TransmitDataLength, $"ISO-TP tx_dl {TransmitDataLength} needs the CAN FD MTU (72); classic CAN carries 8.");
        }
    }
}

/// <summary>
/// <c>SOL_CAN_ISOTP</c> options with Linux values, typed by their C type. All of them must be set before
/// <see cref="IsoTpSocket.Bind(IsoTpAddress)"/>: the kernel answers EISCONN afterwards.
/// </summary>
public static class IsoTpOption
{
    /// <summary>CAN_ISOTP_OPTS: flags, frame time, addresses and padding bytes.</summary>
    public static readonly StructOption<IsoTpOptions> Options = new(SocketLevel.CanIsoTp, CAN_ISOTP_OPTS, "CAN_ISOTP_OPTS");
    /// <summary>CAN_ISOTP_RECV_FC: the flow control sent when receiving.</summary>
    public static readonly StructOption<IsoTpFlowControl> ReceiveFlowControl = new(SocketLevel.CanIsoTp, CAN_ISOTP_RECV_FC, "CAN_ISOTP_RECV_FC");
    /// <summary>CAN_ISOTP_TX_STMIN: nanoseconds between sent consecutive frames, overriding the peer's STmin when larger.</summary>
    public static readonly IntOption TransmitStmin = new(SocketLevel.CanIsoTp, CAN_ISOTP_TX_STMIN, "CAN_ISOTP_TX_STMIN", 0);
    /// <summary>CAN_ISOTP_RX_STMIN: nanoseconds below which received consecutive frames are dropped (with <see cref="IsoTpFlags.ForceReceiveStmin"/>).</summary>
    public static readonly IntOption ReceiveStmin = new(SocketLevel.CanIsoTp, CAN_ISOTP_RX_STMIN, "CAN_ISOTP_RX_STMIN", 0);
    /// <summary>CAN_ISOTP_LL_OPTS: the link layer (classic or FD, frame length).</summary>
    public static readonly StructOption<IsoTpLinkLayer> LinkLayer = new(SocketLevel.CanIsoTp, CAN_ISOTP_LL_OPTS, "CAN_ISOTP_LL_OPTS");
}
