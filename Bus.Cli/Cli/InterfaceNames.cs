using Buses;

namespace Buses.Cli;

/// <summary>Interface-name operands, checked before any syscall so a bad one is a usage error (exit 2) naming the rule.</summary>
internal static class InterfaceNames
{
    internal static string Check(string name, string what)
    {
        try
        {
            Interfaces.ValidateName(name, what);
            return name;
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{what}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }
}
