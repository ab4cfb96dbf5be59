using System.Buffers.Binary;
using Buses.Can;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Can.Bcm;

public class BcmMessageTests
{
    private static readonly Gen<CanFrame> ClassicFrames =
        from id in Gen.Choose(0, 0x7FF)
        from data in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Where(a => a.Length <= 8)
        select new CanFrame(CanId.Standard((uint)id), data);

    private static readonly Gen<CanFdFrame> FdFrames =
        from id in Gen.Choose(0, 0x1FFFFFFF)
        from length in Gen.Elements(0, 1, 8, 12, 16, 20, 24, 32, 48, 64)
        from data in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), length)
        select new CanFdFrame(CanId.Extended((uint)id), data, CanFdFlags.BitRateSwitch);

    private static readonly Gen<TimeSpan> Intervals =
        from seconds in Gen.Choose(0, 400 * 24 * 3600 - 1)
        from micros in Gen.Choose(0, 999_999)
        select TimeSpan.FromSeconds(seconds) + TimeSpan.FromMicroseconds(micros);

    private static readonly Gen<BcmMessage> Messages =
        from opcode in Gen.Elements(Enum.GetValues<BcmOpcode>())
        from flags in Gen.Choose(0, 0x7FF)
        from count in ArbMap.Default.GeneratorFor<uint>()
        from ival1 in Intervals
        from ival2 in Intervals
        from id in Gen.Choose(0, 0x7FF)
        from fd in ArbMap.Default.GeneratorFor<bool>()
        from classic in Gen.ArrayOf(ClassicFrames).Where(a => a.Length is >= 1 and <= 20)
        from fdFrames in Gen.ArrayOf(FdFrames).Where(a => a.Length is >= 1 and <= 5)
        select Build(opcode, (BcmFlags)flags & ~BcmFlags.ReceiveRtrFrame, count, ival1, ival2, CanId.Standard((uint)id), fd ? null : classic, fd ? fdFrames : null);

    private static BcmMessage Build(BcmOpcode opcode, BcmFlags flags, uint count, TimeSpan ival1, TimeSpan ival2, CanId id, CanFrame[]? classic, CanFdFrame[]? fd)
    {
        var m = new BcmMessage { Opcode = opcode, Count = count, Interval1 = ival1, Interval2 = ival2, CanId = id };
        if (fd is not null)
        {
            m.SetFrames(fd);
        }
        else
        {
            m.SetFrames(classic);
        }

        m.Flags = (flags & ~BcmFlags.CanFdFrame) | (fd is not null ? BcmFlags.CanFdFrame : 0);
        if (opcode == BcmOpcode.TransmitSend)
        {
            if (fd is not null)
            {
                m.SetFrames(fd.AsSpan(0, 1));
            }
            else
            {
                m.SetFrames(classic.AsSpan(0, 1));
            }
        }

        return m;
    }

    private static bool SameMessage(BcmMessage a, BcmMessage b) =>
        a.Opcode == b.Opcode && a.Flags == b.Flags && a.Count == b.Count && a.Interval1 == b.Interval1 && a.Interval2 == b.Interval2
        && a.CanId == b.CanId && a.FrameCount == b.FrameCount && a.IsFd == b.IsFd
        && (a.IsFd ? a.FdFrames.SequenceEqual(b.FdFrames) : a.Frames.SequenceEqual(b.Frames));

    [Fact]
    public void Every_message_round_trips_through_the_64_bit_and_the_armhf_layout() =>
        Prop.ForAll(Messages.ToArbitrary(), message =>
        {
            foreach (BcmHeadLayout layout in new[] { BcmHeadLayout.Lp64, BcmHeadLayout.Ilp32 })
            {
                byte[] bytes = new byte[layout.Size + (BcmMessage.MaxFrames * CanFdFrame.Size)];
                int length = message.EncodeTo(bytes, layout);
                int frameSize = message.IsFd ? CanFdFrame.Size : CanFrame.Size;
                var back = new BcmMessage();
                if (length != layout.Size + (message.FrameCount * frameSize) || !back.DecodeFrom(bytes.AsSpan(0, length), layout) || !SameMessage(message, back))
                {
                    return false;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Send_bytes_are_the_head_and_exactly_the_frames_given()
    {
        var m = new BcmMessage { Opcode = BcmOpcode.TransmitSetup, CanId = CanId.Standard(0x123), Interval2 = TimeSpan.FromMilliseconds(100) };
        m.SetFrames([new CanFrame(CanId.Standard(0x123), [0x11, 0x22]), new CanFrame(CanId.Standard(0x123), [0x33])]);
        int length = m.Encode();
        Assert.Equal(BcmHeadLayout.Current.Size + (2 * CanFrame.Size), length);

        m.SetFrames([CanFdFrame.Padded(CanId.Standard(0x123), new byte[20])]);
        Assert.Equal(BcmHeadLayout.Current.Size + CanFdFrame.Size, m.Encode());
        Assert.Equal(BcmFlags.CanFdFrame, m.Flags & BcmFlags.CanFdFrame);
    }

    [Fact]
    public void The_64_bit_head_is_the_golden_bcm_msg_head()
    {
        var m = new BcmMessage
        {
            Opcode = BcmOpcode.TransmitSetup,
            Flags = BcmFlags.SetTimer | BcmFlags.StartTimer,
            Count = 3,
            Interval1 = TimeSpan.FromSeconds(2) + TimeSpan.FromMicroseconds(5),
            Interval2 = TimeSpan.FromMilliseconds(100),
            CanId = CanId.Standard(0x123),
        };
        m.SetFrames([new CanFrame(CanId.Standard(0x123), [0xAA])]);
        byte[] bytes = new byte[56 + 16];
        Assert.Equal(72, m.EncodeTo(bytes, BcmHeadLayout.Lp64));
        Assert.Equal(
            "01000000" + "03000000" + "03000000" + "00000000"
            + "0200000000000000" + "0500000000000000"
            + "0000000000000000" + "A086010000000000"
            + "23010000" + "01000000"
            + "2301000001000000AA00000000000000",
            Convert.ToHexString(bytes));

        byte[] armhf = new byte[40 + 16];
        Assert.Equal(56, m.EncodeTo(armhf, BcmHeadLayout.Ilp32));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(armhf.AsSpan(12)));
        Assert.Equal(5, BinaryPrimitives.ReadInt32LittleEndian(armhf.AsSpan(16)));
        Assert.Equal(100_000, BinaryPrimitives.ReadInt32LittleEndian(armhf.AsSpan(24)));
        Assert.Equal(0x123, BinaryPrimitives.ReadInt32LittleEndian(armhf.AsSpan(28)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(armhf.AsSpan(32)));
        Assert.Equal(0x123, BinaryPrimitives.ReadInt32LittleEndian(armhf.AsSpan(40)));
    }

    [Fact]
    public void More_than_256_frames_in_a_transmit_job_are_refused_before_the_syscall()
    {
        var frames = new CanFrame[257];
        Assert.Contains("1 to 256 frames; 257", Assert.Throws<ArgumentException>(() => new BcmTransmitJob(CanId.Standard(1), frames)).Message, StringComparison.Ordinal);
        var m = new BcmMessage { Opcode = BcmOpcode.TransmitSetup };
        m.SetFrames(frames);
        Assert.Contains("1 to 256 frames; this one has 257", Assert.Throws<InvalidOperationException>(() => m.Encode()).Message, StringComparison.Ordinal);
        Assert.Contains("258 frames is more than", Assert.Throws<ArgumentException>(() => m.SetFrames(new CanFrame[258])).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(400 * 24 * 3600 + 1)]
    public void Intervals_below_zero_or_over_400_days_are_refused(long seconds)
    {
        TimeSpan bad = TimeSpan.FromSeconds(seconds);
        string rule = seconds < 0 ? "below zero" : "400 days";
        Assert.Contains(rule, Assert.Throws<ArgumentOutOfRangeException>(() => new BcmMessage { Interval1 = bad }).Message, StringComparison.Ordinal);
        Assert.Contains(rule, Assert.Throws<ArgumentOutOfRangeException>(() => new BcmTransmitJob(CanId.Standard(1), new CanFrame(CanId.Standard(1), [])) { Interval = bad }).Message, StringComparison.Ordinal);
        Assert.Contains("ival1", Assert.Throws<ArgumentOutOfRangeException>(() => new BcmReceiveJob(CanId.Standard(1)) { Timeout = bad }).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_fd_frame_in_a_classic_job_is_refused()
    {
        var m = new BcmMessage { Opcode = BcmOpcode.TransmitSetup };
        m.SetFrames([CanFdFrame.Padded(CanId.Standard(1), [1])]);
        m.Flags &= ~BcmFlags.CanFdFrame;
        Assert.Contains("FD frames cannot go into a classic job", Assert.Throws<InvalidOperationException>(() => m.Encode()).Message, StringComparison.Ordinal);
        m.SetFrames([new CanFrame(CanId.Standard(1), [1])]);
        m.Flags |= BcmFlags.CanFdFrame;
        Assert.Contains("classic frames cannot go into an FD job", Assert.Throws<InvalidOperationException>(() => m.Encode()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mask_longer_than_the_frame_is_refused()
    {
        Assert.Contains("9 bytes is longer than the classic frame's 8", Assert.Throws<ArgumentException>(() => new BcmReceiveJob(CanId.Standard(1), new byte[9])).Message, StringComparison.Ordinal);
        Assert.Contains("65 bytes is longer than the CAN FD frame's 64", Assert.Throws<ArgumentException>(() => new BcmReceiveJob(CanId.Standard(1), new byte[65], fd: true)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new BcmReceiveJob(CanId.Standard(1), [0xFF], [new byte[9]]));
    }

    [Fact]
    public void Receive_jobs_become_the_frames_the_kernel_expects()
    {
        var m = new BcmMessage();
        new BcmReceiveJob(CanId.Standard(0x123)) { Timeout = TimeSpan.FromSeconds(1) }.WriteTo(m);
        Assert.Equal((BcmOpcode.ReceiveSetup, 0, BcmFlags.SetTimer | BcmFlags.StartTimer | BcmFlags.ReceiveFilterId), (m.Opcode, m.FrameCount, m.Flags));
        Assert.Equal(TimeSpan.FromSeconds(1), m.Interval1);

        new BcmReceiveJob(CanId.Standard(0x123), [0xFF, 0x0F]) { CheckDlc = true, Throttle = TimeSpan.FromMilliseconds(50) }.WriteTo(m);
        Assert.Equal(1, m.FrameCount);
        Assert.Equal(new byte[] { 0xFF, 0x0F, 0, 0, 0, 0, 0, 0 }, m.Frames[0].Data.ToArray());
        Assert.True(m.Flags.HasFlag(BcmFlags.ReceiveCheckDlc));

        new BcmReceiveJob(CanId.Standard(0x123), [0xFF], [[0x01, 0xFF], [0x02, 0x00, 0xFF]], fd: true).WriteTo(m);
        Assert.Equal(3, m.FrameCount);
        Assert.True(m.IsFd);
        Assert.Equal(0x02, m.FdFrames[2].Data[0]);

        BcmReceiveJob.ReplyToRemoteRequests(CanId.Standard(0x321), new CanFrame(CanId.Standard(0x321), [9])).WriteTo(m);
        Assert.True(m.CanId.IsRemote);
        Assert.Equal(BcmFlags.ReceiveRtrFrame, m.Flags);
        Assert.Equal(BcmHeadLayout.Current.Size + CanFrame.Size, m.Encode());
    }

    [Fact]
    public void Transmit_job_flags_follow_its_options()
    {
        var m = new BcmMessage();
        var job = new BcmTransmitJob(CanId.Standard(0x100), new CanFrame(CanId.Standard(0x100), [1]))
        {
            Interval = TimeSpan.FromMilliseconds(10),
            Count = 5,
            CountInterval = TimeSpan.FromMilliseconds(1),
            ReportCountExpired = true,
            Announce = true,
            CopyCanId = true,
            ResetSequence = true,
        };
        job.WriteTo(m, BcmFlags.SetTimer | BcmFlags.StartTimer);
        Assert.Equal(
            BcmFlags.SetTimer | BcmFlags.StartTimer | BcmFlags.TransmitCountEvent | BcmFlags.TransmitAnnounce | BcmFlags.TransmitCopyCanId | BcmFlags.TransmitResetMultiIndex,
            m.Flags);
        Assert.Equal((5u, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10)), (m.Count, m.Interval1, m.Interval2));
    }

    [Fact]
    public void A_short_reply_keeps_its_whole_frames_and_says_so()
    {
        var m = new BcmMessage { Opcode = BcmOpcode.ReceiveChanged, CanId = CanId.Standard(5) };
        m.SetFrames([new CanFrame(CanId.Standard(5), [1]), new CanFrame(CanId.Standard(5), [2])]);
        byte[] bytes = new byte[56 + 32];
        int length = m.EncodeTo(bytes, BcmHeadLayout.Lp64);
        var back = new BcmMessage();
        Assert.False(back.DecodeFrom(bytes.AsSpan(0, length - 1), BcmHeadLayout.Lp64));
        Assert.Equal(1, back.FrameCount);
        Assert.False(back.DecodeFrom(bytes.AsSpan(0, 10), BcmHeadLayout.Lp64));
        Assert.Equal(0, back.FrameCount);
    }
}
