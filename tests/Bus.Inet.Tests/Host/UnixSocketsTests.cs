using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Buses.Inet;
using Microsoft.Win32.SafeHandles;
using Xunit;

namespace Buses.Tests.Inet.Host;

// Descriptor passing (SCM_RIGHTS) and peer credentials, between two ends in this process and with
// Python's own socket module as the peer.
public sealed class UnixSocketsTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (BusSocket, BusSocket) Pair(SocketType type)
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, type);
        a.Timeout = b.Timeout = s_guard;
        return (a, b);
    }

    [Theory]
    [InlineData(SocketType.Stream)]
    [InlineData(SocketType.Dgram)]
    [InlineData(SocketType.Seqpacket)]
    public void Passed_sockets_arrive_owned_and_work(SocketType type)
    {
        (BusSocket a, BusSocket b) = Pair(type);
        (BusSocket x, BusSocket y) = Pair(SocketType.Stream);
        using (a)
        using (b)
        using (y)
        {
            Assert.Equal(3, a.SendDescriptors("fds"u8, [x.Handle, x.Handle]));
            x.Dispose();

            byte[] buffer = new byte[8];
            using DescriptorMessage message = b.ReceiveDescriptors(buffer, maxDescriptors: 4);
            Assert.Equal(3, message.Length);
            Assert.Equal(2, message.DescriptorCount);
            Assert.False(message.DescriptorsTruncated);
            using BusSocket copy = message.TakeSocket(0);
            Assert.Equal((SocketFamily.Unix, SocketType.Stream), (copy.Family, copy.Type));
            Assert.False(copy.Inheritable);
            copy.Send("via passed fd"u8);
            Assert.Equal(13, y.Receive(new byte[32]));
            Assert.Throws<InvalidOperationException>(() => message.TakeDescriptor(0));
        }
    }

    [Fact]
    public void Untaken_descriptors_are_closed_with_the_message()
    {
        (BusSocket a, BusSocket b) = Pair(SocketType.Dgram);
        (BusSocket x, BusSocket y) = Pair(SocketType.Stream);
        using (a)
        using (b)
        using (y)
        {
            a.SendDescriptors("x"u8, [x.Handle]);
            x.Dispose();

            // The message holds the only descriptor of x's socket: disposing it must close it, and
            // y then sees the end of the stream instead of waiting for ever.
            DescriptorMessage message = b.ReceiveDescriptors(new byte[4], 1);
            Assert.Equal(1, message.DescriptorCount);
            message.Dispose();
            Assert.Equal(0, y.Receive(new byte[4]));
        }
    }

    [Fact]
    public void Descriptors_beyond_the_limit_are_reported_as_truncated_not_leaked()
    {
        (BusSocket a, BusSocket b) = Pair(SocketType.Dgram);
        (BusSocket x, BusSocket y) = Pair(SocketType.Stream);
        using (a)
        using (b)
        using (y)
        {
            using var file = File.OpenHandle("/proc/self/stat");
            a.SendDescriptors("four"u8, [file, file, file, x.Handle]);
            x.Dispose();
            using (DescriptorMessage message = b.ReceiveDescriptors(new byte[8], maxDescriptors: 1))
            {
                Assert.True(message.DescriptorsTruncated);

                // CMSG_SPACE padding on 64-bit leaves room for a second descriptor.
                Assert.InRange(message.DescriptorCount, 1, 2);
            }

            // The kernel closed the copy of x that did not fit: y sees the end of the stream.
            Assert.Equal(0, y.Receive(new byte[4]));
        }
    }

    [Fact]
    public async Task Async_passing_waits_for_the_message()
    {
        (BusSocket a, BusSocket b) = Pair(SocketType.Stream);
        using (a)
        using (b)
        {
            using var file = File.OpenHandle("/proc/self/stat");
            Task<DescriptorMessage> receive = b.ReceiveDescriptorsAsync(new byte[8], 2, cancellationToken: Ct).AsTask();
            Assert.Equal(1, await a.SendDescriptorsAsync("!"u8.ToArray(), [file, file], cancellationToken: Ct));
            using DescriptorMessage message = await receive.WaitAsync(s_guard, Ct);
            Assert.Equal(2, message.DescriptorCount);

            // A file is not a socket: TakeSocket refuses it and leaves it in the message.
            BusException notSocket = Assert.Throws<BusException>(() => message.TakeSocket(1));
            Assert.Equal(Errno.ENOTSOCK, notSocket.Errno);
            using SafeFileHandle copy = message.TakeDescriptor(1);
            using var stream = new FileStream(copy, FileAccess.Read);
            Assert.StartsWith($"{Environment.ProcessId} (", await new StreamReader(stream).ReadToEndAsync(Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Bad_arguments_are_refused_before_any_syscall()
    {
        (BusSocket a, BusSocket b) = Pair(SocketType.Stream);
        using (a)
        using (b)
        using (var tcp = new BusSocket(SocketFamily.Inet, SocketType.Stream))
        {
            Assert.Contains("at least one data byte", Assert.Throws<ArgumentException>(() => a.SendDescriptors([], [a.Handle])).Message, StringComparison.Ordinal);
            Assert.Contains("1 to 253", Assert.Throws<ArgumentException>(() => a.SendDescriptors("x"u8, [])).Message, StringComparison.Ordinal);
            Assert.Contains("1 to 253", Assert.Throws<ArgumentException>(() => a.SendDescriptors("x"u8, new SafeHandle[254])).Message, StringComparison.Ordinal);
            Assert.Contains("Inet", Assert.Throws<ArgumentException>(() => tcp.SendDescriptors("x"u8, [a.Handle])).Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => tcp.GetPeerCredentials());
            Assert.Throws<ArgumentOutOfRangeException>(() => b.ReceiveDescriptors(new byte[1], 0));
            var closed = File.OpenHandle("/proc/self/stat");
            closed.Dispose();
            Assert.Contains("closed", Assert.Throws<ArgumentException>(() => a.SendDescriptors("x"u8, [closed])).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Peer_credentials_name_this_process()
    {
        (BusSocket a, BusSocket b) = Pair(SocketType.Stream);
        using (a)
        using (b)
        {
            PeerCredentials credentials = a.GetPeerCredentials();
            Assert.Equal(Environment.ProcessId, credentials.ProcessId);
            Assert.Equal(StatusId("Uid:"), credentials.UserId);
            Assert.Equal(StatusId("Gid:"), credentials.GroupId);
            Assert.Equal($"pid={Environment.ProcessId} uid={credentials.UserId} gid={credentials.GroupId}", credentials.ToString());
        }
    }

    // The effective id: the second field of the Uid:/Gid: line of /proc/self/status.
    private static uint StatusId(string key) =>
        uint.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(key, StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string> RunPython(string script, Func<Task> whileRunning)
    {
        var start = new ProcessStartInfo("python3", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process python = Process.Start(start)!;
        try
        {
            await whileRunning().WaitAsync(s_guard, Ct);
            string output = await python.StandardOutput.ReadToEndAsync(Ct).WaitAsync(s_guard, Ct);
            await python.WaitForExitAsync(Ct).WaitAsync(s_guard, Ct);
            Assert.True(python.ExitCode == 0, await python.StandardError.ReadToEndAsync(Ct));
            return output;
        }
        finally
        {
            if (!python.HasExited)
            {
                python.Kill();
            }
        }
    }

    [Fact]
    public async Task Python_sends_a_descriptor_we_read_through_it()
    {
        var name = UnixAddress.FromAbstractName($"buses-py-send-{Environment.ProcessId}");
        using BusSocket server = InetSockets.CreateServer(name);
        string script = $$"""
            import os, socket, tempfile
            f = tempfile.TemporaryFile()
            f.write(b"written by python"); f.flush(); os.lseek(f.fileno(), 0, 0)
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect("\0{{Encoding.UTF8.GetString(name.Name)}}")
            socket.send_fds(s, [b"fd"], [f.fileno()])
            print(os.getpid())
            s.recv(1)
            """;
        string text = "";
        PeerCredentials peer = default;
        string output = await RunPython(script, async () =>
        {
            using BusSocket connection = await server.AcceptAsync(Ct);
            using DescriptorMessage message = await connection.ReceiveDescriptorsAsync(new byte[8], 4, cancellationToken: Ct);
            Assert.Equal(2, message.Length);
            using var stream = new FileStream(message.TakeDescriptor(0), FileAccess.Read);
            text = await new StreamReader(stream).ReadToEndAsync(Ct);
            peer = connection.GetPeerCredentials();
            connection.Send("k"u8);
        });
        Assert.Equal("written by python", text);
        Assert.Equal(int.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture), peer.ProcessId);
    }

    [Fact]
    public async Task Python_receives_a_descriptor_we_send()
    {
        var name = UnixAddress.FromAbstractName($"buses-py-recv-{Environment.ProcessId}");
        using BusSocket server = InetSockets.CreateServer(name);
        string path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "written by dotnet", Ct);
            string script = $$"""
                import os, socket, struct
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect("\0{{Encoding.UTF8.GetString(name.Name)}}")
                msg, fds, flags, addr = socket.recv_fds(s, 16, 4)
                pid, uid, gid = struct.unpack("3i", s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
                print(msg.decode(), len(fds), os.read(fds[0], 100).decode(), pid, sep="|")
                """;
            string output = await RunPython(script, async () =>
            {
                using BusSocket connection = await server.AcceptAsync(Ct);
                using SafeFileHandle file = File.OpenHandle(path);
                await connection.SendDescriptorsAsync("hello"u8.ToArray(), [file], cancellationToken: Ct);
            });
            Assert.Equal($"hello|1|written by dotnet|{Environment.ProcessId}", output.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
