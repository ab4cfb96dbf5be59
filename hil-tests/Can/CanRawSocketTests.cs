using Buses.Can;
using Buses.HilTests.Bed;
using Testbed = Buses.HilTests.Bed.Bed;
using Xunit;

namespace Buses.HilTests.Can;

public sealed class CanRawSocketTests
{
    private static CanRawSocket Open(string iface, TimeSpan? timeout = null) =>
        new(iface) { Timeout = timeout ?? TimeSpan.FromSeconds(5) };

    // Receives until the socket stays quiet for a while; the quiet period ends collection, it is not asserted on.
    private static List<CanFrame> Drain(CanRawSocket socket)
    {
        var frames = new List<CanFrame>();
        var message = new CanMessage();
        socket.Timeout = TimeSpan.FromMilliseconds(300);
        while (true)
        {
            try
            {
                socket.Receive(message);
            }
            catch (BusTimeoutException)
            {
                return frames;
            }

            frames.Add(message.Classic);
        }
    }

    [Fact]
    public void Classic_frame_arrives_with_interface_timestamp_and_direction()
    {
        Testbed.Require(Capability.Can);
        using CanRawSocket receiver = Open(Testbed.CanInterface);
        using CanRawSocket sender = Open(Testbed.CanInterface);
        sender.ReceiveOwnMessages = true;
        var frame = new CanFrame(CanId.Standard(0x123), [0xDE, 0xAD, 0xBE, 0xEF]);
        sender.Send(frame);
        var message = new CanMessage();
        receiver.Receive(message);
        Assert.Equal(CanFrameKind.Classic, message.Kind);
        Assert.Equal(frame, message.Classic);
        Assert.Equal(Interfaces.IndexOf(Testbed.CanInterface), message.Info.InterfaceIndex);
        Assert.Equal(CanDirection.Loopback, message.Info.Direction);
        Assert.True(message.Info.Timestamp.IsSet);
        sender.Receive(message);
        Assert.Equal(CanDirection.Transmitted, message.Info.Direction);
        Assert.Equal(frame, message.Classic);
    }

    [Fact]
    public void Any_binding_receives_from_every_interface_and_names_it()
    {
        Testbed.Require(Capability.Can);
        using var receiver = new CanRawSocket(CanAddress.Any) { Timeout = TimeSpan.FromSeconds(5) };
        using CanRawSocket sender = Open(Testbed.CanInterface2);
        sender.Send(new CanFrame(CanId.Standard(0x42), [1]));
        var message = new CanMessage();
        receiver.Receive(message);
        Assert.Equal(Interfaces.IndexOf(Testbed.CanInterface2), message.Info.InterfaceIndex);
    }

    [Fact]
    public void Filters_inverted_and_joined_filters_behave_as_the_kernel_says()
    {
        Testbed.Require(Capability.Can);
        CanId[] sent = [CanId.Standard(0x123), CanId.Standard(0x124), CanId.Extended(0x123), CanId.Standard(0x133), CanId.Standard(0x123, remote: true)];
        List<CanId> Run(Action<CanRawSocket> configure)
        {
            using CanRawSocket receiver = Open(Testbed.CanInterface);
            configure(receiver);
            using CanRawSocket sender = Open(Testbed.CanInterface);
            foreach (CanId id in sent)
            {
                sender.Send(id.IsRemote ? CanFrame.Remote(id) : new CanFrame(id, [1]));
            }

            return Drain(receiver).Select(f => f.Id).ToList();
        }

        Assert.Equal([CanId.Standard(0x123)], Run(r => r.SetFilters([CanFilter.Exact(CanId.Standard(0x123))])));
        // A bare 11-bit mask also passes the extended and remote frames with the same low bits.
        Assert.Equal([CanId.Standard(0x123), CanId.Extended(0x123), CanId.Standard(0x123, remote: true)], Run(r => r.SetFilters([new CanFilter(0x123, 0x7FF)])));
        Assert.Equal([CanId.Standard(0x124), CanId.Extended(0x123), CanId.Standard(0x133), CanId.Standard(0x123, remote: true)], Run(r => r.SetFilters([CanFilter.Exact(CanId.Standard(0x123), inverted: true)])));
        CanFilter[] pair = [new CanFilter(0x120, 0x7F0), new CanFilter(0x003, 0x00F)];
        Assert.Equal([CanId.Standard(0x123), CanId.Standard(0x124), CanId.Extended(0x123), CanId.Standard(0x133), CanId.Standard(0x123, remote: true)], Run(r => r.SetFilters(pair)));
        Assert.Equal([CanId.Standard(0x123), CanId.Extended(0x123), CanId.Standard(0x123, remote: true)], Run(r => { r.SetFilters(pair); r.JoinFilters = true; }));
        Assert.Empty(Run(r => r.SetFilters([])));
        using CanRawSocket probe = Open(Testbed.CanInterface);
        probe.SetFilters(pair);
        Assert.Equal(pair, probe.GetFilters());
    }

