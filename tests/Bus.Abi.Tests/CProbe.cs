using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Buses.Abi.Tests;

/// <summary>What one C probe program printed for one ABI, and what its compiler rejected.</summary>
internal sealed record ProbeResult(TargetAbi Abi, IReadOnlyDictionary<string, string> Values, IReadOnlyDictionary<string, string> Rejected, TimeSpan Elapsed)
{
    public bool TryGet(string key, out ulong value)
    {
        value = 0;
        return Values.TryGetValue(key, out string? text) && ulong.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    public string Why(string key) => Rejected.TryGetValue(key, out string? error) ? error : "not printed";
}

/// <summary>
/// Generates one C program that prints sizeof/_Alignof/offsetof of every catalogued struct and
/// member and the value of every constant, compiles it with the target's gcc against the real
/// glibc and kernel UAPI headers, and runs it (under qemu-user for arm). A line the compiler
/// rejects (a member or macro the headers do not have) is dropped and reported, not fatal, so one
/// run reports every mismatch at once.
/// </summary>
internal static partial class CProbe
{
    // <net/if.h> before <linux/if.h>: linux/libc-compat.h then adds only what glibc lacks (IFF_LOWER_UP…).
    private static readonly string[] s_headers =
    [
        "stddef.h", "stdio.h", "errno.h", "fcntl.h", "poll.h", "sys/socket.h", "sys/un.h", "sys/epoll.h",
        "sys/eventfd.h", "sys/uio.h", "sched.h", "net/if.h", "net/if_arp.h", "netinet/in.h", "netinet/tcp.h",
        "linux/if.h", "linux/if_ether.h", "linux/if_packet.h", "linux/filter.h", "linux/netlink.h",
        "linux/rtnetlink.h", "linux/if_link.h", "linux/genetlink.h", "linux/net_tstamp.h", "linux/errqueue.h",
        "linux/sockios.h", "linux/can.h", "linux/can/raw.h", "linux/can/bcm.h", "linux/can/isotp.h",
        "linux/can/j1939.h", "linux/can/netlink.h", "linux/can/error.h", "linux/can/gw.h", "linux/veth.h",
        "linux/tipc.h", "linux/if_alg.h", "sys/time.h",
        "sys/ioctl.h", "bluetooth/bluetooth.h", "bluetooth/hci.h", "bluetooth/l2cap.h", "bluetooth/rfcomm.h", "bluetooth/sco.h",
    ];

    /// <summary>The members of <c>struct bcm_msg_head</c>, which Bus.Can lays out by offsets per ABI (BcmHeadLayout).</summary>
    public static readonly string[] BcmHeadMembers = ["opcode", "flags", "count", "ival1", "ival2", "can_id", "nframes", "frames"];

    // BlueZ's headers (libbluetooth-dev) are the Bluetooth socket ABI; they are plain C with no
    // architecture-specific part, but Debian installs them only for the host. A cross compiler gets
    // them through a directory holding nothing but a link to them, searched after its own sysroot,
    // so no other host header can leak into an arm build.
    private const string BlueZHeaders = "/usr/include/bluetooth";

    private static string[] BlueZArguments(TargetAbi abi, string dir)
    {
        if (abi == TargetAbi.X64)
        {
            return [];
        }

        string include = Path.Combine(dir, "bluez-include");
        Directory.CreateDirectory(include);
        File.CreateSymbolicLink(Path.Combine(include, "bluetooth"), BlueZHeaders);
        return ["-idirafter", include];
    }

    private static readonly ConcurrentDictionary<TargetAbi, Lazy<ProbeResult>> s_results = new();

    /// <summary>
    /// A directory of newer kernel UAPI headers searched before the system's (<c>BUSES_ABI_HEADERS</c>,
    /// set by ./test from kernel-headers.sh), or null: the host's headers can predate names the
    /// library uses against newer kernels, which would otherwise go unchecked.
    /// </summary>
    public static string? NewerHeaders { get; } = Environment.GetEnvironmentVariable("BUSES_ABI_HEADERS") is { Length: > 0 } d ? d : null;

    private static string[] NewerHeaderArguments => NewerHeaders is null ? [] : ["-I", NewerHeaders];

    public static ProbeResult For(TargetAbi abi) =>
        s_results.GetOrAdd(abi, a => new Lazy<ProbeResult>(() => Run(a, AbiCatalog.Current.Structs, AbiCatalog.Current.Constants))).Value;

    // Keys name the C type too: one C# type may be probed against several C types.
    public static string SizeKey(StructCheck s) => $"S {s.Name}={s.CType}";

    public static string AlignKey(StructCheck s) => $"A {s.Name}={s.CType}";

    public static string OffsetKey(StructCheck s, FieldCheck f) => $"O {s.Name}={s.CType}.{f.Name}";

