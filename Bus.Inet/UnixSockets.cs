using Buses.Inet.Interop;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Buses.Inet;

/// <summary>
/// UNIX-socket facilities beyond plain I/O: passing open descriptors to another process (SCM_RIGHTS,
/// Python's <c>send_fds</c>/<c>recv_fds</c>) and reading the peer's credentials (SO_PEERCRED).
/// </summary>
public static class UnixSockets
{
    /// <summary>The most descriptors one message carries (SCM_MAX_FD).</summary>
    public const int MaxDescriptorsPerMessage = InetConstants.SCM_MAX_FD;

    /// <summary>Sends <paramref name="data"/> with <paramref name="descriptors"/> attached (SCM_RIGHTS).</summary>
    /// <param name="socket">A UNIX socket.</param>
    /// <param name="data">The bytes; on a stream socket at least one, because the kernel drops descriptors sent with no data.</param>
    /// <param name="descriptors">1 to 253 open handles (sockets, files, pipes…); this process keeps its own copies open.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <returns>The number of data bytes sent.</returns>
    /// <exception cref="ArgumentException">Not a UNIX socket, no data on a stream, no or too many descriptors, or a closed handle — before any syscall.</exception>
    /// <exception cref="BusException">The kernel refused (ETOOMANYREFS past the in-flight limit, EPERM under RLIMIT_NOFILE).</exception>
    public static int SendDescriptors(this BusSocket socket, ReadOnlySpan<byte> data, ReadOnlySpan<SafeHandle> descriptors, MessageFlags flags = MessageFlags.None) =>
        SendDescriptors(socket, data, descriptors, default, flags);

    /// <summary>Sends a datagram with <paramref name="descriptors"/> attached to <paramref name="destination"/> (an unconnected datagram socket).</summary>
    /// <param name="socket">A UNIX datagram socket.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="descriptors">1 to 253 open handles.</param>
    /// <param name="destination">The receiver's address.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <returns>The number of data bytes sent.</returns>
    /// <exception cref="ArgumentException">Not a UNIX socket, no or too many descriptors, or a closed handle — before any syscall.</exception>
    /// <exception cref="BusException">The kernel refused.</exception>
    public static int SendDescriptors(this BusSocket socket, ReadOnlySpan<byte> data, ReadOnlySpan<SafeHandle> descriptors, in UnixAddress destination, MessageFlags flags = MessageFlags.None)
    {
        Span<byte> sockaddr = stackalloc byte[destination.EncodedSize];
        int length = destination.Encode(sockaddr);
        return SendDescriptors(socket, data, descriptors, sockaddr[..length], flags);
    }

    private static int SendDescriptors(BusSocket socket, ReadOnlySpan<byte> data, ReadOnlySpan<SafeHandle> descriptors, ReadOnlySpan<byte> sockaddr, MessageFlags flags)
    {
        CheckSend(socket, data.IsEmpty, descriptors.Length);
        using var held = new HeldDescriptors(descriptors);
        Span<byte> control = stackalloc byte[ControlMessage.Space(descriptors.Length * sizeof(int))];
        return socket.SendMessage(data, held.WriteControl(control), sockaddr, flags);
    }

