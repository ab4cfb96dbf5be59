using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Buses.Can.Interop;
using static Buses.Can.Interop.BcmUapi;

namespace Buses.Can;

/// <summary>A broadcast-manager operation or reply (<c>bcm_msg_head.opcode</c>).</summary>
public enum BcmOpcode : uint
{
    /// <summary>Creates or updates a cyclic transmit job (TX_SETUP).</summary>
    TransmitSetup = TX_SETUP,
    /// <summary>Removes a transmit job (TX_DELETE).</summary>
    TransmitDelete = TX_DELETE,
    /// <summary>Asks for a transmit job's settings; answered with <see cref="TransmitStatus"/> (TX_READ).</summary>
    TransmitRead = TX_READ,
    /// <summary>Sends one frame once, without a job (TX_SEND).</summary>
    TransmitSend = TX_SEND,
    /// <summary>Creates or updates a receive job (RX_SETUP).</summary>
    ReceiveSetup = RX_SETUP,
    /// <summary>Removes a receive job (RX_DELETE).</summary>
    ReceiveDelete = RX_DELETE,
    /// <summary>Asks for a receive job's settings; answered with <see cref="ReceiveStatus"/> (RX_READ).</summary>
    ReceiveRead = RX_READ,
    /// <summary>Reply: a transmit job's settings and frames (TX_STATUS).</summary>
    TransmitStatus = TX_STATUS,
    /// <summary>Reply: a transmit job sent its <c>count</c> frames at the first interval (TX_EXPIRED, with <see cref="BcmFlags.TransmitCountEvent"/>).</summary>
    TransmitExpired = TX_EXPIRED,
    /// <summary>Reply: a receive job's settings and filter frames (RX_STATUS).</summary>
    ReceiveStatus = RX_STATUS,
    /// <summary>Reply: no frame arrived within the receive job's timeout (RX_TIMEOUT).</summary>
    ReceiveTimeout = RX_TIMEOUT,
    /// <summary>Reply: a frame arrived whose relevant content changed, or the first one (RX_CHANGED).</summary>
    ReceiveChanged = RX_CHANGED,
}

/// <summary>The flags of a broadcast-manager message (<c>bcm_msg_head.flags</c>).</summary>
[Flags]
public enum BcmFlags : uint
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>Take the intervals and count of this message (SETTIMER).</summary>
    SetTimer = SETTIMER,
    /// <summary>Start (restart) the timer now (STARTTIMER); on transmit jobs this also sends the first frame at once.</summary>
    StartTimer = STARTTIMER,
    /// <summary>Report <see cref="BcmOpcode.TransmitExpired"/> when the count runs out (TX_COUNTEVT).</summary>
    TransmitCountEvent = TX_COUNTEVT,
    /// <summary>Send a changed frame at once instead of waiting for the timer (TX_ANNOUNCE).</summary>
    TransmitAnnounce = TX_ANNOUNCE,
    /// <summary>Send every frame with the job's CAN ID instead of its own (TX_CP_CAN_ID).</summary>
    TransmitCopyCanId = TX_CP_CAN_ID,
    /// <summary>Filter by ID only: report every frame, no content comparison (RX_FILTER_ID).</summary>
    ReceiveFilterId = RX_FILTER_ID,
    /// <summary>A change of the data length counts as a change too (RX_CHECK_DLC).</summary>
    ReceiveCheckDlc = RX_CHECK_DLC,
    /// <summary>Do not restart the timeout timer after an RX_TIMEOUT (RX_NO_AUTOTIMER).</summary>
    ReceiveNoAutoTimer = RX_NO_AUTOTIMER,
    /// <summary>Report the first frame after a timeout even if unchanged (RX_ANNOUNCE_RESUME).</summary>
    ReceiveAnnounceResume = RX_ANNOUNCE_RESUME,
    /// <summary>Restart a multi-frame sequence at its first frame on this update (TX_RESET_MULTI_IDX).</summary>
    TransmitResetMultiIndex = TX_RESET_MULTI_IDX,
    /// <summary>Answer remote (RTR) requests for the ID with the job's frame (RX_RTR_FRAME).</summary>
    ReceiveRtrFrame = RX_RTR_FRAME,
    /// <summary>The frames are <c>struct canfd_frame</c> (CAN_FD_FRAME, Linux 4.8+).</summary>
    CanFdFrame = CAN_FD_FRAME,
}

