namespace Buses;

/// <summary>What one <c>recvmsg</c> returned: how much of each buffer it filled, and the message flags.</summary>
/// <param name="Length">Bytes of data received; with <see cref="MessageFlags.Truncated"/> passed in, the datagram's real length.</param>
/// <param name="ControlLength">Bytes of ancillary data written to the control buffer.</param>
/// <param name="AddressLength">Bytes of the sender's <c>sockaddr</c> written to the address buffer.</param>
/// <param name="Flags">The kernel's <c>msg_flags</c>: <see cref="MessageFlags.Truncated"/>, <see cref="MessageFlags.ControlTruncated"/>, <see cref="MessageFlags.Confirm"/>, <see cref="MessageFlags.DontRoute"/>, ….</param>
public readonly record struct ReceivedMessage(int Length, int ControlLength, int AddressLength, MessageFlags Flags)
{
    /// <summary>The datagram did not fit the buffer; its tail was discarded.</summary>
    public bool Truncated => (Flags & MessageFlags.Truncated) != 0;

    /// <summary>Ancillary data did not fit the control buffer (received descriptors may have been closed by the kernel).</summary>
    public bool ControlTruncated => (Flags & MessageFlags.ControlTruncated) != 0;
}
