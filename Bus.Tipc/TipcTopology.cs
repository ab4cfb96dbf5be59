using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Buses.Tipc.Interop;
using static Buses.Tipc.Interop.TipcUapi;

namespace Buses.Tipc;

/// <summary>What a topology subscription reports (the <c>filter</c> of <c>struct tipc_subscr</c>).</summary>
[Flags]
public enum TipcSubscriptionFilter
{
    /// <summary>An event for every binding that overlaps the range (TIPC_SUB_PORTS).</summary>
    Ports = 0x01,

    /// <summary>One event when the range gets its first binding and one when it loses its last (TIPC_SUB_SERVICE).</summary>
    Service = 0x02,

    /// <summary>No events for the bindings that exist when subscribing, only for later changes (TIPC_SUB_NO_STATUS, 0x80).</summary>
    /// <remarks>Defined by the kernel's net/tipc/topsrv.h (Linux 4.15+), not by the UAPI header.</remarks>
    NoStatus = 0x80,
}

/// <summary>The byte order a subscription is written in; the topology server answers in the same order.</summary>
public enum TipcByteOrder
{
    /// <summary>This machine's order (what Python users and the kernel's own clients write).</summary>
    Host,

    /// <summary>Big-endian, network order (what tipcutils and older clients write).</summary>
    Network,
}

/// <summary>What a topology event says (the <c>event</c> of <c>struct tipc_event</c>).</summary>
public enum TipcEventKind
{
    /// <summary>A binding appeared (TIPC_PUBLISHED); for node and link subscriptions, the node or link came up.</summary>
    Published = 1,

    /// <summary>A binding went away (TIPC_WITHDRAWN); for node and link subscriptions, the node or link went down.</summary>
    Withdrawn = 2,

    /// <summary>The subscription's timeout elapsed and it ended (TIPC_SUBSCR_TIMEOUT).</summary>
    SubscriptionTimeout = 3,
}

/// <summary>One topology subscription, as sent to the server; keep it to <see cref="TipcTopology.Cancel"/> it.</summary>
/// <param name="Range">The service range watched (<see cref="TipcTopology.Nodes"/> and <see cref="TipcTopology.Links"/> watch nodes and links).</param>
/// <param name="Filter">What is reported.</param>
/// <param name="Timeout">How long the subscription lasts; <see langword="null"/> for ever (TIPC_WAIT_FOREVER).</param>
/// <param name="Handle">The 8 bytes of <c>usr_handle</c>, echoed in every event of this subscription.</param>
/// <param name="ByteOrder">The order it was written in.</param>
public readonly record struct TipcSubscription(TipcServiceRange Range, TipcSubscriptionFilter Filter, TimeSpan? Timeout, ulong Handle, TipcByteOrder ByteOrder)
{
    internal const int Size = 28;

    internal void Write(Span<byte> destination, bool cancel)
    {
        bool swap = ByteOrder == TipcByteOrder.Network == BitConverter.IsLittleEndian;
        var s = new tipc_subscr
        {
            seq = new tipc_service_range { type = Order(Range.Type, swap), lower = Order(Range.Lower, swap), upper = Order(Range.Upper, swap) },
            timeout = Order(Timeout is { } t ? (uint)t.TotalMilliseconds : TIPC_WAIT_FOREVER, swap),
            filter = Order((uint)Filter | (cancel ? TIPC_SUB_CANCEL : 0), swap),
        };
        MemoryMarshal.Write(s.usr_handle, Handle);
        MemoryMarshal.Write(destination, s);
    }

    // The server tells the orders apart by whether filter has PORTS, SERVICE or CANCEL set when read
    // in its own order (tipc_sub_read in net/tipc/subscr.h), and answers in the order it found.
    internal static bool TryRead(ReadOnlySpan<byte> bytes, out TipcSubscription subscription, out bool swapped)
    {
        tipc_subscr s = MemoryMarshal.Read<tipc_subscr>(bytes);
        swapped = (s.filter & (TIPC_SUB_PORTS | TIPC_SUB_SERVICE | TIPC_SUB_CANCEL)) == 0;
        uint lower = Order(s.seq.lower, swapped);
        uint upper = Order(s.seq.upper, swapped);
        uint timeout = Order(s.timeout, swapped);
        subscription = default;
        if (lower > upper)
        {
            return false;
        }

        subscription = new TipcSubscription(
            TipcServiceRange.Trusted(Order(s.seq.type, swapped), lower, upper, TipcScope.Cluster),
            (TipcSubscriptionFilter)(Order(s.filter, swapped) & ~TIPC_SUB_CANCEL),
            timeout == TIPC_WAIT_FOREVER ? null : TimeSpan.FromMilliseconds(timeout),
            MemoryMarshal.Read<ulong>(s.usr_handle),
            swapped == BitConverter.IsLittleEndian ? TipcByteOrder.Network : TipcByteOrder.Host);
        return true;
    }

    internal static uint Order(uint value, bool swap) => swap ? BinaryPrimitives.ReverseEndianness(value) : value;
}

