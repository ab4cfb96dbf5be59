using System.Net.Sockets;
using Xunit;

namespace Buses.Tests.Host;

// A blocked receive, sync or async, must end when its token is cancelled or its socket disposed from
// another thread. The bounds here are hang guards, not timing assertions.
public sealed class WakeupTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void WaitUntilBlocked(Task task)
    {
        // Give the call time to reach its wait; if it has not, the test still holds (dispose first).
        Thread.Sleep(50);
        Assert.False(task.IsCompleted, task.Exception?.ToString());
    }

    [Theory]
    [InlineData(SocketType.Dgram)]
    [InlineData(SocketType.Stream)]
    public async Task Dispose_wakes_a_blocked_sync_receive_with_object_disposed(SocketType type)
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, type);
        using (a)
        {
            Task<Exception?> receive = OnThread.Catch(() => b.Receive(new byte[8]));
            WaitUntilBlocked(receive);
            b.Dispose();
            Assert.IsType<ObjectDisposedException>(await receive.WaitAsync(s_guard, Ct));
        }
    }

    [Fact]
    public async Task Dispose_wakes_a_blocked_accept()
    {
        var listener = new BusSocket(SocketFamily.Unix, SocketType.Stream);
        listener.Bind(HostAddresses.UniqueAbstract());
        listener.Listen();
        Task<Exception?> accept = OnThread.Catch(() => listener.Accept());
        WaitUntilBlocked(accept);
        listener.Dispose();
        Assert.IsType<ObjectDisposedException>(await accept.WaitAsync(s_guard, Ct));
    }

    [Fact]
    public async Task Cancelling_the_token_ends_an_async_receive()
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Dgram);
        using (a)
        using (b)
        {
            using var cancel = new CancellationTokenSource();
            Task<int> receive = b.ReceiveAsync(new byte[8], cancellationToken: cancel.Token).AsTask();
            WaitUntilBlocked(receive);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive.WaitAsync(s_guard, Ct));

            // The socket is still usable after a cancelled receive.
            a.Send("next"u8);
            Assert.Equal(4, await b.ReceiveAsync(new byte[8], cancellationToken: Ct).AsTask().WaitAsync(s_guard, Ct));
        }
    }

    [Fact]
    public async Task Dispose_ends_an_async_receive()
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Dgram);
        using (a)
        {
            Task<int> receive = b.ReceiveAsync(new byte[8], cancellationToken: Ct).AsTask();
            WaitUntilBlocked(receive);
            b.Dispose();
            await Assert.ThrowsAsync<ObjectDisposedException>(() => receive.WaitAsync(s_guard, Ct));
        }
    }

    [Fact]
    public async Task Dispose_ends_an_async_message_receive_and_readiness_wait()
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Dgram);
        using (a)
        {
            Task<ReceivedMessage> message = b.ReceiveMessageAsync(new byte[8], new byte[64], cancellationToken: Ct).AsTask();
            Task readable = b.WaitReadableAsync(Ct).AsTask();
            WaitUntilBlocked(message);
            WaitUntilBlocked(readable);
            b.Dispose();
            await Assert.ThrowsAsync<ObjectDisposedException>(() => message.WaitAsync(s_guard, Ct));
            await Assert.ThrowsAsync<ObjectDisposedException>(() => readable.WaitAsync(s_guard, Ct));
        }
    }

    [Fact]
    public async Task Async_receive_completes_when_data_arrives_later()
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Stream);
        using (a)
        using (b)
        {
            byte[] buffer = new byte[16];
            Task<int> receive = b.ReceiveAsync(buffer, cancellationToken: Ct).AsTask();
            WaitUntilBlocked(receive);
            await a.SendAsync("async"u8.ToArray(), cancellationToken: Ct);
            Assert.Equal(5, await receive.WaitAsync(s_guard, Ct));
            await a.SendAllAsync(new byte[100_000], cancellationToken: Ct);
            int total = 0;
            while (total < 100_000)
            {
                total += await b.ReceiveAsync(new byte[65536], cancellationToken: Ct).AsTask().WaitAsync(s_guard, Ct);
            }

            Assert.Equal(100_000, total);
        }
    }

    [Fact]
    public async Task Cancelled_token_before_the_call_throws_at_once()
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Dgram);
        using (a)
        using (b)
        {
            a.Send("queued"u8);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await b.ReceiveAsync(new byte[8], cancellationToken: new CancellationToken(canceled: true)));
        }
    }
}
