using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Buses.Can.Interop;
using Buses.Netlink;
using static Buses.Can.Interop.J1939Uapi;

namespace Buses.Can;

/// <summary>
/// An SAE J1939 socket (<c>CAN_J1939</c>, Linux 5.4+): sends and receives whole parameter groups of up to
/// 117440505 bytes, the kernel doing the transport protocol (TP up to 1785 bytes, ETP above) and, with a
/// NAME, address claiming. Each receive returns the sender, destination address and NAME, priority and
/// timestamp from one <c>recvmsg</c>; the error queue reports transport sessions starting, completing and aborting.
/// </summary>
/// <remarks>
/// <para>Bind before sending: with a source address 0–253, or with a NAME whose address the kernel tracks from
/// Address Claimed messages. A socket bound with neither can only receive.</para>
/// <para>A send returns once the kernel has queued the message; a TP/ETP session then runs in the kernel.
/// Its outcome is reported on the error queue when <see cref="ErrorQueue"/> is on; otherwise an aborted session
/// sets the socket error, which the next send or receive throws as a <see cref="BusException"/>.
/// <see cref="Dispose"/> waits for pending sessions to finish, as <c>close()</c> does.</para>
/// <para>A PDU2 PGN (PF 0xF0 and above) carries no destination address in its CAN identifier: a single-frame
/// PDU2 message is broadcast whatever destination is given; over TP the destination selects RTS/CTS or BAM.</para>
/// </remarks>
public sealed class J1939Socket : IDisposable
{
    private const int ControlSize = 256;
    private const int ErrorControlSize = 512;

    private readonly BusSocket _socket;
    private J1939Address? _bound;
    private int _boundIndex;
    private bool _errorQueue;

