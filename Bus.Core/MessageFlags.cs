namespace Buses;

/// <summary>
/// Linux <c>MSG_*</c> flags, passed to the kernel unchanged and reported back unchanged — unlike
/// <see cref="System.Net.Sockets.SocketFlags"/>, which cannot carry MSG_CONFIRM (a CAN frame's
/// own-transmit echo) or MSG_DONTROUTE as received flags.
/// </summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the kernel's own word for these
public enum MessageFlags
#pragma warning restore CA1711
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>MSG_OOB: out-of-band data.</summary>
    OutOfBand = 0x1,
    /// <summary>MSG_PEEK: look at the next message without taking it.</summary>
    Peek = 0x2,
    /// <summary>MSG_DONTROUTE: on send, bypass routing; on a received CAN frame, the frame came from this host's own loopback.</summary>
    DontRoute = 0x4,
    /// <summary>MSG_CTRUNC: ancillary data was truncated (the control buffer was too small).</summary>
    ControlTruncated = 0x8,
    /// <summary>MSG_TRUNC: the datagram was longer than the buffer; on receive as an input flag, return its real length.</summary>
    Truncated = 0x20,
    /// <summary>MSG_DONTWAIT: do not block this one call.</summary>
    DontWait = 0x40,
    /// <summary>MSG_EOR: end of record.</summary>
    EndOfRecord = 0x80,
    /// <summary>MSG_WAITALL: wait for the whole buffer.</summary>
    WaitAll = 0x100,
    /// <summary>MSG_CONFIRM: on a received CAN frame, this socket's own transmission echoed back.</summary>
    Confirm = 0x800,
    /// <summary>MSG_ERRQUEUE: receive from the error queue.</summary>
    ErrorQueue = 0x2000,
    /// <summary>MSG_NOSIGNAL: no SIGPIPE on a broken stream.</summary>
    NoSignal = 0x4000,
    /// <summary>MSG_MORE: more data follows.</summary>
    More = 0x8000,
    /// <summary>MSG_WAITFORONE: a batch receive returns after the first message.</summary>
    WaitForOne = 0x10000,
    /// <summary>MSG_CMSG_CLOEXEC: received file descriptors are close-on-exec.</summary>
    ControlCloseOnExec = 0x40000000,
}
