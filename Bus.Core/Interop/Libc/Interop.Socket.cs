using System.Runtime.InteropServices;

namespace Buses.Interop;

// Socket lifecycle and addressing: socket(2), socketpair(2), bind(2), connect(2), listen(2),
// accept4(2), shutdown(2), getsockname(2), getpeername(2), getsockopt(2), setsockopt(2).
internal static unsafe partial class Libc
{
    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int socketpair(int domain, int type, int protocol, int* sv);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int bind(SafeHandle fd, byte* addr, uint addrlen);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int connect(SafeHandle fd, byte* addr, uint addrlen);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int listen(SafeHandle fd, int backlog);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int accept4(SafeHandle fd, byte* addr, uint* addrlen, int flags);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int shutdown(SafeHandle fd, int how);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int getsockname(SafeHandle fd, byte* addr, uint* addrlen);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int getpeername(SafeHandle fd, byte* addr, uint* addrlen);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int getsockopt(SafeHandle fd, int level, int optname, void* optval, uint* optlen);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int setsockopt(SafeHandle fd, int level, int optname, void* optval, uint optlen);
}
