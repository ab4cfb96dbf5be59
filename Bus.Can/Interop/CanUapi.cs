#pragma warning disable CS8981 // C names from linux/can.h are kept on purpose (grep-able against the header).

using System.Runtime.InteropServices;

namespace Buses.Can.Interop;

/// <summary>Constants of linux/can.h, linux/can/raw.h and linux/can/error.h, with their C names.</summary>
internal static class CanUapi
{
    public const int AF_CAN = 29;
    public const int CAN_RAW = 1;
    public const int CAN_BCM = 2;
    public const int CAN_ISOTP = 6;
    public const int CAN_J1939 = 7;

    public const uint CAN_EFF_FLAG = 0x80000000;
    public const uint CAN_RTR_FLAG = 0x40000000;
    public const uint CAN_ERR_FLAG = 0x20000000;
    public const uint CAN_SFF_MASK = 0x000007FF;
    public const uint CAN_EFF_MASK = 0x1FFFFFFF;
    public const uint CAN_ERR_MASK = 0x1FFFFFFF;
    public const uint CAN_INV_FILTER = 0x20000000;
    public const uint CANXL_PRIO_MASK = CAN_SFF_MASK;

    public const int CAN_MAX_DLC = 8;
    public const int CAN_MAX_RAW_DLC = 15;
    public const int CAN_MAX_DLEN = 8;
    public const int CANFD_MAX_DLC = 15;
    public const int CANFD_MAX_DLEN = 64;
    public const int CANXL_MIN_DLEN = 1;
    public const int CANXL_MAX_DLEN = 2048;

    public const int CAN_MTU = 16;
    public const int CANFD_MTU = 72;
    public const int CANXL_MTU = 2060;
    public const int CANXL_HDR_SIZE = 12;
    public const int CANXL_MIN_MTU = 76;
    public const int CANXL_MAX_MTU = 2060;

    public const byte CANFD_BRS = 0x01;
    public const byte CANFD_ESI = 0x02;
    public const byte CANFD_FDF = 0x04;
    public const byte CANXL_SEC = 0x01;
    public const byte CANXL_RRS = 0x02;
    public const byte CANXL_XLF = 0x80;
    public const int CANXL_VCID_OFFSET = 16;
    public const uint CANXL_VCID_VAL_MASK = 0xFF;
    public const uint CANXL_VCID_MASK = CANXL_VCID_VAL_MASK << CANXL_VCID_OFFSET;

    public const int SOL_CAN_BASE = 100;
    public const int SOL_CAN_RAW = SOL_CAN_BASE + CAN_RAW;
    public const int CAN_RAW_FILTER = 1;
    public const int CAN_RAW_ERR_FILTER = 2;
    public const int CAN_RAW_LOOPBACK = 3;
    public const int CAN_RAW_RECV_OWN_MSGS = 4;
    public const int CAN_RAW_FD_FRAMES = 5;
    public const int CAN_RAW_JOIN_FILTERS = 6;
    public const int CAN_RAW_XL_FRAMES = 7;
    public const int CAN_RAW_XL_VCID_OPTS = 8;
    public const int CAN_RAW_FILTER_MAX = 512;
    public const byte CAN_RAW_XL_VCID_TX_SET = 0x01;
    public const byte CAN_RAW_XL_VCID_TX_PASS = 0x02;
    public const byte CAN_RAW_XL_VCID_RX_FILTER = 0x04;

    public const int CAN_ERR_DLC = 8;
    public const uint CAN_ERR_TX_TIMEOUT = 0x001;
    public const uint CAN_ERR_LOSTARB = 0x002;
    public const uint CAN_ERR_CRTL = 0x004;
    public const uint CAN_ERR_PROT = 0x008;
    public const uint CAN_ERR_TRX = 0x010;
    public const uint CAN_ERR_ACK = 0x020;
    public const uint CAN_ERR_BUSOFF = 0x040;
    public const uint CAN_ERR_BUSERROR = 0x080;
    public const uint CAN_ERR_RESTARTED = 0x100;
    public const uint CAN_ERR_CNT = 0x200;
    public const int CAN_ERROR_WARNING_THRESHOLD = 96;
    public const int CAN_ERROR_PASSIVE_THRESHOLD = 128;
    public const int CAN_BUS_OFF_THRESHOLD = 256;
}

/// <summary><c>struct can_raw_vcid_options</c>: 4 bytes, alignment 1.</summary>
[StructLayout(LayoutKind.Sequential, Size = 4)]
internal struct can_raw_vcid_options
{
    public byte flags;
    public byte tx_vcid;
    public byte rx_vcid;
    public byte rx_vcid_mask;
}

/// <summary><c>struct sockaddr_can</c>: 24 bytes (the J1939 member sets the size).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct sockaddr_can
{
    public const int RAW_MIN_NAMELEN = 8;

    [FieldOffset(0)] public ushort can_family;
    [FieldOffset(4)] public int can_ifindex;
    [FieldOffset(8)] public uint tp_rx_id;
    [FieldOffset(12)] public uint tp_tx_id;
    [FieldOffset(8)] public ulong j1939_name;
    [FieldOffset(16)] public uint j1939_pgn;
    [FieldOffset(20)] public byte j1939_addr;
}
