using System.Runtime.CompilerServices;

namespace Buses.Tipc;

// The char arrays of linux/tipc.h's structs. They live outside Interop/ because they are no C
// structs of their own: the ABI check reads every struct there as one.

/// <summary><c>char[8]</c> (<c>tipc_subscr.usr_handle</c>).</summary>
[InlineArray(8)]
internal struct TipcBytes8
{
    private byte _element;
}

/// <summary><c>char[TIPC_NODEID_LEN]</c> (a 128-bit node identity).</summary>
[InlineArray(16)]
internal struct TipcBytes16
{
    private byte _element;
}

/// <summary><c>char[TIPC_MAX_LINK_NAME]</c>.</summary>
[InlineArray(68)]
internal struct TipcBytes68
{
    private byte _element;
}
