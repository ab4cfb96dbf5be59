using System.Runtime.CompilerServices;
using static Buses.Can.Interop.CanUapi;

namespace Buses.Can;

/// <summary>
/// An ISO-TP (ISO 15765-2) socket: whole PDUs in and out, segmented into CAN frames with flow control by
/// the kernel. Set <see cref="Options"/>, <see cref="FlowControl"/>, the STmin values and
/// <see cref="LinkLayer"/> first, then <see cref="Bind(IsoTpAddress)"/>.
/// </summary>
/// <remarks>
/// <para>CAN_ISOTP is in mainline Linux from 5.10 (SocketCANSharp #78): on older kernels the constructor
/// throws EPROTONOSUPPORT. PDUs are 1 to 4095 bytes on classic CAN (12-bit length) and, with the 32-bit
/// length escape of ISO 15765-2:2016, up to the module's <c>max_pdu_size</c> (8300 by default on 6.x) on either link.</para>
/// <para>Errors keep their errno; the message says what it means for ISO-TP: ECOMM when the receiver sent no flow
/// control in time (N_Bs, 1 s), ETIMEDOUT when a consecutive frame did not come (N_Cr), EILSEQ for a wrong sequence
/// number, EBADMSG for a malformed frame or bad padding, EMSGSIZE when the receiver reported an overflow.
/// Without <see cref="IsoTpFlags.WaitTransmitDone"/> a send returns once the transfer has started, and a transfer
/// error comes with the next call on the socket (hartkopp/can-isotp #42).</para>
/// </remarks>
public sealed class IsoTpSocket : IDisposable
{
    /// <summary>The largest PDU with the classic 12-bit length field.</summary>
    public const int MaxClassicPduLength = 4095;

    private readonly BusSocket _socket;
    private long _truncated;

    /// <summary>Opens an ISO-TP socket, not yet bound.</summary>
    /// <exception cref="BusException">EAFNOSUPPORT without CAN; EPROTONOSUPPORT without can-isotp (Linux 5.10+).</exception>
    public IsoTpSocket() => _socket = new BusSocket(SocketFamily.Can, System.Net.Sockets.SocketType.Dgram, CAN_ISOTP);