/// <summary>
/// The layout of <c>struct bcm_msg_head</c> for one width of C <c>long</c>: 56 bytes with frames at 56 on
/// 64-bit targets, 40 with frames at 40 on armhf, where <c>bcm_timeval</c> shrinks to 8 bytes and the
/// padding after <c>count</c> disappears. Kept as offsets rather than one C# struct because the frames
/// that follow are 8-byte aligned on every ABI, which pads armhf's 36 bytes of fields to 40.
/// </summary>
internal sealed class BcmHeadLayout
{
    private BcmHeadLayout(int longSize)
    {
        LongSize = longSize;
        Ival1 = AlignUp(12, longSize);
        Ival2 = Ival1 + (2 * longSize);
        CanId = Ival2 + (2 * longSize);
        NFrames = CanId + 4;
        Size = AlignUp(NFrames + 4, 8);
    }

    public static BcmHeadLayout Lp64 { get; } = new(8);

    public static BcmHeadLayout Ilp32 { get; } = new(4);

    /// <summary>The layout of the running process: the kernel reads the header with the caller's <c>long</c>.</summary>
    public static BcmHeadLayout Current { get; } = Unsafe.SizeOf<bcm_timeval>() == 16 ? Lp64 : Ilp32;

    public int LongSize { get; }

    public int Opcode => 0;

    public int Flags => 4;

    public int Count => 8;

    public int Ival1 { get; }

    public int Ival2 { get; }

    public int CanId { get; }

    public int NFrames { get; }

    /// <summary><c>sizeof(struct bcm_msg_head)</c>, which is also <c>offsetof(frames)</c>.</summary>
    public int Size { get; }

    private static int AlignUp(int value, int align) => (value + align - 1) / align * align;
}

/// <summary>
/// One broadcast-manager message: the <c>bcm_msg_head</c> fields and up to 257 frames, classic or FD.
/// A reusable buffer: <see cref="CanBcmSocket.Receive(BcmMessage)"/> refills the same instance, and
/// <see cref="CanBcmSocket.Send(BcmMessage)"/> writes exactly the header plus <see cref="FrameCount"/> frames.
/// </summary>
/// <remarks>
/// Intervals are carried in microseconds (<c>struct bcm_timeval</c>); finer parts of a <see cref="TimeSpan"/>
/// are truncated. The kernel refuses (EINVAL) intervals over 400 days, so this type does too, before any system call.
/// </remarks>
public sealed class BcmMessage
{
    /// <summary>The most frames a message carries: 256 for transmit jobs, plus the multiplex mask on receive jobs.</summary>
    public const int MaxFrames = MAX_NFRAMES + 1;

    /// <summary>The most frames a transmit job (TX_SETUP) holds.</summary>
    public const int MaxTransmitFrames = MAX_NFRAMES;

    /// <summary>The largest interval the kernel accepts (BCM_TIMER_SEC_MAX, 400 days).</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(BCM_TIMER_SEC_MAX);

    internal readonly byte[] Buffer = new byte[BcmHeadLayout.Lp64.Size + (MaxFrames * CanFdFrame.Size)];
    internal readonly byte[] Control = new byte[ControlMessage.Space(16) + 32];
    internal readonly byte[] Address = new byte[24];

    private TimeSpan _interval1;
    private TimeSpan _interval2;
    private bool _framesAreFd;

    /// <summary>The operation or reply.</summary>
    public BcmOpcode Opcode { get; set; }

    /// <summary>The flags. <see cref="BcmFlags.CanFdFrame"/> follows the last <c>SetFrames</c> call.</summary>
    public BcmFlags Flags { get; set; }

