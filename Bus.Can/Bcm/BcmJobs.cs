namespace Buses.Can;

/// <summary>
/// A cyclic transmit job for <see cref="CanBcmSocket.StartTransmit(BcmTransmitJob)"/>: the kernel sends
/// <see cref="Count"/> rounds at <see cref="CountInterval"/>, then keeps sending at <see cref="Interval"/>
/// until deleted. Several frames make a sequence: each timer tick sends the next one, wrapping around.
/// </summary>
/// <remarks>
/// Jobs are keyed per socket by (<see cref="Id"/>, interface, FD or not): setting up the same key again
/// updates that job instead of adding one (python-can #721).
/// </remarks>
public sealed class BcmTransmitJob
{
    private readonly CanFrame[]? _frames;
    private readonly CanFdFrame[]? _fdFrames;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _countInterval;

    /// <summary>A job of classic frames.</summary>
    /// <param name="id">The job's key; also the ID sent with <see cref="CopyCanId"/>.</param>
    /// <param name="frames">1 to 256 frames, sent in turn.</param>
    /// <exception cref="ArgumentException">No frames, or more than 256.</exception>
    public BcmTransmitJob(CanId id, params ReadOnlySpan<CanFrame> frames)
    {
        CheckFrames(frames.Length);
        Id = id;
        _frames = frames.ToArray();
    }

    /// <summary>A job of CAN FD frames (CAN_FD_FRAME; the interface needs an MTU of 72).</summary>
    /// <param name="id">The job's key.</param>
    /// <param name="frames">1 to 256 frames, sent in turn.</param>
    /// <exception cref="ArgumentException">No frames, or more than 256.</exception>
    public BcmTransmitJob(CanId id, params ReadOnlySpan<CanFdFrame> frames)
    {
        CheckFrames(frames.Length);
        Id = id;
        _fdFrames = frames.ToArray();
    }

    /// <summary>The job's CAN ID (its key).</summary>
    public CanId Id { get; }

    /// <summary>Whether the frames are FD frames.</summary>
    public bool IsFd => _fdFrames is not null;

    /// <summary>The classic frames (empty for an FD job).</summary>
    public ReadOnlySpan<CanFrame> Frames => _frames;

    /// <summary>The FD frames (empty for a classic job).</summary>
    public ReadOnlySpan<CanFdFrame> FdFrames => _fdFrames;

    /// <summary>The steady interval (<c>ival2</c>); zero with a zero <see cref="CountInterval"/> sends nothing cyclically.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below zero or over 400 days.</exception>
    public TimeSpan Interval
    {
        get => _interval;
        init => _interval = BcmMessage.CheckInterval(value, "ival2");
    }

    /// <summary>How many frames go out at <see cref="CountInterval"/> first (<c>count</c>).</summary>
    public uint Count { get; init; }

    /// <summary>The interval of the first <see cref="Count"/> frames (<c>ival1</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below zero or over 400 days.</exception>
    public TimeSpan CountInterval
    {
        get => _countInterval;
        init => _countInterval = BcmMessage.CheckInterval(value, "ival1");
    }

    /// <summary>Report <see cref="BcmOpcode.TransmitExpired"/> when <see cref="Count"/> runs out (TX_COUNTEVT).</summary>
    public bool ReportCountExpired { get; init; }

    /// <summary>On an update, send the new data at once instead of at the next tick (TX_ANNOUNCE).</summary>
    public bool Announce { get; init; }

    /// <summary>Send every frame with <see cref="Id"/> instead of its own ID (TX_CP_CAN_ID).</summary>
    public bool CopyCanId { get; init; }

    /// <summary>On an update, restart the sequence at its first frame (TX_RESET_MULTI_IDX, Linux 4.8+).</summary>
    public bool ResetSequence { get; init; }

    /// <summary>The interface, for a socket connected to every interface (0 = the socket's).</summary>
    public int InterfaceIndex { get; init; }

