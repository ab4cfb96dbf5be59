using System.Net.Sockets;
using Buses.Tipc.Interop;
using static Buses.Tipc.Interop.TipcUapi;

namespace Buses.Tipc;

/// <summary>
/// A member of a TIPC communication group (Linux 4.14+): an RDM socket joined to group
/// <see cref="TipcServiceAddress.Type"/> as member <see cref="TipcServiceAddress.Instance"/>, with
/// flow-controlled anycast, multicast and broadcast to the members and unicast to one, and
/// membership events when members join and leave.
/// </summary>
/// <remarks>
/// A group member cannot bind names (EACCES). Member events, when asked for, arrive in the receive
/// stream as empty messages: <see cref="TipcReceived.IsMemberEvent"/>, with
/// <see cref="TipcReceived.IsMemberDown"/> for a member that left, and the member in
/// <see cref="TipcReceived.Sender"/> and <see cref="TipcReceived.Member"/>.
/// </remarks>
public sealed class TipcGroup : IDisposable
{
    internal static readonly StructOption<tipc_group_req> JoinOption = new(SocketLevel.Tipc, TIPC_GROUP_JOIN, "TIPC_GROUP_JOIN");

    private readonly BusSocket _socket;

    private TipcGroup(TipcServiceAddress member, TipcScope scope)
    {
        _socket = new BusSocket(SocketFamily.Tipc, SocketType.Rdm, 0);
        Member = member with { LookupNode = default, Scope = scope };
    }

    /// <summary>This member: the group (type) and its member id (instance).</summary>
    public TipcServiceAddress Member { get; }

    /// <summary>The group's id: the service type its members bind.</summary>
    public uint GroupId => Member.Type;

    /// <summary>The underlying socket.</summary>
    public BusSocket Socket => _socket;

    /// <summary>This member's socket address.</summary>
    public TipcSocketAddress LocalAddress => _socket.GetLocalEndPoint<TipcSocketAddress>();

    /// <summary>The timeout of blocking calls: <see langword="null"/> blocks, zero is non-blocking.</summary>
    public TimeSpan? Timeout
    {
        get => _socket.Timeout;
        set => _socket.Timeout = value;
    }

    /// <summary>Opens an RDM socket and joins it to a group (TIPC_GROUP_JOIN).</summary>
    /// <param name="member">The group id (type, 64 or above) and this member's id (instance).</param>
    /// <param name="scope">Whether the group spans the cluster or this node only.</param>
    /// <param name="loopback">Whether this member receives its own multicasts and broadcasts (TIPC_GROUP_LOOPBACK).</param>
    /// <param name="memberEvents">Whether member up and down events are delivered (TIPC_GROUP_MEMBER_EVTS).</param>
    /// <returns>The member.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A reserved group type (below 64) or an unknown scope.</exception>
    public static TipcGroup Join(TipcServiceAddress member, TipcScope scope = TipcScope.Cluster, bool loopback = false, bool memberEvents = true)
    {
        TipcServiceRange.CheckUserType(member.Type, nameof(member), "joined as a group");
        TipcServiceRange.CheckScope(scope, nameof(scope));
        var group = new TipcGroup(member, scope);
        try
        {
            var request = new tipc_group_req
            {
                type = member.Type,
                instance = member.Instance,
                scope = (uint)scope,
                flags = (loopback ? TIPC_GROUP_LOOPBACK : 0) | (memberEvents ? TIPC_GROUP_MEMBER_EVTS : 0),
            };
            group._socket.Set(JoinOption, request);
            return group;
        }
        catch
        {
            group.Dispose();
            throw;
        }
    }

    /// <summary>Sends to one member with id <paramref name="instance"/>, chosen round robin among those that have it (anycast).</summary>
    /// <param name="data">The message.</param>
    /// <param name="instance">The member id.</param>
    /// <returns>The bytes sent.</returns>
    public int Anycast(ReadOnlySpan<byte> data, uint instance) => _socket.SendTo(data, (TipcAddress)new TipcServiceAddress(GroupId, instance));

