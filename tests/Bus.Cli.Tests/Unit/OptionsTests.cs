using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Cli.Tests.Unit;

/// <summary>getopt rules as can-utils tools parse them.</summary>
public sealed class OptionsTests
{
    private static readonly Gen<string> s_values =
        from chars in Gen.NonEmptyListOf(Gen.Elements("abcXYZ0189#:.,_=~/".ToCharArray()))
        select new string([.. chars]);

    [Fact]
    public void A_value_may_be_attached_or_separate_and_the_last_one_wins()
    {
        Prop.ForAll(s_values.ToArbitrary(), s_values.ToArbitrary(), (first, last) =>
        {
            Options separate = Options.Parse(["-n", first, "op", "-n", last], "n:x");
            Options attached = Options.Parse(["-n" + first, "op", "-xn" + last], "n:x");

            Assert.Equal(last, separate.Value('n'));
            Assert.Equal([first, last], separate.All('n'));
            Assert.Equal(last, attached.Value('n'));
            Assert.Equal([first, last], attached.All('n'));
            Assert.True(attached.Has('x'));
            Assert.False(separate.Has('x'));
            Assert.Equal(["op"], separate.Operands);
            Assert.Equal(["op"], attached.Operands);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Every_letter_outside_the_spec_is_named_as_unknown()
    {
        const string Spec = "n:Llf:xet:";
        Prop.ForAll(Gen.Elements("abcdgijkmopqrsuvwyzABCDEFGHIJKMNOPQRSTUVWXYZ0123456789".ToCharArray()).ToArbitrary(), letter =>
        {
            var e = Assert.Throws<UsageException>(() => Options.Parse(["vcan0", "-x" + letter], Spec));
            Assert.Equal($"unknown option '-{letter}'", e.Message);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Double_dash_ends_options_and_a_lone_dash_is_an_operand()
    {
        Options options = Options.Parse(["-x", "-", "--", "-n", "--help"], "n:x");

        Assert.True(options.Has('x'));
        Assert.False(options.Has('n'));
        Assert.Equal(["-", "-n", "--help"], options.Operands);
    }

    [Theory]
    [InlineData("5", 5L)]
    [InlineData("1", 1L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Integers_in_range_parse(string text, long expected) =>
        Assert.Equal(expected, Options.Parse(["-n", text], "n:").Integer('n', 0, 1, long.MaxValue));

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("5.0")]
    [InlineData(" 5")]
    [InlineData("0x10")]
    [InlineData("9223372036854775808")]
    public void Integers_out_of_range_or_malformed_name_the_text_and_the_range(string text)
    {
        var e = Assert.Throws<UsageException>(() => Options.Parse(["-n", text], "n:").Integer('n', 0, 1, long.MaxValue));
        Assert.Equal($"-n '{text}' is not a whole number from 1 to 9223372036854775807", e.Message);
    }

    [Theory]
    [InlineData("0.5", 0.5)]
    [InlineData("200", 200.0)]
    public void Numbers_allow_fractions(string text, double expected) =>
        Assert.Equal(expected, Options.Parse(["-g", text], "g:").Number('g', 1, 1000));

    [Theory]
    [InlineData("-1")]
    [InlineData("1e3")]
    [InlineData("1001")]
    [InlineData("fast")]
    public void Numbers_out_of_range_or_malformed_name_the_text(string text)
    {
        var e = Assert.Throws<UsageException>(() => Options.Parse(["-g", text], "g:").Number('g', 1, 1000));
        Assert.Equal($"-g '{text}' is not a number from 0 to 1000", e.Message);
    }
}
