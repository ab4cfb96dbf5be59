using System.Runtime.CompilerServices;

namespace Buses.Tipc;

internal static class TipcModule
{
    // Registers the tipc: scheme as soon as Bus.Tipc loads. sockaddr_tipc has one layout for every
    // socket type and protocol, so one decoder serves the whole family.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "A library registering its address scheme on load is the documented purpose of the registry.")]
    [ModuleInitializer]
    internal static void Register() => SocketAddressParser.Register<TipcAddress>(SocketFamily.Tipc);
}
