using System.Runtime.CompilerServices;
using static Buses.Can.Interop.CanUapi;

namespace Buses.Can;

/// <summary>
/// A CAN_BCM socket: the kernel's broadcast manager, which sends cyclic frames from kernel timers and
/// watches IDs for content changes and timeouts, so user space wakes only when something happened.
/// Connected to one interface, or to every interface (then each job names its interface).
/// </summary>
/// <remarks>
/// <para>Every reply (TX_STATUS, TX_EXPIRED, RX_STATUS, RX_TIMEOUT, RX_CHANGED) arrives as a
/// <see cref="BcmMessage"/> from <see cref="Receive(BcmMessage)"/>, <see cref="ReceiveAsync"/> or
/// <see cref="ReceiveAllAsync"/>. Each write is exactly <c>sizeof(bcm_msg_head)</c> plus the message's
/// frames, with the header laid out for this process's C <c>long</c> (56 bytes on 64-bit, 40 on armhf).</para>
/// <para>A 32-bit process on a 64-bit kernel cannot use CAN_BCM: the kernel reads the header with its own
/// <c>long</c> and answers EINVAL (can-utils #505); no user-space layout can fix that.</para>
/// <para>Writes do not wait: the kernel handles each operation inside the call. The <c>…Async</c> twins exist
/// so that async code has one shape, and honour cancellation before the write.</para>
/// </remarks>
public sealed class CanBcmSocket : IDisposable
{
    private readonly BusSocket _socket;
    private readonly BcmMessage _command = new();
    private readonly Lock _commandLock = new();

