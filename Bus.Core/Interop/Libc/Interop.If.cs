using System.Runtime.InteropServices;

namespace Buses.Interop;

// Interface names and indexes (if_nametoindex(3) and friends).
internal static unsafe partial class Libc
{
    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial uint if_nametoindex(byte* ifname);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial byte* if_indextoname(uint ifindex, byte* ifname);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    internal static partial if_nameindex* if_nameindex();

    [LibraryImport(Libraries.Libc)]
    internal static partial void if_freenameindex(if_nameindex* ptr);
}
