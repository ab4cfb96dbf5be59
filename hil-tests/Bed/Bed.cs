using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using Xunit;
using static Buses.HilTests.Bed.KernelConstants;

namespace Buses.HilTests.Bed;

/// <summary>
/// The machine the kernel-in-the-loop tests run on: the testbed guest (<c>BUSES_TESTBED=1</c>), or
/// any Linux host, where environment variables can name real adapters instead of the virtual ones
/// (see vcan-setup/README.md).
/// </summary>
public static class Bed
{
    private static readonly ConcurrentDictionary<Capability, string?> s_missing = new();

    /// <summary>True inside the testbed, which promises every capability.</summary>
    public static bool InTestbed => Environment.GetEnvironmentVariable("BUSES_TESTBED") == "1";

    /// <summary>The kernel release the tests run on.</summary>
    public static string Kernel => Env("BUSES_KERNEL") ?? File.ReadAllText("/proc/sys/kernel/osrelease").Trim();

    /// <summary>The CAN interface tests use (<c>BUSES_CAN_IF</c>, default vcan0).</summary>
    public static string CanInterface => Env("BUSES_CAN_IF") ?? "vcan0";

    /// <summary>A second CAN interface (<c>BUSES_CAN_IF2</c>, default vcan1).</summary>
    public static string CanInterface2 => Env("BUSES_CAN_IF2") ?? "vcan1";

    /// <summary>A CAN XL capable interface (<c>BUSES_CANXL_IF</c>, default vcanxl0).</summary>
    public static string CanXlInterface => Env("BUSES_CANXL_IF") ?? "vcanxl0";

    /// <summary>The two ends of a vxcan pair (<c>BUSES_VXCAN=a,b</c>, default vxcan0,vxcan1).</summary>
    public static (string First, string Second) VxcanPair
    {
        get
        {
            string[] ends = (Env("BUSES_VXCAN") ?? "vxcan0,vxcan1").Split(',', StringSplitOptions.TrimEntries);
            return ends.Length == 2 ? (ends[0], ends[1]) : throw new FormatException($"BUSES_VXCAN='{Env("BUSES_VXCAN")}' is not two interface names separated by a comma.");
        }
    }

    /// <summary>The first Bluetooth controller's name (<c>BUSES_BT0_IF</c>, default hci0).</summary>
    public static string BluetoothInterface0 => Env("BUSES_BT0_IF") ?? "hci0";

    /// <summary>The second, connectable controller's name (<c>BUSES_BT1_IF</c>, default hci1).</summary>
    public static string BluetoothInterface1 => Env("BUSES_BT1_IF") ?? "hci1";

    /// <summary>The first controller's address, <c>XX:XX:XX:XX:XX:XX</c> (<c>BUSES_BT0</c>, else read from debugfs).</summary>
    public static string? BluetoothAddress0 => Env("BUSES_BT0") ?? ControllerAddress(BluetoothInterface0);

    /// <summary>The second controller's address (<c>BUSES_BT1</c>, else read from debugfs).</summary>
    public static string? BluetoothAddress1 => Env("BUSES_BT1") ?? ControllerAddress(BluetoothInterface1);

    /// <summary>This TIPC node's address as sockets report it (<c>BUSES_TIPC_NODE</c>).</summary>
    public static uint? TipcNode => ParseNode("BUSES_TIPC_NODE");

    /// <summary>The peer TIPC node's address (<c>BUSES_TIPC_PEER_NODE</c>).</summary>
    public static uint? TipcPeerNode => ParseNode("BUSES_TIPC_PEER_NODE");

    /// <summary>The network namespace the peer TIPC node lives in (<c>BUSES_TIPC_PEER_NETNS</c>), if it is one here.</summary>
    public static string? TipcPeerNamespace => Env("BUSES_TIPC_PEER_NETNS");

