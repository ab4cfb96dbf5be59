#pragma warning disable CS8981 // C names from linux/can/j1939.h and linux/errqueue.h are kept on purpose (grep-able against the headers).

using System.Runtime.InteropServices;

namespace Buses.Can.Interop;

/// <summary>Constants of linux/can/j1939.h and linux/errqueue.h, with their C names.</summary>
internal static class J1939Uapi
{
    public const byte J1939_MAX_UNICAST_ADDR = 0xFD;
    public const byte J1939_IDLE_ADDR = 0xFE;
    public const byte J1939_NO_ADDR = 0xFF;
    public const ulong J1939_NO_NAME = 0;
    public const uint J1939_PGN_REQUEST = 0x0EA00;
    public const uint J1939_PGN_ADDRESS_CLAIMED = 0x0EE00;
    public const uint J1939_PGN_ADDRESS_COMMANDED = 0x0FED8;
    public const uint J1939_PGN_PDU1_MAX = 0x3FF00;
    public const uint J1939_PGN_MAX = 0x3FFFF;
    public const uint J1939_NO_PGN = 0x40000;

    public const int SO_J1939_FILTER = 1;
    public const int SO_J1939_PROMISC = 2;
    public const int SO_J1939_SEND_PRIO = 3;
    public const int SO_J1939_ERRQUEUE = 4;
    public const int J1939_FILTER_MAX = 512;

    public const ushort J1939_NLA_PAD = 0;
    public const ushort J1939_NLA_BYTES_ACKED = 1;
    public const ushort J1939_NLA_TOTAL_SIZE = 2;
    public const ushort J1939_NLA_PGN = 3;
    public const ushort J1939_NLA_SRC_NAME = 4;
    public const ushort J1939_NLA_DEST_NAME = 5;
    public const ushort J1939_NLA_SRC_ADDR = 6;
    public const ushort J1939_NLA_DEST_ADDR = 7;

    public const uint J1939_EE_INFO_NONE = 0;
    public const uint J1939_EE_INFO_TX_ABORT = 1;
    public const uint J1939_EE_INFO_RX_RTS = 2;
    public const uint J1939_EE_INFO_RX_DPO = 3;
    public const uint J1939_EE_INFO_RX_ABORT = 4;

    public const byte SO_EE_ORIGIN_LOCAL = 1;
    public const byte SO_EE_ORIGIN_TIMESTAMPING = 4;
    public const uint SCM_TSTAMP_SND = 0;
    public const uint SCM_TSTAMP_SCHED = 1;
    public const uint SCM_TSTAMP_ACK = 2;

    /// <summary>net/can/j1939/j1939-priv.h: J1939_MIN_NAMELEN = CAN_REQUIRED_SIZE(struct sockaddr_can, can_addr.j1939).</summary>
    public const int J1939_MIN_NAMELEN = 24;
}

/// <summary><c>struct j1939_filter</c>: 32 bytes on x86-64, arm64 and armhf (the u64 members align it to 8).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct j1939_filter
{
    public ulong name;
    public ulong name_mask;
    public uint pgn;
    public uint pgn_mask;
    public byte addr;
    public byte addr_mask;
}

/// <summary><c>struct sock_extended_err</c>: 16 bytes, what an error-queue message starts with.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct sock_extended_err
{
    public uint ee_errno;
    public byte ee_origin;
    public byte ee_type;
    public byte ee_code;
    public byte ee_pad;
    public uint ee_info;
    public uint ee_data;
}
