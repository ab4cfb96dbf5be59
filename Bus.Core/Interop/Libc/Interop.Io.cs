using System.Runtime.InteropServices;

namespace Buses.Interop;

// Data transfer: send/recv and the message forms that carry addresses, ancillary data and
// batches (sendmsg(2), recvmsg(2), sendmmsg(2), recvmmsg(2)).
internal static unsafe partial class Libc
{
    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial nint sendto(SafeHandle fd, byte* buf, nuint len, int flags, byte* addr, uint addrlen);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial nint recvfrom(SafeHandle fd, byte* buf, nuint len, int flags, byte* addr, uint* addrlen);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial nint sendmsg(SafeHandle fd, msghdr* msg, int flags);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial nint recvmsg(SafeHandle fd, msghdr* msg, int flags);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int sendmmsg(SafeHandle fd, mmsghdr* msgvec, uint vlen, int flags);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial int recvmmsg(SafeHandle fd, mmsghdr* msgvec, uint vlen, int flags, timespec* timeout);
}
