using Buses.Can.Interop;
using static Buses.Can.Interop.J1939Uapi;

namespace Buses.Can;

/// <summary>The <c>SOL_CAN_J1939</c> socket options, typed (read and written with <see cref="BusSocket.Get(BoolOption)"/> and friends).</summary>
public static class J1939Option
{
    private const int L = SocketLevel.CanJ1939;

    /// <summary>SO_J1939_PROMISC: receive every message on the bus, not only those addressed to this socket.</summary>
    public static readonly BoolOption Promiscuous = new(L, SO_J1939_PROMISC, "SO_J1939_PROMISC");

    /// <summary>SO_J1939_SEND_PRIO: the priority of sent messages, 0 (highest) to 7; 0 and 1 need CAP_NET_ADMIN.</summary>
    public static readonly IntOption SendPriority = new(L, SO_J1939_SEND_PRIO, "SO_J1939_SEND_PRIO", 0, 7);

    /// <summary>SO_J1939_ERRQUEUE: transport-session reports (start, completion, abort) on the error queue.</summary>
    public static readonly BoolOption ErrorQueue = new(L, SO_J1939_ERRQUEUE, "SO_J1939_ERRQUEUE");
}

/// <summary>
/// One J1939 receive filter (<c>struct j1939_filter</c>): a message passes when its source NAME, PGN and
/// source address each equal the filter's under the masks. A socket with filters receives what any one passes.
/// </summary>
/// <param name="Name">The NAME to match.</param>
/// <param name="NameMask">The NAME bits compared (0 = any NAME).</param>
/// <param name="Pgn">The PGN to match.</param>
/// <param name="PgnMask">The PGN bits compared (0 = any PGN).</param>
/// <param name="Address">The source address to match.</param>
/// <param name="AddressMask">The address bits compared (0 = any address).</param>
public readonly record struct J1939Filter(ulong Name = 0, ulong NameMask = 0, uint Pgn = 0, uint PgnMask = 0, byte Address = 0, byte AddressMask = 0)
{
    /// <summary>The most filters one socket holds, 512.</summary>
    public const int MaxCount = J1939_FILTER_MAX;

    /// <summary>Passes one PGN exactly.</summary>
    /// <param name="pgn">The PGN.</param>
    public static J1939Filter ForPgn(uint pgn) => new(Pgn: pgn, PgnMask: J1939.MaxPgn);

    /// <summary>Passes one source address exactly.</summary>
    /// <param name="address">The address.</param>
    public static J1939Filter ForAddress(byte address) => new(Address: address, AddressMask: 0xFF);

    /// <summary>Passes one source NAME exactly.</summary>
    /// <param name="name">The NAME.</param>
    public static J1939Filter ForName(ulong name) => new(Name: name, NameMask: ulong.MaxValue);

    internal j1939_filter ToKernel() => new()
    {
        name = Name,
        name_mask = NameMask,
        pgn = Pgn,
        pgn_mask = PgnMask,
        addr = Address,
        addr_mask = AddressMask,
    };

    internal static J1939Filter FromKernel(in j1939_filter f) => new(f.name, f.name_mask, f.pgn, f.pgn_mask, f.addr, f.addr_mask);
}

/// <summary>What one J1939 <c>recvmsg</c> returned besides the payload.</summary>
/// <param name="Length">The payload bytes received (the whole message, reassembled from TP/ETP by the kernel).</param>
/// <param name="Source">The sender: interface, source address, PGN and source NAME (0 when the sender has none the kernel knows).</param>
/// <param name="DestinationAddress">The destination address (<c>SCM_J1939_DEST_ADDR</c>), or <see cref="J1939.NoAddress"/> for broadcast.</param>
/// <param name="DestinationName">The destination NAME (<c>SCM_J1939_DEST_NAME</c>), or <see cref="J1939.NoName"/>.</param>
/// <param name="Priority">The priority, 0–7 (<c>SCM_J1939_PRIO</c>).</param>
/// <param name="Timestamp">The kernel's receive time (unset when timestamps are off).</param>
/// <param name="Truncated">The message was longer than the buffer; its tail was dropped (<c>MSG_TRUNC</c>).</param>
public readonly record struct J1939MessageInfo(int Length, J1939Address Source, byte DestinationAddress, ulong DestinationName, byte Priority, SocketTimestamp Timestamp, bool Truncated)
{
    /// <summary>Whether the message was broadcast (no destination address and no destination NAME).</summary>
    public bool IsBroadcast => DestinationAddress == J1939.NoAddress && DestinationName == J1939.NoName;
}

/// <summary>What a J1939 error-queue report says.</summary>
public enum J1939TransferEventKind
{
    /// <summary>A report this library does not know (see <see cref="J1939TransferEvent.Origin"/> and <see cref="J1939TransferEvent.Info"/>).</summary>
    Unknown,

    /// <summary>A send's transport session started (SCM_TSTAMP_SCHED; needs <see cref="TimestampingFlags.TransmitScheduled"/>).</summary>
    TransmitStarted,

