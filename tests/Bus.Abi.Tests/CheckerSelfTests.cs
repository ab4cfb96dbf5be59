using System.Runtime.InteropServices;
using Xunit;

namespace Buses.Abi.Tests;

/// <summary>
/// The ABI checker must be able to fail: deliberately wrong copies of kernel structs and constants
/// go through the same probe and comparison, and every defect must be named.
/// </summary>
public sealed class CheckerSelfTests
{
    [Fact]
    public void Every_wrong_layout_and_value_is_reported_at_once()
    {
        TargetAbi host = AbiTests.HostAbi;
        AbiTests.RequireToolchain(host);
        StructCheck[] structs =
        [
            Check(typeof(can_frame_short_data), "struct can_frame"),
            Check(typeof(sockaddr_can_misplaced), "struct sockaddr_can"),
            Check(typeof(can_frame_short_data), "struct no_such_struct"),
        ];
        ConstantCheck[] constants =
        [
            new("Wrong.CAN_RAW_FILTER", "CAN_RAW_FILTER", 2),
            new("Wrong.NOT_A_LINUX_NAME", "NOT_A_LINUX_NAME", 1),
            new("Wrong.CAN_EFF_FLAG", "CAN_EFF_FLAG", (byte)0x80),
            new("Right.SO_RCVBUF", "SO_RCVBUF", 8),
            new("Right.EPOLLET", "EPOLLET", 0x80000000u),
        ];
        ProbeResult c = CProbe.Run(host, structs, constants);

        List<string> layout = AbiComparison.Structs(structs, c, RuntimeLayout.Of, new HashSet<string>()).Problems;
        List<string> values = AbiComparison.Constants(constants, c, new HashSet<string>()).Problems;

        Assert.Collection(
            layout,
            p => Assert.EndsWith("can_frame_short_data: sizeof C# 12 vs C 16 (struct can_frame)", p),
            p => Assert.EndsWith("can_frame_short_data: alignment C# 4 vs C 8 (struct can_frame)", p),
            p => Assert.EndsWith("can_frame_short_data.data: C# size 4 vs C 8", p),
            p => Assert.EndsWith("sockaddr_can_misplaced: alignment C# 4 vs C 8 (struct sockaddr_can)", p),
            p => Assert.EndsWith("sockaddr_can_misplaced.can_ifindex: C# offset 2 vs C 4", p),
            p => Assert.Contains("sockaddr_can_misplaced.no_such_member: C has no such member", p),
            p => Assert.Contains("can_frame_short_data: C has no struct no_such_struct", p));
        Assert.Collection(
            values,
            p => Assert.StartsWith("Wrong.CAN_RAW_FILTER: C# 2 (0x2) vs C 1 (0x1)", p),
            p => Assert.StartsWith("Wrong.NOT_A_LINUX_NAME: C has no such name", p),
            p => Assert.StartsWith("Wrong.CAN_EFF_FLAG: C# 128 (0x80) vs C 2147483648 (0x80000000)", p));
    }

    /// <summary>A C <c>long</c> written as C# <c>long</c> is right on 64-bit and wrong on armhf: only the armhf run may say so.</summary>
    [Theory]
    [InlineData("x86-64")]
    [InlineData("arm64")]
    [InlineData("armhf")]
    public void A_long_declared_as_64_bit_fails_only_on_armhf(string abiName)
    {
        TargetAbi abi = TargetAbi.ByName(abiName);
        AbiTests.RequireToolchain(abi);
        StructCheck[] structs = [Check(typeof(timespec_as_64_bit), "struct timespec")];
        ProbeResult c = CProbe.Run(abi, structs, []);

        List<string> problems = AbiComparison.Structs(structs, c, t => LayoutModel.Of(t, abi), new HashSet<string>()).Problems;

        if (abi == TargetAbi.Armhf)
        {
            Assert.Contains(problems, p => p.EndsWith("timespec_as_64_bit: sizeof C# 16 vs C 8 (struct timespec)", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.EndsWith("timespec_as_64_bit.tv_nsec: C# offset 8 vs C 4", StringComparison.Ordinal));
        }
        else
        {
            Assert.Empty(problems);
        }
    }

    private static StructCheck Check(Type type, string cType) =>
        new(type, cType, [.. LayoutModel.InstanceFields(type).Select(f => new FieldCheck(f, f.Name))]);

    // data must be 8 bytes and 8-aligned (the header's aligned(8)); a uint breaks size, alignment and the field.
    [StructLayout(LayoutKind.Sequential)]
    private struct can_frame_short_data
    {
        public uint can_id;
        public byte len;
        public byte __pad;
        public byte __res0;
        public byte len8_dlc;
        public uint data;
    }

    // No 64-bit member (the J1939 name), so also 4-aligned where the C union is 8-aligned.
    [StructLayout(LayoutKind.Explicit, Size = 24)]
    private struct sockaddr_can_misplaced
    {
        [FieldOffset(0)] public ushort can_family;
        [FieldOffset(2)] public int can_ifindex;
        [FieldOffset(8)] public uint no_such_member;
    }

    // glibc's timespec on armhf (32-bit time_t by default) is two 32-bit longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct timespec_as_64_bit
    {
        public long tv_sec;
        public long tv_nsec;
    }
}
