using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace Buses.Cli.Tests.Host;

/// <summary><c>buses link monitor</c> in a private namespace: events for links that <c>ip</c> adds, raises and deletes, then a clean stop on SIGINT.</summary>
public sealed class LinkMonitorTests
{
    [Fact]
    public void Monitor_prints_new_changed_and_deleted_links_and_stops_cleanly_on_interrupt()
    {
        using var ns = new NetworkNamespace();
        var lines = new BlockingCollection<string>();
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["netns", "exec", ns.Name, CliRunner.DotnetPath, CliRunner.ToolPath, "link", "monitor"])
        {
            info.ArgumentList.Add(arg);
        }

        using Process monitor = Process.Start(info)!;
        monitor.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Add(e.Data);
            }
        };
        var errors = new ConcurrentQueue<string>();
        monitor.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                errors.Enqueue(e.Data);
            }
        };
        monitor.BeginOutputReadLine();
        monitor.BeginErrorReadLine();
        try
        {
            DateTime giveUp = DateTime.UtcNow + CliRunner.HangGuard;
            var seen = new List<string>();

            // Waits for a line that names the link and passes the test, keeping everything seen for the message.
            string Next(string name, Func<string, bool> wanted, TimeSpan patience)
            {
                DateTime until = DateTime.UtcNow + patience;
                while (DateTime.UtcNow < until && DateTime.UtcNow < giveUp)
                {
                    if (lines.TryTake(out string? line, TimeSpan.FromMilliseconds(100)))
                    {
                        seen.Add(line);
                        if (line.Contains($": {name}: <", StringComparison.Ordinal) && wanted(line))
                        {
                            return line;
                        }
                    }

                    Assert.False(monitor.HasExited, $"link monitor exited early: {string.Join('\n', seen)}\n{string.Join('\n', errors)}");
                }

                return "";
            }

            // The monitor has no ready signal: add links until one is reported, which proves it is subscribed.
            string name = "";
            for (int attempt = 0; name.Length == 0; attempt++)
            {
                Assert.True(DateTime.UtcNow < giveUp, $"no [NEW] event in {CliRunner.HangGuard.TotalSeconds} s; lines: {string.Join('\n', seen)}");
                string candidate = $"dm{attempt}";
                // veth: the one creatable kind this host's kernel is known to have.
                ns.Exec("ip", "link", "add", candidate, "type", "veth", "peer", "name", candidate + "p");
                if (Next(candidate, l => l.StartsWith("[NEW] ", StringComparison.Ordinal), TimeSpan.FromSeconds(2)).Length > 0)
                {
                    name = candidate;
                }
            }

            ns.Exec("ip", "link", "set", name, "up", "mtu", "1300");
            string up = Next(name, l => l.StartsWith("[NEW] ", StringComparison.Ordinal) && l.Contains(" mtu 1300 ", StringComparison.Ordinal) && l.Contains(",UP", StringComparison.Ordinal), CliRunner.HangGuard);
            Assert.True(up.Length > 0, $"no [NEW] event with UP and mtu 1300 for {name}: {string.Join('\n', seen)}");
            int index = int.Parse(up.Split(' ')[1].TrimEnd(':'), System.Globalization.CultureInfo.InvariantCulture);
            // The index the event carried is the link's (ip adds '@peer' to a veth's name).
            Assert.StartsWith($"{index}: {name}@", ns.Exec("ip", "-o", "link", "show", "dev", name).Out, StringComparison.Ordinal);

            ns.Exec("ip", "link", "del", name);
            string deleted = Next(name, l => l.StartsWith("[DEL] ", StringComparison.Ordinal), CliRunner.HangGuard);
            Assert.StartsWith($"[DEL] {index}: {name}: <", deleted, StringComparison.Ordinal);

            // Ctrl+C is how a person stops it: a clean exit, status 0.
            Assert.Equal(0, Kill(monitor.Id, "INT"));
            Assert.True(monitor.WaitForExit(CliRunner.HangGuard), "link monitor did not stop on SIGINT");
            Assert.True(monitor.ExitCode == 0, $"link monitor exited with {monitor.ExitCode}: {string.Join('\n', errors)}");
        }
        finally
        {
            if (!monitor.HasExited)
            {
                monitor.Kill(entireProcessTree: true);
                monitor.WaitForExit();
            }
        }
    }

    private static int Kill(int pid, string signal) => CliRunner.RunProgram("kill", $"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)).Status;
}