    /// <summary>A writable directory for test artefacts (<c>BUSES_RESULTS</c>, else a temporary one).</summary>
    public static string ResultsDirectory
    {
        get
        {
            string dir = Env("BUSES_RESULTS") ?? Path.Combine(Path.GetTempPath(), "buses-results");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>
    /// Makes the test depend on <paramref name="capabilities"/>. A missing one skips the test with
    /// its reason — except inside the testbed, where it fails: the testbed promises them all.
    /// </summary>
    public static void Require(params Capability[] capabilities)
    {
        List<string> reasons = [];
        foreach (Capability capability in capabilities)
        {
            if (Missing(capability) is { } reason)
            {
                reasons.Add(reason);
            }
        }

        if (reasons.Count == 0)
        {
            return;
        }

        string text = string.Join("; ", reasons);
        if (InTestbed)
        {
            Assert.Fail($"the testbed promises this but {text}");
        }

        Assert.Skip(text);
    }

    /// <summary>Why <paramref name="capability"/> is missing here, or null when it is present.</summary>
    public static string? Missing(Capability capability) => s_missing.GetOrAdd(capability, Probe);

    /// <summary>The interface's MTU from sysfs, or null when there is no such interface.</summary>
    public static int? Mtu(string name) => ReadInt($"/sys/class/net/{name}/mtu");

    private static string? Probe(Capability capability) => capability switch
    {
        Capability.Can => SocketMissing("CAN", SocketFamily.Can, SocketType.Raw, CanRaw) ?? CanInterfaceMissing("CAN", CanInterface, 16),
        Capability.CanFd => Missing(Capability.Can) ?? CanInterfaceMissing("CAN FD", CanInterface, 72),
        Capability.CanXl => Missing(Capability.Can) ?? CanInterfaceMissing("CAN XL", CanXlInterface, 2060),
        Capability.Vxcan => Missing(Capability.Can) ?? CanInterfaceMissing("vxcan", VxcanPair.First, 16) ?? CanInterfaceMissing("vxcan", VxcanPair.Second, 16),
        Capability.IsoTp => SocketMissing("ISO-TP", SocketFamily.Can, SocketType.Dgram, CanIsoTp),
        Capability.J1939 => SocketMissing("J1939", SocketFamily.Can, SocketType.Dgram, CanJ1939),
        Capability.Bcm => SocketMissing("CAN BCM", SocketFamily.Can, SocketType.Dgram, CanBcm),
        // can-gw has no socket of its own; its module directory is there whether built in or loaded.
        Capability.CanGw => Directory.Exists("/sys/module/can_gw") ? null : "needs can-gw: module can_gw is not loaded (modprobe can-gw)",
        Capability.Tipc => SocketMissing("TIPC", SocketFamily.Tipc, SocketType.Rdm, 0),
        Capability.TipcCluster => Missing(Capability.Tipc) ?? (TipcPeerNode is null ? "needs a TIPC cluster: BUSES_TIPC_PEER_NODE names no peer node (vcan-setup/host-setup.sh up makes one)" : null),
        Capability.Bluetooth => SocketMissing("Bluetooth", SocketFamily.Bluetooth, SocketType.Raw, BtProtoHci) ?? ControllersMissing(),
        Capability.Packet => SocketMissing("AF_PACKET", SocketFamily.Packet, SocketType.Raw, 0),
        Capability.Netlink => SocketMissing("netlink", SocketFamily.Netlink, SocketType.Raw, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(capability), capability, "Unknown capability."),
    };

    private static string? SocketMissing(string what, SocketFamily family, SocketType type, int protocol)
    {
        try
        {
            using var socket = new BusSocket(family, type, protocol);
            return null;
        }
        catch (BusException e)
        {
            return $"needs {what}: {e.Message}";
        }
    }

    private static string? CanInterfaceMissing(string what, string name, int minimumMtu)
    {
        if (!Directory.Exists($"/sys/class/net/{name}"))
        {
            return $"needs {what}: no interface {name} (set BUSES_CAN_IF and friends, or run vcan-setup/host-setup.sh up)";
        }

        if (ReadInt($"/sys/class/net/{name}/type") != ArphrdCan)
        {
            return $"needs {what}: {name} is not a CAN interface";
        }

        if ((ReadInt($"/sys/class/net/{name}/flags") & 1) == 0)
        {
            return $"needs {what}: {name} is down";
        }

        int mtu = Mtu(name) ?? 0;
        return mtu >= minimumMtu ? null : $"needs {what}: {name} has MTU {mtu}, not {minimumMtu}";
    }

    private static string? ControllersMissing()
    {
        foreach (string name in new[] { BluetoothInterface0, BluetoothInterface1 })
        {
            if (!Directory.Exists($"/sys/class/bluetooth/{name}"))
            {
                return $"needs Bluetooth: no controller {name} (two are needed; btvirt -l2 makes them)";
            }
        }

        return BluetoothAddress0 is null || BluetoothAddress1 is null
            ? "needs Bluetooth: controller addresses unknown (set BUSES_BT0 and BUSES_BT1)"
            : null;
    }

    private static string? ControllerAddress(string name)
    {
        // Needs debugfs (root); the testbed sets BUSES_BT0/1 so tests need not read it.
        string path = $"/sys/kernel/debug/bluetooth/{name}/identity";
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Split(' ')[0].ToUpperInvariant() : null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static uint? ParseNode(string variable) =>
        Env(variable) is { } text ? uint.Parse(text, CultureInfo.InvariantCulture) : null;

    private static int? ReadInt(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        string text = File.ReadAllText(path).Trim();
        return text.StartsWith("0x", StringComparison.Ordinal)
            ? int.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : int.Parse(text, CultureInfo.InvariantCulture);
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