    [Fact]
    public void Error_frames_decode_to_every_class_they_carry()
    {
        Testbed.Require(Capability.Can);
        using CanRawSocket receiver = Open(Testbed.CanInterface);
        receiver.ErrorMask = CanErrorClasses.All;
        using CanRawSocket plain = Open(Testbed.CanInterface);
        using CanRawSocket sender = Open(Testbed.CanInterface);
        var error = new CanErrorFrame
        {
            Classes = CanErrorClasses.Protocol | CanErrorClasses.Counters | CanErrorClasses.LostArbitration,
            ArbitrationLostBit = 9,
            Protocol = CanProtocolViolations.Stuff | CanProtocolViolations.Transmit,
            ProtocolLocation = CanProtocolLocation.Data,
            TransmitErrorCount = 128,
            ReceiveErrorCount = 3,
        };
        sender.Send(error.ToFrame());
        sender.Send(new CanFrame(CanId.Standard(0x7FF), []));
        var message = new CanMessage();
        receiver.Receive(message);
        Assert.True(message.IsError);
        Assert.Equal(error, CanErrorFrame.Decode(message.Classic));
        // Without an error mask the error frame is not delivered: the first frame is the data frame.
        plain.Receive(message);
        Assert.False(message.IsError);
    }

    [Fact]
    public void Timestamps_are_monotonic_and_the_same_for_every_receiver()
    {
        Testbed.Require(Capability.Can);
        using CanRawSocket a = Open(Testbed.CanInterface);
        using CanRawSocket b = Open(Testbed.CanInterface);
        using CanRawSocket sender = Open(Testbed.CanInterface);
        var ma = new CanMessage();
        var mb = new CanMessage();
        // The kernel switches receive timestamping on lazily (a deferred static key) after the first
        // socket asks for it; until then each reader stamps at read time. Warm up until it is on.
        for (int warm = 0; warm < 100; warm++)
        {
            sender.Send(new CanFrame(CanId.Standard(0x7FF), []));
            a.Receive(ma);
            b.Receive(mb);
            if (ma.Info.Timestamp == mb.Info.Timestamp)
            {
                break;
            }

            Thread.Sleep(10);
        }

        for (int i = 0; i < 100; i++)
        {
            sender.Send(new CanFrame(CanId.Standard((uint)i), [(byte)i]));
        }

        SocketTimestamp previous = default;
        for (int i = 0; i < 100; i++)
        {
            a.Receive(ma);
            b.Receive(mb);
            Assert.Equal(ma.Classic, mb.Classic);
            Assert.Equal(ma.Info.Timestamp, mb.Info.Timestamp);
            Assert.True(ma.Info.Timestamp >= previous, $"frame {i}: {ma.Info.Timestamp} before {previous}");
            previous = ma.Info.Timestamp;
        }
    }

    [Fact]
    public void Drop_counter_rises_when_the_receiver_is_starved()
    {
        Testbed.Require(Capability.Can);
        using CanRawSocket receiver = Open(Testbed.CanInterface);
        receiver.ReceiveBufferSize = 4096;
        using CanRawSocket sender = Open(Testbed.CanInterface);
        const int Sent = 2000;
        for (int i = 0; i < Sent; i++)
        {
            sender.Send(new CanFrame(CanId.Standard((uint)(i & 0x7FF)), [(byte)i]));
        }

        var message = new CanMessage();
        int received = 0;
        uint reportedDrops = 0;
        receiver.Timeout = TimeSpan.FromMilliseconds(300);
        try
        {
            while (true)
            {
                receiver.Receive(message);
                received++;
                reportedDrops += message.Info.NewDrops;
            }
        }
        catch (BusTimeoutException)
        {
        }

        // The kernel stamps the drop count on a frame as it queues it: the losses after the last
        // queued frame show on the next frame, so send one more once the queue has drained.
        receiver.Timeout = TimeSpan.FromSeconds(5);
        sender.Send(new CanFrame(CanId.Standard(0x7FF), []));
        receiver.Receive(message);
        Assert.Equal(0x7FFu, message.Classic.Id.Value);
        reportedDrops += message.Info.NewDrops;

        Assert.True(reportedDrops > 0, $"received {received} of {Sent} with no drop reported");
        Assert.Equal((uint)Sent, (uint)received + reportedDrops);
        Assert.Equal(reportedDrops, receiver.DroppedFrames);
    }