    /// <summary>How many frames a transmit job sends at <see cref="Interval1"/> before it switches to <see cref="Interval2"/>.</summary>
    public uint Count { get; set; }

    /// <summary><c>ival1</c>: the interval of the first <see cref="Count"/> transmissions, or a receive job's timeout.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below zero or over <see cref="MaxInterval"/>.</exception>
    public TimeSpan Interval1
    {
        get => _interval1;
        set => _interval1 = CheckInterval(value, "ival1");
    }

    /// <summary><c>ival2</c>: the interval after the count, or a receive job's throttle (at most one RX_CHANGED per interval).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below zero or over <see cref="MaxInterval"/>.</exception>
    public TimeSpan Interval2
    {
        get => _interval2;
        set => _interval2 = CheckInterval(value, "ival2");
    }

    /// <summary>The CAN ID the job is keyed by (with <see cref="CanId.IsRemote"/> for RTR jobs).</summary>
    public CanId CanId { get; set; }

    /// <summary>The number of frames the message carries (<c>nframes</c>).</summary>
    public int FrameCount { get; private set; }

    /// <summary>Whether the frames are FD frames.</summary>
    public bool IsFd => _framesAreFd;

    /// <summary>
    /// The interface: for a received message, the one it concerns (from <c>msg_name</c>); for a sent one, the
    /// interface a socket connected to every interface addresses (0 = the socket's own).
    /// </summary>
    /// <remarks>The kernel fills <c>msg_name</c> from the job's receive interface, so replies of transmit jobs (TX_STATUS, TX_EXPIRED) carry 0.</remarks>
    public int InterfaceIndex { get; set; }

    /// <summary>For <see cref="BcmOpcode.ReceiveChanged"/>, the kernel's receive time of the frame (SO_TIMESTAMPNS); otherwise the time the reply was made, or unset.</summary>
    public SocketTimestamp Timestamp { get; internal set; }

    /// <summary>The classic frames.</summary>
    /// <exception cref="InvalidOperationException">The message holds FD frames.</exception>
    public ReadOnlySpan<CanFrame> Frames => _framesAreFd && FrameCount > 0
        ? throw new InvalidOperationException($"The BCM message holds {FrameCount} CAN FD frame(s); read FdFrames.")
        : MemoryMarshal.Cast<byte, CanFrame>(FrameBytes);

    /// <summary>The FD frames.</summary>
    /// <exception cref="InvalidOperationException">The message holds classic frames.</exception>
    public ReadOnlySpan<CanFdFrame> FdFrames => !_framesAreFd && FrameCount > 0
        ? throw new InvalidOperationException($"The BCM message holds {FrameCount} classic frame(s); read Frames.")
        : MemoryMarshal.Cast<byte, CanFdFrame>(FrameBytes);

    private int FrameSize => _framesAreFd ? CanFdFrame.Size : CanFrame.Size;

    private Span<byte> FrameBytes => Buffer.AsSpan(BcmHeadLayout.Current.Size, FrameCount * FrameSize);

    /// <summary>Carries classic frames, clearing <see cref="BcmFlags.CanFdFrame"/>.</summary>
    /// <param name="frames">0 to <see cref="MaxFrames"/> frames.</param>
    /// <exception cref="ArgumentException">More than <see cref="MaxFrames"/> frames.</exception>
    public void SetFrames(ReadOnlySpan<CanFrame> frames)
    {
        CheckFrameCount(frames.Length, MaxFrames, "a BCM message");
        _framesAreFd = false;
        Flags &= ~BcmFlags.CanFdFrame;
        FrameCount = frames.Length;
        MemoryMarshal.AsBytes(frames).CopyTo(FrameBytes);
    }

