using System.Net.Sockets;
using System.Runtime.InteropServices;
using Xunit;

namespace Buses.Tests.Host;

// sendmsg/recvmsg with scatter/gather, addresses and ancillary data; recvmmsg/sendmmsg batches.
public sealed class MessageTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(10);
    private const int ScmRights = 1;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const int ScmCredentials = 2;

    [Fact]
    public void Gather_on_send_scatter_on_receive()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        {
            ReadOnlyMemory<byte>[] parts = ["head-"u8.ToArray(), "body-"u8.ToArray(), "tail"u8.ToArray()];
            Assert.Equal(14, a.SendMessage(parts));

            byte[] first = new byte[3];
            byte[] second = new byte[20];
            Memory<byte>[] buffers = [first, second];
            ReceivedMessage received = b.ReceiveMessage(buffers);
            Assert.Equal(14, received.Length);
            Assert.False(received.Truncated);
            Assert.Equal("hea"u8.ToArray(), first);
            Assert.Equal("d-body-tail"u8.ToArray(), second[..11]);
        }
    }

    [Fact]
    public void Buffer_count_is_checked_before_the_syscall()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => a.SendMessage(ReadOnlySpan<ReadOnlyMemory<byte>>.Empty));
            Assert.Throws<ArgumentOutOfRangeException>(() => b.ReceiveMessage(new Memory<byte>[BusSocket.MaxBuffersPerMessage + 1]));
        }
    }

    [Fact]
    public void Messages_to_and_from_addresses()
    {
        using var a = new BusSocket(SocketFamily.Unix, SocketType.Dgram) { Timeout = s_guard };
        using var b = new BusSocket(SocketFamily.Unix, SocketType.Dgram) { Timeout = s_guard };
        a.Bind(HostAddresses.UniqueAbstract());
        RawSocketAddress bAddress = HostAddresses.UniqueAbstract();
        b.Bind(bAddress);

        Assert.Equal(2, a.SendMessage("hi"u8, default, HostAddresses.Bytes(bAddress)));
        byte[] buffer = new byte[8];
        byte[] sender = new byte[RawSocketAddress.MaxSize];
        ReceivedMessage received = b.ReceiveMessage(buffer, default, sender);
        Assert.Equal(2, received.Length);
        Assert.Equal(a.GetLocalEndPoint<RawSocketAddress>(), RawSocketAddress.Decode(sender.AsSpan(0, received.AddressLength)));
    }

    [Fact]
    public void Credentials_arrive_as_ancillary_data()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        {
            b.Set(SocketOption.PassCredentials, true);
            a.Send("who"u8);
            byte[] control = new byte[ControlMessage.Space(12)];
            ReceivedMessage received = b.ReceiveMessage(new byte[8], control);
            Assert.False(received.ControlTruncated);
            int found = 0;
            foreach (ControlMessage message in ControlMessage.Parse(control.AsSpan(0, received.ControlLength)))
            {
                Assert.Equal((SocketLevel.Socket, ScmCredentials), (message.Level, message.Type));
                Assert.Equal(Environment.ProcessId, MemoryMarshal.Read<int>(message.Data));
                found++;
            }

            Assert.Equal(1, found);
        }
    }

    [Fact]
    public void Timestamps_arrive_as_ancillary_data()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        {
            b.Set(SocketOption.TimestampNanoseconds, true);
            DateTimeOffset before = DateTimeOffset.UtcNow.AddSeconds(-5);
            a.Send("when"u8);
            byte[] control = new byte[ControlMessage.Space(16)];
            ReceivedMessage received = b.ReceiveMessage(new byte[8], control);
            bool seen = false;
            foreach (ControlMessage message in ControlMessage.Parse(control.AsSpan(0, received.ControlLength)))
            {
                seen |= message.TryGetTimestamp(out SocketTimestamp stamp) && stamp.ToDateTimeOffset() > before && stamp.ToDateTimeOffset() < DateTimeOffset.UtcNow.AddSeconds(5);
            }

            Assert.True(seen, "no plausible SO_TIMESTAMPNS message");
        }
    }

    [Fact]
    public void Descriptors_pass_with_scm_rights_and_too_small_a_control_buffer_reports_ctrunc()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        (BusSocket x, BusSocket y) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Dgram);
        using (a)
        using (b)
        using (x)
        using (y)
        {
            Span<byte> control = stackalloc byte[ControlMessage.Space(8)];
            var writer = new ControlMessageWriter(control);
            writer.AddFileDescriptors([x.FileDescriptor, y.FileDescriptor]);
            a.SendMessage("fds"u8, writer.Written);

            byte[] receivedControl = new byte[ControlMessage.Space(8)];
            ReceivedMessage received = b.ReceiveMessage(new byte[8], receivedControl, default, MessageFlags.ControlCloseOnExec);
            Span<int> fds = stackalloc int[4];
            int count = 0;
            foreach (ControlMessage message in ControlMessage.Parse(receivedControl.AsSpan(0, received.ControlLength)))
            {
                Assert.True(message.TryGetFileDescriptors(fds, out count));
                Assert.Equal((SocketLevel.Socket, ScmRights), (message.Level, message.Type));
            }

            Assert.Equal(2, count);
            using var xCopy = new BusSocket(new BusSocketHandle(fds[0], ownsHandle: true));
            using var yCopy = new BusSocket(new BusSocketHandle(fds[1], ownsHandle: true));
            Assert.False(xCopy.Inheritable);
            xCopy.Send("through the copy"u8);
            y.Timeout = s_guard;
            Assert.Equal(16, y.Receive(new byte[32]));

            // Room for no descriptor at all: the kernel closes them and says so with MSG_CTRUNC.
            writer = new ControlMessageWriter(control);
            writer.AddFileDescriptors([x.FileDescriptor]);
            a.SendMessage("lost"u8, writer.Written);
            ReceivedMessage truncated = b.ReceiveMessage(new byte[8], new byte[4]);
            Assert.True(truncated.ControlTruncated);
            Assert.Equal(4, truncated.Length);
        }
    }

    [Fact]
    public async Task Async_messages_carry_ancillary_data()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        {
            b.Set(SocketOption.PassCredentials, true);
            byte[] buffer = new byte[8];
            byte[] control = new byte[ControlMessage.Space(12)];
            Task<ReceivedMessage> receive = b.ReceiveMessageAsync(buffer, control, cancellationToken: Ct).AsTask();
            Assert.Equal(5, await a.SendMessageAsync("async"u8.ToArray(), cancellationToken: Ct));
            ReceivedMessage received = await receive.WaitAsync(s_guard, Ct);
            Assert.Equal(5, received.Length);
            Assert.True(received.ControlLength >= ControlMessage.Length(12));
        }
    }

    [Fact]
    public void Batches_move_many_datagrams_per_call()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        using (var outgoing = new MessageBatch(capacity: 16, bufferSize: 32, addressSize: 0))
        using (var incoming = new MessageBatch(capacity: 32, bufferSize: 32))
        {
            for (int i = 0; i < 16; i++)
            {
                outgoing.SetData(i, [(byte)i, (byte)(i * 2), 0xAA]);
            }

            Assert.Equal(16, a.SendBatch(outgoing, 16));
            int total = 0;
            while (total < 16)
            {
                int n = b.ReceiveBatch(incoming);
                for (int i = 0; i < n; i++)
                {
                    int k = total + i;
                    Assert.Equal(new byte[] { (byte)k, (byte)(k * 2), 0xAA }, incoming.Data(i).ToArray());
                    Assert.Equal(3, incoming.Length(i));
                }

                total += n;
            }

            Assert.Equal(16, total);
            b.Blocking = false;
            Assert.Equal(Errno.EAGAIN, Assert.Throws<BusException>(() => b.ReceiveBatch(incoming)).Errno);
        }
    }

    [Fact]
    public async Task Async_batches_wait_for_the_first_message()
    {
        (BusSocket a, BusSocket b) = HostSockets.GuardedPair();
        using (a)
        using (b)
        using (var outgoing = new MessageBatch(capacity: 4, bufferSize: 8, addressSize: 0))
        using (var incoming = new MessageBatch(capacity: 8, bufferSize: 8))
        {
            Task<int> receive = b.ReceiveBatchAsync(incoming, cancellationToken: Ct).AsTask();
            for (int i = 0; i < 4; i++)
            {
                outgoing.SetData(i, [(byte)i]);
            }

            await a.SendBatchAsync(outgoing, 4, cancellationToken: Ct);
            int n = await receive.WaitAsync(s_guard, Ct);
            Assert.InRange(n, 1, 4);
            Assert.Equal(0, incoming.Data(0)[0]);
        }
    }
}
