using System.Buffers.Binary;
using System.Diagnostics;
using Buses.Can;
using Buses.HilTests.Bed;
using Testbed = Buses.HilTests.Bed.Bed;
using Xunit;

namespace Buses.HilTests.Can;

/// <summary>
/// ENOBUFS back-pressure: a vcan with txqueuelen 10 behind a token-bucket qdisc that holds at most ten
/// classic frames and drains at 100 kbit/s. Once it is full, the qdisc drops the frame and the kernel
/// answers the send with ENOBUFS (the frame went nowhere, not even to local listeners); the socket must
/// wait and resend, so a listener sees every frame once, in order.
/// </summary>
public sealed class CanBackPressureTests
{
    private const int Frames = 2000;
    private static int s_next;

    private static void Log(string text) => TestContext.Current.TestOutputHelper?.WriteLine(text);

    private static void Run(string tool, string arguments)
    {
        using Process process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {arguments} exited with {process.ExitCode}: {stderr}");
    }

    private static string ShortQueueVcan()
    {
        string name = $"tbp{Environment.ProcessId % 10000}x{Interlocked.Increment(ref s_next)}";
        CanLink.CreateVcan(name);
        try
        {
            CanLink.SetMtu(name, CanLink.ClassicMtu);
            Run("ip", $"link set {name} txqueuelen 10");
            // 160 bytes = ten 16-byte classic frames; drains at 100 kbit/s (~780 frames/s), so a sender outruns it.
            // The bed's kernel autoloader may not reach the qdisc module; load it the way an admin would.
            Run("modprobe", "sch_tbf");
            Run("tc", $"qdisc add dev {name} root tbf rate 100kbit burst 1600 limit 160");
            CanLink.SetUp(name);
        }
        catch
        {
            CanLink.Delete(name);
            throw;
        }

        return name;
    }

    private static CanFrame Numbered(uint n)
    {
        Span<byte> data = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, n);
        return new CanFrame(CanId.Standard(0x100), data);
    }

    // Receives Frames frames and checks each carries the next number and no drop was reported.
    private static Task<(int Received, long Drops, string? Error)> StartReceiver(string name, ManualResetEventSlim ready)
    {
        return Task.Factory.StartNew(() =>
        {
            using var receiver = new CanRawSocket(name) { Timeout = TimeSpan.FromSeconds(30) };
            receiver.ReceiveBufferSize = 1 << 20;
            ready.Set();
            var message = new CanMessage();
            long drops = 0;
            for (uint expected = 0; expected < Frames; expected++)
            {
                receiver.Receive(message);
                drops += message.Info.NewDrops;
                uint got = BinaryPrimitives.ReadUInt32LittleEndian(message.Classic.Data);
                if (got != expected)
                {
                    return ((int)expected, drops, $"frame {expected} expected, frame {got} received");
                }
            }

            return (Frames, drops, (string?)null);
        }, TaskCreationOptions.LongRunning);
    }

    // Sends Frames numbered frames with `send` into a fresh short-queue vcan while a listener counts them.
    private static async Task SendAndCheckNothingLost(string how, Action<CanRawSocket> send)
    {
        Testbed.Require(Capability.Can, Capability.Netlink);
        string name = ShortQueueVcan();
        try
        {
            using var ready = new ManualResetEventSlim();
            var receiving = StartReceiver(name, ready);
            ready.Wait(TestContext.Current.CancellationToken);
            using var sender = new CanRawSocket(name) { Timeout = TimeSpan.FromSeconds(60) };
            send(sender);
            var (received, drops, error) = await receiving;
            Log($"{Frames} frames sent {how}; {sender.BackPressureWaits} ENOBUFS waits; {received} received in order; {drops} dropped");
            Assert.Null(error);
            Assert.Equal(Frames, received);
            Assert.Equal(0, drops);
            Assert.True(sender.BackPressureWaits > 0, $"the short queue never answered ENOBUFS ({how}), so back-pressure was not exercised");
        }
        finally
        {
            CanLink.Delete(name);
        }
    }

    [Fact]
    public Task Send_into_a_short_queue_meets_ENOBUFS_and_loses_no_frame() =>
        SendAndCheckNothingLost("one by one", sender =>
        {
            for (uint n = 0; n < Frames; n++)
            {
                sender.Send(Numbered(n));
            }
        });

    [Fact]
    public Task Batch_send_resumes_after_a_partial_count_without_duplicates() =>
        SendAndCheckNothingLost("in batches of 64", sender =>
        {
            using var batch = new CanMessageBatch(64, CanFrameKind.Classic);
            uint next = 0;
            while (next < Frames)
            {
                int count = (int)Math.Min(batch.Capacity, Frames - next);
                for (int i = 0; i < count; i++)
                {
                    batch.Set(i, Numbered(next + (uint)i));
                }

                Assert.Equal(count, sender.SendBatch(batch, count));
                next += (uint)count;
            }
        });
}
