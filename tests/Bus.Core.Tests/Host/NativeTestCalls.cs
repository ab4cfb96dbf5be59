using System.Runtime.InteropServices;

namespace Buses.Tests.Host;

// The few libc calls the tests need to look at a descriptor or a thread from outside the library.
internal static partial class NativeTestCalls
{
    private const int F_GETFL = 3;
    private const int O_NONBLOCK = 0x800;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int gettid();

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int tgkill(int tgid, int tid, int sig);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int close(int fd);

    internal static bool IsNonBlocking(int fd)
    {
        int flags = fcntl(fd, F_GETFL, 0);
        return flags < 0 ? throw new InvalidOperationException($"fcntl(F_GETFL) failed: errno {Marshal.GetLastPInvokeError()}") : (flags & O_NONBLOCK) != 0;
    }
}