    /// <summary>Opens a CAN_BCM socket, not yet connected.</summary>
    /// <exception cref="BusException">EAFNOSUPPORT without CAN; EPROTONOSUPPORT without can-bcm.</exception>
    public CanBcmSocket()
    {
        _socket = new BusSocket(SocketFamily.Can, System.Net.Sockets.SocketType.Dgram, CAN_BCM);
        try
        {
            // RX_CHANGED carries the frame's receive time; the stamp comes with it only when asked for.
            _socket.Set(SocketOption.TimestampNanoseconds, true);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>Opens a CAN_BCM socket connected to <paramref name="address"/>.</summary>
    /// <param name="address">An interface, or <see cref="CanAddress.Any"/>.</param>
    /// <exception cref="BusException">ENODEV for an unknown or non-CAN interface.</exception>
    public CanBcmSocket(CanAddress address)
        : this()
    {
        try
        {
            Connect(address);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>Opens a CAN_BCM socket connected to the interface named <paramref name="interfaceName"/> (<c>any</c> = all).</summary>
    /// <param name="interfaceName">E.g. <c>vcan0</c>.</param>
    public CanBcmSocket(string interfaceName)
        : this(new CanAddress(interfaceName))
    {
    }

    /// <summary>The underlying socket.</summary>
    public BusSocket Socket => _socket;

    /// <summary>The timeout of receives: <see langword="null"/> blocks, zero is non-blocking.</summary>
    public TimeSpan? Timeout
    {
        get => _socket.Timeout;
        set => _socket.Timeout = value;
    }

    /// <summary>Connects to one interface or to all; a BCM socket connects once (EISCONN after).</summary>
    /// <param name="address">The interface.</param>
    public void Connect(CanAddress address) => _socket.Connect(address);

    /// <summary>Connects to one interface or to all, asynchronously (the kernel completes it inside the call).</summary>
    /// <param name="address">The interface.</param>
    /// <param name="cancellationToken">Cancels before the call.</param>
    public ValueTask ConnectAsync(CanAddress address, CancellationToken cancellationToken = default) => _socket.ConnectAsync(address, cancellationToken);

    /// <summary>Writes one operation: exactly the header plus <see cref="BcmMessage.FrameCount"/> frames.</summary>
    /// <param name="message">The operation; its <see cref="BcmMessage.InterfaceIndex"/> addresses a socket connected to every interface.</param>
    /// <exception cref="InvalidOperationException">The message breaks a kernel rule (frame count, FD flag); nothing was written.</exception>
    /// <exception cref="BusException">The kernel refused it: EINVAL (e.g. deleting a job that does not exist), ENODEV, E2BIG (an update with more frames than the job), ENOTCONN.</exception>
    public void Send(BcmMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        int length = message.Encode();
        ReadOnlySpan<byte> bytes = message.Buffer.AsSpan(0, length);
        if (message.InterfaceIndex != 0)
        {
            _socket.SendTo(bytes, CanAddress.FromIndex(message.InterfaceIndex));
        }
        else
        {
            _socket.Send(bytes);
        }
    }

    /// <summary>Writes one operation asynchronously.</summary>
    /// <param name="message">The operation.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    public async ValueTask SendAsync(BcmMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        int length = message.Encode();
        if (message.InterfaceIndex != 0)
        {
            byte[] address = new byte[24];
            CanAddress.FromIndex(message.InterfaceIndex).Encode(address);
            await _socket.SendMessageAsync(message.Buffer.AsMemory(0, length), address: address, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _socket.SendAsync(message.Buffer.AsMemory(0, length), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Receives the next reply into <paramref name="message"/>, waiting in this socket's mode.</summary>
    /// <param name="message">The reusable message to fill.</param>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    public void Receive(BcmMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ReceivedMessage received = _socket.ReceiveMessage(message.Buffer, message.Control, message.Address);
        Complete(message, received);
    }

    /// <summary>Receives the next reply into <paramref name="message"/>.</summary>
    /// <param name="message">The reusable message to fill.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async ValueTask ReceiveAsync(BcmMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ReceivedMessage received = await _socket.ReceiveMessageAsync(message.Buffer, message.Control, message.Address, cancellationToken: cancellationToken).ConfigureAwait(false);
        Complete(message, received);
    }

    /// <summary>Streams replies until cancelled; the same <see cref="BcmMessage"/> is refilled each time.</summary>
    /// <param name="cancellationToken">Ends the stream (with <see cref="OperationCanceledException"/>).</param>
    public async IAsyncEnumerable<BcmMessage> ReceiveAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var message = new BcmMessage();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await ReceiveAsync(message, cancellationToken).ConfigureAwait(false);
            yield return message;
        }
    }

    /// <summary>Creates (or replaces) a transmit job and starts its timer: the first frame goes out at once (SETTIMER | STARTTIMER).</summary>
    /// <param name="job">The job.</param>
    public void StartTransmit(BcmTransmitJob job) => Command(m => Required(job).WriteTo(m, BcmFlags.SetTimer | BcmFlags.StartTimer));

    /// <summary>Creates (or replaces) a transmit job and starts its timer, asynchronously.</summary>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    public ValueTask StartTransmitAsync(BcmTransmitJob job, CancellationToken cancellationToken = default) =>
        CommandAsync(m => Required(job).WriteTo(m, BcmFlags.SetTimer | BcmFlags.StartTimer), cancellationToken);

    /// <summary>
    /// Replaces a running job's frames without touching its timer (TX_SETUP with neither SETTIMER nor
    /// STARTTIMER): the cycle keeps its phase, and the new data goes out at the next tick, or at once with
    /// <see cref="BcmTransmitJob.Announce"/>. The job's intervals and count are ignored.
    /// </summary>
    /// <param name="job">The job with its new frames; at most as many as the running job has (E2BIG otherwise).</param>
    public void UpdateTransmit(BcmTransmitJob job) => Command(m => Required(job).WriteTo(m, BcmFlags.None));

    /// <summary>Replaces a running job's frames without touching its timer, asynchronously.</summary>
    /// <param name="job">The job with its new frames.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    public ValueTask UpdateTransmitAsync(BcmTransmitJob job, CancellationToken cancellationToken = default) =>
        CommandAsync(m => Required(job).WriteTo(m, BcmFlags.None), cancellationToken);

    /// <summary>Sets a job's intervals and count without restarting its timer (SETTIMER only); they take effect at the next tick.</summary>
    /// <param name="job">The job with its new intervals and frames.</param>
    public void RetimeTransmit(BcmTransmitJob job) => Command(m => Required(job).WriteTo(m, BcmFlags.SetTimer));

    /// <summary>Sets a job's intervals and count without restarting its timer, asynchronously.</summary>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    public ValueTask RetimeTransmitAsync(BcmTransmitJob job, CancellationToken cancellationToken = default) =>
        CommandAsync(m => Required(job).WriteTo(m, BcmFlags.SetTimer), cancellationToken);

    /// <summary>Deletes a transmit job (TX_DELETE).</summary>
    /// <param name="id">The job's ID.</param>
    /// <param name="fd">Whether it is an FD job (jobs are keyed by FD too).</param>
    /// <param name="interfaceIndex">Its interface, on a socket connected to every interface.</param>
    /// <exception cref="BusException">EINVAL when no such job exists.</exception>
    public void DeleteTransmit(CanId id, bool fd = false, int interfaceIndex = 0) => Command(m => Head(m, BcmOpcode.TransmitDelete, id, fd, interfaceIndex));

    /// <summary>Deletes a transmit job, asynchronously.</summary>
    /// <param name="id">The job's ID.</param>
    /// <param name="fd">Whether it is an FD job.</param>
    /// <param name="interfaceIndex">Its interface, on a socket connected to every interface.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    public ValueTask DeleteTransmitAsync(CanId id, bool fd = false, int interfaceIndex = 0, CancellationToken cancellationToken = default) =>
        CommandAsync(m => Head(m, BcmOpcode.TransmitDelete, id, fd, interfaceIndex), cancellationToken);

    /// <summary>Asks for a transmit job's settings (TX_READ); the reply is a <see cref="BcmOpcode.TransmitStatus"/> message.</summary>
    /// <param name="id">The job's ID.</param>
    /// <param name="fd">Whether it is an FD job.</param>
    /// <param name="interfaceIndex">Its interface, on a socket connected to every interface.</param>
    /// <exception cref="BusException">EINVAL when no such job exists.</exception>
    public void RequestTransmitStatus(CanId id, bool fd = false, int interfaceIndex = 0) => Command(m => Head(m, BcmOpcode.TransmitRead, id, fd, interfaceIndex));

    /// <summary>Asks for a transmit job's settings, asynchronously.</summary>
    /// <param name="id">The job's ID.</param>
    /// <param name="fd">Whether it is an FD job.</param>
    /// <param name="interfaceIndex">Its interface.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    public ValueTask RequestTransmitStatusAsync(CanId id, bool fd = false, int interfaceIndex = 0, CancellationToken cancellationToken = default) =>
        CommandAsync(m => Head(m, BcmOpcode.TransmitRead, id, fd, interfaceIndex), cancellationToken);

    /// <summary>Sends one classic frame now, without a job (TX_SEND).</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="interfaceIndex">The interface, on a socket connected to every interface (ENODEV without one).</param>
    public void SendOnce(in CanFrame frame, int interfaceIndex = 0)
    {
        CanFrame copy = frame;
        Command(m => Single(m, copy, interfaceIndex));
    }

    /// <summary>Sends one classic frame now, asynchronously.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="interfaceIndex">The interface, on a socket connected to every interface.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    public ValueTask SendOnceAsync(CanFrame frame, int interfaceIndex = 0, CancellationToken cancellationToken = default) =>
        CommandAsync(m => Single(m, frame, interfaceIndex), cancellationToken);

    /// <summary>Sends one FD frame now, without a job (TX_SEND with CAN_FD_FRAME).</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="interfaceIndex">The interface, on a socket connected to every interface.</param>
    public void SendOnce(in CanFdFrame frame, int interfaceIndex = 0)
    {
        CanFdFrame copy = frame;
        Command(m => Single(m, copy, interfaceIndex));
    }

    /// <summary>Sends one FD frame now, asynchronously.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="interfaceIndex">The interface, on a socket connected to every interface.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    public ValueTask SendOnceAsync(CanFdFrame frame, int interfaceIndex = 0, CancellationToken cancellationToken = default) =>
        CommandAsync(m => Single(m, frame, interfaceIndex), cancellationToken);

    /// <summary>Creates (or replaces) a receive job and starts its timeout (RX_SETUP with SETTIMER | STARTTIMER).</summary>
    /// <param name="job">The job.</param>
    public void StartReceive(BcmReceiveJob job) => Command(m => Required(job).WriteTo(m));

    /// <summary>Creates (or replaces) a receive job, asynchronously.</summary>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    public ValueTask StartReceiveAsync(BcmReceiveJob job, CancellationToken cancellationToken = default) =>
        CommandAsync(m => Required(job).WriteTo(m), cancellationToken);

    /// <summary>Deletes a receive job (RX_DELETE).</summary>
    /// <param name="id">The job's ID.</param>
    /// <param name="fd">Whether it is an FD job.</param>
    /// <param name="interfaceIndex">Its interface, on a socket connected to every interface.</param>
    /// <exception cref="BusException">EINVAL when no such job exists.</exception>
    public void DeleteReceive(CanId id, bool fd = false, int interfaceIndex = 0) => Command(m => Head(m, BcmOpcode.ReceiveDelete, id, fd, interfaceIndex));

    /// <summary>Deletes a receive job, asynchronously.</summary>
    /// <param name="id">The job's ID.</param>
    /// <param name="fd">Whether it is an FD job.</param>
    /// <param name="interfaceIndex">Its interface.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    public ValueTask DeleteReceiveAsync(CanId id, bool fd = false, int interfaceIndex = 0, CancellationToken cancellationToken = default) =>
        CommandAsync(m => Head(m, BcmOpcode.ReceiveDelete, id, fd, interfaceIndex), cancellationToken);

    /// <summary>Asks for a receive job's settings (RX_READ); the reply is a <see cref="BcmOpcode.ReceiveStatus"/> message.</summary>
    /// <param name="id">The job's ID.</param>
    /// <param name="fd">Whether it is an FD job.</param>
    /// <param name="interfaceIndex">Its interface.</param>
    /// <exception cref="BusException">EINVAL when no such job exists.</exception>
    public void RequestReceiveStatus(CanId id, bool fd = false, int interfaceIndex = 0) => Command(m => Head(m, BcmOpcode.ReceiveRead, id, fd, interfaceIndex));

    /// <summary>Asks for a receive job's settings, asynchronously.</summary>
    /// <param name="id">The job's ID.</param>
    /// <param name="fd">Whether it is an FD job.</param>
    /// <param name="interfaceIndex">Its interface.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    public ValueTask RequestReceiveStatusAsync(CanId id, bool fd = false, int interfaceIndex = 0, CancellationToken cancellationToken = default) =>
        CommandAsync(m => Head(m, BcmOpcode.ReceiveRead, id, fd, interfaceIndex), cancellationToken);

    /// <summary>Closes the socket; the kernel deletes every job it owns. A blocked receive wakes with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _socket.Dispose();

    private static T Required<T>(T value)
        where T : class => value ?? throw new ArgumentNullException("job");

    private static void Head(BcmMessage m, BcmOpcode opcode, CanId id, bool fd, int interfaceIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(interfaceIndex);
        m.Clear();
        m.Opcode = opcode;
        m.CanId = id;
        m.Flags = fd ? BcmFlags.CanFdFrame : BcmFlags.None;
        m.InterfaceIndex = interfaceIndex;
    }

    private static void Single(BcmMessage m, in CanFrame frame, int interfaceIndex)
    {
        Head(m, BcmOpcode.TransmitSend, frame.Id, false, interfaceIndex);
        m.SetFrames([frame]);
    }

    private static void Single(BcmMessage m, in CanFdFrame frame, int interfaceIndex)
    {
        Head(m, BcmOpcode.TransmitSend, frame.Id, true, interfaceIndex);
        m.SetFrames([frame]);
    }

    private void Command(Action<BcmMessage> build)
    {
        lock (_commandLock)
        {
            build(_command);
            Send(_command);
        }
    }

    private async ValueTask CommandAsync(Action<BcmMessage> build, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var message = new BcmMessage();
        build(message);
        await SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private static void Complete(BcmMessage message, ReceivedMessage received)
    {
        // A reply is never dropped for its shape: a short one decodes to what is whole.
        message.Decode(received.Length);
        message.InterfaceIndex = received.AddressLength >= 8 ? BitConverter.ToInt32(message.Address, 4) : 0;
        SocketTimestamp stamp = default;
        foreach (ControlMessage control in ControlMessage.Parse(message.Control.AsSpan(0, received.ControlLength)))
        {
            if (control.TryGetTimestamp(out SocketTimestamp ts))
            {
                stamp = ts;
            }
        }

        message.Timestamp = stamp;
    }
}
