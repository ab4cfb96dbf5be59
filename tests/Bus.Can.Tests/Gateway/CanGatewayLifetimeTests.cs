using System.Runtime.CompilerServices;
using Buses.Can;
using Xunit;

namespace Buses.Tests.Can;

// CanGateway needs only NETLINK_ROUTE, which every Linux host has: its lifetime is checked here, not in the bed.
public class CanGatewayLifetimeTests
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OpenAndDrop() => _ = new CanGateway();

    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    [Fact]
    public void An_undisposed_gateway_is_finalized_and_its_netlink_descriptor_closed()
    {
        int before = OpenDescriptors();
        for (int i = 0; i < 20; i++)
        {
            OpenAndDrop();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.InRange(OpenDescriptors(), 0, before + 2);
    }

    [Fact]
    public void A_bad_rule_is_refused_before_the_request_is_sent()
    {
        using var gateway = new CanGateway();
        var rule = new CanGatewayRule
        {
            Source = CanAddress.FromIndex(1),
            Destination = CanAddress.FromIndex(1),
            Modifications = [new CanGatewayModification(CanGatewayOperation.Set, CanGatewayFields.Length, 0, 12, 0, new byte[8])],
        };
        Assert.Contains("sets length 12, past the classic frame's 8 bytes", Assert.Throws<ArgumentException>(() => gateway.Add(rule)).Message, StringComparison.Ordinal);
        Assert.Contains("needs a source and a destination", Assert.Throws<ArgumentException>(() => gateway.Add(new CanGatewayRule())).Message, StringComparison.Ordinal);
    }
}
