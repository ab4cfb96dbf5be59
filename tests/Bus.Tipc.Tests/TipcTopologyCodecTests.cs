using System.Buffers.Binary;
using Buses.Tipc;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Tipc;

public class TipcTopologyCodecTests
{
    [Fact]
    public void Host_order_subscription_has_the_kernel_layout()
    {
        TipcSubscription s = TipcTopology.Prepare(new TipcServiceRange(18888, 0, 100), TipcSubscriptionFilter.Service, TimeSpan.FromSeconds(5), 0x0102030405060708, TipcByteOrder.Host);
        byte[] bytes = new byte[28];
        s.Write(bytes, cancel: false);
        Assert.Equal(18888u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(100u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(5000u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(0x0102030405060708ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void Network_order_subscription_is_big_endian_except_the_opaque_handle()
    {
        TipcSubscription s = TipcTopology.Prepare(new TipcServiceRange(18888, 0, 100), TipcSubscriptionFilter.Ports | TipcSubscriptionFilter.NoStatus, null, 7, TipcByteOrder.Network);
        byte[] bytes = new byte[28];
        s.Write(bytes, cancel: true);
        Assert.Equal(18888u, BinaryPrimitives.ReadUInt32BigEndian(bytes));
        Assert.Equal(100u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8)));
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(12)));
        Assert.Equal(0x85u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(7ul, BitConverter.ToUInt64(bytes, 20));
    }

    [Theory]
    [InlineData(TipcByteOrder.Host)]
    [InlineData(TipcByteOrder.Network)]
    public void Events_decode_in_the_order_their_subscription_was_written(TipcByteOrder order) =>
        Prop.ForAll(
            ArbMap.Default.ArbFor<uint>(),
            ArbMap.Default.ArbFor<uint>(),
            ArbMap.Default.ArbFor<uint>(),
            (type, a, b) =>
            {
                uint lower = Math.Min(a, b), upper = Math.Max(a, b);
                TipcSubscription s = TipcTopology.Prepare(new TipcServiceRange(type, lower, upper), TipcSubscriptionFilter.Ports, TimeSpan.FromMilliseconds(a % 100000), b, order);
                byte[] evt = Event(order, 2, lower, upper, a, b, s);
                return TipcEvent.TryRead(evt, out TipcEvent e)
                    && e.Kind == TipcEventKind.Withdrawn
                    && e.FoundLower == lower && e.FoundUpper == upper
                    && e.Port == new TipcSocketAddress(a, new TipcNodeAddress(b))
                    && e.Subscription == s;
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void Node_and_link_ranges_cover_every_instance_of_the_reserved_types()
    {
        Assert.Equal(new TipcServiceRange(0, 0, uint.MaxValue), TipcTopology.Nodes);
        Assert.Equal(new TipcServiceRange(2, 0, uint.MaxValue), TipcTopology.Links);
    }

    [Theory]
    [InlineData(TipcSubscriptionFilter.Ports | TipcSubscriptionFilter.Service)]
    [InlineData(TipcSubscriptionFilter.NoStatus)]
    [InlineData((TipcSubscriptionFilter)0x04)]
    public void Filters_the_server_would_refuse_are_refused_first(TipcSubscriptionFilter filter) =>
        Assert.Contains("exactly one of Ports and Service", Assert.Throws<ArgumentException>(() => TipcTopology.Prepare(TipcTopology.Nodes, filter, null, 1, TipcByteOrder.Host)).Message, StringComparison.Ordinal);

    [Fact]
    public void A_timeout_past_the_32_bit_millisecond_range_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TipcTopology.Prepare(TipcTopology.Nodes, TipcSubscriptionFilter.Ports, TimeSpan.FromDays(50), 1, TipcByteOrder.Host));

    private static byte[] Event(TipcByteOrder order, uint kind, uint lower, uint upper, uint reference, uint node, TipcSubscription s)
    {
        byte[] bytes = new byte[48];
        bool big = order == TipcByteOrder.Network;
        uint[] words = [kind, lower, upper, reference, node];
        for (int i = 0; i < words.Length; i++)
        {
            if (big)
            {
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 * i), words[i]);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), words[i]);
            }
        }

        s.Write(bytes.AsSpan(20), cancel: false);
        return bytes;
    }
}
