using System.Diagnostics;
using Xunit;

namespace Buses.Cli.Tests;

/// <summary>What one run of the tool printed and returned.</summary>
internal sealed record CliResult(int Status, string Out, string Error)
{
    public override string ToString() => $"exit {Status}\n--- stdout ---\n{Out}--- stderr ---\n{Error}";
}

/// <summary>Runs <c>buses</c>: in-process through its dispatcher, or as a child process (for network namespaces).</summary>
internal static class CliRunner
{
    /// <summary>How long a child may run before it is killed and the test fails; a guard against hangs, not a timing check.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    /// <summary>The tool's assembly, copied next to the tests by the project reference.</summary>
    public static string ToolPath { get; } = Path.Combine(AppContext.BaseDirectory, "buses.dll");

    /// <summary>The dotnet host running these tests (the same SDK runtime runs the tool).</summary>
    public static string DotnetPath { get; } =
        Environment.ProcessPath is string self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";

    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        int status = new Dispatcher(CommandTable.All, CommandTable.Groups).Run(args, output, error);
        return new CliResult(status, output.ToString(), error.ToString());
    }

    /// <summary>Starts a program with redirected output; <see cref="Finish"/> collects it.</summary>
    public static Child Start(string program, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        process.StandardInput.Close();
        return new Child(process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync(), $"{program} {string.Join(' ', args)}");
    }

    /// <summary>Runs a program to completion (killed and failed after <see cref="HangGuard"/>).</summary>
    public static CliResult RunProgram(string program, params string[] args) => Start(program, args).Finish();

    /// <summary>Runs <c>buses ARGS</c> inside network namespace <paramref name="ns"/>.</summary>
    public static CliResult RunInNamespace(string ns, params string[] args) =>
        RunProgram("ip", ["netns", "exec", ns, DotnetPath, ToolPath, .. args]);

    internal sealed class Child(Process process, Task<string> output, Task<string> error, string commandLine) : IDisposable
    {
        public Process Process { get; } = process;

        public bool HasExited => Process.HasExited;

        public CliResult Finish()
        {
            if (!Process.WaitForExit(HangGuard))
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
                Assert.Fail($"'{commandLine}' still ran after {HangGuard.TotalSeconds} s and was killed.\nstdout so far: {output.Result}\nstderr so far: {error.Result}");
            }

            Process.WaitForExit();
            return new CliResult(Process.ExitCode, output.Result, error.Result);
        }

        private bool _disposed;

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }

            Process.Dispose();
        }
    }
}
