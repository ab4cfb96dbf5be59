using Buses;

namespace Buses.Cli;

/// <summary>Interface-name operands, checked before any syscall so a bad one is a usage error (exit 2) naming the rule.</summary>
internal static class InterfaceNames
{
    internal static string Check(string name, string what) =>
        Problem(name, what) is { } problem ? throw new UsageException(problem) : name;

    internal static bool IsValid(string name) => Problem(name, "name") is null;

    private static string? Problem(string name, string what)
    {
        try
        {
            Interfaces.ValidateName(name, what);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"{what}: {e.Message.Split(" (Parameter", 2)[0]}";
        }
    }
}
