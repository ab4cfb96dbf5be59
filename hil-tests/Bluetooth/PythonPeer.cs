using Buses.Bluetooth;
using Buses.HilTests.CanTools;
using Testbed = Buses.HilTests.Bed.Bed;

namespace Buses.HilTests.Bluetooth;

/// <summary>
/// Python's own socket module as the other end of a Bluetooth connection: code nobody here wrote, so
/// an agreement between it and the library is evidence about the kernel ABI, not about our own reading of it.
/// Every script prints one line per step and exits non-zero with the reason on failure.
/// </summary>
internal static class PythonPeer
{
    public static BluetoothAddress Address0 => BluetoothAddress.Parse(Testbed.BluetoothAddress0!);

    public static BluetoothAddress Address1 => BluetoothAddress.Parse(Testbed.BluetoothAddress1!);

    // The payload every test sends: position-dependent so a lost, doubled or reordered byte shows.
    public static byte[] Payload(int length)
    {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = (byte)(i * 7);
        }

        return data;
    }

    // Debian's own interpreter: a python3 earlier on PATH (pyenv) may be built without <bluetooth/bluetooth.h>
    // and so without AF_BLUETOOTH.
    public static ToolProcess Start(string script, params string[] args) => ToolProcess.Start("/usr/bin/python3", ["-c", Prelude + script, .. args]);

    /// <summary>Accepts with the listener's timeout, but fails at once with the peer's stderr if the peer exits first.</summary>
    public static T AcceptFrom<T>(ToolProcess peer, Func<CancellationToken, ValueTask<T>> accept)
    {
        using var cancel = new CancellationTokenSource(ToolProcess.Deadline);
        Task<T> accepting = accept(cancel.Token).AsTask();
        while (!accepting.Wait(100))
        {
            if (peer.HasExited)
            {
                cancel.Cancel();
                Xunit.Assert.Fail($"the peer exited before connecting; stdout: {string.Join(" | ", peer.Lines)}; stderr: {peer.Error}");
            }
        }

        return accepting.Result;
    }

    private const string Prelude = """
        import select, socket, struct, sys
        def payload(n): return bytes((i * 7) & 255 for i in range(n))
        def recv_exactly(s, n):
            got = b''
            while len(got) < n:
                c = s.recv(65536)
                if not c: sys.exit('eof after %d of %d bytes' % (len(got), n))
                got += c
            return got
        def send_packet(s, data):
            # A blocking L2CAP socket answers EAGAIN when a large SDU does not fit the send buffer (seen on
            # 6.12 with 65535 bytes): wait for room as the library's send loop does, and send it again.
            while True:
                try: return s.send(data)
                except BlockingIOError: select.select([], [s], [])
        def big_l2cap_mtu(s):
            # struct l2cap_options: omtu, imtu, flush_to, mode, fcs, max_tx, txwin_size (Python 3.11 has no L2CAP_OPTIONS name).
            o = list(struct.unpack('<HHHBBBxH', s.getsockopt(6, 1, 12)))
            o[1] = 65535
            s.setsockopt(6, 1, struct.pack('<HHHBBBxH', *o))
            # A 65535-byte SDU in btvirt's small ACL fragments takes more than the default send buffer
            # (wmem_max); SO_SNDBUFFORCE (32, root) makes room.
            s.setsockopt(socket.SOL_SOCKET, 32, 4 << 20)

        """;

    public const string RfcommClient = """
        src, dst, ch = sys.argv[1], sys.argv[2], int(sys.argv[3])
        s = socket.socket(socket.AF_BLUETOOTH, socket.SOCK_STREAM, socket.BTPROTO_RFCOMM)
        s.bind((src, 0))
        s.connect((dst, ch))
        print(repr(s.getsockname()), flush=True)
        for n in (1, 65536):
            s.sendall(payload(n))
            print('echo', n, recv_exactly(s, n) == payload(n), flush=True)
        s.close()
        """;

    public const string RfcommEchoServer = """
        addr, ch = sys.argv[1], int(sys.argv[2])
        s = socket.socket(socket.AF_BLUETOOTH, socket.SOCK_STREAM, socket.BTPROTO_RFCOMM)
        s.bind((addr, ch))
        s.listen(1)
        print('ready', flush=True)
        c, peer = s.accept()
        print(repr(peer), flush=True)
        total = 0
        while True:
            # Closing an RFCOMM link sends DISC: the end that is reading may see a reset, not an end of file.
            try: d = c.recv(65536)
            except ConnectionResetError: break
            if not d: break
            c.sendall(d)
            total += len(d)
        print('echoed', total, flush=True)
        """;

    // Echoes one line, then closes: the end of the exchange comes from this side, as for a request/response service.
    public const string RfcommLineServer = """
        addr, ch = sys.argv[1], int(sys.argv[2])
        s = socket.socket(socket.AF_BLUETOOTH, socket.SOCK_STREAM, socket.BTPROTO_RFCOMM)
        s.bind((addr, ch))
        s.listen(1)
        print('ready', flush=True)
        c, peer = s.accept()
        line = b''
        while not line.endswith(b'\n'):
            d = c.recv(1024)
            if not d: sys.exit('eof after %r' % line)
            line += d
        # RFCOMM queues its disconnect behind data not yet sent, so closing at once loses nothing.
        c.sendall(line)
        c.close()
        print('echoed', len(line), flush=True)
        """;

    public const string L2capEchoServer = """
        addr, psm = sys.argv[1], int(sys.argv[2])
        s = socket.socket(socket.AF_BLUETOOTH, socket.SOCK_SEQPACKET, socket.BTPROTO_L2CAP)
        big_l2cap_mtu(s)
        s.bind((addr, psm))
        s.listen(1)
        print('ready', flush=True)
        c, peer = s.accept()
        print(repr(peer), flush=True)
        sizes = []
        while True:
            try: d = c.recv(65535)
            except ConnectionResetError: break
            if not d: break
            sizes.append(len(d))
            send_packet(c, d)
        print('packets', *sizes, flush=True)
        """;

    public const string L2capClient = """
        src, dst, psm = sys.argv[1], sys.argv[2], int(sys.argv[3])
        s = socket.socket(socket.AF_BLUETOOTH, socket.SOCK_SEQPACKET, socket.BTPROTO_L2CAP)
        big_l2cap_mtu(s)
        s.bind((src, 0))
        s.connect((dst, psm))
        print(repr(s.getsockname()), flush=True)
        for n in (1, 672):
            send_packet(s, payload(n))
            d = s.recv(65535)
            print('echo', n, len(d), d == payload(n), flush=True)
        s.close()
        """;

    // Connects and reports what happened, for BT_DEFER_SETUP: 'connected' and one packet, or the errno.
    public const string L2capTryConnect = """
        src, dst, psm = sys.argv[1], sys.argv[2], int(sys.argv[3])
        s = socket.socket(socket.AF_BLUETOOTH, socket.SOCK_SEQPACKET, socket.BTPROTO_L2CAP)
        s.bind((src, 0))
        try:
            s.connect((dst, psm))
        except OSError as e:
            print('refused', e.errno, flush=True)
            sys.exit(0)
        print('connected', flush=True)
        s.send(b'authorized')
        print('sent', flush=True)
        s.recv(10)
        """;
}
