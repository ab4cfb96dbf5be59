using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Buses.Can.Interop;
using static Buses.Can.Interop.CanUapi;

namespace Buses.Can;

/// <summary>How received frames are timestamped.</summary>
public enum CanTimestampMode
{
    /// <summary>No timestamps.</summary>
    None,
    /// <summary>The kernel's software receive time, in nanoseconds (SO_TIMESTAMPNS). The default.</summary>
    Software,
    /// <summary>The controller's hardware time where it has one, plus the software time (SO_TIMESTAMPING).</summary>
    Hardware,
}

/// <summary>CAN XL virtual CAN network id handling (<c>struct can_raw_vcid_options</c>, Linux 6.9+).</summary>
/// <param name="TransmitVcid">When not <see langword="null"/>, the kernel sets this VCID on every XL frame sent (<c>CAN_RAW_XL_VCID_TX_SET</c>).</param>
/// <param name="PassTransmitVcid">Send the VCID written in each frame instead of clearing it (<c>CAN_RAW_XL_VCID_TX_PASS</c>).</param>
/// <param name="ReceiveVcid">With <paramref name="ReceiveVcidMask"/>, receive only XL frames whose VCID matches (<c>CAN_RAW_XL_VCID_RX_FILTER</c>); <see langword="null"/> receives only VCID 0.</param>
/// <param name="ReceiveVcidMask">The VCID bits compared.</param>
public readonly record struct CanXlVcidOptions(byte? TransmitVcid = null, bool PassTransmitVcid = false, byte? ReceiveVcid = null, byte ReceiveVcidMask = 0xFF);

/// <summary>
/// A CAN_RAW socket: sends and receives classic, FD and XL frames on one interface or all of them,
/// with per-frame interface, timestamp, direction and drop count read atomically from each
/// <c>recvmsg</c>.
/// </summary>
/// <remarks>
/// <para>Software timestamps and the drop counter (SO_RXQ_OVFL) are on from the start; nothing is
/// dropped silently: <see cref="CanFrameInfo.NewDrops"/> says how many frames were lost before each one.</para>
/// <para>When the interface queue is full the kernel answers a send with ENOBUFS; this socket waits
/// and retries until its <see cref="Timeout"/> (as <c>cangen -p</c> does) instead of failing at once.
/// In non-blocking mode (<see cref="TimeSpan.Zero"/>) the ENOBUFS is thrown.</para>
/// </remarks>
public sealed class CanRawSocket : IDisposable
{
    private readonly BusSocket _socket;
    private uint _lastDrops;
    private long _backPressureWaits;
    private CanTimestampMode _timestamps;

