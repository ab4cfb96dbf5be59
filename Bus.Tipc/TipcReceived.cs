using System.Runtime.InteropServices;
using static Buses.Tipc.Interop.TipcUapi;

namespace Buses.Tipc;

/// <summary>
/// What one TIPC receive delivered: the data length, the sender, and what the kernel said about the
/// message (the service name it was sent to, a rejection, a group membership event).
/// </summary>
/// <remarks>
/// A rejected message is not silent data: <see cref="Rejection"/> names why it came back, and the
/// returned bytes (TIPC_RETDATA) are copied to the start of the receive buffer, <see cref="Length"/> of them.
/// </remarks>
public readonly struct TipcReceived
{
    internal TipcReceived(int length, MessageFlags flags, TipcSocketAddress? sender, TipcServiceAddress? member, TipcServiceRange? destination, TipcErrorCode rejection, int returnedLength)
    {
        Length = length;
        Flags = flags;
        Sender = sender;
        Member = member;
        DestinationName = destination;
        Rejection = rejection;
        ReturnedLength = returnedLength;
    }

    /// <summary>The bytes placed in the buffer: the message, or the returned bytes of a rejected one. 0 at the end of a stream.</summary>
    public int Length { get; }

    /// <summary>The kernel's message flags.</summary>
    public MessageFlags Flags { get; }

    /// <summary>The sending socket, or <see langword="null"/> when the kernel named none (a connected socket's data).</summary>
    public TipcSocketAddress? Sender { get; }

    /// <summary>In a group: the sending member's service address (group type and member instance).</summary>
    public TipcServiceAddress? Member { get; }

    /// <summary>The service name the message was sent to (TIPC_DESTNAME), or <see langword="null"/> when it was sent to a socket address.</summary>
    /// <remarks>A message sent to one instance gives a one-instance range; a multicast gives the range it was sent to.</remarks>
    public TipcServiceRange? DestinationName { get; }

    /// <summary>Why the message came back undelivered (TIPC_ERRINFO), or <see cref="TipcErrorCode.None"/> for a delivered one.</summary>
    public TipcErrorCode Rejection { get; }

    /// <summary>Whether this is a message that came back undelivered.</summary>
    public bool IsRejected => Rejection != TipcErrorCode.None;

    /// <summary>How many bytes the kernel says came back with a rejected message (0 otherwise); more than <see cref="Length"/> when the buffer was too small.</summary>
    public int ReturnedLength { get; }

    /// <summary>Whether data or returned bytes were cut to fit the buffer.</summary>
    public bool Truncated => (Flags & (MessageFlags.Truncated | MessageFlags.ControlTruncated)) != 0 || ReturnedLength > Length;

    /// <summary>In a group with member events on: whether this is a membership event (an empty message flagged MSG_OOB).</summary>
    public bool IsMemberEvent => (Flags & MessageFlags.OutOfBand) != 0;

    /// <summary>For a membership event: whether the member left (MSG_EOR) rather than joined.</summary>
    public bool IsMemberDown => IsMemberEvent && (Flags & MessageFlags.EndOfRecord) != 0;

    /// <summary>The control-buffer bytes a receive of up to <paramref name="dataLength"/> bytes needs (TIPC_ERRINFO, TIPC_RETDATA, TIPC_DESTNAME).</summary>
    internal static int ControlSpace(int dataLength) =>
        ControlMessage.Space(8) + ControlMessage.Space(Math.Min(dataLength, (int)TIPC_MAX_USER_MSG_SIZE)) + ControlMessage.Space(12);

    /// <summary>Room for the sender and, in a group, the member's service address after it.</summary>
    internal const int AddressSpace = 2 * TipcAddress.Size;

    // Decoding here never throws: the kernel has handed the message over, so a sockaddr or control
    // message that does not parse is left out rather than losing the data.
    internal static TipcReceived Parse(ReceivedMessage received, Span<byte> buffer, ReadOnlySpan<byte> control, ReadOnlySpan<byte> address)
    {
        TipcSocketAddress? sender = null;
        TipcServiceAddress? member = null;
        if (address.Length >= TipcAddress.Size && TipcAddress.TryDecode(address[..TipcAddress.Size], out TipcAddress a) && a.Kind == TipcAddressKind.Socket)
        {
            sender = a.Socket;
        }

        if (address.Length >= AddressSpace && TipcAddress.TryDecode(address[TipcAddress.Size..AddressSpace], out TipcAddress m) && m.Kind == TipcAddressKind.Service)
        {
            member = m.Service with { LookupNode = default };
        }

        int length = received.Length;
        TipcErrorCode error = TipcErrorCode.None;
        int returned = 0;
        TipcServiceRange? destination = null;
        foreach (ControlMessage cmsg in ControlMessage.Parse(control[..received.ControlLength]))
        {
            if (cmsg.Level != SocketLevel.Tipc)
            {
                continue;
            }

            switch (cmsg.Type)
            {
                case ControlMessageType.Tipc.ErrorInfo when cmsg.Data.Length >= 8:
                    error = (TipcErrorCode)MemoryMarshal.Read<uint>(cmsg.Data);
                    returned = (int)Math.Min(MemoryMarshal.Read<uint>(cmsg.Data[4..]), int.MaxValue);
                    break;
                case ControlMessageType.Tipc.ReturnedData:
                    int n = Math.Min(cmsg.Data.Length, buffer.Length);
                    cmsg.Data[..n].CopyTo(buffer);
                    length = n;
                    break;
                case ControlMessageType.Tipc.DestinationName when cmsg.Data.Length >= 12:
                    uint type = MemoryMarshal.Read<uint>(cmsg.Data);
                    uint lower = MemoryMarshal.Read<uint>(cmsg.Data[4..]);
                    uint upper = MemoryMarshal.Read<uint>(cmsg.Data[8..]);
                    destination = lower <= upper ? TipcServiceRange.Trusted(type, lower, upper, TipcScope.Cluster) : null;
                    break;
            }
        }

        return new TipcReceived(length, received.Flags, sender, member, destination, error, returned);
    }
}
