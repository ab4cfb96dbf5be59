using System.Net.Sockets;
using Buses.Tipc;
using Xunit;

namespace Buses.Tests.Tipc;

public class TipcReceivedTests
{
    [Fact]
    public void Rejected_message_names_its_reason_and_returns_its_bytes_in_the_buffer()
    {
        byte[] control = new byte[TipcReceived.ControlSpace(64)];
        var writer = new ControlMessageWriter(control);
        writer.Add(SocketLevel.Tipc, ControlMessageType.Tipc.ErrorInfo, [1, 0, 0, 0, 5, 0, 0, 0]);
        writer.Add(SocketLevel.Tipc, ControlMessageType.Tipc.ReturnedData, "hello"u8);
        writer.Add(SocketLevel.Tipc, ControlMessageType.Tipc.DestinationName, [0xC8, 0x49, 0, 0, 7, 0, 0, 0, 7, 0, 0, 0]);
        byte[] address = new byte[16];
        new TipcSocketAddress(42, new TipcNodeAddress(1)).Encode(address);
        byte[] buffer = new byte[64];

        TipcReceived r = TipcReceived.Parse(new ReceivedMessage(0, writer.Written.Length, 16, MessageFlags.None), buffer, control, address);

        Assert.True(r.IsRejected);
        Assert.Equal(TipcErrorCode.NoName, r.Rejection);
        Assert.Equal(5, r.Length);
        Assert.Equal(5, r.ReturnedLength);
        Assert.Equal("hello"u8.ToArray(), buffer[..5]);
        Assert.Equal(TipcServiceRange.Single(18888, 7), r.DestinationName);
        Assert.Equal(new TipcSocketAddress(42, new TipcNodeAddress(1)), r.Sender);
        Assert.False(r.Truncated);
    }

    [Fact]
    public void Returned_bytes_larger_than_the_buffer_are_reported_as_truncated()
    {
        byte[] control = new byte[TipcReceived.ControlSpace(64)];
        var writer = new ControlMessageWriter(control);
        writer.Add(SocketLevel.Tipc, ControlMessageType.Tipc.ErrorInfo, [4, 0, 0, 0, 9, 0, 0, 0]);
        writer.Add(SocketLevel.Tipc, ControlMessageType.Tipc.ReturnedData, "123456789"u8);
        byte[] buffer = new byte[4];
        TipcReceived r = TipcReceived.Parse(new ReceivedMessage(0, writer.Written.Length, 0, MessageFlags.None), buffer, control, []);
        Assert.Equal(TipcErrorCode.Overload, r.Rejection);
        Assert.Equal(4, r.Length);
        Assert.True(r.Truncated);
        Assert.Null(r.Sender);
    }

    [Fact]
    public void Group_member_event_carries_the_member_and_its_direction()
    {
        byte[] address = new byte[32];
        new TipcSocketAddress(9, new TipcNodeAddress(2)).Encode(address);
        new TipcServiceAddress(4711, 3).Encode(address.AsSpan(16));
        TipcReceived up = TipcReceived.Parse(new ReceivedMessage(0, 0, 32, MessageFlags.OutOfBand), [], [], address);
        TipcReceived down = TipcReceived.Parse(new ReceivedMessage(0, 0, 32, MessageFlags.OutOfBand | MessageFlags.EndOfRecord), [], [], address);
        Assert.True(up.IsMemberEvent);
        Assert.False(up.IsMemberDown);
        Assert.True(down.IsMemberDown);
        Assert.Equal(new TipcServiceAddress(4711, 3), up.Member);
        Assert.Equal(new TipcSocketAddress(9, new TipcNodeAddress(2)), up.Sender);
    }

    [Fact]
    public void An_undecodable_sender_leaves_the_message_intact()
    {
        byte[] address = new byte[16];
        address[0] = 30;
        address[2] = 77;
        byte[] buffer = "data"u8.ToArray();
        TipcReceived r = TipcReceived.Parse(new ReceivedMessage(4, 0, 16, MessageFlags.None), buffer, [], address);
        Assert.Equal(4, r.Length);
        Assert.Null(r.Sender);
        Assert.False(r.IsRejected);
    }
}

public class TipcBadInputTests
{
    [Fact]
    public void Binding_a_reserved_type_is_refused_before_any_syscall()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TipcServiceRange(63, 0, 1).CheckBindable("range"));
        Assert.Contains("TIPC service type 63 is reserved", ex.Message, StringComparison.Ordinal);
        new TipcServiceRange(64, 0, 1).CheckBindable("range");
    }

    [Fact]
    public void Joining_a_group_of_a_reserved_type_is_refused_before_a_socket_is_made() =>
        Assert.Contains("type 1 is reserved", Assert.Throws<ArgumentOutOfRangeException>(() => TipcGroup.Join(new TipcServiceAddress(1, 1))).Message, StringComparison.Ordinal);

    [Fact]
    public void Joining_with_an_unknown_scope_is_refused_before_a_socket_is_made() =>
        Assert.Contains("scope 7", Assert.Throws<ArgumentOutOfRangeException>(() => TipcGroup.Join(new TipcServiceAddress(100, 1), (TipcScope)7)).Message, StringComparison.Ordinal);

    [Fact]
    public void Socket_types_tipc_lacks_are_refused_before_a_socket_is_made() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TipcSocket(SocketType.Raw));

    [Fact]
    public void Connecting_to_the_topology_server_uses_its_reserved_name()
    {
        // Types below 64 are refused for binding only: the topology server and node/link state are addressed by them.
        Assert.Equal("tipc:{1,1}", TipcServiceAddress.TopologyServer.ToString());
    }
}