    /// <summary>A send completed: every byte acknowledged, or a broadcast fully sent (SCM_TSTAMP_ACK).</summary>
    TransmitCompleted,

    /// <summary>A send's session was aborted (J1939_EE_INFO_TX_ABORT); <see cref="J1939TransferEvent.Error"/> says why.</summary>
    TransmitAborted,

    /// <summary>A peer started a transport session towards this socket (J1939_EE_INFO_RX_RTS).</summary>
    ReceiveStarted,

    /// <summary>An ETP data-packet offset arrived (J1939_EE_INFO_RX_DPO).</summary>
    ReceiveDataOffset,

    /// <summary>An incoming session was aborted (J1939_EE_INFO_RX_ABORT).</summary>
    ReceiveAborted,
}

/// <summary>
/// One transport-session report read from a J1939 socket's error queue (<c>MSG_ERRQUEUE</c>): a
/// <c>struct sock_extended_err</c> plus the <c>J1939_NLA_*</c> statistics and the time.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Error">For aborts, the kernel's errno for the abort reason (see <see cref="AbortReason"/>); else <see cref="Errno.ENOMSG"/> or 0.</param>
/// <param name="Origin">The raw <c>ee_origin</c> (1 local, 4 timestamping).</param>
/// <param name="Info">The raw <c>ee_info</c>.</param>
/// <param name="Key">The send's key (<c>ee_data</c>, counted per send with <see cref="TimestampingFlags.OptionId"/>).</param>
/// <param name="BytesAcknowledged">J1939_NLA_BYTES_ACKED: bytes the receiver acknowledged, or -1 when not reported.</param>
/// <param name="TotalSize">J1939_NLA_TOTAL_SIZE (receive start): the announced message size, or -1.</param>
/// <param name="Pgn">J1939_NLA_PGN, or <see cref="J1939.NoPgn"/>.</param>
/// <param name="SourceName">J1939_NLA_SRC_NAME, or 0.</param>
/// <param name="DestinationName">J1939_NLA_DEST_NAME, or 0.</param>
/// <param name="SourceAddress">J1939_NLA_SRC_ADDR, or <see cref="J1939.NoAddress"/>.</param>
/// <param name="DestinationAddress">J1939_NLA_DEST_ADDR, or <see cref="J1939.NoAddress"/>.</param>
/// <param name="Timestamp">When the kernel queued the report.</param>
public readonly record struct J1939TransferEvent(
    J1939TransferEventKind Kind,
    Errno Error,
    byte Origin,
    uint Info,
    uint Key,
    long BytesAcknowledged,
    long TotalSize,
    uint Pgn,
    ulong SourceName,
    ulong DestinationName,
    byte SourceAddress,
    byte DestinationAddress,
    SocketTimestamp Timestamp)
{
    /// <summary>
    /// For an abort, the J1939-21 abort reason the kernel's errno stands for (net/can/j1939/transport.c
    /// maps each Connection Abort reason, received or local, to one errno); <see langword="null"/> otherwise.
    /// </summary>
    public string? AbortReason => Kind is J1939TransferEventKind.TransmitAborted or J1939TransferEventKind.ReceiveAborted ? NameAbort(Error) : null;

    /// <summary>The J1939-21 meaning of an abort errno as the Linux J1939 stack uses it.</summary>
    /// <param name="error">The errno of the abort.</param>
    /// <returns>The reason, with the errno's name.</returns>
    public static string NameAbort(Errno error) => error switch
    {
        Errno.EALREADY => "EALREADY: already in one or more connection-managed sessions and cannot support another (busy)",
        Errno.EMSGSIZE => "EMSGSIZE: system resources were needed for another task, so the session was terminated",
        Errno.EHOSTUNREACH => "EHOSTUNREACH: a timeout occurred (the peer stopped answering)",
        Errno.EBADMSG => "EBADMSG: CTS received while a data transfer was in progress",
        Errno.ENOTRECOVERABLE => "ENOTRECOVERABLE: maximum retransmit request limit reached",
        Errno.ENOTCONN => "ENOTCONN: unexpected data transfer packet",
        Errno.EILSEQ => "EILSEQ: bad sequence number",
        Errno.EPROTO => "EPROTO: protocol violation (duplicate sequence, bad or unexpected ETP offset, unexpected PGN)",
        Errno.ENETDOWN => "ENETDOWN: the interface went down",
        Errno.ESHUTDOWN => "ESHUTDOWN: the sending socket was closed",
        Errno.ENODEV => "ENODEV: the interface went away",
        Errno.None => "no error",
        _ => $"{error}: an abort reason this library does not name",
    };

    /// <summary>One line: kind, key, bytes acknowledged and, for aborts, the reason.</summary>
    public override string ToString() =>
        AbortReason is { } reason
            ? $"{Kind} key {Key}: {reason}" + (BytesAcknowledged >= 0 ? $" after {BytesAcknowledged} bytes acknowledged" : "")
            : $"{Kind} key {Key}" + (BytesAcknowledged >= 0 ? $", {BytesAcknowledged} bytes acknowledged" : "") + (TotalSize >= 0 ? $", {TotalSize} bytes announced" : "");
}
