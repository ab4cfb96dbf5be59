using System.Diagnostics;
using System.Globalization;
using Buses.HilTests.Bed;
using Testbed = Buses.HilTests.Bed.Bed;
using Buses.HilTests.CanTools;
using Buses.Netlink;
using Buses.Tipc;
using Xunit;

namespace Buses.HilTests.Tipc;

/// <summary>The bed's second TIPC node: sockets of ours created in its namespace, and Python's socket module run there.</summary>
internal static class TipcPeer
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    // One script for every Python role: kind (rdm, seq, stream), role (server, client), type, instance.
    // A client retries until the server's binding has reached its node's name table.
    private const string Script = """
        import socket, sys, time, errno
        kind, role, t, i = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        st = {'rdm': socket.SOCK_RDM, 'seq': socket.SOCK_SEQPACKET, 'stream': socket.SOCK_STREAM}[kind]
        s = socket.socket(socket.AF_TIPC, st)
        s.settimeout(60)
        name = (socket.TIPC_ADDR_NAME, t, i, 0)
        def retry(f):
            end = time.time() + 60
            while True:
                try:
                    return f()
                except OSError as e:
                    if e.errno not in (errno.EHOSTUNREACH, errno.ECONNREFUSED) or time.time() > end:
                        raise
                    time.sleep(0.05)
        if role == 'server':
            s.bind((socket.TIPC_ADDR_NAMESEQ, t, i, i))
            if kind != 'rdm':
                s.listen(1)
            print('me', *s.getsockname(), flush=True)
            if kind == 'rdm':
                data, peer = s.recvfrom(100)
                s.sendto(b'py:' + data, peer)
            else:
                c, peer = s.accept()
                data = c.recv(100)
                c.sendall(b'py:' + data)
                try:
                    c.recv(1)  # until the client closes; TIPC reports that as a reset
                except ConnectionResetError:
                    pass
            print('peer', *peer, flush=True)
            print('data', data.decode(), flush=True)
        else:
            if kind == 'rdm':
                retry(lambda: s.sendto(b'from-python', name))
                data, peer = s.recvfrom(100)
            else:
                retry(lambda: s.connect(name))
                s.sendall(b'from-python')
                data = s.recv(100)
                peer = s.getpeername()
            print('me', *s.getsockname(), flush=True)
            print('peer', *peer, flush=True)
            print('data', data.decode(), flush=True)
        """;

    public static string NamespacePath
    {
        get
        {
            Testbed.Require(Capability.TipcCluster);
            Assert.SkipWhen(Testbed.TipcPeerNamespace is null && !Testbed.InTestbed, "the peer node is not in a network namespace here; set BUSES_TIPC_PEER_NETNS");
            return $"/run/netns/{Testbed.TipcPeerNamespace}";
        }
    }

    public static TipcNodeAddress Node => new(Testbed.TipcPeerNode ?? throw new InvalidOperationException("no peer node"));

    public static TipcNodeAddress LocalNode => new(Testbed.TipcNode ?? throw new InvalidOperationException("no TIPC node"));

    /// <summary>Creates <paramref name="create"/>'s object in the peer node's namespace.</summary>
    public static T Run<T>(Func<T> create) => NetworkNamespace.Run(NamespacePath, create);

    /// <summary>Starts Python's socket module on the peer node in one role.</summary>
    public static ToolProcess Python(string kind, string role, uint type, uint instance) =>
        ToolProcess.Start("ip", "netns", "exec", Testbed.TipcPeerNamespace!, "/usr/bin/python3", "-c", Script, kind, role,
            type.ToString(CultureInfo.InvariantCulture), instance.ToString(CultureInfo.InvariantCulture));

    /// <summary>A "label v1 v2 v3 v4 v5" line Python printed, as the address its tuple maps to.</summary>
    public static TipcAddress Tuple(IReadOnlyList<string> lines, string label)
    {
        string[] f = lines.Single(l => l.StartsWith(label + " ", StringComparison.Ordinal)).Split(' ');
        long[] v = [.. f.Skip(1).Select(x => long.Parse(x, CultureInfo.InvariantCulture))];
        return TipcAddress.FromPythonTuple((int)v[0], v[1], v[2], v[3], (int)v[4]);
    }

    public static string Data(IReadOnlyList<string> lines) => lines.Single(l => l.StartsWith("data ", StringComparison.Ordinal))[5..];

    /// <summary>Waits, through this node's topology server, until <paramref name="range"/> has a binding visible here.</summary>
    public static void WaitForBinding(TipcServiceRange range)
    {
        using TipcTopology topology = TipcTopology.Open();
        topology.Timeout = Wait;
        TipcSubscription s = topology.Subscribe(range, TipcSubscriptionFilter.Service);
        TipcEvent e = topology.Receive();
        Assert.Equal((TipcEventKind.Published, s), (e.Kind, e.Subscription));
    }

    /// <summary>Receives until a message arrives that is not a member event, within the socket's timeout.</summary>
    public static TipcReceived ReceiveData(TipcGroup group, Span<byte> buffer)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            TipcReceived r = group.Receive(buffer);
            if (!r.IsMemberEvent)
            {
                return r;
            }

            Assert.True(clock.Elapsed < Wait, "only member events arrived");
        }
    }
}
