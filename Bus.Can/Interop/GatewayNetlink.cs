#pragma warning disable CS8981 // C names from linux/can/gw.h and linux/rtnetlink.h are kept on purpose (grep-able against the headers).

using System.Runtime.InteropServices;

namespace Buses.Can.Interop;

/// <summary>Constants of linux/can/gw.h (and the rtnetlink message types can-gw answers), with their C names.</summary>
internal static class GatewayNetlink
{
    public const ushort RTM_NEWROUTE = 24;
    public const ushort RTM_DELROUTE = 25;
    public const ushort RTM_GETROUTE = 26;

    public const byte CGW_TYPE_UNSPEC = 0;
    public const byte CGW_TYPE_CAN_CAN = 1;

    public const ushort CGW_UNSPEC = 0;
    public const ushort CGW_MOD_AND = 1;
    public const ushort CGW_MOD_OR = 2;
    public const ushort CGW_MOD_XOR = 3;
    public const ushort CGW_MOD_SET = 4;
    public const ushort CGW_CS_XOR = 5;
    public const ushort CGW_CS_CRC8 = 6;
    public const ushort CGW_HANDLED = 7;
    public const ushort CGW_DROPPED = 8;
    public const ushort CGW_SRC_IF = 9;
    public const ushort CGW_DST_IF = 10;
    public const ushort CGW_FILTER = 11;
    public const ushort CGW_DELETED = 12;
    public const ushort CGW_LIM_HOPS = 13;
    public const ushort CGW_MOD_UID = 14;
    public const ushort CGW_FDMOD_AND = 15;
    public const ushort CGW_FDMOD_OR = 16;
    public const ushort CGW_FDMOD_XOR = 17;
    public const ushort CGW_FDMOD_SET = 18;

    public const ushort CGW_FLAGS_CAN_ECHO = 0x01;
    public const ushort CGW_FLAGS_CAN_SRC_TSTAMP = 0x02;
    public const ushort CGW_FLAGS_CAN_IIF_TX_OK = 0x04;
    public const ushort CGW_FLAGS_CAN_FD = 0x08;

    public const int CGW_MOD_FUNCS = 4;
    public const byte CGW_MOD_ID = 0x01;
    public const byte CGW_MOD_DLC = 0x02;
    public const byte CGW_MOD_LEN = CGW_MOD_DLC;
    public const byte CGW_MOD_DATA = 0x04;
    public const byte CGW_MOD_FLAGS = 0x08;

    /// <summary>sizeof(struct cgw_frame_mod): a packed can_frame plus the modtype byte.</summary>
    public const int CGW_MODATTR_LEN = 17;

    /// <summary>sizeof(struct cgw_fdframe_mod): a packed canfd_frame plus the modtype byte.</summary>
    public const int CGW_FDMODATTR_LEN = 73;

    public const int CGW_CS_XOR_LEN = 4;
    public const int CGW_CS_CRC8_LEN = 282;

    public const byte CGW_CRC8PRF_UNSPEC = 0;
    public const byte CGW_CRC8PRF_1U8 = 1;
    public const byte CGW_CRC8PRF_16U8 = 2;
    public const byte CGW_CRC8PRF_SFFID_XOR = 3;
    public const byte CGW_CRC8PRF_MAX = 3;
}

/// <summary><c>struct rtcanmsg</c>: the family header of every can-gw message, 4 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct rtcanmsg
{
    public byte can_family;
    public byte gwtype;
    public ushort flags;
}

/// <summary><c>struct cgw_csum_xor</c> (packed), 4 bytes.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal struct cgw_csum_xor
{
    public sbyte from_idx;
    public sbyte to_idx;
    public sbyte result_idx;
    public byte init_xor_val;
}

/// <summary><c>struct cgw_csum_crc8</c> (packed), 282 bytes.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal struct cgw_csum_crc8
{
    public sbyte from_idx;
    public sbyte to_idx;
    public sbyte result_idx;
    public byte init_crc_val;
    public byte final_xor_val;
    public CanGatewayCrc8TableBytes crctab;
    public byte profile;
    public CanGatewayCrc8ProfileBytes profile_data;
}
