using System.Net.Sockets;
using System.Runtime.InteropServices;
using Buses.Packet.Interop;
using static Buses.Packet.Interop.PacketConstants;

namespace Buses.Packet;

/// <summary>Membership kinds for <see cref="PacketSocket.AddMembership"/> (<c>PACKET_MR_*</c>).</summary>
public enum PacketMembershipType : ushort
{
    /// <summary>PACKET_MR_MULTICAST: receive one link-layer multicast address.</summary>
    Multicast = 0,
    /// <summary>PACKET_MR_PROMISC: promiscuous mode while the membership lasts.</summary>
    Promiscuous = 1,
    /// <summary>PACKET_MR_ALLMULTI: every multicast frame.</summary>
    AllMulticast = 2,
    /// <summary>PACKET_MR_UNICAST: an extra unicast address.</summary>
    Unicast = 3,
}

/// <summary>Counters of a packet socket (<c>PACKET_STATISTICS</c>).</summary>
/// <param name="Packets">Frames that reached the socket, dropped ones included (the kernel adds drops to this count).</param>
/// <param name="Drops">Frames dropped because the receive buffer was full.</param>
public readonly record struct PacketStatistics(uint Packets, uint Drops);

/// <summary>What <c>PACKET_AUXDATA</c> reports with a received frame (<c>struct tpacket_auxdata</c>).</summary>
/// <param name="Status">tp_status (<c>TP_STATUS_*</c>).</param>
/// <param name="Length">tp_len: the frame's length on the wire.</param>
/// <param name="SnapLength">tp_snaplen: the captured length.</param>
/// <param name="MacOffset">tp_mac.</param>
/// <param name="NetworkOffset">tp_net.</param>
/// <param name="VlanTci">tp_vlan_tci: the VLAN tag the driver stripped, valid when <see cref="HasVlan"/>.</param>
/// <param name="VlanTpid">tp_vlan_tpid.</param>
public readonly record struct PacketAuxData(uint Status, uint Length, uint SnapLength, ushort MacOffset, ushort NetworkOffset, ushort VlanTci, ushort VlanTpid)
{
    /// <summary>Whether the driver stripped a VLAN tag (TP_STATUS_VLAN_VALID).</summary>
    public bool HasVlan => (Status & TP_STATUS_VLAN_VALID) != 0;

    /// <summary>Reads the auxiliary data from a control message, when it is one.</summary>
    /// <param name="message">A control message received with a frame.</param>
    /// <param name="auxData">The data.</param>
    /// <returns>Whether <paramref name="message"/> is <c>PACKET_AUXDATA</c>.</returns>
    public static bool TryRead(ControlMessage message, out PacketAuxData auxData)
    {
        auxData = default;
        if (message.Level != SOL_PACKET || message.Type != PACKET_AUXDATA || message.Data.Length < Marshal.SizeOf<tpacket_auxdata>())
        {
            return false;
        }

        tpacket_auxdata a = MemoryMarshal.Read<tpacket_auxdata>(message.Data);
        auxData = new PacketAuxData(a.tp_status, a.tp_len, a.tp_snaplen, a.tp_mac, a.tp_net, a.tp_vlan_tci, a.tp_vlan_tpid);
        return true;
    }
}

/// <summary>One received frame's metadata (from <see cref="PacketSocket.ReceiveFrame"/>).</summary>
/// <param name="Length">Bytes placed in the buffer.</param>
/// <param name="OriginalLength">The frame's full length; larger than <paramref name="Length"/> when the buffer was too small.</param>
/// <param name="Sender">The sender: interface, protocol, packet type, hardware type and source address.</param>
/// <param name="AuxData">The auxiliary data, when enabled with <see cref="PacketSocket.EnableAuxData"/>.</param>
/// <param name="Timestamp">The kernel's receive time, when enabled with <see cref="PacketSocket.EnableTimestamps"/>.</param>
public readonly record struct PacketFrameInfo(int Length, int OriginalLength, PacketAddress Sender, PacketAuxData? AuxData, SocketTimestamp? Timestamp);

/// <summary>
/// An AF_PACKET socket: send and receive raw link-layer frames on an interface, with promiscuous and
/// multicast membership, auxiliary data, statistics and classic BPF filters. Needs CAP_NET_RAW.
/// </summary>
/// <remarks>
/// The socket is created with protocol 0, so it receives nothing until <see cref="Bind"/> sets the
/// interface and protocol: created with <c>ETH_P_ALL</c> directly, it would queue frames from every
/// interface before the bind. Binding a down interface fails with ENETDOWN.
/// </remarks>
public sealed class PacketSocket : IDisposable
{
    private readonly byte[] _control = new byte[ControlMessage.Space(Marshal.SizeOf<tpacket_auxdata>()) + ControlMessage.Space(16)];
    private readonly byte[] _address = new byte[PacketAddress.Size];

