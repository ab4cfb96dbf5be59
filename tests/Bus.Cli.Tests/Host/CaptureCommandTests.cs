using Xunit;

namespace Buses.Cli.Tests.Host;

/// <summary><c>buses capture</c> on a veth end in a private namespace; the file is read back with tshark.</summary>
public sealed class CaptureCommandTests
{
    // Local experimental EtherType (IEEE 802), so the frames are ours and nothing else.
    private const string EtherType = "0x88b5";

    // Sends one marked Ethernet frame out of v0 every 0.2 s (for at most a minute) until killed.
    private const string Sender = """
        import socket, sys, time
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind(("v0", 0))
        for i in range(300):
            s.send(b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x01" + b"\x88\xb5" + b"buses-capture-%03d" % i + bytes(30))
            time.sleep(0.2)
        """;

    private static string Tshark()
    {
        string? path = Environment.GetEnvironmentVariable("PATH")?.Split(':')
            .Select(d => Path.Combine(d, "tshark")).FirstOrDefault(File.Exists);
        Assert.True(path is not null, "tshark is not installed (apt-get install tshark): the capture test reads the file back with it.");
        return path!;
    }

    [Fact]
    public void Capture_writes_count_frames_that_tshark_reads()
    {
        string tshark = Tshark();
        using var ns = new NetworkNamespace();
        ns.Exec("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        ns.Exec("ip", "link", "set", "v0", "up");
        ns.Exec("ip", "link", "set", "v1", "up");
        string file = Path.Combine(Path.GetTempPath(), $"{ns.Name}.pcapng");
        try
        {
            using CliRunner.Child capture = ns.StartBuses("capture", "v1", "-w", file, "-c", "3");
            // The sender runs until the capture has its three frames; when capture starts listening does not matter.
            using CliRunner.Child sender = ns.Start("python3", "-c", Sender);
            CliResult captured = capture.Finish();
            sender.Dispose();

            Assert.True(captured.Status == 0, captured.ToString());
            // Link type 1 is LINKTYPE_ETHERNET, the pcapng number for a veth end.
            Assert.Equal("3 frame(s) captured on v1 (link type 1); 0 dropped by the kernel\n", captured.Out);

            CliResult read = CliRunner.RunProgram(tshark, "-r", file, "-T", "fields", "-e", "frame.protocols", "-e", "eth.type", "-e", "eth.src");
            Assert.True(read.Status == 0, read.ToString());
            string[] packets = read.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(packets.Length == 3, read.ToString());
            Assert.All(packets, p => Assert.Equal($"eth:ethertype:data\t{EtherType}\t02:00:00:00:00:01", p));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Capture_on_a_missing_interface_fails_with_ENODEV_and_writes_no_file()
    {
        using var ns = new NetworkNamespace();
        string file = Path.Combine(Path.GetTempPath(), $"{ns.Name}.pcapng");

        CliResult result = ns.Buses("capture", "nosuch", "-w", file, "-c", "1");

        Assert.True(result.Status == 1, result.ToString());
        Assert.Contains("ENODEV", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }
}