    [Fact]
    public void Classic_and_fd_frames_mix_on_one_socket()
    {
        Testbed.Require(Capability.CanFd);
        using CanRawSocket receiver = Open(Testbed.CanInterface);
        receiver.FdFrames = true;
        using CanRawSocket sender = Open(Testbed.CanInterface);
        sender.FdFrames = true;
        var classic = new CanFrame(CanId.Standard(0x1), [1, 2]);
        var fd = new CanFdFrame(CanId.Extended(0x2), new byte[64], CanFdFlags.BitRateSwitch);
        sender.Send(classic);
        sender.Send(fd);
        var message = new CanMessage();
        receiver.Receive(message);
        Assert.Equal(CanFrameKind.Classic, message.Kind);
        Assert.Equal(classic, message.Classic);
        receiver.Receive(message);
        Assert.Equal(CanFrameKind.Fd, message.Kind);
        Assert.Equal(fd, message.Fd);
        Assert.True((message.Fd.Flags & CanFdFlags.FdFormat) != 0, "the kernel marks delivered FD frames with FDF");
    }

    [Fact]
    public void Classic_fd_and_xl_frames_mix_on_one_socket()
    {
        Testbed.Require(Capability.CanXl);
        using CanRawSocket receiver = Open(Testbed.CanXlInterface);
        receiver.FdFrames = true;
        receiver.XlFrames = true;
        using CanRawSocket sender = Open(Testbed.CanXlInterface);
        sender.FdFrames = true;
        sender.XlFrames = true;
        var classic = new CanFrame(CanId.Standard(0x1), [1, 2]);
        var fd = new CanFdFrame(CanId.Standard(0x2), new byte[12]);
        var xl4 = new CanXlFrame(0x3, [1, 2, 3, 4], serviceDataUnitType: 7, acceptanceField: 0x40000123);
        var xl = new CanXlFrame(0x4, Enumerable.Range(0, 2048).Select(i => (byte)i).ToArray(), flags: CanXlFlags.SimpleExtendedContent);
        sender.Send(classic);
        sender.Send(fd);
        sender.Send(xl4);
        sender.Send(xl);
        var message = new CanMessage();
        receiver.Receive(message);
        Assert.Equal(classic, message.Classic);
        receiver.Receive(message);
        Assert.Equal(fd, message.Fd);
        receiver.Receive(message);
        Assert.Equal(CanFrameKind.Xl, message.Kind);
        Assert.Equal(16, message.Length);
        Assert.Equal(xl4, message.Xl);
        receiver.Receive(message);
        Assert.Equal(xl, message.Xl);
    }

    [Fact]
    public void Batch_receive_takes_many_frames_per_call()
    {
        Testbed.Require(Capability.Can);
        using CanRawSocket receiver = Open(Testbed.CanInterface);
        using CanRawSocket sender = Open(Testbed.CanInterface);
        using var batch = new CanMessageBatch(64);
        for (int i = 0; i < 32; i++)
        {
            batch.Set(i, new CanFrame(CanId.Standard((uint)i), [(byte)i]));
        }

        Assert.Equal(32, sender.SendBatch(batch, 32));
        var ids = new List<uint>();
        while (ids.Count < 32)
        {
            int n = receiver.ReceiveBatch(batch);
            for (int i = 0; i < n; i++)
            {
                ids.Add(batch.Classic(i).Id.Value);
                Assert.Equal(Interfaces.IndexOf(Testbed.CanInterface), batch.Info(i).InterfaceIndex);
            }
        }

        Assert.Equal(Enumerable.Range(0, 32).Select(i => (uint)i), ids);
    }

    [Fact]
    public async Task Async_stream_yields_frames_and_cancellation_wakes_it()
    {
        Testbed.Require(Capability.Can);
        using CanRawSocket receiver = Open(Testbed.CanInterface, timeout: null);
        using CanRawSocket sender = Open(Testbed.CanInterface);
        await sender.SendAsync(new CanFrame(CanId.Standard(0x10), [1]), TestContext.Current.CancellationToken);
        using var cts = new CancellationTokenSource();
        var seen = new List<uint>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (CanMessage message in receiver.ReceiveAllAsync(cts.Token))
            {
                seen.Add(message.Classic.Id.Value);
                cts.Cancel();
            }
        });
        Assert.Equal([0x10u], seen);
    }

    [Fact]
    public void Steady_state_send_and_receive_allocate_nothing()
    {
        Testbed.Require(Capability.Can);
        using CanRawSocket receiver = Open(Testbed.CanInterface);
        using CanRawSocket sender = Open(Testbed.CanInterface);
        var message = new CanMessage();
        var frame = new CanFrame(CanId.Standard(0x55), [1, 2, 3, 4, 5, 6, 7, 8]);
        for (int i = 0; i < 100; i++)
        {
            sender.Send(frame);
            receiver.Receive(message);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            sender.Send(frame);
            receiver.Receive(message);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(frame, message.Classic);
    }
}
