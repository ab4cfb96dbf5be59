using System.Runtime.InteropServices;

namespace Buses.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int epoll_create1(int flags);

    // struct epoll_event is packed (12 bytes) on x86-64 and naturally aligned (16) elsewhere,
    // so it travels as bytes laid out by EpollEvent rather than as one C# struct.
    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);
}
