using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Xunit;

namespace Buses.Tests.Host;

// getsockopt/setsockopt as int, bytes and struct; ioctl; errno fidelity on netlink.
public sealed class OptionTests
{
    private const uint FIONREAD = 0x541B;
    private const uint SIOCINQ = FIONREAD;
    private const int SoLinger = 13;

    [Fact]
    public void Integer_options_round_trip()
    {
        using var socket = new BusSocket(SocketFamily.Inet, SocketType.Stream);
        Assert.False(socket.Get(SocketOption.ReuseAddress));
        socket.Set(SocketOption.ReuseAddress, true);
        Assert.True(socket.Get(SocketOption.ReuseAddress));

        // The kernel doubles SO_RCVBUF for its bookkeeping and reports the doubled value.
        socket.ReceiveBufferSize = 8192;
        Assert.Equal(16384, socket.ReceiveBufferSize);
    }

    [Fact]
    public void Struct_and_byte_options_round_trip()
    {
        using var socket = new BusSocket(SocketFamily.Inet, SocketType.Stream);
        socket.Set(SocketOption.Linger, Linger.For(enabled: true, seconds: 7));
        Linger linger = socket.GetOption<Linger>(SocketLevel.Socket, SoLinger);
        Assert.Equal(new Linger(1, 7), linger);

        Span<byte> bytes = stackalloc byte[16];
        int length = socket.GetOption(SocketLevel.Socket, SoLinger, bytes);
        Assert.Equal(8, length);
        Assert.Equal(7, BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]));

        socket.SetOption(SocketLevel.Socket, SocketOption.KeepAlive.Name, BitConverter.GetBytes(1));
        Assert.True(socket.Get(SocketOption.KeepAlive));
    }

    [Fact]
    public void Typed_options_refuse_out_of_range_values_before_the_syscall()
    {
        using var socket = new BusSocket(SocketFamily.Inet, SocketType.Dgram);
        socket.Dispose();
        // Disposed: a syscall would throw ObjectDisposedException, so the range error proves it came first.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => socket.Set(SocketOption.BufferLock, 4));
        Assert.Contains("SO_BUF_LOCK takes 0 to 3", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => socket.Set(SocketOption.ReceiveBuffer, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Linger.For(true, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeValue.From(TimeSpan.FromTicks(-1)));
    }

    [Fact]
    public void Typed_options_round_trip_with_their_C_types()
    {
        using var socket = new BusSocket(SocketFamily.Inet, SocketType.Stream);
        socket.Set(SocketOption.ReceiveTimeout, TimeValue.From(TimeSpan.FromMilliseconds(1500)));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), socket.Get(SocketOption.ReceiveTimeout).ToTimeSpan());
        socket.Set(SocketOption.Priority, 5);
        Assert.Equal(5, socket.Get(SocketOption.Priority));
        Assert.False(socket.Get(SocketOption.AcceptConnections));
        BusException e = Assert.Throws<BusException>(() => socket.Set(SocketOption.TransmitTime, new SocketTransmitTime(-99, 0)));
        Assert.Contains("SO_TXTIME", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_option_keeps_its_errno()
    {
        using var socket = new BusSocket(SocketFamily.Unix, SocketType.Stream);
        BusException e = Assert.Throws<BusException>(() => socket.GetOption(SocketLevel.Socket, 9999));
        Assert.Equal(Errno.ENOPROTOOPT, e.Errno);
        Assert.Equal("ENOPROTOOPT", e.ErrorName);
    }

    [Fact]
    public void Ioctl_reports_queued_bytes()
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Dgram);
        using (a)
        using (b)
        {
            int queued = -1;
            b.IOControl(FIONREAD, ref queued);
            Assert.Equal(0, queued);
            a.Send(new byte[10]);
            b.IOControl(SIOCINQ, ref queued);
            Assert.Equal(10, queued);

            Span<byte> raw = stackalloc byte[4];
            b.IOControl(FIONREAD, raw);
            Assert.Equal(10, BinaryPrimitives.ReadInt32LittleEndian(raw));
        }
    }

    [Fact]
    public void Ioctl_the_family_does_not_know_keeps_enotty()
    {
        // The runtime's own Socket turns this errno into "unknown socket error"; ours must not.
        using var netlink = new BusSocket(SocketFamily.Netlink, SocketType.Raw, 0);
        int queued = 0;
        BusException e = Assert.Throws<BusException>(() => netlink.IOControl(FIONREAD, ref queued));
        Assert.Equal(Errno.ENOTTY, e.Errno);
        Assert.Equal(25, e.ErrorNumber);
        Assert.Equal("ENOTTY", e.ErrorName);
    }

    [Fact]
    public void Netlink_route_dump_lists_the_loopback_link()
    {
        using var netlink = new BusSocket(SocketFamily.Netlink, SocketType.Raw, 0) { Timeout = TimeSpan.FromSeconds(10) };
        netlink.Bind(HostAddresses.NetlinkAutobind());
        RawSocketAddress local = netlink.GetLocalEndPoint<RawSocketAddress>();
        Assert.Equal(SocketFamily.Netlink, local.Family);

        // nlmsghdr { len 32, RTM_GETLINK 18, NLM_F_REQUEST|NLM_F_DUMP 0x301, seq 1, pid 0 } + ifinfomsg
        byte[] request = new byte[32];
        BinaryPrimitives.WriteUInt32LittleEndian(request, 32);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(4), 18);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(6), 0x301);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(8), 1);
        netlink.SendTo(request, new RawSocketAddress(SocketFamily.Netlink, stackalloc byte[10]));

        byte[] buffer = new byte[65536];
        bool sawLoopback = false;
        bool done = false;
        while (!done)
        {
            int n = netlink.ReceiveFrom(buffer, out RawSocketAddress sender);
            Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(sender.Bytes[4..]));
            for (int offset = 0; offset + 16 <= n;)
            {
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset));
                ushort type = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(offset + 4));
                Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset + 8)));
                done |= type == 3; // NLMSG_DONE
                sawLoopback |= type == 16 && BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(offset + 16 + 4)) == 1;
                offset += (length + 3) & ~3;
            }
        }

        Assert.True(sawLoopback, "the dump had no RTM_NEWLINK for ifindex 1");
    }
}
