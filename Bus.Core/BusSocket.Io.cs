using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Buses.Interop.Constants;

namespace Buses;

public sealed unsafe partial class BusSocket
{
    /// <summary>Sends <paramref name="data"/> on a connected socket.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="flags">MSG_* flags; MSG_NOSIGNAL is always added, so a broken stream raises EPIPE instead of killing the process.</param>
    /// <returns>The number of bytes sent, which on a stream may be fewer than given.</returns>
    /// <exception cref="BusException">The kernel refused.</exception>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    public int Send(ReadOnlySpan<byte> data, MessageFlags flags = MessageFlags.None)
    {
        var call = new SendToCall(data, default, flags);
        return (int)Run(ref call, POLLOUT, "send");
    }

    /// <summary>
    /// Sends like <see cref="Send"/> but returns a kernel error instead of throwing it, for loops where
    /// an error is expected flow, such as ENOBUFS from a full CAN interface queue. EAGAIN still waits
    /// in this socket's mode; timeouts and disposal still throw.
    /// </summary>
    /// <param name="data">The bytes.</param>
    /// <param name="sent">The number of bytes sent, 0 on error.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <returns><see cref="Errno.None"/>, or the kernel's errno.</returns>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    public Errno TrySend(ReadOnlySpan<byte> data, out int sent, MessageFlags flags = MessageFlags.None)
    {
        var call = new SendToCall(data, default, flags);
        long deadline = 0;
        int errno = TryRun(ref call, POLLOUT, "send", ref deadline, out nint result);
        sent = errno == 0 ? (int)result : 0;
        return (Errno)errno;
    }

    /// <summary>Sends all of <paramref name="data"/>, looping over partial sends. The timeout covers the whole call.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <exception cref="BusTimeoutException">The timeout elapsed before everything was sent.</exception>
    public void SendAll(ReadOnlySpan<byte> data, MessageFlags flags = MessageFlags.None)
    {
        long deadline = 0;
        while (!data.IsEmpty)
        {
            var call = new SendToCall(data, default, flags);
            int errno = TryRun(ref call, POLLOUT, "sendall", ref deadline, out nint sent);
            if (errno != 0)
            {
                throw new BusException(errno, "sendall");
            }

            data = data[(int)sent..];
        }
    }

    /// <summary>Sends a datagram to <paramref name="address"/>.</summary>
    /// <typeparam name="TAddress">The address type.</typeparam>
    /// <param name="data">The bytes.</param>
    /// <param name="address">The destination.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <returns>The number of bytes sent.</returns>
    /// <exception cref="BusException">The kernel refused; the exception names the address.</exception>
    public int SendTo<TAddress>(ReadOnlySpan<byte> data, in TAddress address, MessageFlags flags = MessageFlags.None) where TAddress : ISocketAddress
    {
        Span<byte> sockaddr = stackalloc byte[RawSocketAddress.MaxSize];
        int length = EncodeAddress(address, sockaddr);
        var call = new SendToCall(data, sockaddr[..length], flags);
        long deadline = 0;
        int errno = TryRun(ref call, POLLOUT, "sendto", ref deadline, out nint sent);
        return errno == 0 ? (int)sent : throw new BusException(errno, "sendto", address.ToString());
    }

    /// <summary>Receives into <paramref name="buffer"/> (Python's <c>recv_into</c>; <c>recv</c> is this with a fresh buffer).</summary>
    /// <param name="buffer">The destination.</param>
    /// <param name="flags">MSG_* flags (Peek, Truncated to learn a datagram's real length, WaitAll, …).</param>
    /// <returns>The number of bytes received; 0 at the end of a stream.</returns>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    public int Receive(Span<byte> buffer, MessageFlags flags = MessageFlags.None)
    {
        var call = new ReceiveFromCall(buffer, default, flags);
        return (int)Run(ref call, POLLIN, "recv");
    }

