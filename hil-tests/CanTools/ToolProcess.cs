using System.Diagnostics;
using System.Text;
using Xunit;

namespace Buses.HilTests.CanTools;

/// <summary>
/// A program under test (candump, cangen, ./buses …) with its stdout collected line by line.
/// Waits have deadlines only to turn a hang into a failure with the output so far; no test
/// asserts on how long anything took.
/// </summary>
internal sealed class ToolProcess : IDisposable
{
    // A hang guard, not a timing check: under software emulation on a loaded machine a dotnet tool
    // has been seen to need more than two minutes to start and open its sockets.
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(300);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _error = new();
    private readonly string _title;

    private ToolProcess(string file, IEnumerable<string> args, string? workingDirectory)
    {
        _title = $"{file} {string.Join(' ', args)}";
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_lines)
                {
                    _lines.Add(e.Data);
                }
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_error)
                {
                    _error.AppendLine(e.Data);
                }
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The repository root, where <c>./buses</c> lives.</summary>
    public static string Root
    {
        get
        {
            // The runner may change directory to the test assembly; PWD still names where it was started.
            foreach (string? start in (string?[])[Environment.GetEnvironmentVariable("BUSES_ROOT"), Environment.GetEnvironmentVariable("PWD"), Environment.CurrentDirectory, AppContext.BaseDirectory])
            {
                for (string? dir = start; dir is not null; dir = Path.GetDirectoryName(dir))
                {
                    if (File.Exists(Path.Combine(dir, "buses")) && Directory.Exists(Path.Combine(dir, "Bus.Cli")))
                    {
                        return dir;
                    }
                }
            }

            throw new InvalidOperationException("no checkout with ./buses above the working directory; set BUSES_ROOT");
        }
    }

    public static ToolProcess Start(string file, params string[] args) => new(file, args, null);

    public static ToolProcess StartIn(string workingDirectory, string file, params string[] args) => new(file, args, workingDirectory);

    /// <summary>Starts <c>./buses</c> with <paramref name="args"/>.</summary>
    public static ToolProcess Buses(params string[] args) => new(Path.Combine(Root, "buses"), args, null);

    public static ToolProcess BusesIn(string workingDirectory, params string[] args) => new(Path.Combine(Root, "buses"), args, workingDirectory);

    /// <summary>Runs a program to completion and returns its stdout lines; a non-zero exit fails the test.</summary>
    public static IReadOnlyList<string> Run(string file, params string[] args)
    {
        using var tool = Start(file, args);
        tool.WaitForExit(expectSuccess: true);
        return tool.Lines;
    }

    /// <summary>Whether the program has exited.</summary>
    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> lines arrived.</summary>
    public IReadOnlyList<string> WaitForLines(int count)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            bool exited = _process.HasExited;
            if (exited)
            {
                _process.WaitForExit(); // drains the output events
            }

            IReadOnlyList<string> lines = Lines;
            if (lines.Count >= count)
            {
                return lines;
            }

            if (exited || clock.Elapsed > Deadline)
            {
                Assert.Fail($"'{_title}' printed {lines.Count} of {count} lines (exited: {exited}); stderr: {Error}\nstdout:\n{string.Join('\n', lines)}");
            }

            Thread.Sleep(50);
        }
    }

    public int WaitForExit(bool expectSuccess = false)
    {
        if (!_process.WaitForExit(Deadline))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"'{_title}' did not finish; stderr: {Error}");
        }

        _process.WaitForExit(); // drains the output events
        if (expectSuccess && _process.ExitCode != 0)
        {
            Assert.Fail($"'{_title}' exited with {_process.ExitCode}; stderr: {Error}");
        }

        return _process.ExitCode;
    }

    /// <summary>Writes <paramref name="text"/> to the tool's stdin and closes it (isotpsend-style input).</summary>
    public void WriteInputAndClose(string text)
    {
        _process.StandardInput.Write(text);
        _process.StandardInput.Close();
    }

    /// <summary>Sends SIGINT, as Ctrl+C would: candump and buses close their logs and exit.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    /// <summary>
    /// The number of CAN receivers registered on <paramref name="iface"/> (/proc/net/can/rcvlist_*):
    /// a program that opened and bound its socket has added one, so a load started after the count
    /// rises cannot be missed by it.
    /// </summary>
    public static int CanReceivers(string iface)
    {
        int count = 0;
        foreach (string path in Directory.GetFiles("/proc/net/can", "rcvlist_*"))
        {
            foreach (string line in File.ReadLines(path))
            {
                if (line.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() == iface)
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Waits until <paramref name="iface"/> has at least <paramref name="count"/> receivers.</summary>
    public static void WaitForCanReceivers(string iface, int count)
    {
        var clock = Stopwatch.StartNew();
        while (CanReceivers(iface) < count)
        {
            if (clock.Elapsed > Deadline)
            {
                Assert.Fail($"{iface} has {CanReceivers(iface)} CAN receivers, expected {count}");
            }

            Thread.Sleep(50);
        }
    }
}
