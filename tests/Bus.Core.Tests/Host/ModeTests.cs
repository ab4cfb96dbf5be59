using System.Net.Sockets;
using System.Runtime.InteropServices;
using Xunit;

namespace Buses.Tests.Host;

// Python's three socket modes: blocking, non-blocking (EAGAIN) and timeout (a distinct exception),
// SendAll's single deadline, and EINTR retried.
public sealed class ModeTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (BusSocket, BusSocket) Pair(SocketType type = SocketType.Dgram) => BusSocket.CreatePair(SocketFamily.Unix, type);

    [Fact]
    public void Non_blocking_receive_with_nothing_queued_throws_eagain()
    {
        (BusSocket a, BusSocket b) = Pair();
        using (a)
        using (b)
        {
            b.Blocking = false;
            Assert.Equal(TimeSpan.Zero, b.Timeout);
            BusException e = Assert.Throws<BusException>(() => b.Receive(new byte[8]));
            Assert.IsNotType<BusTimeoutException>(e);
            Assert.Equal(Errno.EAGAIN, e.Errno);
            Assert.Equal("EAGAIN", e.ErrorName);
            Assert.Equal("recv", e.Operation);

            Assert.Equal(Errno.EAGAIN, Assert.Throws<BusException>(() => b.ReceiveMessage(new byte[8])).Errno);
            Assert.Equal(Errno.EAGAIN, Assert.Throws<BusException>(() => b.WaitReadable()).Errno);

            a.Send("now"u8);
            Assert.Equal(3, b.Receive(new byte[8]));
        }
    }

    [Fact]
    public void Non_blocking_accept_with_no_client_throws_eagain()
    {
        using var listener = new BusSocket(SocketFamily.Inet, SocketType.Stream) { Blocking = false };
        listener.Bind(HostAddresses.Loopback(0));
        listener.Listen();
        Assert.Equal(Errno.EAGAIN, Assert.Throws<BusException>(() => listener.Accept()).Errno);
    }

    [Fact]
    public void Timeout_mode_throws_the_timeout_exception_with_errno_etimedout()
    {
        (BusSocket a, BusSocket b) = Pair();
        using (a)
        using (b)
        {
            b.Timeout = TimeSpan.FromMilliseconds(50);
            Assert.True(b.Blocking);
            BusTimeoutException e = Assert.Throws<BusTimeoutException>(() => b.Receive(new byte[8]));
            Assert.Equal(Errno.ETIMEDOUT, e.Errno);
            Assert.Equal(TimeSpan.FromMilliseconds(50), e.Timeout);
            Assert.Equal("recv", e.Operation);
            Assert.Contains("timed out", e.Message, StringComparison.Ordinal);

            Assert.Throws<BusTimeoutException>(() => b.ReceiveFrom(new byte[8], out RawSocketAddress _));
            Assert.Throws<BusTimeoutException>(() => b.WaitReadable());
        }
    }

    [Fact]
    public void Timeout_mode_connect_times_out_against_a_full_backlog()
    {
        using HostSockets.FullBacklog backlog = HostSockets.FillUnixBacklog();
        BusSocket client = backlog.NewClient(TimeSpan.FromMilliseconds(50));
        BusTimeoutException e = Assert.Throws<BusTimeoutException>(() => client.Connect(backlog.Address));
        Assert.Equal("connect", e.Operation);
        Assert.Equal(backlog.Address.ToString(), e.Address);
    }

    [Fact]
    public async Task Blocking_connect_waits_for_room_in_a_full_unix_backlog()
    {
        using HostSockets.FullBacklog backlog = HostSockets.FillUnixBacklog();
        BusSocket blocking = backlog.NewClient(null);
        Task connect = OnThread.Run(() => blocking.Connect(backlog.Address));
        await Task.Delay(50, Ct);
        Assert.False(connect.IsCompleted, connect.Exception?.ToString());
        using BusSocket accepted = backlog.Listener.Accept();
        await connect.WaitAsync(s_guard, Ct);
    }

    [Fact]
    public async Task Blocking_receive_waits_for_data_from_another_thread()
    {
        (BusSocket a, BusSocket b) = Pair();
        using (a)
        using (b)
        {
            Assert.Null(b.Timeout);
            Task<int> receive = OnThread.Run(() => b.Receive(new byte[8]));
            a.Send("late"u8);
            Assert.Equal(4, await receive.WaitAsync(s_guard, Ct));
        }
    }

    [Fact]
    public async Task Send_all_sends_everything_through_a_small_buffer()
    {
        (BusSocket a, BusSocket b) = Pair(SocketType.Stream);
        using (a)
        using (b)
        {
            a.SendBufferSize = 4096;
            byte[] data = new byte[1 << 20];
            Random.Shared.NextBytes(data);
            Task sender = OnThread.Run(() => a.SendAll(data));
            byte[] received = new byte[data.Length];
            int total = 0;
            b.Timeout = s_guard;
            while (total < data.Length)
            {
                int n = b.Receive(received.AsSpan(total));
                Assert.NotEqual(0, n);
                total += n;
            }

            await sender.WaitAsync(s_guard, Ct);
            Assert.Equal(data, received);
        }
    }

    [Fact]
    public async Task Send_all_timeout_covers_the_whole_call_not_each_wait()
    {
        (BusSocket a, BusSocket b) = Pair(SocketType.Stream);
        using (a)
        using (b)
        {
            a.SendBufferSize = 4096;
            a.Timeout = TimeSpan.FromMilliseconds(300);
            using var stop = new CancellationTokenSource();

            // The reader drains a little, often: every single wait for room ends well inside the
            // timeout, so only a deadline for the whole call can end this 64 MiB send.
            Task reader = OnThread.Run(() =>
            {
                byte[] sink = new byte[512];
                b.Timeout = TimeSpan.FromMilliseconds(20);
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        b.Receive(sink);
                    }
                    catch (BusTimeoutException)
                    {
                    }

                    Thread.Sleep(5);
                }
            });

            // A hang guard, not a timing assertion: a per-wait timeout would take minutes here.
            Exception? error = await OnThread.Catch(() => a.SendAll(new byte[64 << 20])).WaitAsync(TimeSpan.FromSeconds(60), Ct);
            await stop.CancelAsync();
            await reader.WaitAsync(s_guard, Ct);
            BusTimeoutException e = Assert.IsType<BusTimeoutException>(error);
            Assert.Equal("sendall", e.Operation);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Blocked_receive_survives_signals_eintr_is_retried()
    {
        // The runtime installs handlers with SA_RESTART, but poll() is never restarted: each signal
        // makes the wait fail with EINTR, which must be retried rather than surfaced.
        using PosixSignalRegistration registration = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context => context.Cancel = true);
        (BusSocket a, BusSocket b) = Pair();
        using (a)
        using (b)
        {
            int tid = 0;
            using var ready = new ManualResetEventSlim();
            Task<int> receive = OnThread.Run(() =>
            {
                tid = NativeTestCalls.gettid();
                ready.Set();
                return b.Receive(new byte[8]);
            });
            Assert.True(ready.Wait(s_guard, Ct));
            const int SIGWINCH = 28;
            for (int i = 0; i < 20 && !receive.IsCompleted; i++)
            {
                Assert.Equal(0, NativeTestCalls.tgkill(Environment.ProcessId, tid, SIGWINCH));
                Thread.Sleep(10);
            }

            Assert.False(receive.IsCompleted, receive.Exception?.ToString() ?? "the receive returned without data");
            a.Send("after signals"u8);
            Assert.Equal(8, await receive.WaitAsync(s_guard, Ct));
        }
    }
}

