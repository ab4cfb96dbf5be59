using Buses.Can;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Can;

public class AddressClaimTests
{
    private static readonly byte[] s_requestForClaims = [0x00, 0xEE, 0x00];

    private static ClaimPolicy Claimed(ulong name, byte[] range, byte at)
    {
        var policy = new ClaimPolicy(name, range);
        Assert.True(policy.Start().Request);
        Assert.Equal(1250, policy.OnMessage(J1939.RequestPgn, 0xFE, name, s_requestForClaims).TimerMilliseconds);
        Assert.Equal(at, policy.OnTimer().ClaimAddress);
        Assert.Equal("claimed", policy.OnMessage(J1939.AddressClaimedPgn, at, name, []).Change?.Reason);
        Assert.Equal(at, policy.Current);
        return policy;
    }

    [Fact]
    public void First_free_address_of_the_range_is_claimed_after_the_request_window() =>
        Claimed(0x2000, [0x80, 0x81, 0x82], 0x80);

    [Fact]
    public void An_address_held_by_a_lower_name_is_skipped()
    {
        var policy = new ClaimPolicy(0x5000, [0x80, 0x81]);
        policy.Start();
        policy.OnMessage(J1939.RequestPgn, 0xFE, 0x5000, s_requestForClaims);
        policy.OnMessage(J1939.AddressClaimedPgn, 0x80, 0x1000, []);
        Assert.Equal((byte)0x81, policy.OnTimer().ClaimAddress);
    }

    [Fact]
    public void A_lower_name_claiming_our_address_moves_us_within_the_range()
    {
        ClaimPolicy policy = Claimed(0x9000, [0x80, 0x81], 0x80);
        ClaimPolicy.Actions actions = policy.OnMessage(J1939.AddressClaimedPgn, 0x80, 0x1000, []);
        Assert.Equal((byte)0x81, actions.ClaimAddress);
        Assert.Equal(J1939.IdleAddress, policy.Current);
        Assert.Contains("lower NAME 0000000000001000", actions.Change?.Reason, StringComparison.Ordinal);
        Assert.Equal("claimed", policy.OnMessage(J1939.AddressClaimedPgn, 0x81, 0x9000, []).Change?.Reason);
        Assert.Equal((byte)0x81, policy.Current);
    }

    [Fact]
    public void A_higher_name_claiming_our_address_is_answered_with_our_claim()
    {
        ClaimPolicy policy = Claimed(0x1000, [0x80], 0x80);
        ClaimPolicy.Actions actions = policy.OnMessage(J1939.AddressClaimedPgn, 0x80, 0x9000, []);
        Assert.Equal((byte)0x80, actions.ClaimAddress);
        Assert.Null(actions.Change);
        Assert.Equal((byte)0x80, policy.Current);
    }

    [Fact]
    public void Losing_the_only_address_gives_up_on_the_idle_address()
    {
        ClaimPolicy policy = Claimed(0x9000, [0x80], 0x80);
        ClaimPolicy.Actions actions = policy.OnMessage(J1939.AddressClaimedPgn, 0x80, 0x1000, []);
        Assert.Equal(J1939.IdleAddress, actions.ClaimAddress);
        Assert.True(policy.GaveUp);
        Assert.Equal(J1939.IdleAddress, actions.Change?.Current);
    }

    [Fact]
    public void A_request_for_claims_while_operational_repeats_the_claim()
    {
        ClaimPolicy policy = Claimed(0x1234, [0x90], 0x90);
        Assert.Equal((byte)0x90, policy.OnMessage(J1939.RequestPgn, 0x20, 0x1, s_requestForClaims).ClaimAddress);
        Assert.Null(policy.OnMessage(J1939.RequestPgn, 0x20, 0x1, [0x00, 0xEA, 0x00]).ClaimAddress);
    }

    [Fact]
    public void Commanded_address_for_our_name_is_claimed()
    {
        ClaimPolicy policy = Claimed(0x1122334455667788, [0x90], 0x90);
        byte[] command = [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x42];
        Assert.Equal((byte)0x42, policy.OnMessage(J1939.AddressCommandedPgn, 0x00, 0, command).ClaimAddress);
    }

    [Fact]
    public void Of_two_policies_contending_for_one_address_the_lower_name_keeps_it() =>
        Prop.ForAll(Gen.Choose(1, int.MaxValue).ToArbitrary(), Gen.Choose(1, int.MaxValue).ToArbitrary(), (a, b) =>
        {
            if (a == b)
            {
                return;
            }

            ClaimPolicy first = Claimed((ulong)a, [0x80, 0x81], 0x80);
            ClaimPolicy second = Claimed((ulong)b, [0x80, 0x81], 0x80);
            // Each sees the other's claim for 0x80.
            ClaimPolicy.Actions toFirst = first.OnMessage(J1939.AddressClaimedPgn, 0x80, (ulong)b, []);
            ClaimPolicy.Actions toSecond = second.OnMessage(J1939.AddressClaimedPgn, 0x80, (ulong)a, []);
            (ClaimPolicy winner, ClaimPolicy.Actions winnerActions, ClaimPolicy.Actions loserActions) = a < b ? (first, toFirst, toSecond) : (second, toSecond, toFirst);
            Assert.Equal((byte)0x80, winnerActions.ClaimAddress);
            Assert.Equal((byte)0x80, winner.Current);
            Assert.Equal((byte)0x81, loserActions.ClaimAddress);
        }).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData("80,50-100", 51)]
    [InlineData("0x80-0xfd", 126)]
    [InlineData("1;2;2-3", 3)]
    public void Range_reads_as_j1939acd_reads_it(string text, int count) =>
        Assert.Equal(count, AddressClaimer.ParseRange(text).Count);

    [Theory]
    [InlineData("80,250-254", "254 (0xFE) is outside 0–253")]
    [InlineData("0x100", "256 (0x100) is outside 0–253")]
    [InlineData("8x", "'8x' is not a number")]
    [InlineData(",", "holds no address")]
    public void Bad_ranges_are_refused_before_sending(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => AddressClaimer.ParseRange(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Name_zero_and_addresses_past_253_are_refused_before_sending()
    {
        Assert.Contains("NAME 0", Assert.Throws<ArgumentException>(() => new ClaimPolicy(0, [0x80])).Message, StringComparison.Ordinal);
        Assert.Contains("254 (0xFE) is outside 0–253", Assert.Throws<ArgumentException>(() => new ClaimPolicy(1, [0xFE])).Message, StringComparison.Ordinal);
    }
}
