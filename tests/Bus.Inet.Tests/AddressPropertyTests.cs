using System.Net;
using System.Text;
using Buses.Inet;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Inet;

// Text and sockaddr round trips, and malformed input naming its bad part, for every address type.
public sealed class AddressPropertyTests
{
    private static readonly Gen<int> s_port = Gen.Choose(0, 65535);

    private static readonly Gen<InetAddress> s_inet =
        Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), s_port, (a, p) => new InetAddress(unchecked((uint)a), p));

    private static readonly Gen<Inet6Address> s_inet6 =
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 16)
        from port in s_port
        from flow in Gen.OneOf(Gen.Constant(0), Gen.Choose(0, (int)Inet6Address.MaxFlowInfo))
        from scope in Gen.OneOf(Gen.Constant(0), Gen.Choose(int.MinValue, int.MaxValue))
        select new Inet6Address(bytes, port, (uint)flow, unchecked((uint)scope));

    private static readonly Gen<byte> s_anyByte = Gen.Choose(0, 255).Select(b => (byte)b);

    private static readonly Gen<UnixAddress> s_unix = Gen.OneOf(
        Gen.Constant(UnixAddress.Unnamed),
        Gen.Choose(1, UnixAddress.MaxPathBytes).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 255).Select(b => (byte)b), n)).Select(b => UnixAddress.FromPath(b)),
        Gen.Choose(0, UnixAddress.MaxAbstractNameBytes).SelectMany(n => Gen.ArrayOf(s_anyByte, n)).Select(b => UnixAddress.FromAbstractName(b)),
        Gen.Elements("/run/x.sock", "rel/path", "@at", "back\\slash", "ü/日本", "a b").Select(UnixAddress.FromPath));

    private static void TextRoundTrip<T>(Gen<T> gen) where T : struct, ISocketAddress<T> =>
        Prop.ForAll(gen.ToArbitrary(), address =>
        {
            string text = address.ToString()!;
            return SocketAddressParser.Parse<T>(text).Equals(address)
                && SocketAddressParser.Parse(text) is T boxed && boxed.Equals(address)
                && text.StartsWith(T.Scheme + ":", StringComparison.Ordinal);
        }).QuickCheckThrowOnFailure();

    private static void SockaddrRoundTrip<T>(Gen<T> gen) where T : struct, ISocketAddress<T> =>
        Prop.ForAll(gen.ToArbitrary(), address =>
        {
            Span<byte> bytes = stackalloc byte[RawSocketAddress.MaxSize];
            int length = address.Encode(bytes);
            return length == address.EncodedSize
                && T.Decode(bytes[..length]).Equals(address)
                && SocketAddressParser.Decode(bytes[..length]) is T boxed && boxed.Equals(address)
                && BitConverter.ToUInt16(bytes) == (ushort)address.Family;
        }).QuickCheckThrowOnFailure();

    [Fact] public void Inet_text_round_trips() => TextRoundTrip(s_inet);
    [Fact] public void Inet6_text_round_trips() => TextRoundTrip(s_inet6);
    [Fact] public void Unix_text_round_trips() => TextRoundTrip(s_unix);
    [Fact] public void Inet_sockaddr_round_trips() => SockaddrRoundTrip(s_inet);
    [Fact] public void Inet6_sockaddr_round_trips() => SockaddrRoundTrip(s_inet6);
    [Fact] public void Unix_sockaddr_round_trips() => SockaddrRoundTrip(s_unix);

    [Fact]
    public void IP_end_point_conversions_round_trip()
    {
        Prop.ForAll(s_inet.ToArbitrary(), a => InetAddress.FromIPEndPoint(a.ToIPEndPoint()) == a).QuickCheckThrowOnFailure();
        Prop.ForAll(s_inet6.ToArbitrary(), a =>
        {
            Inet6Address back = (Inet6Address)(IPEndPoint)a;
            return back.Port == a.Port && back.ScopeId == a.ScopeId && back.Address.Equals(a.Address) && back.FlowInfo == 0;
        }).QuickCheckThrowOnFailure();
    }

    private static readonly Gen<string> s_junk =
        Gen.ArrayOf(Gen.Elements("0", "1", "9", "25", "255", "256", ".", ":", "[", "]", "%", "a", "f", "x", "-", " ", "\\", "@", ",", "<", ">", "lo", "::", "\u00e9"))
            .Select(parts => string.Concat(parts));

    // Any text either parses to an address whose canonical text parses back to it, or is refused with a
    // FormatException whose message quotes a part of the input.
    private static void ParsesOrNamesBadPart<T>(Func<string, string> body) where T : struct, ISocketAddress<T> =>
        Prop.ForAll(s_junk.ToArbitrary(), junk =>
        {
            string text = body(junk);
            try
            {
                T address = T.ParseBody(text);
                return T.ParseBody(address.ToString()![(T.Scheme.Length + 1)..]).Equals(address);
            }
            catch (FormatException e)
            {
                return QuotedPartOf(e.Message, text);
            }
        }).QuickCheckThrowOnFailure();

    private static bool QuotedPartOf(string message, string body)
    {
        // The shape is: Address 'scheme:body': 'bad part' rule.
        int start = message.IndexOf("': '", StringComparison.Ordinal);
        if (start < 0)
        {
            return false;
        }

        int end = message.IndexOf('\'', start + 4);
        return end >= start + 4 && body.Contains(message[(start + 4)..end], StringComparison.Ordinal);
    }

    [Fact] public void Inet_junk_hosts_are_refused_by_name() => ParsesOrNamesBadPart<InetAddress>(junk => junk + ":80");
    [Fact] public void Inet_junk_ports_are_refused_by_name() => ParsesOrNamesBadPart<InetAddress>(junk => "10.0.0.1:" + junk);
    [Fact] public void Inet_junk_is_refused_by_name() => ParsesOrNamesBadPart<InetAddress>(junk => junk);
    [Fact] public void Inet6_junk_hosts_are_refused_by_name() => ParsesOrNamesBadPart<Inet6Address>(junk => "[" + junk + "]:80");
    [Fact] public void Inet6_junk_is_refused_by_name() => ParsesOrNamesBadPart<Inet6Address>(junk => junk);
    [Fact] public void Inet6_junk_flow_info_is_refused_by_name() => ParsesOrNamesBadPart<Inet6Address>(junk => "[::1]:80,flowinfo=" + junk);
    [Fact] public void Unix_junk_is_refused_by_name() => ParsesOrNamesBadPart<UnixAddress>(junk => junk);

    [Theory]
    [InlineData("inet:127.0.0.1", "127.0.0.1", "has no ':'")]
    [InlineData("inet:127.0.0.1:", "127.0.0.1:", "has no port")]
    [InlineData("inet:127.0.0.1:65536", "65536", "is not a port number from 0 to 65535")]
    [InlineData("inet:127.0.0.1:+80", "+80", "is not a port number")]
    [InlineData("inet:127.1:80", "127.1", "dotted-decimal")]
    [InlineData("inet:010.0.0.1:80", "010.0.0.1", "dotted-decimal")]
    [InlineData("inet:256.0.0.1:80", "256.0.0.1", "dotted-decimal")]
    [InlineData("inet:localhost:80", "localhost", "dotted-decimal")]
    [InlineData("inet:::1:80", "::1", "dotted-decimal")]
    [InlineData("inet6:::1:80", "::1:80", "in brackets")]
    [InlineData("inet6:[::1]80", "80", "is not ':port'")]
    [InlineData("inet6:[1.2.3.4]:80", "1.2.3.4", "is not an IPv6 address")]
    [InlineData("inet6:[fe80::1%]:80", "%", "scope")]
    [InlineData("inet6:[fe80::1%no-such-if9]:80", "no-such-if9", "network interface")]
    [InlineData("inet6:[fe80::1%99999999999]:80", "99999999999", "interface index")]
    [InlineData("inet6:[::1]:80,flowinfo=268435456", "268435456", "flow info")]
    [InlineData("inet6:[::1]:80,flow=1", ",flow=1", "the only option")]
    [InlineData("unix:/a\\x0", "\\x0", "\\xHH")]
    [InlineData("unix:/a\\q00", "\\q00", "\\xHH")]
    [InlineData("unix:/a\\x00b", "/a\\x00b", "NUL")]
    public void Malformed_text_names_the_bad_part_and_the_rule(string text, string badPart, string rule)
    {
        FormatException e = Assert.Throws<FormatException>(() => SocketAddressParser.Parse(text));
        Assert.Contains($"'{badPart}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_long_unix_names_are_refused()
    {
        FormatException path = Assert.Throws<FormatException>(() => UnixAddress.Parse("unix:/" + new string('p', 108)));
        Assert.Contains("108", path.Message, StringComparison.Ordinal);
        FormatException name = Assert.Throws<FormatException>(() => UnixAddress.Parse("unix:@" + new string('n', 108)));
        Assert.Contains("107", name.Message, StringComparison.Ordinal);
        Assert.Equal(108, UnixAddress.Parse("unix:/" + new string('p', 107)).Name.Length);
        Assert.Equal(107, UnixAddress.Parse("unix:@" + new string('n', 107)).Name.Length);
    }

    [Fact]
    public void Python_special_hosts_mean_any_and_broadcast()
    {
        Assert.Equal(InetAddress.Any(80), InetAddress.Parse("inet::80"));
        Assert.Equal("inet:0.0.0.0:80", InetAddress.Parse("inet::80").ToString());
        Assert.Equal(InetAddress.Broadcast(9), InetAddress.Parse("inet:<broadcast>:9"));
        Assert.Equal("inet:255.255.255.255:9", InetAddress.Parse("inet:<broadcast>:9").ToString());
        Assert.Equal(Inet6Address.Any(80), Inet6Address.Parse("inet6:[]:80"));
        Assert.Equal("inet6:[::]:80", Inet6Address.Any(80).ToString());
    }

    [Fact]
    public void Scope_names_resolve_to_the_interface_index()
    {
        Inet6Address byName = Inet6Address.Parse("inet6:[fe80::1%lo]:80");
        Assert.Equal(1u, byName.ScopeId);
        Assert.Equal("inet6:[fe80::1%1]:80", byName.ToString());
        Assert.Equal(byName, Inet6Address.Parse("inet6:[fe80::1%1]:80"));
    }

    [Fact]
    public void Sockaddr_bytes_match_the_kernel_layout()
    {
        Span<byte> bytes = stackalloc byte[RawSocketAddress.MaxSize];
        int n = InetAddress.Parse("inet:127.0.0.1:8080").Encode(bytes);
        Assert.Equal("02001f907f0000010000000000000000", Convert.ToHexStringLower(bytes[..n]));

        n = Inet6Address.Parse("inet6:[2001:db8::1%3]:443,flowinfo=74565").Encode(bytes);
        Assert.Equal("0a0001bb0001234520010db8000000000000000000000001" + "03000000", Convert.ToHexStringLower(bytes[..n]));

        n = UnixAddress.Parse("unix:/x").Encode(bytes);
        Assert.Equal("01002f7800", Convert.ToHexStringLower(bytes[..n]));
        n = UnixAddress.Parse("unix:@x\\x00y").Encode(bytes);
        Assert.Equal("010000780079", Convert.ToHexStringLower(bytes[..n]));
        n = UnixAddress.Unnamed.Encode(bytes);
        Assert.Equal("0100", Convert.ToHexStringLower(bytes[..n]));
    }

    [Fact]
    public void Unix_text_escapes_what_is_not_printable()
    {
        Assert.Equal("unix:\\x40at", UnixAddress.FromPath("@at").ToString());
        Assert.Equal("unix:@x\\x00\\xff\\x5c", UnixAddress.FromAbstractName([(byte)'x', 0, 0xFF, (byte)'\\']).ToString());
        Assert.Equal("unix:", UnixAddress.Unnamed.ToString());
        Assert.Equal("/ü", UnixAddress.Parse("unix:/ü").Path);
        Assert.Equal(Encoding.UTF8.GetBytes("/ü"), UnixAddress.Parse("unix:/\\xc3\\xbc").Name.ToArray());
    }

    [Fact]
    public void Decode_refuses_other_families_and_short_bytes()
    {
        // One codec, one message, for every family: the struct, the family it needs, and what came.
        Assert.Equal("A sockaddr_in needs sa_family Inet (2); this sockaddr has 1.", Assert.Throws<FormatException>(() => InetAddress.Decode([1, 0, 0, 0, 0, 0, 0, 0])).Message);
        Assert.Equal("A sockaddr_in6 needs at least 24 bytes; this one has 4.", Assert.Throws<FormatException>(() => Inet6Address.Decode([10, 0, 0, 0])).Message);
        Assert.Equal("A sockaddr_un needs sa_family Unix (1); this sockaddr has 2.", Assert.Throws<FormatException>(() => UnixAddress.Decode([2, 0])).Message);
        Assert.Equal("A sockaddr_un needs sa_family Unix (1); the kernel returned 0 byte(s), no address.", Assert.Throws<FormatException>(() => UnixAddress.Decode([])).Message);
    }

    [Fact]
    public void Constructors_refuse_bad_values_before_any_syscall()
    {
        Assert.Contains("70000", Assert.Throws<ArgumentOutOfRangeException>(() => new InetAddress(IPAddress.Loopback, 70000)).Message, StringComparison.Ordinal);
        Assert.Contains("::1", Assert.Throws<ArgumentException>(() => new InetAddress(IPAddress.IPv6Loopback, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", Assert.Throws<ArgumentException>(() => new Inet6Address(IPAddress.Loopback, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("0x10000000", Assert.Throws<ArgumentOutOfRangeException>(() => new Inet6Address(IPAddress.IPv6Loopback, 1, 0x1000_0000)).Message, StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => UnixAddress.FromPath("")).Message, StringComparison.Ordinal);
        Assert.Contains("NUL", Assert.Throws<ArgumentException>(() => UnixAddress.FromPath("a\0b")).Message, StringComparison.Ordinal);
        Assert.Contains("109", Assert.Throws<ArgumentException>(() => UnixAddress.FromPath(new string('a', 109))).Message, StringComparison.Ordinal);
        Assert.Contains("108", Assert.Throws<ArgumentException>(() => UnixAddress.FromAbstractName(new string('a', 108))).Message, StringComparison.Ordinal);
    }
}