    /// <summary>Anycasts asynchronously.</summary>
    /// <param name="data">The message.</param>
    /// <param name="instance">The member id.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The bytes sent.</returns>
    public ValueTask<int> AnycastAsync(ReadOnlyMemory<byte> data, uint instance, CancellationToken cancellationToken = default) =>
        _socket.SendToAsync<TipcAddress>(data, new TipcServiceAddress(GroupId, instance), cancellationToken: cancellationToken);

    /// <summary>Sends to every member with id <paramref name="instance"/> (multicast).</summary>
    /// <param name="data">The message.</param>
    /// <param name="instance">The member id.</param>
    /// <returns>The bytes sent.</returns>
    /// <remarks>Sent with addrtype TIPC_ADDR_MCAST, whose name arm the kernel reads: type and instance.</remarks>
    public int Multicast(ReadOnlySpan<byte> data, uint instance) => _socket.SendTo(data, (TipcAddress)TipcServiceRange.Single(GroupId, instance));

    /// <summary>Multicasts asynchronously.</summary>
    /// <param name="data">The message.</param>
    /// <param name="instance">The member id.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The bytes sent.</returns>
    public ValueTask<int> MulticastAsync(ReadOnlyMemory<byte> data, uint instance, CancellationToken cancellationToken = default) =>
        _socket.SendToAsync<TipcAddress>(data, TipcServiceRange.Single(GroupId, instance), cancellationToken: cancellationToken);

    /// <summary>Sends to every member of the group (a send without destination).</summary>
    /// <param name="data">The message.</param>
    /// <returns>The bytes sent.</returns>
    public int Broadcast(ReadOnlySpan<byte> data) => _socket.Send(data);

    /// <summary>Broadcasts asynchronously.</summary>
    /// <param name="data">The message.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The bytes sent.</returns>
    public ValueTask<int> BroadcastAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => _socket.SendAsync(data, cancellationToken: cancellationToken);

    /// <summary>Sends to one member by its socket address (unicast).</summary>
    /// <param name="data">The message.</param>
    /// <param name="member">The member's socket, e.g. the <see cref="TipcReceived.Sender"/> of its up event.</param>
    /// <returns>The bytes sent.</returns>
    public int Unicast(ReadOnlySpan<byte> data, TipcSocketAddress member) => _socket.SendTo(data, (TipcAddress)member);

    /// <summary>Unicasts asynchronously.</summary>
    /// <param name="data">The message.</param>
    /// <param name="member">The member's socket.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>The bytes sent.</returns>
    public ValueTask<int> UnicastAsync(ReadOnlyMemory<byte> data, TipcSocketAddress member, CancellationToken cancellationToken = default) =>
        _socket.SendToAsync<TipcAddress>(data, member, cancellationToken: cancellationToken);

    /// <summary>Receives a message or a member event, waiting in this socket's mode.</summary>
    /// <param name="buffer">The data destination.</param>
    /// <returns>What arrived; <see cref="TipcReceived.Member"/> names the sending member.</returns>
    public TipcReceived Receive(Span<byte> buffer) => TipcSocket.Receive(_socket, buffer);

    /// <summary>Receives a message or a member event asynchronously.</summary>
    /// <param name="buffer">The data destination.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>What arrived.</returns>
    public ValueTask<TipcReceived> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => TipcSocket.ReceiveAsync(_socket, buffer, cancellationToken);

    /// <summary>Leaves the group (TIPC_GROUP_LEAVE); the other members see this member go down. The socket stays open.</summary>
    public void Leave() => _socket.SetOption(SocketLevel.Tipc, TIPC_GROUP_LEAVE, ReadOnlySpan<byte>.Empty);

    /// <summary>Closes the socket, leaving the group.</summary>
    public void Dispose() => _socket.Dispose();
}
