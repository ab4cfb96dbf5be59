namespace Buses.Inet.Interop;

// Values from <netinet/in.h> and <sys/socket.h>; AbiTests in Bus.Inet.Tests compares them with the C headers.
internal static class InetConstants
{
    internal const int IPPROTO_TCP = 6;
    internal const int IPV6_V6ONLY = 26;
    internal const int SO_PEERCRED = 17;

    // unix(7): at most SCM_MAX_FD descriptors travel in one SCM_RIGHTS message.
    internal const int SCM_MAX_FD = 253;
}
