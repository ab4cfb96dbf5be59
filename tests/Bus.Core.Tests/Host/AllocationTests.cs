using System.Diagnostics;
using System.Net.Sockets;
using Xunit;

namespace Buses.Tests.Host;

// The steady state of send and receive allocates nothing: measured over many iterations on one thread.
public sealed class AllocationTests
{
    private const int Iterations = 10_000;

    // The runtime may allocate a few bytes once on this thread while the loop runs (tier-up, a lazy
    // static); a single allocation per iteration would be at least 24 × 10 000 bytes.
    private const long OneOffBudget = 1024;

    private static void AssertNothingPerIteration(long allocated) =>
        Assert.True(allocated <= OneOffBudget, $"{allocated} bytes over {Iterations} iterations: the steady state allocates.");

    [Fact]
    public void Sync_send_and_receive_allocate_nothing()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        using (var c = new BusSocket(SocketFamily.Unix, SocketType.Dgram) { Timeout = TimeSpan.FromSeconds(10) })
        using (var d = new BusSocket(SocketFamily.Unix, SocketType.Dgram) { Timeout = TimeSpan.FromSeconds(10) })
        {
            c.Bind(HostAddresses.UniqueAbstract());
            RawSocketAddress dAddress = HostAddresses.UniqueAbstract();
            d.Bind(dAddress);
            byte[] payload = new byte[72];
            byte[] buffer = new byte[72];
            void Round()
            {
                a.Send(payload);
                b.Receive(buffer);
                c.SendTo(payload, dAddress);
                d.ReceiveFrom(buffer, out RawSocketAddress _);
            }

            Round();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Iterations; i++)
            {
                Round();
            }

            AssertNothingPerIteration(GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void Sync_messages_with_ancillary_data_allocate_nothing()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        {
            b.Set(SocketOption.TimestampNanoseconds, true);
            byte[] payload = new byte[16];
            byte[] buffer = new byte[16];
            byte[] control = new byte[ControlMessage.Space(16)];
            long stamps = 0;
            void Round()
            {
                a.SendMessage(payload);
                ReceivedMessage received = b.ReceiveMessage(buffer, control);
                foreach (ControlMessage message in ControlMessage.Parse(control.AsSpan(0, received.ControlLength)))
                {
                    if (message.TryGetTimestamp(out SocketTimestamp stamp) && stamp.IsSet)
                    {
                        stamps++;
                    }
                }
            }

            Round();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Iterations; i++)
            {
                Round();
            }

            AssertNothingPerIteration(GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(Iterations + 1, stamps);
        }
    }

    [Fact]
    public void Sync_batches_allocate_nothing()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        using (var outgoing = new MessageBatch(8, 16, addressSize: 0))
        using (var incoming = new MessageBatch(8, 16))
        {
            for (int i = 0; i < 8; i++)
            {
                outgoing.SetData(i, [1, 2, 3]);
            }

            void Round()
            {
                a.SendBatch(outgoing, 8);
                int got = 0;
                while (got < 8)
                {
                    got += b.ReceiveBatch(incoming);
                }
            }

            Round();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Iterations / 8; i++)
            {
                Round();
            }

            AssertNothingPerIteration(GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void Async_receive_of_queued_data_allocates_nothing()
    {
        // When data is already queued the async path completes synchronously, on this thread, so
        // its allocations are visible to the per-thread counter. (A receive that truly waits
        // resumes on the engine's thread, where this counter cannot see.)
        // A Debug build compiles async state machines as classes, one allocation per call by design
        // of the compiler; only an optimized Bus.Core can show the library's own allocations.
        bool optimized = typeof(BusSocket).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false) is not [DebuggableAttribute { IsJITOptimizerDisabled: true }];
        Assert.SkipUnless(optimized, "Bus.Core is a Debug build; run this test with -c Release.");
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        {
            byte[] payload = new byte[32];
            Memory<byte> buffer = new byte[32];
            Memory<byte> control = new byte[64];
            void Round()
            {
                a.Send(payload);
                ValueTask<int> receive = b.ReceiveAsync(buffer, cancellationToken: TestContext.Current.CancellationToken);
                Assert.True(receive.IsCompletedSuccessfully);
                _ = receive.Result;
                a.Send(payload);
                ValueTask<ReceivedMessage> message = b.ReceiveMessageAsync(buffer, control);
                Assert.True(message.IsCompletedSuccessfully);
                _ = message.Result;
                ValueTask<int> send = a.SendAsync(payload);
                Assert.True(send.IsCompletedSuccessfully);
                _ = send.Result;
                b.Receive(buffer.Span);
            }

            for (int i = 0; i < 100; i++)
            {
                Round();
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Iterations; i++)
            {
                Round();
            }

            AssertNothingPerIteration(GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }
}