    /// <summary>Carries FD frames, setting <see cref="BcmFlags.CanFdFrame"/> (an FD job).</summary>
    /// <param name="frames">0 to <see cref="MaxFrames"/> frames.</param>
    /// <exception cref="ArgumentException">More than <see cref="MaxFrames"/> frames.</exception>
    public void SetFrames(ReadOnlySpan<CanFdFrame> frames)
    {
        CheckFrameCount(frames.Length, MaxFrames, "a BCM message");
        _framesAreFd = true;
        Flags |= BcmFlags.CanFdFrame;
        FrameCount = frames.Length;
        MemoryMarshal.AsBytes(frames).CopyTo(FrameBytes);
    }

    /// <summary>Empties the message for reuse: no frames, every field zero.</summary>
    public void Clear()
    {
        Opcode = 0;
        Flags = BcmFlags.None;
        Count = 0;
        _interval1 = _interval2 = TimeSpan.Zero;
        CanId = default;
        FrameCount = 0;
        _framesAreFd = false;
        InterfaceIndex = 0;
        Timestamp = default;
    }

    /// <summary>The message for reading, e.g. <c>RX_CHANGED 0x123 nframes=1 flags=SetTimer</c>.</summary>
    public override string ToString() => $"{Opcode} {CanId} nframes={FrameCount} flags={Flags} count={Count} ival1={Interval1} ival2={Interval2}";

    /// <summary>
    /// Writes the header in front of the frames and returns the bytes to send: exactly the header plus
    /// <see cref="FrameCount"/> frames. Checks every rule the kernel would answer with EINVAL first.
    /// </summary>
    internal int Encode()
    {
        Validate();
        BcmHeadLayout layout = BcmHeadLayout.Current;
        WriteHead(Buffer, layout);
        return layout.Size + (FrameCount * FrameSize);
    }

    /// <summary>Encodes for another ABI's layout into <paramref name="destination"/> (what the codec tests check).</summary>
    internal int EncodeTo(Span<byte> destination, BcmHeadLayout layout)
    {
        Validate();
        WriteHead(destination, layout);
        FrameBytes.CopyTo(destination[layout.Size..]);
        return layout.Size + FrameBytes.Length;
    }

    /// <summary>Reads a message the kernel wrote into <see cref="Buffer"/>.</summary>
    /// <returns>Whether the bytes were a whole message; a short one keeps only the whole frames.</returns>
    internal bool Decode(int length) => ReadHead(Buffer.AsSpan(0, length), BcmHeadLayout.Current);

    /// <summary>Reads a message laid out for <paramref name="layout"/> from <paramref name="source"/>.</summary>
    internal bool DecodeFrom(ReadOnlySpan<byte> source, BcmHeadLayout layout)
    {
        bool whole = ReadHead(source, layout);
        source.Slice(Math.Min(source.Length, layout.Size), FrameCount * FrameSize).CopyTo(FrameBytes);
        return whole;
    }

    private void Validate()
    {
        bool fdFlag = (Flags & BcmFlags.CanFdFrame) != 0;
        if (fdFlag != _framesAreFd && FrameCount > 0)
        {
            throw new InvalidOperationException(_framesAreFd
                ? $"The BCM message holds CAN FD frames but its flags lack CanFdFrame: FD frames cannot go into a classic job ({Opcode} {CanId})."
                : $"The BCM message holds classic frames but its flags have CanFdFrame: classic frames cannot go into an FD job ({Opcode} {CanId}).");
        }

        switch (Opcode)
        {
            case BcmOpcode.TransmitSetup:
                if (FrameCount is < 1 or > MaxTransmitFrames)
                {
                    throw new InvalidOperationException($"A BCM transmit job (TX_SETUP) holds 1 to {MaxTransmitFrames} frames; this one has {FrameCount}.");
                }

                break;
            case BcmOpcode.TransmitSend:
                if (FrameCount != 1)
                {
                    throw new InvalidOperationException($"TX_SEND sends exactly one frame; this message has {FrameCount}.");
                }

                break;
            case BcmOpcode.ReceiveSetup when (Flags & BcmFlags.ReceiveRtrFrame) != 0:
                if (FrameCount != 1 || !CanId.IsRemote)
                {
                    throw new InvalidOperationException($"An RX_RTR_FRAME job needs exactly one reply frame and a remote (RTR) CAN ID; this one has {FrameCount} frame(s) and ID {CanId}.");
                }

                break;
        }
    }