    /// <summary>Sends <paramref name="data"/> with <paramref name="descriptors"/> attached, asynchronously.</summary>
    /// <param name="socket">A connected UNIX socket.</param>
    /// <param name="data">The bytes; on a stream socket at least one.</param>
    /// <param name="descriptors">1 to 253 open handles; this process keeps its own copies open.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The number of data bytes sent.</returns>
    /// <exception cref="ArgumentException">Not a UNIX socket, no data on a stream, no or too many descriptors, or a closed handle — before any syscall.</exception>
    public static async ValueTask<int> SendDescriptorsAsync(this BusSocket socket, ReadOnlyMemory<byte> data, IReadOnlyList<SafeHandle> descriptors, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptors);
        CheckSend(socket, data.IsEmpty, descriptors.Count);
        SafeHandle[] handles = [.. descriptors];
        using var held = new HeldDescriptors(handles);
        byte[] control = new byte[ControlMessage.Space(handles.Length * sizeof(int))];
        int length = held.WriteControl(control).Length;
        return await socket.SendMessageAsync(data, control.AsMemory(0, length), default, flags, cancellationToken).ConfigureAwait(false);
    }

    private static void CheckSend(BusSocket socket, bool noData, int descriptorCount)
    {
        CheckUnix(socket);
        if (descriptorCount is 0 or > MaxDescriptorsPerMessage)
        {
            throw new ArgumentException($"A message carries 1 to {MaxDescriptorsPerMessage} descriptors (SCM_MAX_FD), not {descriptorCount}.", "descriptors");
        }

        if (noData && socket.Type == SocketType.Stream)
        {
            throw new ArgumentException("Descriptors on a UNIX stream socket need at least one data byte: the kernel drops them with an empty send.", "data");
        }
    }

    /// <summary>
    /// Receives data and at least <paramref name="maxDescriptors"/> descriptors, when that many were sent
    /// (Python's <c>recv_fds</c>). Descriptors arrive close-on-exec (MSG_CMSG_CLOEXEC) and are owned by the
    /// returned message at once, so none can leak; more than fit are closed by the kernel and reported as
    /// <see cref="DescriptorMessage.DescriptorsTruncated"/>.
    /// </summary>
    /// <remarks>
    /// The control buffer is sized with CMSG_SPACE, whose padding can hold one more descriptor than asked
    /// for (an odd count on 64-bit); the kernel fills it, and every descriptor it delivered is returned.
    /// </remarks>
    /// <param name="socket">A UNIX socket.</param>
    /// <param name="buffer">The data destination.</param>
    /// <param name="maxDescriptors">1 to 253.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <returns>The message; dispose it to close the descriptors you did not take.</returns>
    /// <exception cref="ArgumentException">Not a UNIX socket, or <paramref name="maxDescriptors"/> out of range — before any syscall.</exception>
    /// <exception cref="BusTimeoutException">The socket's timeout elapsed.</exception>
    public static DescriptorMessage ReceiveDescriptors(this BusSocket socket, Span<byte> buffer, int maxDescriptors = MaxDescriptorsPerMessage, MessageFlags flags = MessageFlags.None)
    {
        CheckReceive(socket, maxDescriptors);
        Span<byte> control = stackalloc byte[ControlMessage.Space(maxDescriptors * sizeof(int))];
        ReceivedMessage received = socket.ReceiveMessage(buffer, control, default, flags | MessageFlags.ControlCloseOnExec);
        return Collect(received, control);
    }

    /// <summary>Receives data and up to <paramref name="maxDescriptors"/> descriptors asynchronously; see <see cref="ReceiveDescriptors"/>.</summary>
    /// <param name="socket">A UNIX socket.</param>
    /// <param name="buffer">The data destination.</param>
    /// <param name="maxDescriptors">1 to 253.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <param name="cancellationToken">Cancels the wait; disposing the socket also ends it.</param>
    /// <returns>The message; dispose it to close the descriptors you did not take.</returns>
    /// <exception cref="ArgumentException">Not a UNIX socket, or <paramref name="maxDescriptors"/> out of range — before any syscall.</exception>
    public static async ValueTask<DescriptorMessage> ReceiveDescriptorsAsync(this BusSocket socket, Memory<byte> buffer, int maxDescriptors = MaxDescriptorsPerMessage, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        CheckReceive(socket, maxDescriptors);
        byte[] control = new byte[ControlMessage.Space(maxDescriptors * sizeof(int))];
        ReceivedMessage received = await socket.ReceiveMessageAsync(buffer, control, default, flags | MessageFlags.ControlCloseOnExec, cancellationToken).ConfigureAwait(false);
        return Collect(received, control);
    }

    private static void CheckReceive(BusSocket socket, int maxDescriptors)
    {
        CheckUnix(socket);
        if (maxDescriptors is < 1 or > MaxDescriptorsPerMessage)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDescriptors), maxDescriptors, $"A message carries 1 to {MaxDescriptorsPerMessage} descriptors (SCM_MAX_FD).");
        }
    }

    private static DescriptorMessage Collect(ReceivedMessage received, ReadOnlySpan<byte> control)
    {
        // Own every descriptor before anything else can throw.
        var handles = new List<SafeFileHandle?>();
        Span<int> fds = stackalloc int[MaxDescriptorsPerMessage];
        foreach (ControlMessage message in ControlMessage.Parse(control[..received.ControlLength]))
        {
            if (message.TryGetFileDescriptors(fds, out int count))
            {
                foreach (int fd in fds[..Math.Min(count, fds.Length)])
                {
                    handles.Add(new SafeFileHandle(fd, ownsHandle: true));
                }
            }
        }

        return new DescriptorMessage(received.Length, received.Flags, [.. handles]);
    }

    /// <summary>The credentials of the peer process (SO_PEERCRED): who connected, or who created the pair.</summary>
    /// <param name="socket">A connected UNIX socket.</param>
    /// <returns>The peer's process, user and group ids.</returns>
    /// <exception cref="ArgumentException">Not a UNIX socket, before any syscall.</exception>
    /// <exception cref="BusException">The kernel refused (ENOTCONN when not connected on some kernels; unconnected sockets report pid 0 and uid/gid 65534 on others).</exception>
    public static PeerCredentials GetPeerCredentials(this BusSocket socket)
    {
        CheckUnix(socket);
        return socket.GetOption<PeerCredentials>(SocketLevel.Socket, InetConstants.SO_PEERCRED);
    }

    private static void CheckUnix(BusSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.Family != SocketFamily.Unix)
        {
            throw new ArgumentException($"Socket of family {socket.Family} is not a UNIX socket: descriptors and peer credentials travel only over AF_UNIX.", nameof(socket));
        }
    }

    /// <summary>References on the handles being sent, held across the call so no thread can close one and reuse its number meanwhile.</summary>
    private sealed class HeldDescriptors : IDisposable
    {
        private readonly SafeHandle[] _handles;
        private readonly bool[] _added;

        internal HeldDescriptors(ReadOnlySpan<SafeHandle> handles)
        {
            _handles = handles.ToArray();
            _added = new bool[handles.Length];
            try
            {
                for (int i = 0; i < _handles.Length; i++)
                {
                    SafeHandle handle = _handles[i] ?? throw new ArgumentNullException("descriptors", $"Descriptor {i} is null.");
                    if (handle.IsClosed || handle.IsInvalid)
                    {
                        throw new ArgumentException($"Descriptor {i} is closed or invalid.", "descriptors");
                    }

                    handle.DangerousAddRef(ref _added[i]);
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        internal ReadOnlySpan<byte> WriteControl(Span<byte> control)
        {
            Span<int> fds = stackalloc int[_handles.Length];
            for (int i = 0; i < fds.Length; i++)
            {
                fds[i] = (int)_handles[i].DangerousGetHandle();
            }

            var writer = new ControlMessageWriter(control);
            writer.AddFileDescriptors(fds);
            return writer.Written;
        }

        public void Dispose()
        {
            for (int i = 0; i < _handles.Length; i++)
            {
                if (_added[i])
                {
                    _added[i] = false;
                    _handles[i].DangerousRelease();
                }
            }
        }
    }
}
