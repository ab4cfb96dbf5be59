using System.Text.Json;
using Xunit;

namespace Buses.Cli.Tests.Host;

/// <summary><c>buses link …</c> against this host's kernel, in a private network namespace, checked against <c>ip</c>.</summary>
public sealed class LinkCommandTests
{
    private static JsonElement IpDetails(NetworkNamespace ns, string name)
    {
        string json = ns.Exec("ip", "-d", "-j", "link", "show", "dev", name).Out;
        return JsonDocument.Parse(json).RootElement[0];
    }

    private static JsonElement WaitForOperationalState(NetworkNamespace ns, string name, string state)
    {
        DateTime giveUp = DateTime.UtcNow + CliRunner.HangGuard;
        while (true)
        {
            JsonElement ip = IpDetails(ns, name);
            if (ip.GetProperty("operstate").GetString() == state)
            {
                return ip;
            }

            Assert.True(DateTime.UtcNow < giveUp, $"{name} never reached operational state {state}: {ip}");
            Thread.Sleep(50);
        }
    }

    [Fact]
    public void Veth_pair_add_set_show_and_delete_agree_with_ip()
    {
        using var ns = new NetworkNamespace();

        CliResult add = ns.Buses("link", "add", "v0", "type", "veth", "peer", "v1");
        Assert.True(add.Status == 0, add.ToString());
        Assert.Equal("veth", IpDetails(ns, "v0").GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal("veth", IpDetails(ns, "v1").GetProperty("linkinfo").GetProperty("info_kind").GetString());

        CliResult up = ns.Buses("link", "set", "v0", "up");
        Assert.True(up.Status == 0, up.ToString());
        CliResult mtu = ns.Buses("link", "set", "v0", "mtu", "1400");
        Assert.True(mtu.Status == 0, mtu.ToString());
        CliResult both = ns.Buses("link", "set", "dev", "v1", "up", "mtu", "1400");
        Assert.True(both.Status == 0, both.ToString());
        Assert.Equal(1400, IpDetails(ns, "v1").GetProperty("mtu").GetInt32());

        // The kernel reports the carrier asynchronously (link watch); compare once it has settled.
        JsonElement ip = WaitForOperationalState(ns, "v0", "UP");
        int index = ip.GetProperty("ifindex").GetInt32();
        Assert.Equal(1400, ip.GetProperty("mtu").GetInt32());
        string state = ip.GetProperty("operstate").GetString()!;
        string[] flags = [.. ip.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!)];
        Assert.Contains("UP", flags);

        CliResult show = ns.Buses("link", "show", "v0");
        Assert.True(show.Status == 0, show.ToString());
        string[] lines = show.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{index}: v0: <", lines[0], StringComparison.Ordinal);
        Assert.Contains($" mtu 1400 state {state}", lines[0], StringComparison.Ordinal);
        Assert.Contains("UP", lines[0].Split('<', '>')[1].Split(','));
        Assert.Equal($"    link/ether {ip.GetProperty("address").GetString()} brd {ip.GetProperty("broadcast").GetString()}", lines[1]);

        CliResult details = ns.Buses("link", "show", "v0", "-d");
        Assert.True(details.Status == 0, details.ToString());
        string[] detailLines = details.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int peer = IpDetails(ns, "v1").GetProperty("ifindex").GetInt32();
        Assert.StartsWith($"{index}: v0@if{peer}: <", detailLines[0], StringComparison.Ordinal);
        Assert.Contains(" mtu 1400 ", detailLines[0], StringComparison.Ordinal);
        Assert.EndsWith($" promiscuity {ip.GetProperty("promiscuity").GetInt32()}", detailLines[1], StringComparison.Ordinal);
        Assert.Contains(detailLines, l => l.Trim().Split(' ')[0] == "veth");
        Assert.Contains(detailLines, l => l.StartsWith("    RX: bytes ", StringComparison.Ordinal));
        Assert.Contains(detailLines, l => l.StartsWith("    TX: bytes ", StringComparison.Ordinal));

        CliResult all = ns.Buses("link", "show");
        Assert.True(all.Status == 0, all.ToString());
        Assert.Contains("1: lo: <", all.Out, StringComparison.Ordinal);
        Assert.Contains($"{index}: v0: <", all.Out, StringComparison.Ordinal);
        Assert.Contains($"{peer}: v1: <", all.Out, StringComparison.Ordinal);

        CliResult down = ns.Buses("link", "set", "v0", "down", "name", "w0");
        Assert.True(down.Status == 0, down.ToString());
        Assert.Equal(index, IpDetails(ns, "w0").GetProperty("ifindex").GetInt32());
        Assert.DoesNotContain("UP", IpDetails(ns, "w0").GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

        CliResult del = ns.Buses("link", "del", "w0");
        Assert.True(del.Status == 0, del.ToString());
        string remaining = ns.Exec("ip", "-o", "link", "show").Out;
        Assert.DoesNotContain("w0", remaining, StringComparison.Ordinal);
        Assert.DoesNotContain("v1", remaining, StringComparison.Ordinal);
    }

    [Fact]
    public void Deleting_a_missing_link_fails_with_ENODEV()
    {
        using var ns = new NetworkNamespace();

        CliResult result = ns.Buses("link", "del", "nosuch");

        Assert.True(result.Status == 1, result.ToString());
        Assert.StartsWith("buses link del: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("ENODEV", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Showing_or_setting_a_missing_link_fails_with_ENODEV()
    {
        using var ns = new NetworkNamespace();

        foreach (string[] args in new[] { new[] { "link", "show", "nosuch" }, ["link", "set", "nosuch", "up"] })
        {
            CliResult result = ns.Buses(args);
            Assert.True(result.Status == 1, result.ToString());
            Assert.Contains("ENODEV", result.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("vcan")]
    [InlineData("bogus")]
    public void Adding_a_kind_this_kernel_lacks_fails_with_EOPNOTSUPP(string kind)
    {
        using var ns = new NetworkNamespace();

        CliResult result = ns.Buses("link", "add", "x", "type", kind);

        Assert.True(result.Status == 1, result.ToString());
        Assert.Contains("EOPNOTSUPP", result.Error, StringComparison.Ordinal);
        Assert.Contains("Unknown device type", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(" x:", ns.Exec("ip", "-o", "link", "show").Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_an_existing_name_fails_with_EEXIST()
    {
        using var ns = new NetworkNamespace();
        ns.Exec("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1");

        CliResult result = ns.Buses("link", "add", "v1", "type", "veth", "peer", "v2");

        Assert.True(result.Status == 1, result.ToString());
        Assert.Contains("EEXIST", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_mtu_the_link_refuses_fails_with_EINVAL_and_leaves_it_unchanged()
    {
        using var ns = new NetworkNamespace();
        ns.Exec("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1");

        CliResult result = ns.Buses("link", "set", "v0", "mtu", "10");

        Assert.True(result.Status == 1, result.ToString());
        Assert.Contains("EINVAL", result.Error, StringComparison.Ordinal);
        Assert.Equal(1500, IpDetails(ns, "v0").GetProperty("mtu").GetInt32());
    }
}