// BusSocket.DefaultTimeout is process-wide: these tests must not run beside others that create sockets.
[CollectionDefinition(nameof(DefaultTimeoutCollection), DisableParallelization = true)]
public sealed class DefaultTimeoutCollection;

[Collection(nameof(DefaultTimeoutCollection))]
public sealed class DefaultTimeoutTests
{
    [Fact]
    public void New_and_accepted_sockets_start_with_the_default_timeout()
    {
        TimeSpan? saved = BusSocket.DefaultTimeout;
        try
        {
            Assert.Null(saved);
            BusSocket.DefaultTimeout = TimeSpan.FromMilliseconds(40);
            using var listener = new BusSocket(SocketFamily.Inet, SocketType.Stream);
            Assert.Equal(TimeSpan.FromMilliseconds(40), listener.Timeout);
            listener.Bind(HostAddresses.Loopback(0));
            listener.Listen();

            // The default governs the listener's own accept…
            Assert.Throws<BusTimeoutException>(() => listener.Accept());

            (BusSocket a, BusSocket b) = BusSocket.CreatePair();
            using (a)
            using (b)
            {
                Assert.Equal(TimeSpan.FromMilliseconds(40), a.Timeout);
            }

            // …and an accepted socket takes the default, not the listener's own timeout.
            listener.Timeout = TimeSpan.FromSeconds(10);
            BusSocket.DefaultTimeout = TimeSpan.FromMilliseconds(70);
            using var client = new BusSocket(SocketFamily.Inet, SocketType.Stream) { Timeout = TimeSpan.FromSeconds(10) };
            client.Connect(listener.GetLocalEndPoint<RawSocketAddress>());
            using BusSocket accepted = listener.Accept();
            Assert.Equal(TimeSpan.FromMilliseconds(70), accepted.Timeout);
            Assert.Throws<BusTimeoutException>(() => accepted.Receive(new byte[1]));

            BusSocket.DefaultTimeout = null;
            using BusSocket blockingAccepted = AcceptOne(listener);
            Assert.Null(blockingAccepted.Timeout);
            Assert.Throws<ArgumentOutOfRangeException>(() => BusSocket.DefaultTimeout = TimeSpan.FromTicks(-1));
        }
        finally
        {
            BusSocket.DefaultTimeout = saved;
        }
    }

    private static BusSocket AcceptOne(BusSocket listener)
    {
        using var client = new BusSocket(SocketFamily.Inet, SocketType.Stream) { Timeout = TimeSpan.FromSeconds(10) };
        client.Connect(listener.GetLocalEndPoint<RawSocketAddress>());
        return listener.Accept();
    }
}