    /// <summary>Receives a datagram and its sender (Python's <c>recvfrom_into</c>).</summary>
    /// <typeparam name="TAddress">The sender's address type; it must be of this socket's family, which is checked before the call.</typeparam>
    /// <param name="buffer">The destination.</param>
    /// <param name="sender">
    /// The sender, or <see langword="default"/> when the kernel named none of this type (an unbound AF_UNIX
    /// datagram sender, a connected stream: Python returns <c>None</c>). The data is returned either way.
    /// </param>
    /// <param name="flags">MSG_* flags.</param>
    /// <returns>The number of bytes received.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TAddress"/> is of another family than the socket.</exception>
    public int ReceiveFrom<TAddress>(Span<byte> buffer, out TAddress sender, MessageFlags flags = MessageFlags.None) where TAddress : struct, ISocketAddress<TAddress>
    {
        CheckAddressType<TAddress>("recvfrom");
        Span<byte> sockaddr = stackalloc byte[RawSocketAddress.MaxSize];
        var call = new ReceiveFromCall(buffer, sockaddr, flags);
        int received = (int)Run(ref call, POLLIN, "recvfrom");
        TAddress.TryDecode(sockaddr[..(int)Math.Min(call.AddressLength, (uint)sockaddr.Length)], out sender);
        return received;
    }

    /// <summary>Receives a datagram and its sender of any registered family, boxed.</summary>
    /// <param name="buffer">The destination.</param>
    /// <param name="sender">The sender decoded by this socket's (family, protocol), or a <see cref="RawSocketAddress"/> when no decoder takes it (empty when the kernel named none).</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <returns>The number of bytes received.</returns>
    public int ReceiveFrom(Span<byte> buffer, out ISocketAddress sender, MessageFlags flags = MessageFlags.None)
    {
        Span<byte> sockaddr = stackalloc byte[RawSocketAddress.MaxSize];
        var call = new ReceiveFromCall(buffer, sockaddr, flags);
        int received = (int)Run(ref call, POLLIN, "recvfrom");
        sender = SocketAddressParser.Decode(sockaddr[..(int)Math.Min(call.AddressLength, (uint)sockaddr.Length)], Protocol);
        return received;
    }

    private ref struct SendToCall(ReadOnlySpan<byte> data, ReadOnlySpan<byte> sockaddr, MessageFlags flags) : ISocketCall
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private readonly ReadOnlySpan<byte> _sockaddr = sockaddr;
        private readonly int _flags = (int)flags | MSG_NOSIGNAL;

        public readonly nint Invoke(BusSocketHandle handle)
        {
            fixed (byte* d = _data)
            fixed (byte* a = _sockaddr)
            {
                return Interop.Libc.sendto(handle, d, (nuint)_data.Length, _flags, _sockaddr.IsEmpty ? null : a, (uint)_sockaddr.Length);
            }
        }
    }

    private ref struct ReceiveFromCall(Span<byte> buffer, Span<byte> sockaddr, MessageFlags flags) : ISocketCall
    {
        private readonly Span<byte> _buffer = buffer;
        private readonly Span<byte> _sockaddr = sockaddr;
        private readonly int _flags = (int)flags;
        public uint AddressLength;

        public nint Invoke(BusSocketHandle handle)
        {
            AddressLength = (uint)_sockaddr.Length;
            fixed (byte* b = _buffer)
            fixed (byte* a = _sockaddr)
            fixed (uint* length = &AddressLength)
            {
                return Interop.Libc.recvfrom(handle, b, (nuint)_buffer.Length, _flags, _sockaddr.IsEmpty ? null : a, _sockaddr.IsEmpty ? null : length);
            }
        }
    }

    private readonly unsafe struct SendMemoryCall(ReadOnlyMemory<byte> data, MessageFlags flags) : ISocketCall
    {
        public nint Invoke(BusSocketHandle handle)
        {
            fixed (byte* d = data.Span)
            {
                return Interop.Libc.sendto(handle, d, (nuint)data.Length, (int)flags | MSG_NOSIGNAL, null, 0);
            }
        }
    }

    private readonly unsafe struct ReceiveMemoryCall(Memory<byte> buffer, MessageFlags flags) : ISocketCall
    {
        public nint Invoke(BusSocketHandle handle)
        {
            fixed (byte* b = buffer.Span)
            {
                return Interop.Libc.recvfrom(handle, b, (nuint)buffer.Length, (int)flags, null, null);
            }
        }
    }
}
