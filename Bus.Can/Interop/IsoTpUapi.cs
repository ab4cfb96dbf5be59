#pragma warning disable CS8981 // C names from linux/can/isotp.h are kept on purpose (grep-able against the header).

namespace Buses.Can.Interop;

/// <summary>Constants of linux/can/isotp.h, with their C names.</summary>
internal static class IsoTpUapi
{
    public const int CAN_ISOTP_OPTS = 1;
    public const int CAN_ISOTP_RECV_FC = 2;
    public const int CAN_ISOTP_TX_STMIN = 3;
    public const int CAN_ISOTP_RX_STMIN = 4;
    public const int CAN_ISOTP_LL_OPTS = 5;

    public const uint CAN_ISOTP_LISTEN_MODE = 0x0001;
    public const uint CAN_ISOTP_EXTEND_ADDR = 0x0002;
    public const uint CAN_ISOTP_TX_PADDING = 0x0004;
    public const uint CAN_ISOTP_RX_PADDING = 0x0008;
    public const uint CAN_ISOTP_CHK_PAD_LEN = 0x0010;
    public const uint CAN_ISOTP_CHK_PAD_DATA = 0x0020;
    public const uint CAN_ISOTP_HALF_DUPLEX = 0x0040;
    public const uint CAN_ISOTP_FORCE_TXSTMIN = 0x0080;
    public const uint CAN_ISOTP_FORCE_RXSTMIN = 0x0100;
    public const uint CAN_ISOTP_RX_EXT_ADDR = 0x0200;
    public const uint CAN_ISOTP_WAIT_TX_DONE = 0x0400;
    public const uint CAN_ISOTP_SF_BROADCAST = 0x0800;
    public const uint CAN_ISOTP_CF_BROADCAST = 0x1000;
    public const uint CAN_ISOTP_DYN_FC_PARMS = 0x2000;

    public const uint CAN_ISOTP_DEFAULT_FLAGS = 0;
    public const byte CAN_ISOTP_DEFAULT_EXT_ADDRESS = 0x00;
    public const byte CAN_ISOTP_DEFAULT_PAD_CONTENT = 0xCC;
    public const uint CAN_ISOTP_DEFAULT_FRAME_TXTIME = 50000;
    public const byte CAN_ISOTP_DEFAULT_RECV_BS = 0;
    public const byte CAN_ISOTP_DEFAULT_RECV_STMIN = 0x00;
    public const byte CAN_ISOTP_DEFAULT_RECV_WFTMAX = 0;
    public const byte CAN_ISOTP_DEFAULT_LL_MTU = CanUapi.CAN_MTU;
    public const byte CAN_ISOTP_DEFAULT_LL_TX_DL = CanUapi.CAN_MAX_DLEN;
    public const byte CAN_ISOTP_DEFAULT_LL_TX_FLAGS = 0;
    public const uint CAN_ISOTP_FRAME_TXTIME_ZERO = 0xFFFFFFFF;

    // net/can/af_can.h CAN_REQUIRED_SIZE(struct sockaddr_can, can_addr.tp): isotp_bind's minimum length.
    public const int ISOTP_MIN_NAMELEN = 16;
}