/// <summary>One event from the topology server.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="FoundLower">The first instance of the binding that matched (for node events, the node; for link events, the peer node).</param>
/// <param name="FoundUpper">The last instance of the binding that matched.</param>
/// <param name="Port">The bound socket (for link events, <c>Reference</c> is the link's bearer id and <c>Node</c> this node).</param>
/// <param name="Subscription">The subscription the event belongs to.</param>
public readonly record struct TipcEvent(TipcEventKind Kind, uint FoundLower, uint FoundUpper, TipcSocketAddress Port, TipcSubscription Subscription)
{
    internal const int Size = 48;

    /// <summary>For node and link events: the node that came up or went down.</summary>
    public TipcNodeAddress Node => new(FoundLower);

    /// <summary>Whether this is a node up/down event (a subscription to <see cref="TipcTopology.Nodes"/>).</summary>
    public bool IsNodeEvent => Subscription.Range.Type == TIPC_NODE_STATE;

    /// <summary>Whether this is a link up/down event (a subscription to <see cref="TipcTopology.Links"/>).</summary>
    public bool IsLinkEvent => Subscription.Range.Type == TIPC_LINK_STATE;

    internal static bool TryRead(ReadOnlySpan<byte> bytes, out TipcEvent evt)
    {
        evt = default;
        if (bytes.Length < Size || !TipcSubscription.TryRead(bytes[20..], out TipcSubscription subscription, out bool swapped))
        {
            return false;
        }

        tipc_event e = MemoryMarshal.Read<tipc_event>(bytes);
        evt = new TipcEvent(
            (TipcEventKind)TipcSubscription.Order(e.@event, swapped),
            TipcSubscription.Order(e.found_lower, swapped),
            TipcSubscription.Order(e.found_upper, swapped),
            new TipcSocketAddress(TipcSubscription.Order(e.port.@ref, swapped), new TipcNodeAddress(TipcSubscription.Order(e.port.node, swapped))),
            subscription);
        return true;
    }
}

/// <summary>
/// A connection to this node's TIPC topology server (<c>{TIPC_TOP_SRV, TIPC_TOP_SRV}</c>): subscribe to
/// service ranges, all of a service, nodes or links, and receive their events as they happen.
/// </summary>
/// <remarks>
/// Closing the connection ends every subscription made on it. The server refuses (and closes the
/// connection on) a subscription with both <see cref="TipcSubscriptionFilter.Ports"/> and
/// <see cref="TipcSubscriptionFilter.Service"/>, so this type rejects that before sending.
/// </remarks>
public sealed class TipcTopology : IDisposable
{
    private readonly BusSocket _socket;
    private readonly TipcByteOrder _order;
    private long _nextHandle;