    /// <summary>Opens an unbound J1939 socket with nanosecond receive timestamps on.</summary>
    /// <exception cref="BusException">EAFNOSUPPORT without CAN; EPROTONOSUPPORT without the can-j1939 module.</exception>
    public J1939Socket()
    {
        _socket = new BusSocket(SocketFamily.Can, System.Net.Sockets.SocketType.Dgram, CanUapi.CAN_J1939);
        try
        {
            _socket.Set(SocketOption.TimestampNanoseconds, true);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>Opens a J1939 socket bound to <paramref name="local"/>.</summary>
    /// <param name="local">The interface and source address, NAME and (optionally) the one PGN to receive.</param>
    public J1939Socket(J1939Address local)
        : this()
    {
        try
        {
            Bind(local);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>The underlying socket, for options this type does not wrap.</summary>
    public BusSocket Socket => _socket;

    /// <summary>The timeout of blocking calls: <see langword="null"/> blocks, zero is non-blocking.</summary>
    public TimeSpan? Timeout
    {
        get => _socket.Timeout;
        set => _socket.Timeout = value;
    }

    /// <summary>Binds to an interface with a source address and/or NAME; a PGN other than <see cref="J1939.NoPgn"/> receives only that PGN.</summary>
    /// <param name="local">The local address; its interface must be a real one (not <c>any</c>).</param>
    /// <exception cref="ArgumentException">The interface is <c>any</c>: J1939 sockets live on one interface.</exception>
    /// <exception cref="BusException">ENODEV for an unknown interface; EADDRINUSE when the address is taken by another NAME.</exception>
    public void Bind(J1939Address local)
    {
        if (local.Interface.IsAny)
        {
            throw new ArgumentException($"J1939 bind address {local} names no interface: a J1939 socket is bound to exactly one.", nameof(local));
        }

        _socket.Bind(local);
        _bound = local;
        _boundIndex = local.Interface.ResolveIndex();
    }

    /// <summary>Sets the default destination (address, NAME, PGN) for <see cref="Send"/>, and receives only from it.</summary>
    /// <param name="peer">The destination; its interface must be the bound one or <c>any</c>.</param>
    public void Connect(J1939Address peer) => _socket.Connect(peer);

    /// <summary>Sets the default destination; completes at once (J1939 has no handshake).</summary>
    /// <param name="peer">The destination.</param>
    /// <param name="cancellationToken">Checked before connecting.</param>
    public ValueTask ConnectAsync(J1939Address peer, CancellationToken cancellationToken = default) => _socket.ConnectAsync(peer, cancellationToken);

    /// <summary>The bound address as the kernel reports it (<c>getsockname</c>).</summary>
    public J1939Address LocalAddress => _socket.GetLocalEndPoint<J1939Address>();

    /// <summary>The connected peer (<c>getpeername</c>).</summary>
    /// <exception cref="BusException">EADDRNOTAVAIL when not connected.</exception>
    public J1939Address PeerAddress => _socket.GetRemoteEndPoint<J1939Address>();

    /// <summary>Receive every message on the bus, not only those for this socket's address (<c>SO_J1939_PROMISC</c>).</summary>
    public bool Promiscuous
    {
        get => _socket.Get(J1939Option.Promiscuous);
        set => _socket.Set(J1939Option.Promiscuous, value);
    }

    /// <summary>
    /// Allow sending to and receiving from the broadcast address (<c>SO_BROADCAST</c>): without it a broadcast
    /// send fails with EACCES and broadcast messages (PDU2, or PDU1 to 0xFF) are not delivered to this socket.
    /// </summary>
    public bool Broadcast
    {
        get => _socket.Get(SocketOption.Broadcast);
        set => _socket.Set(SocketOption.Broadcast, value);
    }

    /// <summary>The priority of sent messages, 0 (highest) to 7; default 6 (<c>SO_J1939_SEND_PRIO</c>).</summary>
    /// <remarks>0 and 1 need CAP_NET_ADMIN (EPERM otherwise).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">A priority over 7, thrown before the system call.</exception>
    public int SendPriority
    {
        get => _socket.Get(J1939Option.SendPriority);
        set
        {
            J1939.ValidatePriority(value, nameof(value));
            _socket.Set(J1939Option.SendPriority, value);
        }
    }

    /// <summary>
    /// Whether transport-session reports go to the error queue (<c>SO_J1939_ERRQUEUE</c> with
    /// <c>SO_TIMESTAMPING</c> scheduled, acknowledged, statistics and id reports), read with
    /// <see cref="ReceiveTransferEvent"/>. Off by default.
    /// </summary>
    /// <remarks>
    /// With it on, an aborted send no longer sets the socket error: the abort is only reported here. A queued
    /// report makes the socket poll as ready with POLLERR, so drain the error queue while it is on.
    /// Receive-side reports (RTS, DPO, receive abort) need Linux 5.12+.
    /// </remarks>
    public bool ErrorQueue
    {
        get => _errorQueue;
        set
        {
            _socket.Set(J1939Option.ErrorQueue, value);
            TimestampingFlags flags = value
                ? TimestampingFlags.OptionControlMessage | TimestampingFlags.TransmitAcknowledged | TimestampingFlags.TransmitScheduled
                    | TimestampingFlags.OptionStats | TimestampingFlags.OptionTimestampOnly | TimestampingFlags.OptionId
                    | TimestampingFlags.ReceiveSoftware | TimestampingFlags.Software
                : TimestampingFlags.None;
            _socket.Set(SocketOption.Timestamping, (int)flags);
            _errorQueue = value;
        }
    }

    /// <summary>Sets the receive filters (<c>SO_J1939_FILTER</c>); an empty list removes them (receive everything).</summary>
    /// <param name="filters">At most 512.</param>
    /// <exception cref="ArgumentException">More than 512 filters.</exception>
    /// <remarks>The kernel has no way to read filters back.</remarks>
    public void SetFilters(ReadOnlySpan<J1939Filter> filters)
    {
        if (filters.Length > J1939Filter.MaxCount)
        {
            throw new ArgumentException($"{filters.Length} J1939 filters is more than the kernel's limit of {J1939Filter.MaxCount}.", nameof(filters));
        }

        j1939_filter[] raw = new j1939_filter[filters.Length];
        for (int i = 0; i < filters.Length; i++)
        {
            raw[i] = filters[i].ToKernel();
        }

        _socket.SetOption(SocketLevel.CanJ1939, SO_J1939_FILTER, MemoryMarshal.AsBytes(raw.AsSpan()));
    }

    /// <summary>Sends <paramref name="data"/> to the connected peer.</summary>
    /// <param name="data">0 to 117440505 bytes.</param>
    /// <returns>The bytes queued.</returns>
    public int Send(ReadOnlySpan<byte> data)
    {
        CheckSend(data.Length, null);
        int sent = _socket.Send(data);
        while (sent < data.Length)
        {
            sent += _socket.Send(data[sent..]);
        }

        return sent;
    }

    /// <summary>Sends <paramref name="data"/> to <paramref name="destination"/> (address or NAME, and PGN).</summary>
    /// <param name="data">0 to 117440505 bytes.</param>
    /// <param name="destination">The destination; its PGN overrides the bound or connected one.</param>
    /// <returns>The bytes queued: all of them, in as many sends as the send buffer needs.</returns>
    /// <exception cref="InvalidOperationException">The socket is unbound, or bound with no source address and no NAME.</exception>
    public int SendTo(ReadOnlySpan<byte> data, J1939Address destination)
    {
        CheckSend(data.Length, destination);

        // The kernel queues a TP/ETP message as long as the send buffer has room and returns the part it took:
        // the session then waits for the rest, which must follow in further sends (or it times out).
        int sent = _socket.SendTo(data, destination);
        while (sent < data.Length)
        {
            sent += _socket.SendTo(data[sent..], destination);
        }

        return sent;
    }

    /// <summary>Sends <paramref name="data"/> to the connected peer, asynchronously.</summary>
    /// <param name="data">0 to 117440505 bytes.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The bytes queued.</returns>
    public async ValueTask<int> SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        CheckSend(data.Length, null);
        int sent = await _socket.SendAsync(data, cancellationToken: cancellationToken).ConfigureAwait(false);
        while (sent < data.Length)
        {
            sent += await _socket.SendAsync(data[sent..], cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return sent;
    }

    /// <summary>Sends <paramref name="data"/> to <paramref name="destination"/>, asynchronously.</summary>
    /// <param name="data">0 to 117440505 bytes.</param>
    /// <param name="destination">The destination.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The bytes queued.</returns>
    public async ValueTask<int> SendToAsync(ReadOnlyMemory<byte> data, J1939Address destination, CancellationToken cancellationToken = default)
    {
        CheckSend(data.Length, destination);
        byte[] sockaddr = new byte[J1939_MIN_NAMELEN];
        destination.Encode(sockaddr);
        int sent = await _socket.SendMessageAsync(data, default, sockaddr, cancellationToken: cancellationToken).ConfigureAwait(false);
        while (sent < data.Length)
        {
            sent += await _socket.SendMessageAsync(data[sent..], default, sockaddr, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return sent;
    }

    private void CheckSend(int length, J1939Address? destination)
    {
        if (length > J1939.MaxExtendedTransportLength)
        {
            throw new ArgumentException($"A J1939 message of {length} bytes is over the ETP limit of {J1939.MaxExtendedTransportLength}.", "data");
        }

        if (_bound is not { } bound)
        {
            throw new InvalidOperationException("This J1939 socket is not bound: bind it to an interface with a source address or NAME before sending.");
        }

        if (bound.Address == J1939.NoAddress && bound.Name == J1939.NoName)
        {
            throw new InvalidOperationException($"This J1939 socket is bound as {bound}: source address 0xFF (none) with no NAME cannot send; bind with an address 0–253 or a NAME that holds a claimed address.");
        }

        if (destination is { Interface: { IsAny: false } target } && target != bound.Interface && target.InterfaceName is not null && bound.Interface.InterfaceName is not null)
        {
            throw new ArgumentException($"Destination {destination} is on another interface than the bound {bound.Interface}: a J1939 socket sends only on its own.", nameof(destination));
        }
    }

    /// <summary>Receives one message into <paramref name="buffer"/>, with its sender and metadata.</summary>
    /// <param name="buffer">The destination; a longer message is truncated (reported in <see cref="J1939MessageInfo.Truncated"/>).</param>
    /// <returns>The length, sender, destination, priority and timestamp.</returns>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    public J1939MessageInfo Receive(Span<byte> buffer)
    {
        Span<byte> control = stackalloc byte[ControlSize];
        Span<byte> address = stackalloc byte[RawSocketAddress.MaxSize];
        ReceivedMessage received = _socket.ReceiveMessage(buffer, control, address);
        return WithInterface(Describe(received, control[..received.ControlLength], address[..received.AddressLength]));
    }

    /// <summary>Receives one message into <paramref name="buffer"/>, asynchronously.</summary>
    /// <param name="buffer">The destination.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The length, sender, destination, priority and timestamp.</returns>
    public async ValueTask<J1939MessageInfo> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        byte[] scratch = ArrayPool<byte>.Shared.Rent(ControlSize + RawSocketAddress.MaxSize);
        try
        {
            Memory<byte> control = scratch.AsMemory(0, ControlSize);
            Memory<byte> address = scratch.AsMemory(ControlSize, RawSocketAddress.MaxSize);
            ReceivedMessage received = await _socket.ReceiveMessageAsync(buffer, control, address, cancellationToken: cancellationToken).ConfigureAwait(false);
            return WithInterface(Describe(received, control.Span[..received.ControlLength], address.Span[..received.AddressLength]));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Reads the next report from the error queue (<c>MSG_ERRQUEUE</c>), waiting in this socket's mode; needs <see cref="ErrorQueue"/> on.</summary>
    /// <returns>The report.</returns>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    /// <exception cref="BusException">EAGAIN in non-blocking mode when the error queue is empty.</exception>
    public J1939TransferEvent ReceiveTransferEvent()
    {
        // recvmsg(MSG_ERRQUEUE) never blocks; the retry loop's poll wakes on POLLERR, which a queued report raises.
        Span<byte> control = stackalloc byte[ErrorControlSize];
        ReceivedMessage received = _socket.ReceiveMessage(Span<byte>.Empty, control, default, MessageFlags.ErrorQueue);
        return DescribeError(control[..received.ControlLength]);
    }

    /// <summary>Waits for the next error-queue report and reads it.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The report.</returns>
    public async ValueTask<J1939TransferEvent> ReceiveTransferEventAsync(CancellationToken cancellationToken = default)
    {
        byte[] control = ArrayPool<byte>.Shared.Rent(ErrorControlSize);
        try
        {
            ReceivedMessage received = await _socket.ReceiveMessageAsync(Memory<byte>.Empty, control.AsMemory(0, ErrorControlSize), default, MessageFlags.ErrorQueue, cancellationToken).ConfigureAwait(false);
            return DescribeError(control.AsSpan(0, received.ControlLength));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(control);
        }
    }

    /// <summary>Streams error-queue reports until cancelled.</summary>
    /// <param name="cancellationToken">Ends the stream (throws <see cref="OperationCanceledException"/>).</param>
    public async IAsyncEnumerable<J1939TransferEvent> ReceiveTransferEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            yield return await ReceiveTransferEventAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // Linux sets the sender's can_ifindex from skb_iif, which a TP/ETP message reassembled by the kernel lacks
    // (it reads 0); a J1939 socket receives only on the interface it is bound to, so that one is the answer.
    private J1939MessageInfo WithInterface(J1939MessageInfo info) =>
        info.Source.Interface.IsAny && _boundIndex != 0
            ? info with { Source = new J1939Address(CanAddress.FromIndex(_boundIndex), info.Source.Address, J1939.NoPgn, info.Source.Name).WithPgnUnchecked(info.Source.Pgn) }
            : info;

    internal static J1939MessageInfo Describe(ReceivedMessage received, ReadOnlySpan<byte> control, ReadOnlySpan<byte> address)
    {
        byte destination = J1939.NoAddress;
        ulong destinationName = J1939.NoName;
        byte priority = 0;
        SocketTimestamp timestamp = default;
        foreach (ControlMessage message in ControlMessage.Parse(control))
        {
            if (message.Level == SocketLevel.CanJ1939)
            {
                switch (message.Type)
                {
                    case ControlMessageType.J1939.DestinationAddress when message.Data.Length >= 1:
                        destination = message.Data[0];
                        break;
                    case ControlMessageType.J1939.DestinationName when message.Data.Length >= 8:
                        destinationName = BinaryPrimitives.ReadUInt64LittleEndian(message.Data);
                        break;
                    case ControlMessageType.J1939.Priority when message.Data.Length >= 1:
                        priority = message.Data[0];
                        break;
                }
            }
            else if (message.TryGetTimestamp(out SocketTimestamp ns))
            {
                timestamp = ns;
            }
            else if (!timestamp.IsSet && message.TryGetTimestamping(out SocketTimestamp software, out _))
            {
                timestamp = software;
            }
        }

        // Never throw once the kernel handed the message over: an undecodable sender becomes default.
        TryDecode(address, out J1939Address source);
        return new J1939MessageInfo(received.Length, source, destination, destinationName, priority, timestamp, received.Truncated);
    }

    private static bool TryDecode<TAddress>(ReadOnlySpan<byte> sockaddr, out TAddress address) where TAddress : struct, ISocketAddress<TAddress> =>
        TAddress.TryDecode(sockaddr, out address);

    internal static J1939TransferEvent DescribeError(ReadOnlySpan<byte> control)
    {
        sock_extended_err ee = default;
        long acked = -1, total = -1;
        uint pgn = J1939.NoPgn;
        ulong sourceName = 0, destinationName = 0;
        byte sourceAddress = J1939.NoAddress, destinationAddress = J1939.NoAddress;
        SocketTimestamp timestamp = default;
        foreach (ControlMessage message in ControlMessage.Parse(control))
        {
            if (message.Level == SocketLevel.CanJ1939 && message.Type == ControlMessageType.J1939.ErrorQueue && message.Data.Length >= Unsafe.SizeOf<sock_extended_err>())
            {
                ee = MemoryMarshal.Read<sock_extended_err>(message.Data);
            }
            else if (message.Level == SocketLevel.Socket && message.Type == ControlMessageType.TimestampingOptionStats)
            {
                foreach (NetlinkAttribute attribute in new NetlinkAttributeReader(message.Data))
                {
                    switch (attribute.Type)
                    {
                        case J1939_NLA_BYTES_ACKED: acked = attribute.GetU32(); break;
                        case J1939_NLA_TOTAL_SIZE: total = attribute.GetU32(); break;
                        case J1939_NLA_PGN: pgn = attribute.GetU32(); break;
                        case J1939_NLA_SRC_NAME: sourceName = attribute.GetU64(); break;
                        case J1939_NLA_DEST_NAME: destinationName = attribute.GetU64(); break;
                        case J1939_NLA_SRC_ADDR: sourceAddress = attribute.GetU8(); break;
                        case J1939_NLA_DEST_ADDR: destinationAddress = attribute.GetU8(); break;
                    }
                }
            }
            else if (message.TryGetTimestamping(out SocketTimestamp software, out _))
            {
                timestamp = software;
            }
        }

        J1939TransferEventKind kind = (ee.ee_origin, ee.ee_info) switch
        {
            (SO_EE_ORIGIN_TIMESTAMPING, SCM_TSTAMP_SCHED) => J1939TransferEventKind.TransmitStarted,
            (SO_EE_ORIGIN_TIMESTAMPING, SCM_TSTAMP_ACK) => J1939TransferEventKind.TransmitCompleted,
            (SO_EE_ORIGIN_LOCAL, J1939_EE_INFO_TX_ABORT) => J1939TransferEventKind.TransmitAborted,
            (SO_EE_ORIGIN_LOCAL, J1939_EE_INFO_RX_RTS) => J1939TransferEventKind.ReceiveStarted,
            (SO_EE_ORIGIN_LOCAL, J1939_EE_INFO_RX_DPO) => J1939TransferEventKind.ReceiveDataOffset,
            (SO_EE_ORIGIN_LOCAL, J1939_EE_INFO_RX_ABORT) => J1939TransferEventKind.ReceiveAborted,
            _ => J1939TransferEventKind.Unknown,
        };
        return new J1939TransferEvent(kind, (Errno)ee.ee_errno, ee.ee_origin, ee.ee_info, ee.ee_data, acked, total, pgn, sourceName, destinationName, sourceAddress, destinationAddress, timestamp);
    }

    /// <summary>Closes the socket, waiting (as <c>close()</c> does) for this socket's transport sessions to end.</summary>
    public void Dispose() => _socket.Dispose();
}
