using System.Net;

namespace Buses.Inet;

internal static class InterfaceIndex
{
    // IFNAMSIZ is 16 with the terminating NUL; dev_valid_name() refuses '/', ':' and white space.
    private const int MaxNameLength = 15;

    /// <summary>The index of the interface named <paramref name="name"/>, or null when there is none.</summary>
    internal static uint? Of(string name)
    {
        if (name.Length is 0 or > MaxNameLength || name is "." or ".." || name.AsSpan().ContainsAny("/: \t\n\r\v\f%"))
        {
            return null;
        }

        // IPAddress resolves a scope name with if_nametoindex; it yields scope 0 for an unknown name.
        return IPAddress.TryParse("::%" + name, out IPAddress? probe) && probe.ScopeId != 0 ? (uint)probe.ScopeId : null;
    }
}
