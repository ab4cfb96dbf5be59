using System.Runtime.InteropServices;

namespace Buses.Cli;

/// <summary>
/// Picks the command whose words start the argument list (longest match wins), handles
/// <c>--help</c> at every level, and turns failures into messages and exit codes:
/// 0 success, 1 a failed operation (errno named), 2 bad arguments, 130 interrupted.
/// </summary>
internal sealed class Dispatcher(IReadOnlyList<CliCommand> commands, IReadOnlyDictionary<string, string> groups)
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadUsage = 2;
    public const int Interrupted = 130;

    private const string Tool = "buses";

    public int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || IsHelp(args[0]) || args[0] == "help")
        {
            WriteGroupList(output, prefix: "");
            return args.Length == 0 ? BadUsage : Success;
        }

        (CliCommand? command, int used) = Find(args);
        if (command is null)
        {
            string prefix = string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')));
            bool isGroup = commands.Any(c => c.Path.StartsWith(prefix + " ", StringComparison.Ordinal));
            if (isGroup)
            {
                bool asked = args.Skip(prefix.Split(' ').Length).Any(IsHelp);
                WriteGroupList(asked ? output : error, prefix);
                return asked ? Success : BadUsage;
            }

            error.WriteLine($"{Tool}: unknown command '{string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')))}'");
            error.WriteLine($"Try '{Tool} --help'.");
            return BadUsage;
        }

        string[] rest = args[used..];
        if (rest.TakeWhile(a => a != "--").Any(IsHelp))
        {
            output.Write(command.Usage);
            return Success;
        }

        using var cancellation = new CancellationTokenSource();
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        string name = $"{Tool} {command.Path}";
        try
        {
            return command.Run(new CliContext(command, rest, output, error, cancellation.Token));
        }
        catch (UsageException e)
        {
            error.WriteLine($"{name}: {e.Message}");
            error.WriteLine($"usage: {command.Usage.Split('\n')[0].Trim()}");
            error.WriteLine($"Try '{name} --help'.");
            return BadUsage;
        }
        catch (FormatException e)
        {
            // Every parser in the library names the bad part; the user gave that text, so it is usage.
            error.WriteLine($"{name}: {e.Message}");
            return BadUsage;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return Interrupted;
        }
        catch (BusException e)
        {
            error.WriteLine($"{name}: {e.Message}");
            return Failure;
        }
        catch (IOException e)
        {
            error.WriteLine($"{name}: {e.Message}");
            return Failure;
        }
        catch (UnauthorizedAccessException e)
        {
            error.WriteLine($"{name}: {e.Message}");
            return Failure;
        }
        finally
        {
            output.Flush();
        }

        void Cancel(PosixSignalContext context)
        {
            // The first signal stops the command so it can print its totals; a second one kills it.
            if (cancellation.IsCancellationRequested)
            {
                return;
            }

            context.Cancel = true;
            cancellation.Cancel();
        }
    }

    private static bool IsHelp(string arg) => arg is "--help" or "-h" or "-?";

    private (CliCommand? Command, int Used) Find(string[] args)
    {
        CliCommand? best = null;
        int bestWords = 0;
        foreach (CliCommand command in commands)
        {
            string[] words = command.Path.Split(' ');
            if (words.Length > args.Length || words.Length <= bestWords)
            {
                continue;
            }

            if (words.AsSpan().SequenceEqual(args.AsSpan(0, words.Length)))
            {
                best = command;
                bestWords = words.Length;
            }
        }

        return (best, bestWords);
    }

    private void WriteGroupList(TextWriter writer, string prefix)
    {
        if (prefix.Length == 0)
        {
            writer.WriteLine($"usage: {Tool} <command> [options] [arguments]   ({Tool} <command> --help for details)");
            writer.WriteLine();
            writer.WriteLine("Linux bus sockets from the command line.");
            writer.WriteLine();
        }
        else
        {
            writer.WriteLine($"usage: {Tool} {prefix} <command> [options] [arguments]");
            if (groups.TryGetValue(prefix, out string? about))
            {
                writer.WriteLine();
                writer.WriteLine(about);
            }

            writer.WriteLine();
        }

        writer.WriteLine("Commands:");
        IEnumerable<CliCommand> shown = prefix.Length == 0
            ? commands
            : commands.Where(c => c.Path.StartsWith(prefix + " ", StringComparison.Ordinal));
        int width = shown.Max(c => c.Path.Length) + 2;
        foreach (CliCommand command in shown)
        {
            writer.WriteLine($"  {Tool} {command.Path.PadRight(width)}{command.Summary}");
        }
    }
}
