namespace Buses.Cli;

/// <summary>
/// The user typed something the command cannot accept. The dispatcher prints the message and the
/// command's usage line and exits with status 2, as getopt-based tools do.
/// </summary>
internal sealed class UsageException(string message) : Exception(message);