    private void WriteHead(Span<byte> bytes, BcmHeadLayout layout)
    {
        bytes = bytes[..layout.Size];
        bytes.Clear();
        MemoryMarshal.Write(bytes[layout.Opcode..], (uint)Opcode);
        MemoryMarshal.Write(bytes[layout.Flags..], (uint)Flags);
        MemoryMarshal.Write(bytes[layout.Count..], Count);
        WriteTimeval(bytes[layout.Ival1..], layout, _interval1);
        WriteTimeval(bytes[layout.Ival2..], layout, _interval2);
        MemoryMarshal.Write(bytes[layout.CanId..], CanId.Raw);
        MemoryMarshal.Write(bytes[layout.NFrames..], (uint)FrameCount);
    }

    private bool ReadHead(ReadOnlySpan<byte> bytes, BcmHeadLayout layout)
    {
        if (bytes.Length < layout.Size)
        {
            Clear();
            return false;
        }

        Opcode = (BcmOpcode)MemoryMarshal.Read<uint>(bytes[layout.Opcode..]);
        Flags = (BcmFlags)MemoryMarshal.Read<uint>(bytes[layout.Flags..]);
        Count = MemoryMarshal.Read<uint>(bytes[layout.Count..]);
        _interval1 = ReadTimeval(bytes[layout.Ival1..], layout);
        _interval2 = ReadTimeval(bytes[layout.Ival2..], layout);
        CanId = CanId.FromRaw(MemoryMarshal.Read<uint>(bytes[layout.CanId..]));
        _framesAreFd = (Flags & BcmFlags.CanFdFrame) != 0;
        uint nframes = MemoryMarshal.Read<uint>(bytes[layout.NFrames..]);
        int whole = (bytes.Length - layout.Size) / FrameSize;
        FrameCount = (int)Math.Min(Math.Min(nframes, (uint)whole), MaxFrames);
        return FrameCount == nframes;
    }

    internal static void CheckFrameCount(int count, int max, string what)
    {
        if (count > max)
        {
            throw new ArgumentException($"{count} frames is more than {what} holds ({max}).");
        }
    }

    internal static TimeSpan CheckInterval(TimeSpan value, string field)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(field, value, $"The BCM interval {field} = {value} is below zero.");
        }

        if (value > MaxInterval)
        {
            throw new ArgumentOutOfRangeException(field, value, $"The BCM interval {field} = {value} is over the kernel's limit of 400 days (BCM_TIMER_SEC_MAX).");
        }

        return value;
    }

    private static void WriteTimeval(Span<byte> destination, BcmHeadLayout layout, TimeSpan value)
    {
        long seconds = value.Ticks / TimeSpan.TicksPerSecond;
        long micros = value.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond;
        if (layout.LongSize == 8)
        {
            MemoryMarshal.Write(destination, seconds);
            MemoryMarshal.Write(destination[8..], micros);
        }
        else
        {
            // 400 days fits a 32-bit long, so nothing valid is cut here.
            MemoryMarshal.Write(destination, (int)seconds);
            MemoryMarshal.Write(destination[4..], (int)micros);
        }
    }

    private static TimeSpan ReadTimeval(ReadOnlySpan<byte> source, BcmHeadLayout layout)
    {
        (long seconds, long micros) = layout.LongSize == 8
            ? (MemoryMarshal.Read<long>(source), MemoryMarshal.Read<long>(source[8..]))
            : (MemoryMarshal.Read<int>(source), (long)MemoryMarshal.Read<int>(source[4..]));

        // The kernel echoes what was set, so these are in range; clamp rather than throw on a receive path.
        long ticks = Math.Clamp(seconds, 0, BCM_TIMER_SEC_MAX) * TimeSpan.TicksPerSecond + (Math.Clamp(micros, 0, 999_999) * TimeSpan.TicksPerMicrosecond);
        return TimeSpan.FromTicks(ticks);
    }
}
