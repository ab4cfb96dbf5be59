using System.Net.Sockets;
using Xunit;

namespace Buses.Tests.Host;

// The one retry loop, driven through the engine seam: errnos no kernel produces on demand (EINTR in
// the middle of a receive, EAGAIN after readiness, ENOBUFS) are injected before the real call, and
// every wait is counted, for the blocking and the async face alike.
public sealed class EngineSeamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void EINTR_is_retried_at_once_without_waiting()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        {
            var engine = new ScriptedEngine(Errno.EINTR, Errno.EINTR, Errno.EINTR);
            b.Engine = engine;
            a.Send([7]);
            Assert.Equal(1, b.Receive(new byte[1]));
            Assert.Equal(4, engine.Attempts);
            Assert.Equal(0, engine.Waits);
        }
    }

    [Fact]
    public void EAGAIN_waits_for_readiness_and_retries_in_blocking_mode()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        {
            var engine = new ScriptedEngine(Errno.EAGAIN, Errno.EAGAIN);
            b.Engine = engine;
            a.Send([7]);
            Assert.Equal(1, b.Receive(new byte[1]));
            Assert.Equal(2, engine.Waits);
        }
    }

    [Fact]
    public void EAGAIN_in_non_blocking_mode_throws_without_waiting()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        {
            var engine = new ScriptedEngine(Errno.EAGAIN);
            b.Engine = engine;
            b.Blocking = false;
            a.Send([7]);
            BusException e = Assert.Throws<BusException>(() => b.Receive(new byte[1]));
            Assert.Equal(Errno.EAGAIN, e.Errno);
            Assert.Equal(0, engine.Waits);
            Assert.Equal(1, b.Receive(new byte[1]));
        }
    }

    [Fact]
    public void TrySend_returns_ENOBUFS_as_a_value_and_sends_nothing()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        {
            a.Engine = new ScriptedEngine(Errno.ENOBUFS);
            Assert.Equal(Errno.ENOBUFS, a.TrySend([1], out int sent));
            Assert.Equal(0, sent);
            Assert.Equal(Errno.None, a.TrySend([2], out sent));
            Assert.Equal(1, sent);
            byte[] buffer = new byte[1];
            b.Receive(buffer);
            Assert.Equal(2, buffer[0]);
        }
    }

    [Fact]
    public async Task The_async_face_retries_EINTR_waits_across_EAGAIN_and_returns_ENOBUFS_without_throwing()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        {
            var receiving = new ScriptedEngine(Errno.EINTR, Errno.EAGAIN, Errno.EINTR);
            b.Engine = receiving;
            a.Send([9]);
            Assert.Equal(1, await b.ReceiveAsync(new byte[1], cancellationToken: Ct));
            Assert.Equal(4, receiving.Attempts);
            Assert.Equal(1, receiving.AsyncWaits);

            a.Engine = new ScriptedEngine(Errno.ENOBUFS);
            int firstChance = 0;
            EventHandler<System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs> count = (_, e) =>
            {
                // Process-wide: other test classes run in parallel and throw their own BusExceptions, so
                // only a send's ENOBUFS counts (a netlink overrun test reports one on receive).
                if (e.Exception is BusException { Errno: Errno.ENOBUFS, Operation: "send" or "sendto" or "sendmsg" })
                {
                    Interlocked.Increment(ref firstChance);
                }
            };
            AppDomain.CurrentDomain.FirstChanceException += count;
            try
            {
                (Errno errno, int sent) = await a.TrySendAsync(new byte[1], cancellationToken: Ct);
                Assert.Equal((Errno.ENOBUFS, 0), (errno, sent));
            }
            finally
            {
                AppDomain.CurrentDomain.FirstChanceException -= count;
            }

            Assert.Equal(0, firstChance);
        }
    }

    [Fact]
    public void SendAll_keeps_one_deadline_across_partial_sends()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair(SocketType.Stream);
        using (a)
        using (b)
        {
            var engine = new ScriptedEngine(Errno.EAGAIN, Errno.EINTR, Errno.EAGAIN);
            a.Engine = engine;
            a.SendAll(new byte[100]);
            Assert.Equal(2, engine.Waits);
            Assert.Equal(100, b.Receive(new byte[200], MessageFlags.WaitAll));
        }
    }

    [Fact]
    public void A_wait_that_never_becomes_ready_ends_with_the_timeout()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        {
            b.Timeout = TimeSpan.FromMilliseconds(50);
            BusTimeoutException e = Assert.Throws<BusTimeoutException>(() => b.Receive(new byte[1]));
            Assert.Contains("recv", e.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>Fails the first attempts with the given errnos, then runs the real calls and waits.</summary>
    private sealed class ScriptedEngine(params Errno[] script) : SocketEngine
    {
        private readonly Queue<Errno> _script = new(script);

        public int Attempts { get; private set; }

        public int Waits { get; private set; }

        public int AsyncWaits { get; private set; }

        internal override nint Invoke<TCall>(BusSocket socket, scoped ref TCall call, out int errno)
        {
            Attempts++;
            if (_script.TryDequeue(out Errno injected))
            {
                errno = (int)injected;
                return -1;
            }

            return Kernel.Invoke(socket, ref call, out errno);
        }

        internal override void Wait(BusSocket socket, short events, long deadline, string operation, string? address)
        {
            Waits++;
            Kernel.Wait(socket, events, deadline, operation, address);
        }

        internal override int Sequence(BusSocket socket, bool write) => 0;

        internal override ValueTask WaitAsync(BusSocket socket, bool write, int sequence, CancellationToken cancellationToken)
        {
            AsyncWaits++;
            return ValueTask.CompletedTask;
        }
    }
}
