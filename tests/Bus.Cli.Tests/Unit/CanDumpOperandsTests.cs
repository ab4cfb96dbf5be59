using System.Globalization;
using Buses.Can;
using Buses.Cli.Commands;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Cli.Tests.Unit;

/// <summary>
/// <c>buses can dump</c> takes candump's operands: up to 16 <c>IFACE[,FILTER…]</c>, each its own
/// socket with its own filters, join and error mask, all checked before any socket is opened.
/// </summary>
public sealed class CanDumpOperandsTests
{
    private const string LongName = "abcdefghijklmnop"; // 16 bytes: one more than IFNAMSIZ − 1

    /// <summary>One generated operand: its text and what parsing it must give.</summary>
    private sealed record Operand(string Text, string Name, CanFilter[] Filters, CanErrorClasses? ErrorMask, bool Join);

    private static readonly Gen<string> s_names = Gen.OneOf(
        Gen.Elements("vcan0", "vcan1", "can0", "any", "vxcan1", "vcanxl0"),
        from length in Gen.Choose(1, 15)
        from chars in Gen.ArrayOf(Gen.Elements("abcxyz0189_-".ToCharArray()), length)
        select new string(chars));

    /// <summary>A data filter as candump writes it, with the filter the kernel must get.</summary>
    private static readonly Gen<(string Text, CanFilter Filter)> s_filters =
        from extended in Gen.Elements(false, true)
        from id in Gen.Choose(0, 0x1FFFFFFF)
        from high in Gen.Choose(0, 0xFFFF)
        from low in Gen.Choose(0, 0xFFFF)
        let mask = (uint)((high << 16) | low)
        from inverted in Gen.Elements(false, true)
        let idText = extended ? id.ToString("X8", CultureInfo.InvariantCulture) : (id & 0x7FF).ToString("X3", CultureInfo.InvariantCulture)
        let wantId = extended ? (uint)id | 0x80000000 : (uint)id & 0x7FF
        select ($"{idText}{(inverted ? '~' : ':')}{mask:X}", new CanFilter(wantId, mask & ~0x20000000u, inverted));

    private static readonly Gen<Operand> s_operands =
        from name in s_names
        from filters in Gen.ListOf(s_filters)
        from joined in Gen.Elements(false, true)
        from errorMask in Gen.OneOf(Gen.Constant<uint?>(null), Gen.Choose(0, 0x1FFFFFFF).Select(m => (uint?)m))
        let parts = filters.Select(f => f.Text)
            .Concat(joined ? ["j"] : [])
            .Concat(errorMask is uint m ? [$"#{m:X}"] : [])
        select new Operand(
            string.Join(',', [name, .. parts]),
            name,
            [.. filters.Select(f => f.Filter)],
            errorMask is uint e ? (CanErrorClasses)e : null,
            joined);

    [Fact]
    public void Every_operand_keeps_its_own_interface_filters_join_and_error_mask_in_order()
    {
        Prop.ForAll(Gen.Choose(1, CanDumpSpec.MaxOperands).SelectMany(n => Gen.ArrayOf(s_operands, n)).ToArbitrary(), operands =>
        {
            IReadOnlyList<CanDumpSpec> specs = CanDumpSpec.ParseAll([.. operands.Select(o => o.Text)]);

            Assert.Equal(operands.Length, specs.Count);
            for (int i = 0; i < operands.Length; i++)
            {
                Assert.Equal(operands[i].Name, specs[i].InterfaceName);
                Assert.Equal(operands[i].Filters, specs[i].Filters);
                Assert.Equal(operands[i].Join, specs[i].Join);
                Assert.Equal(operands[i].ErrorMask, specs[i].ErrorMask);
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void More_than_16_operands_is_a_usage_error_naming_the_count_and_the_limit()
    {
        Prop.ForAll(Gen.Choose(CanDumpSpec.MaxOperands + 1, 40).ToArbitrary(), count =>
        {
            string[] operands = [.. Enumerable.Range(0, count).Select(i => $"vcan{i}")];

            var e = Assert.Throws<UsageException>(() => CanDumpSpec.ParseAll(operands));
            Assert.Equal($"{count} IFACE operands given; at most 16 interfaces can be dumped at once, as in candump", e.Message);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_bad_filter_in_any_operand_names_the_filter_and_its_operand()
    {
        Prop.ForAll(Gen.ArrayOf(s_operands, 4).ToArbitrary(), Gen.Choose(0, 3).ToArbitrary(), Gen.Elements("12x:7FF", "123", "123:", ":7FF", "#zz", "k").ToArbitrary(), (operands, at, bad) =>
        {
            string[] texts = [.. operands.Select(o => o.Text)];
            texts[at] += "," + bad;

            var e = Assert.Throws<UsageException>(() => CanDumpSpec.ParseAll(texts));
            Assert.StartsWith($"filter '{bad}' in '{texts[at]}' is not ", e.Message, StringComparison.Ordinal);
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(new[] { "can", "dump", "vcan0,123:7FF", "vcan1,12x:7FF" }, "filter '12x:7FF' in 'vcan1,12x:7FF' is not ID:MASK, ID~MASK, #ERRMASK or j (hex values)")]
    [InlineData(new[] { "can", "dump", "vcan0", "vcan1,#zz", "-L" }, "filter '#zz' in 'vcan1,#zz' is not '#' and a hex error class mask")]
    [InlineData(new[] { "can", "dump", "vcan0", "vcan1,20000123:7FF" }, "filter '20000123:7FF' in 'vcan1,20000123:7FF' sets bit 29 (0x20000000) of the ID, the kernel's inversion flag: write ID~MASK instead")]
    [InlineData(new[] { "can", "dump", "vcan0", "any", LongName + ",123:7FF" }, $"IFACE: Interface name '{LongName}' is 16 bytes long; it must be 1 to 15 bytes")]
    [InlineData(new[] { "can", "dump", "vcan0", ",123:7FF" }, "IFACE: ")]
    [InlineData(new[] { "can", "dump", "-n", "5", "-L" }, "missing IFACE")]
    [InlineData(new[] { "can", "dump", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", "v16" }, "17 IFACE operands given; at most 16 interfaces can be dumped at once, as in candump")]
    public void Bad_operands_exit_2_with_the_usage_before_any_socket_is_opened(string[] args, string message)
    {
        // A usage error comes before the kernel is asked anything, so it is the same on a host
        // without CAN sockets as inside the bed.
        CliResult result = CliRunner.Run(args);

        Assert.True(result.Status == 2, result.ToString());
        Assert.Contains($"buses can dump: {message}", result.Error, StringComparison.Ordinal);
        Assert.Contains("usage: buses can dump IFACE[,FILTER[,...]]... ", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public void Sixteen_operands_are_accepted_any_among_them()
    {
        string[] operands = [.. Enumerable.Range(0, 15).Select(i => $"vcan{i},{i:X3}:7FF"), "any,j,#4"];

        IReadOnlyList<CanDumpSpec> specs = CanDumpSpec.ParseAll(operands);

        Assert.Equal(16, specs.Count);
        Assert.Equal("vcan14", specs[14].InterfaceName);
        Assert.Equal([new CanFilter(0x00E, 0x7FF)], specs[14].Filters);
        Assert.Equal("any", specs[15].InterfaceName);
        Assert.Empty(specs[15].Filters);
        Assert.True(specs[15].Join);
        Assert.Equal((CanErrorClasses)4, specs[15].ErrorMask);
    }
}
