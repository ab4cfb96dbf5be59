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

/// <summary>What an async <c>recvfrom</c> returned: the length and the sender.</summary>
/// <typeparam name="TAddress">The sender's address type.</typeparam>
/// <param name="Length">Bytes received.</param>
/// <param name="Sender">The sender; <see langword="default"/> when <paramref name="HasSender"/> is false.</param>
/// <param name="HasSender">
/// Whether the kernel named a sender of <typeparamref name="TAddress"/>'s kind. It names none for an
/// unbound AF_UNIX datagram sender or a connected stream, where Python returns <c>None</c>; the data is
/// returned either way.
/// </param>
public readonly record struct ReceiveFromResult<TAddress>(int Length, TAddress Sender, bool HasSender);

/// <summary>What an accept with the peer's address returned.</summary>
/// <typeparam name="TAddress">The peer's address type.</typeparam>
/// <param name="Socket">The connected socket, the caller's to dispose.</param>
/// <param name="Peer">The peer; <see langword="default"/> when <paramref name="HasPeer"/> is false.</param>
/// <param name="HasPeer">Whether the kernel named a peer that decodes as <typeparamref name="TAddress"/> (an unbound AF_UNIX client has no name).</param>
public readonly record struct AcceptResult<TAddress>(BusSocket Socket, TAddress Peer, bool HasPeer);