    /// <summary>Opens a CAN_RAW socket, unbound. Software timestamps and the drop counter are switched on.</summary>
    /// <exception cref="BusException">EAFNOSUPPORT when the kernel has no CAN; EPROTONOSUPPORT without can-raw.</exception>
    public CanRawSocket()
    {
        _socket = new BusSocket(SocketFamily.Can, System.Net.Sockets.SocketType.Raw, CAN_RAW);
        try
        {
            _socket.Set(SocketOption.ReceiveQueueOverflow, true);
            TimestampMode = CanTimestampMode.Software;
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>Opens a CAN_RAW socket bound to <paramref name="address"/>.</summary>
    /// <param name="address">An interface or <see cref="CanAddress.Any"/>.</param>
    /// <exception cref="BusException">ENODEV for an unknown interface, or a socket error.</exception>
    public CanRawSocket(CanAddress address)
        : this()
    {
        try
        {
            Bind(address);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>Opens a CAN_RAW socket bound to the interface named <paramref name="interfaceName"/> (<c>any</c> = all).</summary>
    /// <param name="interfaceName">E.g. <c>vcan0</c>.</param>
    public CanRawSocket(string interfaceName)
        : this(new CanAddress(interfaceName))
    {
    }

    /// <summary>The underlying socket, for options this type does not wrap.</summary>
    public BusSocket Socket => _socket;

    /// <summary>The timeout of blocking calls: <see langword="null"/> blocks, zero is non-blocking. Also bounds ENOBUFS retries.</summary>
    public TimeSpan? Timeout
    {
        get => _socket.Timeout;
        set => _socket.Timeout = value;
    }

    /// <summary>
    /// How many times a send met a full interface queue (ENOBUFS) and waited for room instead of
    /// failing: evidence of back-pressure, never of loss (every waited frame is sent or the call throws).
    /// </summary>
    public long BackPressureWaits => Interlocked.Read(ref _backPressureWaits);

    /// <summary>Binds to one interface or to all (<see cref="CanAddress.Any"/>).</summary>
    /// <param name="address">The address.</param>
    public void Bind(CanAddress address) => _socket.Bind(address);

    /// <summary>
    /// Sets the receive filters; a frame passes when any filter passes it (or all, with <see cref="JoinFilters"/>).
    /// An empty list receives no data frames at all (error frames still follow <see cref="ErrorMask"/>).
    /// </summary>
    /// <param name="filters">At most 512 filters.</param>
    /// <exception cref="ArgumentException">More than 512 filters.</exception>
    public void SetFilters(ReadOnlySpan<CanFilter> filters)
    {
        if (filters.Length > CanFilter.MaxCount)
        {
            throw new ArgumentException($"{filters.Length} CAN filters is more than the kernel's limit of {CanFilter.MaxCount}.", nameof(filters));
        }

        _socket.SetOption(SOL_CAN_RAW, CAN_RAW_FILTER, MemoryMarshal.AsBytes(filters));
    }

    /// <summary>Reads the filters back from the kernel.</summary>
    public CanFilter[] GetFilters()
    {
        Span<byte> buffer = new byte[CanFilter.Size * CanFilter.MaxCount];
        int length = _socket.GetOption(SOL_CAN_RAW, CAN_RAW_FILTER, buffer);
        return MemoryMarshal.Cast<byte, CanFilter>(buffer[..length]).ToArray();
    }

    /// <summary>Whether a frame must pass every filter instead of any one (<c>CAN_RAW_JOIN_FILTERS</c>, Linux 4.1+).</summary>
    public bool JoinFilters
    {
        get => _socket.Get(CanRawOption.JoinFilters);
        set => _socket.Set(CanRawOption.JoinFilters, value);
    }

    /// <summary>The error classes delivered as error frames (<c>CAN_RAW_ERR_FILTER</c>); none by default, <see cref="CanErrorClasses.All"/> for all.</summary>
    public CanErrorClasses ErrorMask
    {
        get => (CanErrorClasses)_socket.Get(CanRawOption.ErrorFilter);
        set => _socket.Set(CanRawOption.ErrorFilter, (int)((uint)value & CAN_ERR_MASK));
    }

    /// <summary>Whether frames sent by this host reach other sockets on it (<c>CAN_RAW_LOOPBACK</c>, default on).</summary>
    public bool Loopback
    {
        get => _socket.Get(CanRawOption.Loopback);
        set => _socket.Set(CanRawOption.Loopback, value);
    }

    /// <summary>Whether this socket receives its own sent frames, marked <see cref="CanDirection.Transmitted"/> (<c>CAN_RAW_RECV_OWN_MSGS</c>, default off).</summary>
    public bool ReceiveOwnMessages
    {
        get => _socket.Get(CanRawOption.ReceiveOwnMessages);
        set => _socket.Set(CanRawOption.ReceiveOwnMessages, value);
    }

    /// <summary>Whether FD frames can be sent and received (<c>CAN_RAW_FD_FRAMES</c>); needs an interface MTU of 72.</summary>
    public bool FdFrames
    {
        get => _socket.Get(CanRawOption.FdFrames);
        set => _socket.Set(CanRawOption.FdFrames, value);
    }

    /// <summary>Whether XL frames can be sent and received (<c>CAN_RAW_XL_FRAMES</c>, Linux 6.2+); needs an XL MTU (76–2060).</summary>
    public bool XlFrames
    {
        get => _socket.Get(CanRawOption.XlFrames);
        set => _socket.Set(CanRawOption.XlFrames, value);
    }

    /// <summary>Sets the XL VCID handling (<c>CAN_RAW_XL_VCID_OPTS</c>, Linux 6.9+).</summary>
    /// <param name="options">The options.</param>
    public void SetXlVcidOptions(CanXlVcidOptions options)
    {
        var raw = new can_raw_vcid_options
        {
            flags = (byte)((options.TransmitVcid is null ? 0 : CAN_RAW_XL_VCID_TX_SET)
                | (options.PassTransmitVcid ? CAN_RAW_XL_VCID_TX_PASS : 0)
                | (options.ReceiveVcid is null ? 0 : CAN_RAW_XL_VCID_RX_FILTER)),
            tx_vcid = options.TransmitVcid ?? 0,
            rx_vcid = options.ReceiveVcid ?? 0,
            rx_vcid_mask = options.ReceiveVcid is null ? (byte)0 : options.ReceiveVcidMask,
        };
        _socket.SetOption(SOL_CAN_RAW, CAN_RAW_XL_VCID_OPTS, raw);
    }

    /// <summary>
    /// The receive buffer in bytes as the kernel reports it (about twice what was asked). Setting
    /// uses SO_RCVBUFFORCE, which may exceed <c>net.core.rmem_max</c>, when the process has
    /// CAP_NET_ADMIN, else SO_RCVBUF (capped at rmem_max).
    /// </summary>
    public int ReceiveBufferSize
    {
        get => _socket.Get(SocketOption.ReceiveBuffer);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            try
            {
                _socket.Set(SocketOption.ReceiveBufferForce, value);
            }
            catch (BusException ex) when (ex.Errno == Errno.EPERM)
            {
                _socket.Set(SocketOption.ReceiveBuffer, value);
            }
        }
    }

    /// <summary>How received frames are timestamped; <see cref="CanTimestampMode.Software"/> from the start.</summary>
    /// <remarks>The kernel turns receive timestamping on lazily after the first socket on the host asks for it; frames queued before then are stamped when read, so two readers can see different times for the same early frame.</remarks>
    public CanTimestampMode TimestampMode
    {
        get => _timestamps;
        set
        {
            _socket.Set(SocketOption.TimestampNanoseconds, value == CanTimestampMode.Software);
            int flags = value == CanTimestampMode.Hardware
                ? (int)(TimestampingFlags.ReceiveHardware | TimestampingFlags.RawHardware | TimestampingFlags.ReceiveSoftware | TimestampingFlags.Software)
                : 0;
            _socket.Set(SocketOption.Timestamping, flags);
            _timestamps = value;
        }
    }

    /// <summary>The socket's running count of frames dropped for lack of receive buffer, as of the last receive.</summary>
    /// <remarks>The kernel stamps the count on each frame when it queues it, so drops after the last queued frame show with the next frame received.</remarks>
    public uint DroppedFrames => _lastDrops;

    /// <summary>Receives one frame of any kind with its metadata into <paramref name="message"/>, waiting in this socket's mode.</summary>
    /// <param name="message">The reusable buffer to fill.</param>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    /// <exception cref="BusException">EAGAIN in non-blocking mode when nothing is queued, or another socket error.</exception>
    public void Receive(CanMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ReceivedMessage received = _socket.ReceiveMessage(message.Buffer, message.Control, message.Address);
        Complete(message, received);
    }

    /// <summary>Receives one frame of any kind with its metadata into <paramref name="message"/>.</summary>
    /// <param name="message">The reusable buffer to fill.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async ValueTask ReceiveAsync(CanMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ReceivedMessage received = await _socket.ReceiveMessageAsync(message.Buffer, message.Control, message.Address, cancellationToken: cancellationToken).ConfigureAwait(false);
        Complete(message, received);
    }

    /// <summary>
    /// Streams received frames until cancelled (which throws <see cref="OperationCanceledException"/>). The same <see cref="CanMessage"/> is refilled for each
    /// frame (no allocation per frame): copy what must outlive the next iteration.
    /// </summary>
    /// <param name="cancellationToken">Ends the stream.</param>
    public async IAsyncEnumerable<CanMessage> ReceiveAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var message = new CanMessage();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await ReceiveAsync(message, cancellationToken).ConfigureAwait(false);
            yield return message;
        }
    }