    public static string FieldSizeKey(StructCheck s, FieldCheck f) => $"Z {s.Name}={s.CType}.{f.Name}";

    public static string ConstantKey(ConstantCheck c) => "C " + c.Name;

    public static ProbeResult Run(TargetAbi abi, IReadOnlyList<StructCheck> structs, IReadOnlyList<ConstantCheck> constants)
    {
        var started = Stopwatch.StartNew();
        var probes = new List<(string Key, string Statement)>();
        foreach (StructCheck s in structs)
        {
            probes.Add((SizeKey(s), Print(SizeKey(s), $"sizeof({s.CType})")));
            probes.Add((AlignKey(s), Print(AlignKey(s), $"_Alignof({s.CType})")));
            foreach (FieldCheck f in s.Fields)
            {
                probes.Add((OffsetKey(s, f), Print(OffsetKey(s, f), $"offsetof({s.CType}, {f.CMember})")));
                probes.Add((FieldSizeKey(s, f), Print(FieldSizeKey(s, f), $"sizeof((({s.CType} *)0)->{f.CMember})")));
            }
        }

        // Layouts the library handles as bytes rather than as one C# struct, checked by their own tests.
        probes.Add(("S epoll_event", Print("S epoll_event", "sizeof(struct epoll_event)")));
        probes.Add(("O epoll_event.data", Print("O epoll_event.data", "offsetof(struct epoll_event, data)")));
        foreach (string member in BcmHeadMembers)
        {
            probes.Add(("O bcm_msg_head." + member, Print("O bcm_msg_head." + member, $"offsetof(struct bcm_msg_head, {member})")));
        }

        probes.Add(("S bcm_msg_head", Print("S bcm_msg_head", "sizeof(struct bcm_msg_head)")));

        foreach (ConstantCheck c in constants)
        {
            string key = ConstantKey(c);
            probes.Add((key, c.Value is string
                ? $"printf(\"%s\\t%s\\n\", \"{key}\", {c.CExpression});"
                : Print(key, c.CExpression)));
        }

        string dir = Directory.CreateTempSubdirectory($"buses-abi-{abi.Name}-").FullName;
        try
        {
            var rejected = new Dictionary<string, string>();
            string source = Path.Combine(dir, "probe.c");
            string exe = Path.Combine(dir, "probe");
            string[] bluez = BlueZArguments(abi, dir);
            for (int attempt = 0; ; attempt++)
            {
                // Line 1 defines _GNU_SOURCE, one line per header follows, then "int main", then one
                // line per probe: a compiler error's line number names the probe it rejects.
                string code = "#define _GNU_SOURCE\n" + string.Concat(s_headers.Select(h => $"#include <{h}>\n")) + "int main(void) {\n"
                    + string.Join("\n", probes.Select(p => p.Statement)) + "\nreturn 0;\n}\n";
                File.WriteAllText(source, code);
                int firstProbeLine = 1 + s_headers.Length + 2;
                (int status, _, string errors) = Exec(abi.Compiler, ["-std=gnu11", "-w", "-O0", .. NewerHeaderArguments, .. bluez, "-o", exe, source], dir);
                if (status == 0)
                {
                    break;
                }

                var bad = new Dictionary<int, string>();
                foreach (Match m in CompilerError().Matches(errors))
                {
                    int index = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) - firstProbeLine;
                    if (index >= 0 && index < probes.Count)
                    {
                        bad.TryAdd(index, m.Groups[2].Value.Trim());
                    }
                }

                if (bad.Count == 0 || attempt == 8)
                {
                    throw new InvalidOperationException($"{abi.Compiler} failed on the ABI probe outside any single probe line:\n{errors}");
                }

                foreach ((int index, string error) in bad.OrderByDescending(b => b.Key))
                {
                    rejected[probes[index].Key] = error;
                    probes.RemoveAt(index);
                }
            }

            string[] command = [.. abi.Runner, exe];
            (int runStatus, string output, string runErrors) = Exec(command[0], command[1..], dir);
            if (runStatus != 0)
            {
                throw new InvalidOperationException($"the {abi} probe exited with {runStatus}: {runErrors}");
            }

            var values = new Dictionary<string, string>();
            foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int tab = line.IndexOf('\t', StringComparison.Ordinal);
                values[line[..tab]] = line[(tab + 1)..];
            }

            return new ProbeResult(abi, values, rejected, started.Elapsed);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Print(string key, string expression) =>
        $"printf(\"%s\\t%llu\\n\", \"{key}\", (unsigned long long)({expression}));";

    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    private static (int Status, string Output, string Errors) Exec(string program, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, errors.Result);
    }

    [GeneratedRegex(@"probe\.c:(\d+):\d+: error: (.*)")]
    private static partial Regex CompilerError();
}
