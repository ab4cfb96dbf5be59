namespace Buses.Netlink;

/// <summary>Flags of a netlink message header (<c>nlmsg_flags</c>), with the kernel's values.</summary>
/// <remarks>
/// Several names share a value because their meaning depends on the request: the GET flags
/// (<see cref="Root"/>, <see cref="Match"/>) reuse the NEW flags' bits (<see cref="Replace"/>,
/// <see cref="Exclusive"/>), and the ACK flags (<see cref="Capped"/>, <see cref="AckTlvs"/>) apply to
/// <c>NLMSG_ERROR</c> replies only.
/// </remarks>
[Flags]
#pragma warning disable CA1069 // duplicated values are the kernel's: meaning depends on the message type
public enum NetlinkMessageFlags : ushort
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>NLM_F_REQUEST: a request to the kernel.</summary>
    Request = 0x1,
    /// <summary>NLM_F_MULTI: one part of a multi-part reply, ended by <c>NLMSG_DONE</c>.</summary>
    Multi = 0x2,
    /// <summary>NLM_F_ACK: ask for an acknowledgement (an <c>NLMSG_ERROR</c> with error 0 on success).</summary>
    Ack = 0x4,
    /// <summary>NLM_F_ECHO: echo this request to the sender's multicast groups.</summary>
    Echo = 0x8,
    /// <summary>NLM_F_DUMP_INTR: the dump changed while it was being read; its parts are inconsistent.</summary>
    DumpInterrupted = 0x10,
    /// <summary>NLM_F_DUMP_FILTERED: the kernel applied the request's filter attributes to the dump.</summary>
    DumpFiltered = 0x20,
    /// <summary>NLM_F_ROOT (GET): return the whole table.</summary>
    Root = 0x100,
    /// <summary>NLM_F_MATCH (GET): return all matching entries.</summary>
    Match = 0x200,
    /// <summary>NLM_F_DUMP (GET) = <see cref="Root"/> | <see cref="Match"/>.</summary>
    Dump = 0x300,
    /// <summary>NLM_F_REPLACE (NEW): replace an existing object.</summary>
    Replace = 0x100,
    /// <summary>NLM_F_EXCL (NEW): fail with EEXIST if the object exists.</summary>
    Exclusive = 0x200,
    /// <summary>NLM_F_CREATE (NEW): create the object if it does not exist.</summary>
    Create = 0x400,
    /// <summary>NLM_F_APPEND (NEW): add to the end of a list.</summary>
    Append = 0x800,
    /// <summary>NLM_F_CAPPED (ACK): the echoed request was cut to its header.</summary>
    Capped = 0x100,
    /// <summary>NLM_F_ACK_TLVS (ACK): extended-ACK attributes follow the echoed request.</summary>
    AckTlvs = 0x200,
}
#pragma warning restore CA1069

/// <summary>The message types every netlink protocol shares (<c>NLMSG_*</c>).</summary>
public static class NetlinkMessageType
{
    /// <summary>NLMSG_NOOP: ignore.</summary>
    public const ushort Noop = 1;
    /// <summary>NLMSG_ERROR: an error or (error 0) an acknowledgement.</summary>
    public const ushort Error = 2;
    /// <summary>NLMSG_DONE: the end of a multi-part reply.</summary>
    public const ushort Done = 3;
    /// <summary>NLMSG_OVERRUN: data lost.</summary>
    public const ushort Overrun = 4;
    /// <summary>Types below this value are control messages; protocol messages start here.</summary>
    public const ushort MinimumProtocolType = 0x10;
}

/// <summary>Netlink protocols (the third argument of <c>socket(AF_NETLINK, …)</c>).</summary>
public enum NetlinkProtocol
{
    /// <summary>NETLINK_ROUTE: links, addresses, routes (rtnetlink).</summary>
    Route = 0,
    /// <summary>NETLINK_SOCK_DIAG: socket monitoring.</summary>
    SockDiag = 4,
    /// <summary>NETLINK_NETFILTER.</summary>
    Netfilter = 12,
    /// <summary>NETLINK_KOBJECT_UEVENT: device events.</summary>
    KobjectUevent = 15,
    /// <summary>NETLINK_GENERIC: families registered by name (TIPC, nl80211, …).</summary>
    Generic = 16,
}
