using System.Runtime.CompilerServices;

namespace Buses.Can;

internal static class CanModule
{
    // Registers the can: scheme as soon as Bus.Can loads, so SocketAddressParser.Parse("can:vcan0") works.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "A library registering its address scheme on load is the documented purpose of the registry.")]
    [ModuleInitializer]
    internal static void Register() => SocketAddressParser.Register<CanAddress>(SocketFamily.Can);
}
