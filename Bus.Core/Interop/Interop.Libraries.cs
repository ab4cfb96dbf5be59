namespace Buses.Interop;

internal static class Libraries
{
    // glibc resolves "libc" to libc.so.6 through the runtime's probing; musl ships it as libc.so.
    internal const string Libc = "libc";
}
