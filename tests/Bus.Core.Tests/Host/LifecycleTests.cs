using System.Net.Sockets;
using Xunit;

namespace Buses.Tests.Host;

// Creation, identity, descriptor ownership and the families this host lacks.
public sealed class LifecycleTests
{
    [Theory]
    [InlineData(SocketFamily.Can, SocketType.Raw, 1)]
    [InlineData(SocketFamily.Tipc, SocketType.Rdm, 0)]
    [InlineData(SocketFamily.Bluetooth, SocketType.Stream, 3)]
    public void Families_missing_from_the_host_kernel_fail_with_eafnosupport(SocketFamily family, SocketType type, int protocol)
    {
        BusException e = Assert.Throws<BusException>(() => new BusSocket(family, type, protocol));
        Assert.Equal(97, e.ErrorNumber);
        Assert.Equal(Errno.EAFNOSUPPORT, e.Errno);
        Assert.Equal("EAFNOSUPPORT", e.ErrorName);
        Assert.Equal("socket", e.Operation);
        Assert.Contains("EAFNOSUPPORT (97)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SocketFamily.Unix, SocketType.Stream, 0)]
    [InlineData(SocketFamily.Unix, SocketType.Dgram, 0)]
    [InlineData(SocketFamily.Unix, SocketType.Seqpacket, 0)]
    [InlineData(SocketFamily.Inet, SocketType.Stream, 6)]
    [InlineData(SocketFamily.Inet, SocketType.Dgram, 17)]
    [InlineData(SocketFamily.Inet6, SocketType.Stream, 6)]
    [InlineData(SocketFamily.Netlink, SocketType.Raw, 0)]
    public void Family_type_and_protocol_are_what_the_kernel_says(SocketFamily family, SocketType type, int protocol)
    {
        using var socket = new BusSocket(family, type, protocol);
        Assert.Equal(family, socket.Family);
        Assert.Equal(type, socket.Type);
        Assert.Equal(protocol, socket.Protocol);
        Assert.Equal((int)family, socket.Get(SocketOption.Domain));
        Assert.Equal((int)type, socket.Get(SocketOption.Type));

        // Adopting the descriptor reads all three back from the kernel.
        using BusSocket adopted = BusSocket.FromFileDescriptor(socket.FileDescriptor);
        Assert.Equal((family, type), (adopted.Family, adopted.Type));
        Assert.Equal(protocol, adopted.Protocol);
        Assert.NotEqual(socket.FileDescriptor, adopted.FileDescriptor);
    }

    [Fact]
    public void Bad_arguments_are_refused_before_any_syscall()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BusSocket(SocketFamily.Unix, (SocketType)0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BusSocket(SocketFamily.Unix, SocketType.Stream, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BusSocket.FromFileDescriptor(-1));
        using var socket = new BusSocket(SocketFamily.Unix, SocketType.Stream);
        Assert.Throws<ArgumentOutOfRangeException>(() => socket.Timeout = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => socket.Listen(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => socket.Shutdown((SocketShutdown)7));
    }

    [Fact]
    public void New_sockets_are_not_inheritable_and_that_can_change()
    {
        using var socket = new BusSocket(SocketFamily.Unix, SocketType.Dgram);
        Assert.False(socket.Inheritable);
        socket.Inheritable = true;
        Assert.True(socket.Inheritable);
        socket.Inheritable = false;
        Assert.False(socket.Inheritable);

        (BusSocket a, BusSocket b) = BusSocket.CreatePair();
        using (a)
        using (b)
        {
            Assert.False(a.Inheritable);
            using BusSocket dup = a.Duplicate();
            Assert.False(dup.Inheritable);
        }
    }

    [Fact]
    public void From_file_descriptor_not_a_socket_fails_with_enotsock()
    {
        using var file = File.OpenHandle("/proc/self/stat");
        BusException e = Assert.Throws<BusException>(() => BusSocket.FromFileDescriptor((int)file.DangerousGetHandle()));
        Assert.Equal(Errno.ENOTSOCK, e.Errno);
    }

    [Fact]
    public void Duplicate_shares_the_connection_and_outlives_the_original()
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Dgram);
        using (b)
        {
            a.Timeout = TimeSpan.FromSeconds(5);
            BusSocket dup = a.Duplicate();
            Assert.Equal(a.Timeout, dup.Timeout);
            a.Dispose();
            using (dup)
            {
                dup.Send("via dup"u8);
                Span<byte> buffer = stackalloc byte[16];
                b.Timeout = TimeSpan.FromSeconds(10);
                Assert.Equal("via dup", System.Text.Encoding.ASCII.GetString(buffer[..b.Receive(buffer)]));
            }
        }
    }

    [Fact]
    public void Detach_hands_back_an_open_descriptor_in_the_sockets_mode()
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Dgram);
        using (b)
        {
            int fd = a.Detach();
            Assert.Throws<ObjectDisposedException>(() => a.Send("x"u8));

            // A blocking socket hands back a blocking descriptor, still open and still the same socket.
            Assert.False(NativeTestCalls.IsNonBlocking(fd));
            using var adopted = new BusSocket(new BusSocketHandle(fd, ownsHandle: true));
            Assert.Equal(SocketType.Dgram, adopted.Type);
            adopted.Send("after detach"u8);
            Span<byte> buffer = stackalloc byte[32];
            b.Timeout = TimeSpan.FromSeconds(10);
            Assert.Equal(12, b.Receive(buffer));
        }
    }

    [Fact]
    public void An_adopted_descriptor_gets_its_flags_back_on_dispose_and_on_detach()
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Dgram);
        using (b)
        {
            int callers = a.Detach();
            try
            {
                Assert.False(NativeTestCalls.IsNonBlocking(callers));

                // fromfd shares the open file description: non-blocking while the socket lives (documented) ...
                BusSocket adopted = BusSocket.FromFileDescriptor(callers);
                Assert.True(NativeTestCalls.IsNonBlocking(callers));
                adopted.Send("x"u8);
                adopted.Dispose();
                // ... and blocking again, as the caller had it, once it is disposed.
                Assert.False(NativeTestCalls.IsNonBlocking(callers));

                BusSocket again = BusSocket.FromFileDescriptor(callers);
                again.Blocking = false;
                int detached = again.Detach();
                Assert.False(NativeTestCalls.IsNonBlocking(callers));
                NativeTestCalls.close(detached);
            }
            finally
            {
                NativeTestCalls.close(callers);
            }
        }
    }

    [Fact]
    public void Detach_of_a_non_blocking_socket_hands_back_a_non_blocking_descriptor()
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Dgram);
        using (b)
        {
            a.Blocking = false;
            int fd = a.Detach();
            try
            {
                Assert.True(NativeTestCalls.IsNonBlocking(fd));
            }
            finally
            {
                NativeTestCalls.close(fd);
            }
        }
    }

    [Theory]
    [InlineData(SocketType.Stream)]
    [InlineData(SocketType.Dgram)]
    [InlineData(SocketType.Seqpacket)]
    public void Socket_pairs_are_connected_both_ways(SocketType type)
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, type);
        using (a)
        using (b)
        {
            a.Timeout = b.Timeout = TimeSpan.FromSeconds(10);
            Span<byte> buffer = stackalloc byte[8];
            a.Send("ping"u8);
            Assert.Equal(4, b.Receive(buffer));
            b.Send("pong"u8);
            Assert.Equal(4, a.Receive(buffer));
            Assert.Equal("pong"u8.ToArray(), buffer[..4].ToArray());
            Assert.Equal(type, a.Type);
        }
    }

    [Fact]
    public void Everything_after_dispose_throws_object_disposed()
    {
        var socket = new BusSocket(SocketFamily.Unix, SocketType.Dgram);
        socket.Dispose();
        socket.Dispose();
        Assert.Throws<ObjectDisposedException>(() => socket.Send("x"u8));
        Assert.Throws<ObjectDisposedException>(() => socket.Receive(new byte[1]));
        Assert.Throws<ObjectDisposedException>(() => socket.Bind(HostAddresses.UniqueAbstract()));
        Assert.Throws<ObjectDisposedException>(() => socket.Get(SocketOption.Type));
        Assert.Throws<ObjectDisposedException>(() => _ = socket.FileDescriptor);
    }
}
