using System.Runtime.CompilerServices;

namespace Buses.Inet;

internal static class InetModule
{
    // Registers the INET, INET6 and UNIX schemes as soon as Bus.Inet loads, so
    // SocketAddressParser.Parse("inet6:[::1]:80") and Decode of these families work anywhere.
    // The team contract: each family registers its schemes from its module initializer.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        SocketAddressParser.Register<InetAddress>(SocketFamily.Inet);
        SocketAddressParser.Register<Inet6Address>(SocketFamily.Inet6);
        SocketAddressParser.Register<UnixAddress>(SocketFamily.Unix);
    }
}
