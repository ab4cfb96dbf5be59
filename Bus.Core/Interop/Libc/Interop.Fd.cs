using System.Runtime.InteropServices;

namespace Buses.Interop;

// File-descriptor plumbing: close(2), fcntl(2), ioctl(2), poll(2), eventfd(2), read/write(2).
internal static unsafe partial class Libc
{
    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int fcntl(SafeHandle fd, int cmd, int arg);

    [LibraryImport(Libraries.Libc, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int fcntl_fd(int fd, int cmd, int arg);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int ioctl(SafeHandle fd, nuint request, void* arg);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int poll(pollfd* fds, nuint nfds, int timeout);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int eventfd(uint initval, int flags);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial nint read(int fd, void* buf, nuint count);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial nint write(int fd, void* buf, nuint count);
}
