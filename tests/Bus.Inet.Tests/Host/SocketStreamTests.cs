using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Buses.Inet;
using Xunit;

namespace Buses.Tests.Inet.Host;

// BusSocketStream, Python's makefile: line I/O with StreamReader/StreamWriter over UNIX and TCP
// pairs, the socket's timeout, the stated Dispose semantics, and a TLS session through SslStream
// with Python's ssl module as the server.
public sealed class SocketStreamTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lines_cross_a_unix_pair_sync_and_async()
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Stream);
        using var left = new BusSocketStream(a, ownsSocket: true);
        using var right = new BusSocketStream(b, ownsSocket: true);
        using var writer = new StreamWriter(left, leaveOpen: true) { AutoFlush = true };
        using var reader = new StreamReader(right, leaveOpen: true);
        writer.WriteLine("first line");
        await writer.WriteLineAsync("second line".AsMemory(), Ct);
        Assert.Equal("first line", reader.ReadLine());
        Assert.Equal("second line", await reader.ReadLineAsync(Ct));
    }

    [Fact]
    public void Lines_cross_a_tcp_connection_and_the_end_of_the_stream_reads_as_null()
    {
        using var listener = new BusSocket(SocketFamily.Inet, SocketType.Stream) { Timeout = s_guard };
        listener.Bind(InetAddress.Loopback(0));
        listener.Listen();
        using var client = new BusSocket(SocketFamily.Inet, SocketType.Stream) { Timeout = s_guard };
        client.Connect(listener.GetLocalEndPoint<InetAddress>());
        using BusSocket server = listener.Accept();
        server.Timeout = s_guard;
        using (var writer = new StreamWriter(new BusSocketStream(client)))
        {
            writer.Write("alpha\nbeta\n");
        }

        // Disposing a stream that does not own its socket leaves the socket open.
        client.Shutdown(SocketShutdown.Send);
        using var reader = new StreamReader(new BusSocketStream(server));
        Assert.Equal("alpha", reader.ReadLine());
        Assert.Equal("beta", reader.ReadLine());
        Assert.Null(reader.ReadLine());
    }

    [Fact]
    public void The_stream_uses_the_socket_timeout_and_ends_with_its_owner()
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Stream);
        using (a)
        {
            var stream = new BusSocketStream(b, ownsSocket: true) { ReadTimeout = 50 };
            Assert.Equal(TimeSpan.FromMilliseconds(50), b.Timeout);
            Assert.Throws<BusTimeoutException>(() => stream.ReadByte());
            stream.Dispose();
            Assert.Throws<ObjectDisposedException>(() => b.Receive(new byte[1]));
            Assert.Throws<ObjectDisposedException>(() => stream.ReadByte());
        }

        (BusSocket c, BusSocket d) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Dgram);
        using (c)
        using (d)
        {
            Assert.Contains("Dgram", Assert.Throws<ArgumentException>(() => new BusSocketStream(c)).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SslStream_runs_a_tls_session_against_pythons_ssl_module()
    {
        string dir = Directory.CreateTempSubdirectory("buses-tls-").FullName;
        try
        {
            using RSA key = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
            File.WriteAllText(Path.Combine(dir, "cert.pem"), certificate.ExportCertificatePem());
            File.WriteAllText(Path.Combine(dir, "key.pem"), key.ExportPkcs8PrivateKeyPem());
            const string Server = """
                import socket, ssl, sys
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.load_cert_chain(sys.argv[1] + "/cert.pem", sys.argv[1] + "/key.pem")
                with socket.create_server(("127.0.0.1", 0)) as s:
                    print(s.getsockname()[1], flush=True)
                    conn, _ = s.accept()
                    with ctx.wrap_socket(conn, server_side=True) as tls:
                        line = tls.makefile("rb").readline()
                        tls.sendall(b"echo " + line)
                """;
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(Server);
            start.ArgumentList.Add(dir);
            using Process python = Process.Start(start)!;
            int port = int.Parse(await python.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(s_guard, Ct) ?? throw new InvalidOperationException(await python.StandardError.ReadToEndAsync(Ct)), System.Globalization.CultureInfo.InvariantCulture);

            using var socket = new BusSocket(SocketFamily.Inet, SocketType.Stream);
            await socket.ConnectAsync(InetAddress.Loopback(port), Ct);
            await using var tls = new SslStream(new BusSocketStream(socket), leaveInnerStreamOpen: false,
                (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, Ct);
            await tls.WriteAsync("ping\n"u8.ToArray(), Ct);
            using var reader = new StreamReader(tls);
            Assert.Equal("echo ping", await reader.ReadLineAsync(Ct).AsTask().WaitAsync(s_guard, Ct));
            await python.WaitForExitAsync(Ct).WaitAsync(s_guard, Ct);
            Assert.Equal(0, python.ExitCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