    /// <summary>Creates an unbound packet socket.</summary>
    /// <param name="cooked">
    /// <see langword="false"/> for <c>SOCK_RAW</c> (frames include the link-layer header);
    /// <see langword="true"/> for <c>SOCK_DGRAM</c> (the kernel strips and builds the header).
    /// </param>
    /// <exception cref="BusException">EPERM without CAP_NET_RAW.</exception>
    public PacketSocket(bool cooked = false) =>
        Socket = new BusSocket(SocketFamily.Packet, cooked ? SocketType.Dgram : SocketType.Raw, 0);

    /// <summary>Creates a packet socket bound to <paramref name="address"/>.</summary>
    /// <param name="address">The interface and protocol.</param>
    /// <param name="cooked">Whether to use <c>SOCK_DGRAM</c>.</param>
    public PacketSocket(in PacketAddress address, bool cooked = false)
        : this(cooked)
    {
        try
        {
            Bind(address);
        }
        catch
        {
            Socket.Dispose();
            throw;
        }
    }

    /// <summary>The underlying socket (timeouts, buffer sizes, readiness).</summary>
    public BusSocket Socket { get; }

    /// <summary>The bound address as the kernel reports it (with the interface's hardware type and address).</summary>
    public PacketAddress LocalEndPoint => Socket.GetLocalEndPoint<PacketAddress>();

    /// <summary>Binds to an interface and protocol; frames start arriving now.</summary>
    /// <param name="address">The interface (index 0: all) and the protocol (<see cref="EtherType.All"/> for every one).</param>
    public void Bind(in PacketAddress address) => Socket.Bind(address);

    /// <summary>Sends a frame on the bound interface.</summary>
    /// <param name="frame">The whole frame, link-layer header included (raw sockets).</param>
    /// <returns>The bytes sent.</returns>
    public int Send(ReadOnlySpan<byte> frame) => Socket.Send(frame);

    /// <summary>Sends a frame to an interface/address.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="destination">The interface, protocol and (cooked sockets) destination hardware address.</param>
    /// <returns>The bytes sent.</returns>
    public int SendTo(ReadOnlySpan<byte> frame, in PacketAddress destination) => Socket.SendTo(frame, destination);

    /// <summary>Sends a frame asynchronously on the bound interface.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken = default) =>
        Socket.SendAsync(frame, MessageFlags.None, cancellationToken);

    /// <summary>Sends a frame to an interface/address asynchronously.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="destination">The interface, protocol and (cooked sockets) destination hardware address.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The bytes sent.</returns>
    public ValueTask<int> SendToAsync(ReadOnlyMemory<byte> frame, PacketAddress destination, CancellationToken cancellationToken = default) =>
        Socket.SendToAsync(frame, destination, MessageFlags.None, cancellationToken);

    /// <summary>Receives a frame and its sender.</summary>
    /// <param name="buffer">The destination.</param>
    /// <param name="sender">The sender.</param>
    /// <returns>The bytes received.</returns>
    public int Receive(Span<byte> buffer, out PacketAddress sender) => Socket.ReceiveFrom(buffer, out sender);

    /// <summary>Receives a frame and its sender asynchronously.</summary>
    /// <param name="buffer">The destination.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The bytes received and the sender.</returns>
    public ValueTask<ReceiveFromResult<PacketAddress>> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Socket.ReceiveFromAsync<PacketAddress>(buffer, MessageFlags.None, cancellationToken);

    /// <summary>Receives a frame with its sender, full length, auxiliary data and timestamp (<c>recvmsg</c>).</summary>
    /// <param name="buffer">The destination; a shorter buffer truncates the frame, reported by <see cref="PacketFrameInfo.OriginalLength"/>.</param>
    /// <returns>The frame's metadata.</returns>
    public PacketFrameInfo ReceiveFrame(Span<byte> buffer) =>
        Decode(Socket.ReceiveMessage(buffer, _control, _address, MessageFlags.Truncated), buffer.Length);

