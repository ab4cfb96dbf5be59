using System.Runtime.InteropServices;
using Buses.Can;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Can.IsoTp;

public class IsoTpAddressTests
{
    private static readonly Gen<CanId> Ids = Gen.OneOf(
        Gen.Choose(0, 0x7FF).Select(v => CanId.Standard((uint)v)),
        Gen.Choose(0, 0x1FFFFFFF).Select(v => CanId.Extended((uint)v)));

    [Theory]
    [InlineData("isotp:vcan0/7E8/7E0")]
    [InlineData("isotp:#3/18DAF110/18DA10F1")]
    [InlineData("isotp:can1/000/7FF")]
    public void Canonical_text_parses_back(string text)
    {
        Assert.Equal(text, IsoTpAddress.Parse(text).ToString());
        Assert.Equal(text, SocketAddressParser.Parse(text).ToString());
    }

    [Fact]
    public void Any_id_pair_round_trips_through_text_and_sockaddr_can() =>
        Prop.ForAll(Ids.ToArbitrary(), Ids.ToArbitrary(), Gen.Choose(1, 5000).ToArbitrary(), (rx, tx, index) =>
        {
            IsoTpAddress address = IsoTpAddress.FromIndex(index, rx, tx);
            byte[] bytes = new byte[24];
            int length = address.Encode(bytes);
            return length == 24 && IsoTpAddress.Decode(bytes) == address && IsoTpAddress.Parse(address.ToString()) == address
                && MemoryMarshal.Read<uint>(bytes.AsSpan(8)) == rx.Raw && MemoryMarshal.Read<uint>(bytes.AsSpan(12)) == tx.Raw;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void The_isotp_arm_decodes_by_family_and_protocol()
    {
        byte[] bytes = new byte[24];
        IsoTpAddress.FromIndex(4, CanId.Standard(0x7E8), CanId.Standard(0x7E0)).Encode(bytes);
        Assert.IsType<IsoTpAddress>(SocketAddressParser.Decode(bytes, 6));
        Assert.IsType<CanAddress>(SocketAddressParser.Decode(bytes, 1));
    }

    [Theory]
    [InlineData("isotp:vcan0/7E8", "interface/rx/tx")]
    [InlineData("isotp:any/7E8/7E0", "'any'")]
    [InlineData("isotp:vcan0/800/7E0", "'800' is not a CAN ID")]
    [InlineData("isotp:vcan0/7E8/xyz", "'xyz' is not a CAN ID")]
    public void Bad_text_names_the_bad_part(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => IsoTpAddress.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Remote_ids_and_short_sockaddrs_are_refused()
    {
        Assert.Contains("remote", Assert.Throws<ArgumentException>(() => new IsoTpAddress("vcan0", CanId.Standard(1, remote: true), CanId.Standard(2))).Message, StringComparison.Ordinal);
        byte[] bytes = new byte[24];
        IsoTpAddress.FromIndex(1, CanId.Standard(1), CanId.Standard(2)).Encode(bytes);
        Assert.Throws<FormatException>(() => IsoTpAddress.Decode(bytes.AsSpan(0, 12)));
        Assert.False(TryDecode<IsoTpAddress>(bytes.AsSpan(0, 12)));
    }

    private static bool TryDecode<T>(ReadOnlySpan<byte> bytes)
        where T : struct, ISocketAddress<T> => T.TryDecode(bytes, out _);

    [Theory]
    [InlineData(16, 12)]
    [InlineData(72, 13)]
    [InlineData(40, 8)]
    public void Bad_link_layers_are_refused_before_the_syscall(int mtu, int txDl) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new IsoTpLinkLayer((byte)mtu, (byte)txDl).Validate());

    [Theory]
    [InlineData(0x80)]
    [InlineData(0xF0)]
    [InlineData(0xFA)]
    public void Reserved_stmin_bytes_are_refused(int stmin) =>
        Assert.Contains("reserved", Assert.Throws<ArgumentOutOfRangeException>(() => new IsoTpFlowControl(SeparationTime: (byte)stmin).Validate()).Message, StringComparison.Ordinal);

    [Fact]
    public void Fd_link_layer_and_defaults_are_the_kernel_values()
    {
        Assert.Equal(new IsoTpLinkLayer(72, 64, CanFdFlags.BitRateSwitch), IsoTpLinkLayer.Fd(64, CanFdFlags.BitRateSwitch));
        Assert.Equal(new IsoTpLinkLayer(16, 8), IsoTpLinkLayer.Classic);
        Assert.Equal(0xCC, IsoTpOptions.Default.TransmitPadding);
        Assert.Equal(12, System.Runtime.CompilerServices.Unsafe.SizeOf<IsoTpOptions>());
        Assert.Equal(3, System.Runtime.CompilerServices.Unsafe.SizeOf<IsoTpFlowControl>());
        Assert.Equal(3, System.Runtime.CompilerServices.Unsafe.SizeOf<IsoTpLinkLayer>());
    }

    [Fact]
    public void Errnos_carry_their_iso_tp_meaning()
    {
        Assert.Contains("flow control", IsoTpSocket.Meaning(Errno.ECOMM), StringComparison.Ordinal);
        Assert.Contains("sequence number", IsoTpSocket.Meaning(Errno.EILSEQ), StringComparison.Ordinal);
        Assert.Contains("N_Cr", IsoTpSocket.Meaning(Errno.ETIMEDOUT), StringComparison.Ordinal);
        Assert.Null(IsoTpSocket.Meaning(Errno.ENODEV));
    }
}