    private TipcTopology(TipcByteOrder order)
    {
        if (order is not (TipcByteOrder.Host or TipcByteOrder.Network))
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "The byte order is Host or Network.");
        }

        _order = order;
        _socket = new BusSocket(SocketFamily.Tipc, SocketType.Seqpacket, 0);
    }

    /// <summary>The range that watches every node of the cluster: events for nodes coming up and going down (TIPC_NODE_STATE).</summary>
    public static TipcServiceRange Nodes => TipcServiceRange.All(TIPC_NODE_STATE);

    /// <summary>The range that watches every link: events for links coming up and going down (TIPC_LINK_STATE).</summary>
    public static TipcServiceRange Links => TipcServiceRange.All(TIPC_LINK_STATE);

    /// <summary>The underlying SEQPACKET socket.</summary>
    public BusSocket Socket => _socket;

    /// <summary>The order subscriptions are written in.</summary>
    public TipcByteOrder ByteOrder => _order;

    /// <summary>The timeout of receives: <see langword="null"/> blocks, zero is non-blocking.</summary>
    public TimeSpan? Timeout
    {
        get => _socket.Timeout;
        set => _socket.Timeout = value;
    }

    /// <summary>Connects to the topology server.</summary>
    /// <param name="order">The byte order to write subscriptions in.</param>
    /// <returns>The connection.</returns>
    public static TipcTopology Open(TipcByteOrder order = TipcByteOrder.Host)
    {
        var topology = new TipcTopology(order);
        try
        {
            topology._socket.Connect((TipcAddress)TipcServiceAddress.TopologyServer);
            return topology;
        }
        catch
        {
            topology.Dispose();
            throw;
        }
    }

    /// <summary>Connects to the topology server asynchronously.</summary>
    /// <param name="order">The byte order to write subscriptions in.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connection.</returns>
    public static async ValueTask<TipcTopology> OpenAsync(TipcByteOrder order = TipcByteOrder.Host, CancellationToken cancellationToken = default)
    {
        var topology = new TipcTopology(order);
        try
        {
            await topology._socket.ConnectAsync((TipcAddress)TipcServiceAddress.TopologyServer, cancellationToken).ConfigureAwait(false);
            return topology;
        }
        catch
        {
            topology.Dispose();
            throw;
        }
    }

    /// <summary>Subscribes to the bindings in <paramref name="range"/> (any type, reserved ones included).</summary>
    /// <param name="range">The range; its scope is not used.</param>
    /// <param name="filter"><see cref="TipcSubscriptionFilter.Ports"/> or <see cref="TipcSubscriptionFilter.Service"/>, optionally with <see cref="TipcSubscriptionFilter.NoStatus"/>.</param>
    /// <param name="timeout">How long it lasts; <see langword="null"/> for ever. At most 4294967294 ms.</param>
    /// <returns>The subscription, to match events to and to cancel.</returns>
    /// <exception cref="ArgumentException">Neither or both of Ports and Service, an unknown flag, or a timeout out of range.</exception>
    public TipcSubscription Subscribe(TipcServiceRange range, TipcSubscriptionFilter filter = TipcSubscriptionFilter.Ports, TimeSpan? timeout = null)
    {
        TipcSubscription subscription = Prepare(range, filter, timeout);
        Span<byte> bytes = stackalloc byte[TipcSubscription.Size];
        subscription.Write(bytes, cancel: false);
        _socket.Send(bytes);
        return subscription;
    }

    /// <summary>Subscribes asynchronously.</summary>
    /// <param name="range">The range.</param>
    /// <param name="filter">What is reported.</param>
    /// <param name="timeout">How long it lasts; <see langword="null"/> for ever.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The subscription.</returns>
    public async ValueTask<TipcSubscription> SubscribeAsync(TipcServiceRange range, TipcSubscriptionFilter filter = TipcSubscriptionFilter.Ports, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        TipcSubscription subscription = Prepare(range, filter, timeout);
        await SendAsync(subscription, cancel: false, cancellationToken).ConfigureAwait(false);
        return subscription;
    }

    /// <summary>Subscribes to every instance of service <paramref name="type"/>.</summary>
    /// <param name="type">The service type.</param>
    /// <param name="filter">What is reported.</param>
    /// <param name="timeout">How long it lasts.</param>
    /// <returns>The subscription.</returns>
    public TipcSubscription SubscribeAll(uint type, TipcSubscriptionFilter filter = TipcSubscriptionFilter.Ports, TimeSpan? timeout = null) =>
        Subscribe(TipcServiceRange.All(type), filter, timeout);

    /// <summary>Subscribes to every instance of service <paramref name="type"/> asynchronously.</summary>
    /// <param name="type">The service type.</param>
    /// <param name="filter">What is reported.</param>
    /// <param name="timeout">How long it lasts.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The subscription.</returns>
    public ValueTask<TipcSubscription> SubscribeAllAsync(uint type, TipcSubscriptionFilter filter = TipcSubscriptionFilter.Ports, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        SubscribeAsync(TipcServiceRange.All(type), filter, timeout, cancellationToken);

    /// <summary>Ends a subscription made on this connection (the same bytes with TIPC_SUB_CANCEL); no event follows.</summary>
    /// <param name="subscription">The subscription.</param>
    public void Cancel(TipcSubscription subscription)
    {
        Span<byte> bytes = stackalloc byte[TipcSubscription.Size];
        subscription.Write(bytes, cancel: true);
        _socket.Send(bytes);
    }

    /// <summary>Ends a subscription asynchronously.</summary>
    /// <param name="subscription">The subscription.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>A task that completes when the cancel was sent.</returns>
    public ValueTask CancelAsync(TipcSubscription subscription, CancellationToken cancellationToken = default) => SendAsync(subscription, cancel: true, cancellationToken);

    /// <summary>Receives the next event, waiting in this connection's mode.</summary>
    /// <returns>The event.</returns>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    /// <exception cref="InvalidDataException">The server sent something that is no event, or closed the connection.</exception>
    public TipcEvent Receive()
    {
        Span<byte> bytes = stackalloc byte[TipcEvent.Size + 1];
        int length = _socket.Receive(bytes);
        return Decode(bytes[..length]);
    }

    /// <summary>Receives the next event asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The event.</returns>
    public async ValueTask<TipcEvent> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        byte[] bytes = ArrayPool<byte>.Shared.Rent(TipcEvent.Size + 1);
        try
        {
            int length = await _socket.ReceiveAsync(bytes.AsMemory(0, TipcEvent.Size + 1), cancellationToken: cancellationToken).ConfigureAwait(false);
            return Decode(bytes.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Streams events until cancelled (which throws <see cref="OperationCanceledException"/>) or the connection ends.</summary>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The events.</returns>
    public async IAsyncEnumerable<TipcEvent> EventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return await ReceiveAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the connection, ending its subscriptions.</summary>
    public void Dispose() => _socket.Dispose();

    private static TipcEvent Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            throw new InvalidDataException("The TIPC topology server closed the connection (it does so after a subscription it refuses).");
        }

        return bytes.Length == TipcEvent.Size && TipcEvent.TryRead(bytes, out TipcEvent evt)
            ? evt
            : throw new InvalidDataException($"The TIPC topology server sent {bytes.Length} bytes that are no 48-byte tipc_event.");
    }

    private TipcSubscription Prepare(TipcServiceRange range, TipcSubscriptionFilter filter, TimeSpan? timeout) =>
        Prepare(range, filter, timeout, (ulong)Interlocked.Increment(ref _nextHandle), _order);

    internal static TipcSubscription Prepare(TipcServiceRange range, TipcSubscriptionFilter filter, TimeSpan? timeout, ulong handle, TipcByteOrder order)
    {
        const TipcSubscriptionFilter known = TipcSubscriptionFilter.Ports | TipcSubscriptionFilter.Service | TipcSubscriptionFilter.NoStatus;
        TipcSubscriptionFilter kind = filter & (TipcSubscriptionFilter.Ports | TipcSubscriptionFilter.Service);
        if ((filter & ~known) != 0 || kind is not (TipcSubscriptionFilter.Ports or TipcSubscriptionFilter.Service))
        {
            throw new ArgumentException($"A TIPC subscription filter has exactly one of Ports and Service, optionally NoStatus; {filter} is not that.", nameof(filter));
        }

        if (timeout is { } t && (t < TimeSpan.Zero || t.TotalMilliseconds >= TIPC_WAIT_FOREVER))
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), t, "A TIPC subscription timeout is 0 to 4294967294 ms (null waits for ever).");
        }

        return new TipcSubscription(range.WithScope(TipcScope.Cluster), filter, timeout is { } ms ? TimeSpan.FromMilliseconds(Math.Floor(ms.TotalMilliseconds)) : null, handle, order);
    }

    private async ValueTask SendAsync(TipcSubscription subscription, bool cancel, CancellationToken cancellationToken)
    {
        byte[] bytes = ArrayPool<byte>.Shared.Rent(TipcSubscription.Size);
        try
        {
            subscription.Write(bytes, cancel);
            await _socket.SendAsync(bytes.AsMemory(0, TipcSubscription.Size), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