    /// <summary>Receives a frame with its metadata asynchronously.</summary>
    /// <param name="buffer">The destination.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async ValueTask<PacketFrameInfo> ReceiveFrameAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ReceivedMessage received = await Socket.ReceiveMessageAsync(buffer, _control, _address, MessageFlags.Truncated, cancellationToken).ConfigureAwait(false);
        return Decode(received, buffer.Length);
    }

    /// <summary>Asks for <c>PACKET_AUXDATA</c> with every frame (<see cref="PacketFrameInfo.AuxData"/>).</summary>
    /// <param name="enable">On or off.</param>
    public void EnableAuxData(bool enable = true) => Socket.SetOption(SOL_PACKET, PACKET_AUXDATA, enable ? 1 : 0);

    /// <summary>Asks for a nanosecond receive timestamp (<c>SO_TIMESTAMPNS</c>) with every frame.</summary>
    /// <param name="enable">On or off.</param>
    public void EnableTimestamps(bool enable = true) => Socket.Set(SocketOption.TimestampNanoseconds, enable);

    /// <summary>Stops delivering frames this host sends (<c>PACKET_IGNORE_OUTGOING</c>, Linux 4.20+).</summary>
    /// <param name="ignore">On or off.</param>
    public void IgnoreOutgoing(bool ignore = true) => Socket.SetOption(SOL_PACKET, PACKET_IGNORE_OUTGOING, ignore ? 1 : 0);

    /// <summary>Adds a membership (<c>PACKET_ADD_MEMBERSHIP</c>): promiscuous mode, all-multicast, or one multicast address.</summary>
    /// <param name="interfaceIndex">The interface.</param>
    /// <param name="type">The kind.</param>
    /// <param name="address">The multicast/unicast address for those kinds; at most 8 bytes.</param>
    /// <remarks>Memberships end when the socket closes, so a crashed program does not leave the interface promiscuous.</remarks>
    public void AddMembership(int interfaceIndex, PacketMembershipType type, ReadOnlySpan<byte> address = default) =>
        Socket.SetOption(SOL_PACKET, PACKET_ADD_MEMBERSHIP, Membership(interfaceIndex, type, address));

    /// <summary>Removes a membership (<c>PACKET_DROP_MEMBERSHIP</c>).</summary>
    /// <param name="interfaceIndex">The interface.</param>
    /// <param name="type">The kind.</param>
    /// <param name="address">The address, for the kinds that have one.</param>
    public void DropMembership(int interfaceIndex, PacketMembershipType type, ReadOnlySpan<byte> address = default) =>
        Socket.SetOption(SOL_PACKET, PACKET_DROP_MEMBERSHIP, Membership(interfaceIndex, type, address));

    /// <summary>Turns promiscuous mode on or off for this socket's membership on <paramref name="interfaceIndex"/>.</summary>
    /// <param name="interfaceIndex">The interface.</param>
    /// <param name="enable">On or off.</param>
    public void SetPromiscuous(int interfaceIndex, bool enable)
    {
        if (enable)
        {
            AddMembership(interfaceIndex, PacketMembershipType.Promiscuous);
        }
        else
        {
            DropMembership(interfaceIndex, PacketMembershipType.Promiscuous);
        }
    }

    /// <summary>Reads and resets the counters (<c>PACKET_STATISTICS</c>): the kernel zeroes them on every read.</summary>
    /// <returns>Frames seen and dropped since the previous read.</returns>
    public PacketStatistics GetStatistics()
    {
        tpacket_stats stats = Socket.GetOption<tpacket_stats>(SOL_PACKET, PACKET_STATISTICS);
        return new PacketStatistics(stats.tp_packets, stats.tp_drops);
    }

    /// <summary>Attaches a classic BPF program (<c>SO_ATTACH_FILTER</c>); frames it rejects never reach the socket.</summary>
    /// <param name="program">1 to 4096 instructions ending in a return.</param>
    /// <exception cref="ArgumentException">Empty or longer than 4096 instructions (checked before the syscall).</exception>
    /// <exception cref="BusException">EINVAL when the kernel's verifier rejects the program.</exception>
    public unsafe void AttachFilter(ReadOnlySpan<BpfInstruction> program)
    {
        if (program.IsEmpty || program.Length > BpfInstruction.MaxProgramLength)
        {
            throw new ArgumentException($"A BPF program of {program.Length} instructions is not 1 to {BpfInstruction.MaxProgramLength} instructions long.", nameof(program));
        }

        fixed (BpfInstruction* instructions = program)
        {
            var fprog = new sock_fprog { len = (ushort)program.Length, filter = instructions };
            Socket.SetOption(SocketLevel.Socket, SO_ATTACH_FILTER, fprog);
        }
    }

    /// <summary>Removes the attached filter (<c>SO_DETACH_FILTER</c>).</summary>
    public void DetachFilter() => Socket.SetOption(SocketLevel.Socket, SO_DETACH_FILTER, 0);

    /// <summary>Closes the socket; memberships end with it.</summary>
    public void Dispose() => Socket.Dispose();

    private static unsafe packet_mreq Membership(int interfaceIndex, PacketMembershipType type, ReadOnlySpan<byte> address)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(interfaceIndex);
        if (address.Length > PacketAddress.MaxHardwareAddressLength)
        {
            throw new ArgumentException($"Membership address of {address.Length} bytes is longer than the {PacketAddress.MaxHardwareAddressLength} bytes packet_mreq holds.", nameof(address));
        }

        var mreq = new packet_mreq { mr_ifindex = interfaceIndex, mr_type = (ushort)type, mr_alen = (ushort)address.Length };
        address.CopyTo(new Span<byte>(mreq.mr_address, 8));
        return mreq;
    }

    private PacketFrameInfo Decode(ReceivedMessage received, int bufferLength)
    {
        PacketAuxData? aux = null;
        SocketTimestamp? timestamp = null;
        foreach (ControlMessage message in ControlMessage.Parse(_control.AsSpan(0, received.ControlLength)))
        {
            if (PacketAuxData.TryRead(message, out PacketAuxData a))
            {
                aux = a;
            }
            else if (message.TryGetTimestamp(out SocketTimestamp t))
            {
                timestamp = t;
            }
        }

        // Never throw once the frame is ours: an address that does not decode gives the default sender.
        SocketAddressCodec.TryDecode(_address.AsSpan(0, received.AddressLength), out PacketAddress sender);
        return new PacketFrameInfo(Math.Min(received.Length, bufferLength), received.Length, sender, aux, timestamp);
    }
}