    /// <summary>Receives a classic frame, skipping the metadata. FD and XL frames (when enabled) are an error here; use <see cref="Receive(CanMessage)"/> for mixed traffic.</summary>
    /// <returns>The frame.</returns>
    /// <exception cref="InvalidDataException">A frame of another kind arrived.</exception>
    public CanFrame ReceiveFrame()
    {
        Span<byte> buffer = stackalloc byte[CANFD_MTU];
        int length = _socket.Receive(buffer);
        return ToClassicFrame(buffer[..length]);
    }

    /// <summary>Receives a classic frame asynchronously, skipping the metadata (see <see cref="ReceiveFrame"/>).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The frame.</returns>
    /// <exception cref="InvalidDataException">A frame of another kind arrived.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CanFrame> ReceiveFrameAsync(CancellationToken cancellationToken = default)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CANFD_MTU);
        try
        {
            int length = await _socket.ReceiveAsync(buffer.AsMemory(0, CANFD_MTU), cancellationToken: cancellationToken).ConfigureAwait(false);
            return ToClassicFrame(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static CanFrame ToClassicFrame(ReadOnlySpan<byte> received)
    {
        if (received.Length != CAN_MTU)
        {
            throw new InvalidDataException($"A {received.Length}-byte frame arrived where a 16-byte classic frame was expected: use Receive(CanMessage) with FD or XL frames on.");
        }

        return MemoryMarshal.Read<CanFrame>(received);
    }

    private void Complete(CanMessage message, ReceivedMessage received)
    {
        message.Length = received.Length;
        message.Info = CanFrameInfo.Parse(
            received.Length,
            message.Buffer.AsSpan(0, Math.Min(received.Length, message.Buffer.Length)),
            message.Control.AsSpan(0, received.ControlLength),
            message.Address.AsSpan(0, received.AddressLength),
            received.Flags,
            ref _lastDrops);
    }

    /// <summary>Sends a classic frame, waiting out a full interface queue (ENOBUFS) within <see cref="Timeout"/>.</summary>
    /// <param name="frame">The frame.</param>
    public void Send(in CanFrame frame) => SendBytes(MemoryMarshal.AsBytes(new ReadOnlySpan<CanFrame>(in frame)));

    /// <summary>Sends an FD frame (needs <see cref="FdFrames"/>).</summary>
    /// <param name="frame">The frame.</param>
    public void Send(in CanFdFrame frame) => SendBytes(MemoryMarshal.AsBytes(new ReadOnlySpan<CanFdFrame>(in frame)));

    /// <summary>Sends an XL frame: its 12-byte header and payload only (needs <see cref="XlFrames"/>).</summary>
    /// <param name="frame">The frame.</param>
    public void Send(in CanXlFrame frame) => SendBytes(MemoryMarshal.AsBytes(new ReadOnlySpan<CanXlFrame>(in frame))[..frame.WireLength]);

    /// <summary>Sends a classic frame asynchronously, waiting out ENOBUFS within <see cref="Timeout"/>.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public ValueTask SendAsync(CanFrame frame, CancellationToken cancellationToken = default) =>
        SendBytesAsync(MemoryMarshal.AsBytes(new ReadOnlySpan<CanFrame>(in frame)), cancellationToken);

    /// <summary>Sends an FD frame asynchronously.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public ValueTask SendAsync(CanFdFrame frame, CancellationToken cancellationToken = default) =>
        SendBytesAsync(MemoryMarshal.AsBytes(new ReadOnlySpan<CanFdFrame>(in frame)), cancellationToken);

    /// <summary>Sends an XL frame asynchronously.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public ValueTask SendAsync(in CanXlFrame frame, CancellationToken cancellationToken = default) =>
        SendBytesAsync(MemoryMarshal.AsBytes(new ReadOnlySpan<CanXlFrame>(in frame))[..frame.WireLength], cancellationToken);

    private void SendBytes(ReadOnlySpan<byte> bytes)
    {
        long start = 0;
        int attempt = 0;
        while (true)
        {
            Errno error = _socket.TrySend(bytes, out _);
            if (error == Errno.None)
            {
                return;
            }

            if (error != Errno.ENOBUFS || Timeout == TimeSpan.Zero)
            {
                throw new BusException((int)error, "send");
            }

            WaitForRoom(ref start, ref attempt);
        }
    }

    private ValueTask SendBytesAsync(ReadOnlySpan<byte> bytes, CancellationToken cancellationToken)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(rented);
        return SendRentedAsync(rented, bytes.Length, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendRentedAsync(byte[] rented, int length, CancellationToken cancellationToken)
    {
        try
        {
            long start = 0;
            int attempt = 0;
            while (true)
            {
                (Errno error, _) = await _socket.TrySendAsync(rented.AsMemory(0, length), cancellationToken: cancellationToken).ConfigureAwait(false);
                if (error == Errno.None)
                {
                    return;
                }

                if (error != Errno.ENOBUFS || Timeout == TimeSpan.Zero)
                {
                    throw new BusException((int)error, "send");
                }

                await WaitForRoomAsync(ref start, ref attempt, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void WaitForRoom(ref long start, ref int attempt)
    {
        CountWait(ref start);
        BackOff(attempt++);
    }

    // The async back-off: a yield for the first attempts, then the shortest timer.
    private Task WaitForRoomAsync(ref long start, ref int attempt, CancellationToken cancellationToken)
    {
        CountWait(ref start);
        return attempt++ < 4 ? Task.CompletedTask : Task.Delay(1, cancellationToken);
    }

    private void CountWait(ref long start)
    {
        Interlocked.Increment(ref _backPressureWaits);
        start = start == 0 ? Stopwatch.GetTimestamp() : start;
        ThrowIfPastDeadline(start);
    }

    private void ThrowIfPastDeadline(long start)
    {
        if (Timeout is TimeSpan timeout && Stopwatch.GetElapsedTime(start) >= timeout)
        {
            throw new BusTimeoutException("send (interface queue full: ENOBUFS)", timeout);
        }
    }

    // A full qdisc does not make the socket unwritable (its frames are charged to the socket only
    // while queued), so POLLOUT would return at once: back off in time instead of spinning.
    private static void BackOff(int attempt)
    {
        if (attempt < 4)
        {
            Thread.Yield();
        }
        else
        {
            Thread.Sleep(attempt < 16 ? 0 : 1);
        }
    }

    /// <summary>Receives up to a batch of frames in one <c>recvmmsg</c>, waiting for the first in this socket's mode.</summary>
    /// <param name="batch">The batch to fill.</param>
    /// <returns>The number of frames received; read them with the batch's accessors.</returns>
    public int ReceiveBatch(CanMessageBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int count = _socket.ReceiveBatch(batch.Batch);
        batch.Complete(count, ref _lastDrops);
        return count;
    }

    /// <summary>Receives up to a batch of frames asynchronously.</summary>
    /// <param name="batch">The batch to fill.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The number of frames received.</returns>
    public async ValueTask<int> ReceiveBatchAsync(CanMessageBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int count = await _socket.ReceiveBatchAsync(batch.Batch, cancellationToken: cancellationToken).ConfigureAwait(false);
        batch.Complete(count, ref _lastDrops);
        return count;
    }

    /// <summary>Sends the first <paramref name="count"/> frames of <paramref name="batch"/> (<c>sendmmsg</c>), waiting for room within <see cref="Timeout"/>.</summary>
    /// <param name="batch">Frames set with <see cref="CanMessageBatch.Set(int, in CanFrame)"/> and its overloads.</param>
    /// <param name="count">How many to send.</param>
    /// <returns>The number sent: <paramref name="count"/>, or fewer only in non-blocking mode.</returns>
    /// <remarks>
    /// When the interface queue fills part-way, <c>sendmmsg</c> reports the frames that went out and the
    /// next call meets ENOBUFS; this method resumes from the first frame not sent, so a frame is never
    /// sent twice, and waits out ENOBUFS as <see cref="Send(in CanFrame)"/> does (<see cref="BackPressureWaits"/>
    /// counts the waits). In non-blocking mode it returns the partial count instead.
    /// </remarks>
    /// <exception cref="BusTimeoutException">The queue stayed full past <see cref="Timeout"/>; the frames before the first unsent one went out.</exception>
    /// <exception cref="BusException">ENOBUFS in non-blocking mode when nothing could be sent, or another send error.</exception>
    public int SendBatch(CanMessageBatch batch, int count)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        int sent = 0;
        long start = 0;
        int attempt = 0;
        while (sent < count)
        {
            Errno error = _socket.TrySendBatch(batch.Batch, sent, count - sent, out int n);
            sent += n;
            if (error == Errno.None)
            {
                continue;
            }

            if (StopAfter(error, sent) is int partial)
            {
                return partial;
            }

            WaitForRoom(ref start, ref attempt);
        }

        return sent;
    }

    // What a batch send does once the kernel stopped it: null waits for room and resumes (ENOBUFS in
    // blocking and timeout modes); non-blocking mode returns what went out; anything else throws.
    private int? StopAfter(Errno error, int sent)
    {
        if (error == Errno.ENOBUFS && Timeout != TimeSpan.Zero)
        {
            return null;
        }

        return Timeout == TimeSpan.Zero && error is Errno.ENOBUFS or Errno.EAGAIN && sent > 0
            ? sent
            : throw new BusException((int)error, "sendmmsg");
    }

    /// <summary>Sends the first <paramref name="count"/> frames of <paramref name="batch"/> asynchronously, waiting out ENOBUFS within <see cref="Timeout"/> as <see cref="SendBatch"/> does.</summary>
    /// <param name="batch">Frames set with <see cref="CanMessageBatch.Set(int, in CanFrame)"/> and its overloads.</param>
    /// <param name="count">How many to send.</param>
    /// <param name="cancellationToken">Cancels the waits.</param>
    /// <returns>The number sent: <paramref name="count"/>, or fewer only in non-blocking mode.</returns>
    /// <exception cref="BusTimeoutException">The queue stayed full past <see cref="Timeout"/>.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> SendBatchAsync(CanMessageBatch batch, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        int sent = 0;
        long start = 0;
        int attempt = 0;
        while (sent < count)
        {
            (Errno error, int n) = await _socket.TrySendBatchAsync(batch.Batch, sent, count - sent, cancellationToken: cancellationToken).ConfigureAwait(false);
            sent += n;
            if (error == Errno.None)
            {
                continue;
            }

            if (StopAfter(error, sent) is int partial)
            {
                return partial;
            }

            await WaitForRoomAsync(ref start, ref attempt, cancellationToken).ConfigureAwait(false);
        }

        return sent;
    }

    /// <summary>Closes the socket; a blocked receive on another thread wakes with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _socket.Dispose();
}
