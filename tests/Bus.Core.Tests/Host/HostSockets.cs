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

    /// <summary>
    /// A UNIX stream listener with backlog 0 whose queue is full: non-blocking clients connect until
    /// the kernel answers EAGAIN. Disposing the result closes the listener and every filler.
    /// </summary>
    internal static FullBacklog FillUnixBacklog() => new();

    internal sealed class FullBacklog : IDisposable
    {
        private readonly List<BusSocket> _sockets = [];

        internal FullBacklog()
        {
            Listener = new BusSocket(SocketFamily.Unix, SocketType.Stream) { Timeout = TimeSpan.FromSeconds(10) };
            _sockets.Add(Listener);
            Address = HostAddresses.UniqueAbstract();
            Listener.Bind(Address);
            Listener.Listen(0);
            Errno result = Errno.None;
            for (int i = 0; i < 8 && result == Errno.None; i++)
            {
                result = NewClient(TimeSpan.Zero).TryConnect(Address);
            }

            if (result != Errno.EAGAIN)
            {
                throw new InvalidOperationException($"Filling a backlog of 0 ended with {result}, not EAGAIN.");
            }
        }

        internal BusSocket Listener { get; }

        internal RawSocketAddress Address { get; }

        /// <summary>A client socket that is disposed with the backlog.</summary>
        internal BusSocket NewClient(TimeSpan? timeout)
        {
            var client = new BusSocket(SocketFamily.Unix, SocketType.Stream) { Timeout = timeout };
            _sockets.Add(client);
            return client;
        }

        public void Dispose() => _sockets.ForEach(s => s.Dispose());
    }
}
