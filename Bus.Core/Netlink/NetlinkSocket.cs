using System.Net.Sockets;
using static Buses.Netlink.Interop.NetlinkConstants;

namespace Buses.Netlink;

/// <summary>Receives one message of a reply; the message is only valid during the call.</summary>
/// <param name="message">The message.</param>
public delegate void NetlinkMessageHandler(NetlinkMessage message);

/// <summary>Turns one message of a reply into a value; the message is only valid during the call.</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="message">The message.</param>
public delegate T NetlinkMessageParser<out T>(NetlinkMessage message);

/// <summary>
/// A netlink socket that talks request/response with the kernel: it numbers requests, matches replies by
/// sequence number and port id, decodes ACKs and errors (with the kernel's extended-ACK text, which it
/// asks for with <c>NETLINK_EXT_ACK</c>), reads multi-part dumps to <c>NLMSG_DONE</c> and reports
/// <c>NLM_F_DUMP_INTR</c>. It also joins multicast groups for event streams.
/// </summary>
/// <remarks>
/// Not thread-safe: one request at a time. A multicast overrun surfaces as a <see cref="BusException"/>
/// with <see cref="Errno.ENOBUFS"/> from the next receive (the socket never sets <c>NETLINK_NO_ENOBUFS</c>):
/// events were lost and the caller must re-read the state it tracks.
/// </remarks>
public sealed class NetlinkSocket : IDisposable
{
    /// <summary>The receive buffer size: larger than the 32 KiB the kernel puts in one dump datagram.</summary>
    public const int ReceiveBufferLength = 64 * 1024;

    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferLength];
    private uint _sequence;

    /// <summary>Opens a netlink socket of <paramref name="protocol"/> and binds it to a kernel-assigned port id.</summary>
    /// <param name="protocol">The netlink protocol.</param>
    /// <param name="groups">Legacy multicast group mask to bind with (prefer <see cref="JoinGroup"/>).</param>
    /// <exception cref="BusException">socket, setsockopt or bind failed.</exception>
    public NetlinkSocket(NetlinkProtocol protocol, uint groups = 0)
    {
        Socket = new BusSocket(SocketFamily.Netlink, SocketType.Raw, (int)protocol);
        try
        {
            Protocol = protocol;
            Socket.SetOption(SOL_NETLINK, NETLINK_EXT_ACK, 1);
            Socket.Bind(new NetlinkAddress(0, groups));
            PortId = Socket.GetLocalEndPoint<NetlinkAddress>().PortId;
            _sequence = (uint)Environment.TickCount;
        }
        catch
        {
            Socket.Dispose();
            throw;
        }
    }

    /// <summary>The underlying socket (for timeouts, buffer sizes, readiness).</summary>
    public BusSocket Socket { get; }

    /// <summary>The protocol.</summary>
    public NetlinkProtocol Protocol { get; }

    /// <summary>The port id the kernel assigned at bind.</summary>
    public uint PortId { get; }

    /// <summary>Messages received while waiting for a reply that belonged to no request of ours (stale replies, notifications).</summary>
    public long UnmatchedMessages { get; private set; }

    /// <summary>Joins a multicast group (<c>NETLINK_ADD_MEMBERSHIP</c>), e.g. <c>RTNLGRP_LINK</c> = 1.</summary>
    /// <param name="group">The group number (not a mask).</param>
    public void JoinGroup(uint group) => Socket.SetOption(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, checked((int)group));

    /// <summary>Leaves a multicast group (<c>NETLINK_DROP_MEMBERSHIP</c>).</summary>
    /// <param name="group">The group number.</param>
    public void LeaveGroup(uint group) => Socket.SetOption(SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, checked((int)group));

    /// <summary>Sends one request that asks for an ACK and waits for it.</summary>
    /// <param name="request">A builder holding one message with <see cref="NetlinkMessageFlags.Ack"/>.</param>
    /// <param name="operation">The operation name for errors (<c>RTM_NEWLINK</c>).</param>
    /// <param name="target">What the request is about (an interface name), for errors.</param>
    /// <exception cref="BusException">The kernel refused: errno plus the extended-ACK text in <see cref="BusException.Detail"/>.</exception>
    public void Execute(NetlinkMessageBuilder request, string operation, string? target = null)
    {
        var exchange = Start(request, ReplyKind.Ack, operation, target, handler: null);
        while (!exchange.Done)
        {
            exchange.Process(this, _receiveBuffer.AsSpan(0, ReceiveDatagram()));
        }
    }

    /// <summary>Sends one request that asks for an ACK and waits for it, asynchronously.</summary>
    /// <param name="request">A builder holding one message with <see cref="NetlinkMessageFlags.Ack"/>.</param>
    /// <param name="operation">The operation name for errors.</param>
    /// <param name="target">What the request is about, for errors.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async ValueTask ExecuteAsync(NetlinkMessageBuilder request, string operation, string? target = null, CancellationToken cancellationToken = default)
    {
        var exchange = Start(request, ReplyKind.Ack, operation, target, handler: null);
        while (!exchange.Done)
        {
            int length = await ReceiveDatagramAsync(cancellationToken).ConfigureAwait(false);
            exchange.Process(this, _receiveBuffer.AsSpan(0, length));
        }
    }

    /// <summary>Sends a request whose reply is one message or a multi-part dump, and hands each reply message to <paramref name="handler"/>.</summary>
    /// <param name="request">A builder holding one GET message (with <see cref="NetlinkMessageFlags.Dump"/> for a dump).</param>
    /// <param name="handler">Called for each reply message.</param>
    /// <param name="operation">The operation name for errors.</param>
    /// <param name="target">What the request is about, for errors.</param>
    /// <returns>The number of messages handed to <paramref name="handler"/>.</returns>
    /// <exception cref="NetlinkDumpInterruptedException">The dump changed while it was read; every part was still delivered.</exception>
    /// <exception cref="BusException">The kernel refused.</exception>
    public int Query(NetlinkMessageBuilder request, NetlinkMessageHandler handler, string operation, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var exchange = Start(request, ReplyKind.Data, operation, target, handler);
        while (!exchange.Done)
        {
            exchange.Process(this, _receiveBuffer.AsSpan(0, ReceiveDatagram()));
        }

        return exchange.Finish();
    }

    /// <summary>Sends a GET or dump request and parses each reply message, asynchronously.</summary>
    /// <typeparam name="T">The parsed type.</typeparam>
    /// <param name="request">A builder holding one GET message.</param>
    /// <param name="parser">Turns each reply message into a value.</param>
    /// <param name="operation">The operation name for errors.</param>
    /// <param name="target">What the request is about, for errors.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The values, in the kernel's order.</returns>
    /// <exception cref="NetlinkDumpInterruptedException">The dump changed while it was read.</exception>
    public async ValueTask<List<T>> QueryAsync<T>(NetlinkMessageBuilder request, NetlinkMessageParser<T> parser, string operation, string? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parser);
        var results = new List<T>();
        var exchange = Start(request, ReplyKind.Data, operation, target, m => results.Add(parser(m)));
        while (!exchange.Done)
        {
            int length = await ReceiveDatagramAsync(cancellationToken).ConfigureAwait(false);
            exchange.Process(this, _receiveBuffer.AsSpan(0, length));
        }

        exchange.Finish();
        return results;
    }

    /// <summary>Receives one datagram (events from joined groups) into the socket's own buffer.</summary>
    /// <returns>The datagram; valid until the next receive.</returns>
    /// <exception cref="BusException"><see cref="Errno.ENOBUFS"/> when the kernel dropped messages for this socket.</exception>
    public ReadOnlySpan<byte> Receive() => _receiveBuffer.AsSpan(0, ReceiveDatagram());

    /// <summary>Receives one datagram asynchronously into the socket's own buffer.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The datagram; valid until the next receive.</returns>
    public async ValueTask<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken = default) =>
        _receiveBuffer.AsMemory(0, await ReceiveDatagramAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>Closes the socket.</summary>
    public void Dispose() => Socket.Dispose();

    private Exchange Start(NetlinkMessageBuilder request, ReplyKind kind, string operation, string? target, NetlinkMessageHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(operation);
        if (request.Length < NetlinkHeader.Size || request.MessageStart >= 0)
        {
            throw new ArgumentException("The request builder holds no finished message (call BeginMessage and EndMessage).", nameof(request));
        }

        uint sequence = ++_sequence;
        request.SetSequence(0, sequence, PortId);
        bool expectAck = (NetlinkHeader.Read(request.WrittenSpan).Flags & NetlinkMessageFlags.Ack) != 0;
        Socket.SendTo(request.WrittenSpan, NetlinkAddress.Kernel);
        return new Exchange(sequence, PortId, kind, operation, target, handler, expectAck);
    }

    private int ReceiveDatagram()
    {
        try
        {
            return CheckLength(Socket.Receive(_receiveBuffer, MessageFlags.Truncated));
        }
        catch (BusException e) when (e.Errno == Errno.ENOBUFS && e.Detail is null)
        {
            throw Overrun(e);
        }
    }

    private async ValueTask<int> ReceiveDatagramAsync(CancellationToken cancellationToken)
    {
        try
        {
            return CheckLength(await Socket.ReceiveAsync(_receiveBuffer, MessageFlags.Truncated, cancellationToken).ConfigureAwait(false));
        }
        catch (BusException e) when (e.Errno == Errno.ENOBUFS && e.Detail is null)
        {
            throw Overrun(e);
        }
    }

    private static BusException Overrun(BusException e) =>
        new(e.ErrorNumber, e.Operation, e.Address, "netlink receive queue overrun: the kernel dropped messages for this socket; re-read the state you track");

    private static int CheckLength(int length) => length <= ReceiveBufferLength
        ? length
        : throw new BusException((int)Errno.EMSGSIZE, "recv", null, $"netlink datagram of {length} bytes exceeds the {ReceiveBufferLength}-byte receive buffer");

    internal enum ReplyKind
    {
        Ack,
        Data,
    }

    /// <summary>The reply state machine of one request, separate from I/O so it is testable with crafted datagrams.</summary>
    internal sealed class Exchange(uint sequence, uint portId, ReplyKind kind, string operation, string? target, NetlinkMessageHandler? handler, bool expectAck = false)
    {
        private int _delivered;
        private bool _interrupted;

        public bool Done { get; private set; }

        public int Unmatched { get; private set; }

        public void Process(NetlinkSocket? owner, ReadOnlySpan<byte> datagram)
        {
            foreach (NetlinkMessage message in NetlinkMessage.Enumerate(datagram))
            {
                if (Done)
                {
                    break;
                }

                // The kernel stamps replies with the requester's port id and sequence number; anything
                // else is a late reply to an abandoned request or a notification, not ours.
                if (message.Header.Sequence != sequence || (message.Header.PortId != portId && message.Header.PortId != 0))
                {
                    Unmatched++;
                    if (owner is not null)
                    {
                        owner.UnmatchedMessages++;
                    }

                    continue;
                }

                if ((message.Flags & NetlinkMessageFlags.DumpInterrupted) != 0)
                {
                    _interrupted = true;
                }

                switch (message.Type)
                {
                    case NetlinkMessageType.Error:
                        NetlinkAck ack = message.GetAck();
                        if (!ack.IsSuccess)
                        {
                            throw ack.ToException(operation, target);
                        }

                        Done = true;
                        break;
                    case NetlinkMessageType.Done:
                        // A dump can end in an error (an int after the header, plus ext-ack TLVs).
                        if (message.Payload.Length >= 4)
                        {
                            int error = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(message.Payload);
                            if (error < 0)
                            {
                                throw new BusException(-error, operation, target);
                            }
                        }

                        Done = true;
                        break;
                    case NetlinkMessageType.Noop:
                        break;
                    case NetlinkMessageType.Overrun:
                        throw new BusException((int)Errno.ENOBUFS, operation, target, "NLMSG_OVERRUN: the kernel lost part of the reply");
                    default:
                        if (kind == ReplyKind.Ack)
                        {
                            Unmatched++;
                            break;
                        }

                        handler?.Invoke(message);
                        _delivered++;
                        // A single reply ends the exchange, unless the request also asked for an
                        // ACK: the kernel sends that after the reply, and leaving it queued would
                        // make it the next request's stale message.
                        if ((message.Flags & NetlinkMessageFlags.Multi) == 0 && !expectAck)
                        {
                            Done = true;
                        }

                        break;
                }
            }
        }

        public int Finish() => _interrupted
            ? throw new NetlinkDumpInterruptedException(operation, target, _delivered)
            : _delivered;
    }
}

/// <summary>
/// A dump was interrupted (<c>NLM_F_DUMP_INTR</c>): the table changed while it was being read, so the
/// parts may be inconsistent. Every part was still delivered; retry the dump for a consistent view.
/// </summary>
public sealed class NetlinkDumpInterruptedException : BusException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">The dump operation.</param>
    /// <param name="target">What was dumped, if anything.</param>
    /// <param name="deliveredMessages">The number of messages delivered before the end of the dump.</param>
    public NetlinkDumpInterruptedException(string operation, string? target, int deliveredMessages)
        : base((int)Errno.EINTR, operation, target, $"NLM_F_DUMP_INTR: the dump changed while it was read; {deliveredMessages} message(s) were delivered and may be inconsistent; retry")
    {
        DeliveredMessages = deliveredMessages;
    }

    /// <summary>The number of messages delivered before the end of the dump.</summary>
    public int DeliveredMessages { get; }
}
