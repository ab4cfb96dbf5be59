using System.Reflection;
using System.Runtime.InteropServices;
using Xunit;

namespace Buses.Abi.Tests;

/// <summary>
/// Every struct and constant the library marshals, checked against the C headers of each ABI the
/// library ships for: x86-64 on this host (C# side measured from the live runtime), arm64 and armhf
/// (Raspberry Pi gateways) through the Debian cross compilers and qemu-user (C# side computed by
/// <see cref="LayoutModel"/>, itself checked against the live runtime here).
/// </summary>
public sealed class AbiTests(ITestOutputHelper output)
{
    public static TheoryData<string> Abis => ["x86-64", "arm64", "armhf"];

    internal static TargetAbi HostAbi => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => TargetAbi.X64,
        Architecture.Arm64 => TargetAbi.Arm64,
        Architecture.Arm => TargetAbi.Armhf,
        var other => throw new PlatformNotSupportedException($"no ABI model for {other}"),
    };

    [Fact]
    public void Catalog_finds_the_marshalled_types_and_every_name_resolves()
    {
        AbiCatalog.Catalog catalog = AbiCatalog.Current;
        output.WriteLine($"{catalog.Structs.Count} structs ({catalog.Structs.Sum(s => s.Fields.Count)} fields), {catalog.Constants.Count} constants");
        output.WriteLine("library-own (not checked against C): " + string.Join("; ", catalog.LibraryOwn));

        // Guards against discovery quietly finding nothing after a namespace move.
        string[] expected =
        [
            "Buses.Interop.msghdr", "Buses.Interop.cmsghdr", "Buses.Interop.mmsghdr", "Buses.Interop.ucred", "Buses.Can.Interop.sockaddr_can",
            "Buses.Can.CanFrame", "Buses.Can.CanFdFrame", "Buses.Netlink.Interop.ifinfomsg", "Buses.Packet.Interop.sock_fprog",
        ];
        string[] missing = [.. expected.Where(name => catalog.Structs.All(s => s.Name != name))];
        Assert.True(missing.Length == 0, "discovery lost: " + string.Join(", ", missing));
        Assert.Contains(catalog.Constants, c => c.Name == "Buses.Can.Interop.CanUapi.CAN_RAW_FILTER");
        Assert.True(catalog.Problems.Count == 0, string.Join("\n", catalog.Problems));
    }

    [Fact]
    public void Layout_model_agrees_with_the_runtime_on_this_host()
    {
        TargetAbi host = HostAbi;
        var problems = new List<string>();
        foreach (StructCheck s in AbiCatalog.Current.Structs)
        {
            TypeLayout model = LayoutModel.Of(s.Type, host);
            TypeLayout real = RuntimeLayout.Of(s.Type);
            if ((model.Size, model.Align) != (real.Size, real.Align))
            {
                problems.Add($"{s.Name}: model size/align {model.Size}/{model.Align} vs runtime {real.Size}/{real.Align}");
            }

            foreach ((FieldPlace m, FieldPlace r) in model.Fields.Zip(real.Fields))
            {
                if ((m.Offset, m.Size) != (r.Offset, r.Size))
                {
                    problems.Add($"{s.Name}.{AbiCatalog.FieldName(m.Field)}: model offset/size {m.Offset}/{m.Size} vs runtime {r.Offset}/{r.Size}");
                }
            }
        }

        Assert.True(problems.Count == 0, $"the layout model is wrong on {host}, so its arm results cannot be trusted:\n" + string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Abis))]
    public void Struct_layouts_match_the_C_headers(string abiName)
    {
        TargetAbi abi = TargetAbi.ByName(abiName);
        ProbeResult c = Probe(abi);
        bool measured = abi == HostAbi;
        AbiCatalog.Catalog catalog = AbiCatalog.Current;
        Comparison result = AbiComparison.Structs(
            catalog.Structs, c, type => measured ? RuntimeLayout.Of(type) : LayoutModel.Of(type, abi), catalog.NewerUapi);

        output.WriteLine($"{abi}: {result.Checked} structs, {result.Fields} fields checked ({(measured ? "runtime layout" : "layout model")}); probe took {c.Elapsed.TotalSeconds:F1} s{(CProbe.NewerHeaders is null ? "" : $"; headers in {CProbe.NewerHeaders} first")}");
        ReportUnchecked(abi, result.NotChecked);
        Assert.True(result.Problems.Count == 0, $"{result.Problems.Count} ABI mismatch(es) on {abi}:\n" + string.Join("\n", result.Problems));
    }

    [Theory]
    [MemberData(nameof(Abis))]
    public void Constants_match_the_C_headers(string abiName)
    {
        TargetAbi abi = TargetAbi.ByName(abiName);
        ProbeResult c = Probe(abi);
        Comparison result = AbiComparison.Constants(AbiCatalog.Current.Constants, c, AbiCatalog.Current.NewerUapi);

        output.WriteLine($"{abi}: {result.Checked} constants checked{(CProbe.NewerHeaders is null ? "" : $" (headers in {CProbe.NewerHeaders} first)")}");
        ReportUnchecked(abi, result.NotChecked);
        Assert.True(result.Problems.Count == 0, $"{result.Problems.Count} constant mismatch(es) on {abi}:\n" + string.Join("\n", result.Problems));
    }

    /// <summary>
    /// <c>struct epoll_event</c> is packed only on x86-64, so the readiness engine picks its stride
    /// and the offset of <c>data</c> per architecture instead of declaring one C# struct.
    /// </summary>
    [Theory]
    [MemberData(nameof(Abis))]
    public void Epoll_event_layout_matches_the_readiness_engine(string abiName)
    {
        TargetAbi abi = TargetAbi.ByName(abiName);
        ProbeResult c = Probe(abi);
        Type engine = typeof(BusSocket).Assembly.GetTypes().Single(t => t.Name == "ReadinessEngine");
        int Read(string name) => (int)engine.GetField(name, BindingFlags.Static | BindingFlags.NonPublic)!.GetValue(null)!;

        // The engine decides by RuntimeInformation.ProcessArchitecture: x86-64 packs, every other ABI aligns.
        (int size, int dataOffset) = abi == HostAbi ? (Read("s_eventSize"), Read("s_dataOffset"))
            : abi == TargetAbi.X64 ? (12, 4) : (16, 8);
        Assert.True(c.TryGet("S epoll_event", out ulong cSize), c.Why("S epoll_event"));
        Assert.True(c.TryGet("O epoll_event.data", out ulong cOffset), c.Why("O epoll_event.data"));
        Assert.Equal(((ulong)size, (ulong)dataOffset), (cSize, cOffset));
    }

    /// <summary>
    /// <c>struct bcm_msg_head</c> holds two <c>long</c>-sized timevals and 8-byte-aligned frames, so Bus.Can
    /// lays it out by offsets for the process's <c>long</c> (BcmHeadLayout) instead of one C# struct.
    /// </summary>
    [Theory]
    [MemberData(nameof(Abis))]
    public void Bcm_msg_head_layout_matches_the_bcm_codec(string abiName)
    {
        TargetAbi abi = TargetAbi.ByName(abiName);
        ProbeResult c = Probe(abi);
        Buses.Can.BcmHeadLayout layout = abi.PointerSize == 8 ? Buses.Can.BcmHeadLayout.Lp64 : Buses.Can.BcmHeadLayout.Ilp32;
        if (abi == HostAbi)
        {
            Assert.Same(layout, Buses.Can.BcmHeadLayout.Current);
        }

        int[] ours = [layout.Opcode, layout.Flags, layout.Count, layout.Ival1, layout.Ival2, layout.CanId, layout.NFrames, layout.Size];
        var problems = new List<string>();
        for (int i = 0; i < CProbe.BcmHeadMembers.Length; i++)
        {
            string key = "O bcm_msg_head." + CProbe.BcmHeadMembers[i];
            Assert.True(c.TryGet(key, out ulong offset), c.Why(key));
            if (offset != (ulong)ours[i])
            {
                problems.Add($"{CProbe.BcmHeadMembers[i]}: C# {ours[i]} vs C {offset}");
            }
        }

        Assert.True(c.TryGet("S bcm_msg_head", out ulong size), c.Why("S bcm_msg_head"));
        if (size != (ulong)layout.Size)
        {
            problems.Add($"sizeof: C# {layout.Size} vs C {size}");
        }

        Assert.True(problems.Count == 0, $"bcm_msg_head on {abi}: " + string.Join("; ", problems));
    }

    // Names newer than these headers cannot be checked here; say so in the test output rather than pass quietly.
    private void ReportUnchecked(TargetAbi abi, List<string> names)
    {
        names = [.. names.Distinct()];
        if (names.Count > 0)
        {
            output.WriteLine($"{abi}: NOT checked, the headers used ({CProbe.NewerHeaders ?? "the system's"}) predate them: {string.Join(", ", names)}");
            TestContext.Current.AddWarning($"{abi}: {names.Count} name(s) newer than the installed kernel headers were not checked: {string.Join(", ", names)}");
        }
    }

    internal static ProbeResult Probe(TargetAbi abi)
    {
        RequireToolchain(abi);
        return CProbe.For(abi);
    }

    internal static void RequireToolchain(TargetAbi abi)
    {
        string[] tools = [abi.Compiler, .. abi.Runner.Take(1)];
        string[] missing = [.. tools.Where(t => CProbe.FindOnPath(t) is null)];
        if (missing.Length == 0)
        {
            return;
        }

        if (abi == HostAbi || Environment.GetEnvironmentVariable("BUSES_ABI_CROSS") == "require")
        {
            Assert.Fail($"{abi} ABI check needs {string.Join(" and ", missing)} on PATH (apt: gcc libc6-dev linux-libc-dev; cross: gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf qemu-user)");
        }

        Assert.Skip($"{abi} ABI check skipped: {string.Join(" and ", missing)} not installed; apt-get install gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf qemu-user to check the Raspberry Pi ABIs (BUSES_ABI_CROSS=require turns this skip into a failure)");
    }
}
