#pragma warning disable CS8981 // C names from linux/tipc.h are kept on purpose (grep-able against the header).

using System.Runtime.InteropServices;

namespace Buses.Tipc.Interop;

/// <summary>Constants of linux/tipc.h, with their C names.</summary>
internal static class TipcUapi
{
    public const int AF_TIPC = 30;
    public const int SOL_TIPC = 271;

    public const uint TIPC_NODE_STATE = 0;
    public const uint TIPC_TOP_SRV = 1;
    public const uint TIPC_LINK_STATE = 2;
    public const uint TIPC_RESERVED_TYPES = 64;
    public const uint TIPC_CFG_SRV = 0;

    public const int TIPC_ZONE_SCOPE = 1;
    public const int TIPC_CLUSTER_SCOPE = 2;
    public const int TIPC_NODE_SCOPE = 3;

    public const uint TIPC_MAX_USER_MSG_SIZE = 66000;

    public const int TIPC_LOW_IMPORTANCE = 0;
    public const int TIPC_MEDIUM_IMPORTANCE = 1;
    public const int TIPC_HIGH_IMPORTANCE = 2;
    public const int TIPC_CRITICAL_IMPORTANCE = 3;

    public const int TIPC_OK = 0;
    public const int TIPC_ERR_NO_NAME = 1;
    public const int TIPC_ERR_NO_PORT = 2;
    public const int TIPC_ERR_NO_NODE = 3;
    public const int TIPC_ERR_OVERLOAD = 4;
    public const int TIPC_CONN_SHUTDOWN = 5;

    public const uint TIPC_SUB_PORTS = 0x01;
    public const uint TIPC_SUB_SERVICE = 0x02;
    public const uint TIPC_SUB_CANCEL = 0x04;
    public const uint TIPC_WAIT_FOREVER = ~0u;

    public const uint TIPC_PUBLISHED = 1;
    public const uint TIPC_WITHDRAWN = 2;
    public const uint TIPC_SUBSCR_TIMEOUT = 3;

    public const byte TIPC_ADDR_MCAST = 1;
    public const byte TIPC_SERVICE_RANGE = 1;
    public const byte TIPC_SERVICE_ADDR = 2;
    public const byte TIPC_SOCKET_ADDR = 3;
    public const byte TIPC_ADDR_NAMESEQ = 1;
    public const byte TIPC_ADDR_NAME = 2;
    public const byte TIPC_ADDR_ID = 3;

    public const int TIPC_ERRINFO = 1;
    public const int TIPC_RETDATA = 2;
    public const int TIPC_DESTNAME = 3;

    public const int TIPC_IMPORTANCE = 127;
    public const int TIPC_SRC_DROPPABLE = 128;
    public const int TIPC_DEST_DROPPABLE = 129;
    public const int TIPC_CONN_TIMEOUT = 130;
    public const int TIPC_NODE_RECVQ_DEPTH = 131;
    public const int TIPC_SOCK_RECVQ_DEPTH = 132;
    public const int TIPC_MCAST_BROADCAST = 133;
    public const int TIPC_MCAST_REPLICAST = 134;
    public const int TIPC_GROUP_JOIN = 135;
    public const int TIPC_GROUP_LEAVE = 136;
    public const int TIPC_SOCK_RECVQ_USED = 137;
    public const int TIPC_NODELAY = 138;

    public const uint TIPC_GROUP_LOOPBACK = 0x1;
    public const uint TIPC_GROUP_MEMBER_EVTS = 0x2;

    public const int TIPC_NODEID_LEN = 16;
    public const int TIPC_MAX_MEDIA_NAME = 16;
    public const int TIPC_MAX_IF_NAME = 16;
    public const int TIPC_MAX_BEARER_NAME = 32;
    public const int TIPC_MAX_LINK_NAME = 68;

    public const uint SIOCGETLINKNAME = 0x89E0;
    public const uint SIOCGETNODEID = 0x89E1;

    public const int TIPC_NODE_BITS = 12;
    public const int TIPC_CLUSTER_BITS = 12;
    public const int TIPC_ZONE_BITS = 8;
    public const int TIPC_NODE_OFFSET = 0;
    public const int TIPC_CLUSTER_OFFSET = 12;
    public const int TIPC_ZONE_OFFSET = 24;
    public const uint TIPC_NODE_SIZE = 4095;
    public const uint TIPC_CLUSTER_SIZE = 4095;
    public const uint TIPC_ZONE_SIZE = 255;
    public const uint TIPC_NODE_MASK = 0x00000FFF;
    public const uint TIPC_CLUSTER_MASK = 0x00FFF000;
    public const uint TIPC_ZONE_MASK = 0xFF000000;
}

/// <summary><c>struct tipc_socket_addr</c> (old name <c>tipc_portid</c>): 8 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct tipc_socket_addr
{
    public uint @ref;
    public uint node;
}

/// <summary><c>struct tipc_service_addr</c> (old name <c>tipc_name</c>): 8 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct tipc_service_addr
{
    public uint type;
    public uint instance;
}

/// <summary><c>struct tipc_service_range</c> (old name <c>tipc_name_seq</c>): 12 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct tipc_service_range
{
    public uint type;
    public uint lower;
    public uint upper;
}

/// <summary><c>struct sockaddr_tipc</c>: 16 bytes; its union <c>addr</c> is flattened into explicit offsets.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct sockaddr_tipc
{
    [FieldOffset(0)] public ushort family;
    [FieldOffset(2)] public byte addrtype;
    [FieldOffset(3)] public sbyte scope;
    [FieldOffset(4)] public uint id_ref;
    [FieldOffset(8)] public uint id_node;
    [FieldOffset(4)] public uint nameseq_type;
    [FieldOffset(8)] public uint nameseq_lower;
    [FieldOffset(12)] public uint nameseq_upper;
    [FieldOffset(4)] public uint name_type;
    [FieldOffset(8)] public uint name_instance;
    [FieldOffset(12)] public uint name_domain;
}

/// <summary><c>struct tipc_subscr</c>: 28 bytes, sent to the topology server.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct tipc_subscr
{
    public tipc_service_range seq;
    public uint timeout;
    public uint filter;
    public TipcBytes8 usr_handle;
}

/// <summary><c>struct tipc_event</c>: 48 bytes, from the topology server.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct tipc_event
{
    public uint @event;
    public uint found_lower;
    public uint found_upper;
    public tipc_socket_addr port;
    public tipc_subscr s;
}

/// <summary><c>struct tipc_group_req</c>: 16 bytes, the argument of TIPC_GROUP_JOIN.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct tipc_group_req
{
    public uint type;
    public uint instance;
    public uint scope;
    public uint flags;
}

/// <summary><c>struct tipc_sioc_nodeid_req</c>: 20 bytes, the argument of SIOCGETNODEID.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct tipc_sioc_nodeid_req
{
    public uint peer;
    public TipcBytes16 node_id;
}

/// <summary><c>struct tipc_sioc_ln_req</c>: 76 bytes, the argument of SIOCGETLINKNAME.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct tipc_sioc_ln_req
{
    public uint peer;
    public uint bearer_id;
    public TipcBytes68 linkname;
}
