using System.Diagnostics;
using System.Runtime.InteropServices;
using Buses.Netlink;

namespace Buses.Tests.Netlink;

/// <summary>
/// A private network namespace for one test (<c>ip netns add buses-t-XXXXXXXX</c>), deleted on dispose,
/// so link tests never touch the machine's own interfaces. Sockets made by <see cref="Run{T}"/> live in it.
/// Needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN) and iproute2's <c>ip</c>.
/// </summary>
internal sealed partial class TestNamespace : IDisposable
{
    public TestNamespace()
    {
        Name = "buses-t-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8];
        Ip($"netns add {Name}");
        // No IPv6 autoconfiguration chatter (router solicitations, MLD) on the test links.
        Ip($"netns exec {Name} sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
    }

    public string Name { get; }

    public string Path => "/run/netns/" + Name;

    public T Run<T>(Func<T> action) => NetworkNamespace.Run(Path, action);

    public void Dispose() => Ip($"netns del {Name}");

    public static string Ip(string arguments)
    {
        var start = new ProcessStartInfo("ip", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start 'ip' (iproute2 is required for host netlink tests)");
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'ip {arguments}' failed ({process.ExitCode}): {error} — host netlink tests need root and iproute2.");
        }

        return output;
    }

    /// <summary>Clears CAP_NET_ADMIN from the calling thread's effective set (capabilities are per thread).</summary>
    public static unsafe void DropNetAdminOnThisThread()
    {
        const int CapNetAdmin = 12;
        var header = new CapHeader { Version = 0x20080522, Pid = 0 };
        CapData* data = stackalloc CapData[2];
        if (capget(&header, data) != 0)
        {
            throw new InvalidOperationException("capget failed: " + Marshal.GetLastPInvokeError());
        }

        data[0].Effective &= ~(1u << CapNetAdmin);
        if (capset(&header, data) != 0)
        {
            throw new InvalidOperationException("capset failed: " + Marshal.GetLastPInvokeError());
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int capget(CapHeader* header, CapData* data);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int capset(CapHeader* header, CapData* data);
}