    /// <summary>Opens an ISO-TP socket with <paramref name="options"/> and binds it to <paramref name="address"/>.</summary>
    /// <param name="address">Interface, receive ID and transmit ID.</param>
    /// <param name="options">The general options (null keeps the defaults).</param>
    /// <param name="flowControl">The flow control sent when receiving (null keeps the defaults).</param>
    /// <param name="linkLayer">Classic or FD (null keeps classic).</param>
    public IsoTpSocket(IsoTpAddress address, IsoTpOptions? options = null, IsoTpFlowControl? flowControl = null, IsoTpLinkLayer? linkLayer = null)
        : this()
    {
        try
        {
            if (options is { } o)
            {
                Options = o;
            }

            if (flowControl is { } fc)
            {
                FlowControl = fc;
            }

            if (linkLayer is { } ll)
            {
                LinkLayer = ll;
            }

            Bind(address);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>The underlying socket.</summary>
    public BusSocket Socket => _socket;

    /// <summary>The timeout of blocking calls: <see langword="null"/> blocks, zero is non-blocking.</summary>
    public TimeSpan? Timeout
    {
        get => _socket.Timeout;
        set => _socket.Timeout = value;
    }

    /// <summary>How many received PDUs were longer than the buffer given and lost their tail (never silently: <see cref="Receive"/> returns the full length too).</summary>
    public long TruncatedPdus => Interlocked.Read(ref _truncated);

    /// <summary>The general options (CAN_ISOTP_OPTS); set before binding.</summary>
    /// <exception cref="BusException">EISCONN once bound.</exception>
    public IsoTpOptions Options
    {
        get => _socket.Get(IsoTpOption.Options);
        set => _socket.Set(IsoTpOption.Options, value);
    }

    /// <summary>The flow control this socket sends when receiving (CAN_ISOTP_RECV_FC); set before binding.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A reserved STmin byte.</exception>
    public IsoTpFlowControl FlowControl
    {
        get => _socket.Get(IsoTpOption.ReceiveFlowControl);
        set
        {
            value.Validate();
            _socket.Set(IsoTpOption.ReceiveFlowControl, value);
        }
    }

    /// <summary>The least time between sent consecutive frames (CAN_ISOTP_TX_STMIN); the peer's STmin wins when larger. Set before binding.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or over 4.29 s (a <c>__u32</c> of nanoseconds).</exception>
    public TimeSpan TransmitStmin
    {
        get => FromNanoseconds(_socket.Get(IsoTpOption.TransmitStmin));
        set => _socket.Set(IsoTpOption.TransmitStmin, ToNanoseconds(value, "CAN_ISOTP_TX_STMIN"));
    }

    /// <summary>The least time between received consecutive frames; faster ones are dropped with <see cref="IsoTpFlags.ForceReceiveStmin"/> (CAN_ISOTP_RX_STMIN). Set before binding.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or over 2.1 s.</exception>
    public TimeSpan ReceiveStmin
    {
        get => FromNanoseconds(_socket.Get(IsoTpOption.ReceiveStmin));
        set => _socket.Set(IsoTpOption.ReceiveStmin, ToNanoseconds(value, "CAN_ISOTP_RX_STMIN"));
    }

    /// <summary>The link layer, classic or FD (CAN_ISOTP_LL_OPTS); set before binding.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bad MTU or data length.</exception>
    public IsoTpLinkLayer LinkLayer
    {
        get => _socket.Get(IsoTpOption.LinkLayer);
        set
        {
            value.Validate();
            _socket.Set(IsoTpOption.LinkLayer, value);
        }
    }

    /// <summary>Binds to an interface and the two IDs; the options are fixed from here on.</summary>
    /// <param name="address">The address.</param>
    /// <exception cref="BusException">ENODEV, EADDRNOTAVAIL (rx and tx ID equal), EINVAL (an FD link layer on a classic interface).</exception>
    public void Bind(IsoTpAddress address) => _socket.Bind(address);

    /// <summary>The bound address.</summary>
    public IsoTpAddress LocalEndPoint => _socket.GetLocalEndPoint<IsoTpAddress>();

    /// <summary>Sends one PDU, waiting while a previous one is still being sent.</summary>
    /// <param name="pdu">1 byte or more.</param>
    /// <exception cref="ArgumentException">An empty PDU.</exception>
    /// <exception cref="BusException">The errno with its ISO-TP meaning (ECOMM: no flow control, with <see cref="IsoTpFlags.WaitTransmitDone"/>).</exception>
    public void Send(ReadOnlySpan<byte> pdu)
    {
        CheckPdu(pdu.Length);
        try
        {
            _socket.Send(pdu);
        }
        catch (BusException ex) when (Explain(ex) is { } explained)
        {
            throw explained;
        }
    }

    /// <summary>Sends one PDU asynchronously.</summary>
    /// <param name="pdu">1 byte or more.</param>
    /// <param name="cancellationToken">Cancels the wait for a previous transfer to end.</param>
    /// <remarks>With <see cref="IsoTpFlags.WaitTransmitDone"/> the kernel waits inside the call even on a non-blocking socket, so that send runs on the thread pool and cannot be cancelled once started.</remarks>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> pdu, CancellationToken cancellationToken = default)
    {
        CheckPdu(pdu.Length);
        try
        {
            if ((Options.Flags & IsoTpFlags.WaitTransmitDone) != 0)
            {
                await _socket.WaitWritableAsync(cancellationToken).ConfigureAwait(false);
                await Task.Run(() => _socket.Send(pdu.Span), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _socket.SendAsync(pdu, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (BusException ex) when (Explain(ex) is { } explained)
        {
            throw explained;
        }
    }

    /// <summary>Receives one PDU into <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Room for the PDU.</param>
    /// <returns>The PDU's full length; when larger than <paramref name="buffer"/>, the tail was lost and <see cref="TruncatedPdus"/> counts it.</returns>
    /// <exception cref="BusException">The errno with its ISO-TP meaning (ETIMEDOUT, EILSEQ, EBADMSG from a broken reception).</exception>
    public int Receive(Span<byte> buffer)
    {
        try
        {
            return Count(_socket.Receive(buffer, MessageFlags.Truncated), buffer.Length);
        }
        catch (BusException ex) when (Explain(ex) is { } explained)
        {
            throw explained;
        }
    }

    /// <summary>Receives one PDU asynchronously.</summary>
    /// <param name="buffer">Room for the PDU.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The PDU's full length, as <see cref="Receive"/>.</returns>
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Count(await _socket.ReceiveAsync(buffer, MessageFlags.Truncated, cancellationToken).ConfigureAwait(false), buffer.Length);
        }
        catch (BusException ex) when (Explain(ex) is { } explained)
        {
            throw explained;
        }
    }

    /// <summary>Streams received PDUs until cancelled; each is a view of one reused buffer, valid until the next.</summary>
    /// <param name="maxLength">The largest PDU expected (8300 covers the kernel's default maximum).</param>
    /// <param name="cancellationToken">Ends the stream (with <see cref="OperationCanceledException"/>).</param>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReceiveAllAsync(int maxLength = 8300, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        byte[] buffer = new byte[maxLength];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int length = await ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            yield return buffer.AsMemory(0, Math.Min(length, buffer.Length));
        }
    }

    /// <summary>Closes the socket; a blocked call wakes with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _socket.Dispose();

    /// <summary>What an errno means on an ISO-TP socket, or null for errors with their usual meaning.</summary>
    /// <param name="errno">The errno.</param>
    /// <returns>The ISO-TP meaning.</returns>
    public static string? Meaning(Errno errno) => errno switch
    {
        Errno.ECOMM => "ISO-TP: no flow control frame came from the receiver in time (N_Bs timeout); is a peer bound to the swapped IDs?",
        Errno.ETIMEDOUT => "ISO-TP: a consecutive frame did not arrive in time (N_Cr timeout); the reception was dropped",
        Errno.EILSEQ => "ISO-TP: a consecutive frame had the wrong sequence number; the reception was dropped",
        Errno.EBADMSG => "ISO-TP: a malformed frame or padding that failed the padding check; it was dropped",
        Errno.EMSGSIZE => "ISO-TP: the PDU is larger than the receiver (FC overflow) or the kernel's max_pdu_size accepts",
        Errno.EOVERFLOW => "ISO-TP: too many wait frames (FC.WT) from the receiver",
        _ => null,
    };

    private static BusException? Explain(BusException ex) =>
        ex is BusTimeoutException || Meaning(ex.Errno) is not { } meaning ? null : new BusException(ex.ErrorNumber, ex.Operation, ex.Address, meaning);

    private int Count(int length, int bufferLength)
    {
        if (length > bufferLength)
        {
            Interlocked.Increment(ref _truncated);
        }

        return length;
    }

    private static void CheckPdu(int length)
    {
        if (length < 1)
        {
            throw new ArgumentException("An ISO-TP PDU has at least 1 byte; this one is empty.", "pdu");
        }
    }

    private static TimeSpan FromNanoseconds(int ns) => TimeSpan.FromTicks((uint)ns / 100);

    private static int ToNanoseconds(TimeSpan value, string name)
    {
        long ns = value.Ticks * 100;
        if (value < TimeSpan.Zero || ns > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{name} takes 0 to {int.MaxValue} ns; {value} is outside that range.");
        }

        return (int)ns;
    }
}
