using Xunit;

namespace Buses.Cli.Tests.Host;

/// <summary>A private network namespace for one test, deleted on dispose, so link changes never touch the host.</summary>
internal sealed class NetworkNamespace : IDisposable
{
    public NetworkNamespace()
    {
        Name = $"buses-cli-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        Must("ip", "netns", "add", Name);
        // No IPv6 on new links: router solicitations and MLD reports would otherwise be captured too.
        Exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        Exec("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
    }

    public string Name { get; }

    /// <summary>Runs <c>buses ARGS</c> in this namespace.</summary>
    public CliResult Buses(params string[] args) => CliRunner.RunInNamespace(Name, args);

    /// <summary>Runs a program in this namespace; it must succeed.</summary>
    public CliResult Exec(string program, params string[] args) => Must("ip", ["netns", "exec", Name, program, .. args]);

    public CliRunner.Child Start(string program, params string[] args) => CliRunner.Start("ip", ["netns", "exec", Name, program, .. args]);

    public CliRunner.Child StartBuses(params string[] args) => Start(CliRunner.DotnetPath, [CliRunner.ToolPath, .. args]);

    public void Dispose() => CliRunner.RunProgram("ip", "netns", "del", Name);

    private static CliResult Must(string program, params string[] args)
    {
        CliResult result = CliRunner.RunProgram(program, args);
        Assert.True(result.Status == 0, $"{program} {string.Join(' ', args)} failed: {result}");
        return result;
    }
}
