namespace Buses.Cli;

/// <summary>One command of the <c>buses</c> tool.</summary>
/// <param name="Path">The words that select it, e.g. <c>can dump</c>.</param>
/// <param name="Summary">One line for the group listing.</param>
/// <param name="Usage">The full help text printed by <c>--help</c>; its first line is the synopsis.</param>
/// <param name="Run">Runs the command with the arguments after <paramref name="Path"/>; returns the exit status.</param>
internal sealed record CliCommand(string Path, string Summary, string Usage, Func<CliContext, int> Run);

/// <summary>What a running command gets: its arguments, the output streams and the Ctrl+C token.</summary>
internal sealed class CliContext(CliCommand command, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellation)
{
    public CliCommand Command { get; } = command;

    public IReadOnlyList<string> Args { get; } = args;

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Cancelled on Ctrl+C or SIGTERM, so long runs stop cleanly and print their totals.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Parses <see cref="Args"/> with a getopt option string (see <see cref="Options"/>).</summary>
    public Options Parse(string spec) => Options.Parse(Args, spec);
}