    internal void WriteTo(BcmMessage message, BcmFlags timerFlags)
    {
        message.Clear();
        message.Opcode = BcmOpcode.TransmitSetup;
        if (_fdFrames is not null)
        {
            message.SetFrames(_fdFrames);
        }
        else
        {
            message.SetFrames(_frames);
        }

        message.Flags |= timerFlags
            | (ReportCountExpired ? BcmFlags.TransmitCountEvent : 0)
            | (Announce ? BcmFlags.TransmitAnnounce : 0)
            | (CopyCanId ? BcmFlags.TransmitCopyCanId : 0)
            | (ResetSequence ? BcmFlags.TransmitResetMultiIndex : 0);
        message.Count = Count;
        message.Interval1 = _countInterval;
        message.Interval2 = _interval;
        message.CanId = Id;
        message.InterfaceIndex = InterfaceIndex;
    }

    private static void CheckFrames(int count)
    {
        if (count is < 1 or > BcmMessage.MaxTransmitFrames)
        {
            throw new ArgumentException($"A BCM transmit job holds 1 to {BcmMessage.MaxTransmitFrames} frames; {count} were given.", "frames");
        }
    }
}

/// <summary>
/// A receive job for <see cref="CanBcmSocket.StartReceive(BcmReceiveJob)"/>: the kernel watches one CAN ID
/// and reports <see cref="BcmOpcode.ReceiveChanged"/> only when the bits under <see cref="Mask"/> change
/// (or every frame, without a mask), and <see cref="BcmOpcode.ReceiveTimeout"/> when nothing arrives within
/// <see cref="Timeout"/>.
/// </summary>
/// <remarks>BCM cannot subscribe to error frames (can-utils #73).</remarks>
public sealed class BcmReceiveJob
{
    private readonly byte[]? _mask;
    private readonly byte[]? _muxMask;
    private readonly byte[][]? _muxFilters;
    private readonly CanFrame? _rtrReply;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _throttle;

    /// <summary>A job that reports every frame of <paramref name="id"/> (RX_FILTER_ID).</summary>
    /// <param name="id">The CAN ID.</param>
    /// <param name="fd">Whether the job watches CAN FD frames (CAN_FD_FRAME).</param>
    public BcmReceiveJob(CanId id, bool fd = false)
    {
        Id = id;
        IsFd = fd;
    }

    /// <summary>A job that reports a frame of <paramref name="id"/> when the bits under <paramref name="mask"/> change.</summary>
    /// <param name="id">The CAN ID.</param>
    /// <param name="mask">One mask byte per data byte (missing bytes are 0x00: ignored); at most 8, or 64 for FD.</param>
    /// <param name="fd">Whether the job watches CAN FD frames.</param>
    /// <exception cref="ArgumentException">The mask is longer than the frame.</exception>
    public BcmReceiveJob(CanId id, ReadOnlySpan<byte> mask, bool fd = false)
        : this(id, fd)
    {
        CheckMask(mask, fd, "mask");
        _mask = mask.ToArray();
    }

    /// <summary>
    /// A multiplexed job: frames whose bits under <paramref name="multiplexMask"/> equal a filter's are compared
    /// with the previous frame of that same multiplex value, under that filter's bytes as the change mask.
    /// </summary>
    /// <param name="id">The CAN ID.</param>
    /// <param name="multiplexMask">The bits that hold the multiplex value.</param>
    /// <param name="filters">1 to 256 filters: each holds its multiplex value under <paramref name="multiplexMask"/> and the change mask elsewhere.</param>
    /// <param name="fd">Whether the job watches CAN FD frames.</param>
    /// <exception cref="ArgumentException">A mask longer than the frame, or no filter, or more than 256.</exception>
    public BcmReceiveJob(CanId id, ReadOnlySpan<byte> multiplexMask, IReadOnlyList<byte[]> filters, bool fd = false)
        : this(id, fd)
    {
        ArgumentNullException.ThrowIfNull(filters);
        CheckMask(multiplexMask, fd, "multiplexMask");
        if (filters.Count is < 1 or > BcmMessage.MaxTransmitFrames)
        {
            throw new ArgumentException($"A multiplexed BCM receive job holds 1 to {BcmMessage.MaxTransmitFrames} filters; {filters.Count} were given.", nameof(filters));
        }

        foreach (byte[] filter in filters)
        {
            CheckMask(filter, fd, "filters");
        }

        _muxMask = multiplexMask.ToArray();
        _muxFilters = [.. filters.Select(f => f.ToArray())];
    }

    private BcmReceiveJob(CanId id, in CanFrame reply)
        : this(id.WithRemote(true))
    {
        _rtrReply = reply;
    }

