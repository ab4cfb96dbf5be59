using System.Runtime.InteropServices;

namespace Buses.Packet.Interop;

// include/uapi/linux/if_packet.h and asm-generic/socket.h.
internal static class PacketConstants
{
    public const int SOL_PACKET = 263;
    public const int PACKET_ADD_MEMBERSHIP = 1;
    public const int PACKET_DROP_MEMBERSHIP = 2;
    public const int PACKET_STATISTICS = 6;
    public const int PACKET_AUXDATA = 8;
    public const int PACKET_IGNORE_OUTGOING = 23;

    public const int SO_ATTACH_FILTER = 26;
    public const int SO_DETACH_FILTER = 27;
    public const int SO_LOCK_FILTER = 44;

    public const uint TP_STATUS_VLAN_VALID = 0x10;
}

// struct packet_mreq, 16 bytes.
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct packet_mreq
{
    public int mr_ifindex;
    public ushort mr_type;
    public ushort mr_alen;
    public fixed byte mr_address[8];
}

// struct tpacket_stats, 8 bytes.
[StructLayout(LayoutKind.Sequential)]
internal struct tpacket_stats
{
    public uint tp_packets;
    public uint tp_drops;
}

// struct tpacket_auxdata, 20 bytes.
[StructLayout(LayoutKind.Sequential)]
internal struct tpacket_auxdata
{
    public uint tp_status;
    public uint tp_len;
    public uint tp_snaplen;
    public ushort tp_mac;
    public ushort tp_net;
    public ushort tp_vlan_tci;
    public ushort tp_vlan_tpid;
}

// struct sock_fprog: the pointer's alignment gives 16 bytes on 64-bit and 8 on 32-bit, as in C.
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct sock_fprog
{
    public ushort len;
    public void* filter;
}
