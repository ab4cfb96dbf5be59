using System.Net.Sockets;

namespace Buses.Tests.Host;

internal static class HostSockets
{
    /// <summary>A connected UNIX pair whose blocking calls give up after a hang guard of 10 s.</summary>
    internal static (BusSocket, BusSocket) GuardedPair(SocketType type = SocketType.Dgram)
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, type);
        a.Timeout = b.Timeout = TimeSpan.FromSeconds(10);
        return (a, b);
    }
}