    /// <summary>
    /// A job that answers every remote request (RTR) for <paramref name="id"/> with <paramref name="reply"/>
    /// from inside the kernel (RX_RTR_FRAME); it reports nothing and has no timers.
    /// </summary>
    /// <param name="id">The ID whose remote requests are answered (the RTR flag is added).</param>
    /// <param name="reply">The data frame sent back; a reply with the same ID goes out without the RTR flag.</param>
    /// <returns>The job.</returns>
    public static BcmReceiveJob ReplyToRemoteRequests(CanId id, in CanFrame reply) => new(id, reply);

    /// <summary>The CAN ID watched.</summary>
    public CanId Id { get; }

    /// <summary>Whether the job watches CAN FD frames.</summary>
    public bool IsFd { get; }

    /// <summary>The change mask, or empty when the job reports every frame.</summary>
    public ReadOnlySpan<byte> Mask => _mask;

    /// <summary>Report <see cref="BcmOpcode.ReceiveTimeout"/> when no frame arrives for this long (<c>ival1</c>; zero = never).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below zero or over 400 days.</exception>
    public TimeSpan Timeout
    {
        get => _timeout;
        init => _timeout = BcmMessage.CheckInterval(value, "ival1");
    }

    /// <summary>At most one report per this interval; changes in between are merged, the last one is reported (<c>ival2</c>; zero = no throttle).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below zero or over 400 days.</exception>
    public TimeSpan Throttle
    {
        get => _throttle;
        init => _throttle = BcmMessage.CheckInterval(value, "ival2");
    }

    /// <summary>A change of the data length is a change too (RX_CHECK_DLC).</summary>
    public bool CheckDlc { get; init; }

    /// <summary>After a timeout, wait for the next frame before timing again (RX_NO_AUTOTIMER).</summary>
    public bool NoAutoTimer { get; init; }

    /// <summary>After a timeout, report the next frame even when unchanged (RX_ANNOUNCE_RESUME).</summary>
    public bool AnnounceResume { get; init; }

    /// <summary>The interface, for a socket connected to every interface (0 = the socket's, or all).</summary>
    public int InterfaceIndex { get; init; }

    internal void WriteTo(BcmMessage message)
    {
        message.Clear();
        message.Opcode = BcmOpcode.ReceiveSetup;
        if (_rtrReply is { } reply)
        {
            message.SetFrames([reply]);
            message.Flags |= BcmFlags.ReceiveRtrFrame;
            message.CanId = Id;
            message.InterfaceIndex = InterfaceIndex;
            return;
        }

        var frames = new List<byte[]>();
        if (_muxMask is not null)
        {
            frames.Add(_muxMask);
            frames.AddRange(_muxFilters!);
        }
        else if (_mask is not null)
        {
            frames.Add(_mask);
        }

        if (IsFd)
        {
            message.SetFrames([.. frames.Select(m => CanFdFrame.Padded(Id.WithRemote(false), m))]);
        }
        else
        {
            // Mask frames are full length: the kernel compares all eight bytes of each.
            message.SetFrames([.. frames.Select(m => new CanFrame(Id.WithRemote(false), [.. m, .. new byte[CanFrame.MaxDataLength - m.Length]]))]);
        }

        message.Flags |= BcmFlags.SetTimer | BcmFlags.StartTimer
            | (frames.Count == 0 ? BcmFlags.ReceiveFilterId : 0)
            | (CheckDlc ? BcmFlags.ReceiveCheckDlc : 0)
            | (NoAutoTimer ? BcmFlags.ReceiveNoAutoTimer : 0)
            | (AnnounceResume ? BcmFlags.ReceiveAnnounceResume : 0);
        message.Interval1 = _timeout;
        message.Interval2 = _throttle;
        message.CanId = Id;
        message.InterfaceIndex = InterfaceIndex;
    }

    private static void CheckMask(ReadOnlySpan<byte> mask, bool fd, string name)
    {
        int max = fd ? CanFdFrame.MaxDataLength : CanFrame.MaxDataLength;
        if (mask.Length > max)
        {
            throw new ArgumentException($"A BCM mask of {mask.Length} bytes is longer than the {(fd ? "CAN FD" : "classic")} frame's {max} data bytes.", name);
        }
    }
}
