using System.Runtime.CompilerServices;

namespace Buses.Can;

internal static class CanModule
{
    // Registers the can: scheme as soon as Bus.Can loads, so SocketAddressParser.Parse("can:vcan0") works.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "A library registering its address scheme on load is the documented purpose of the registry.")]
    [ModuleInitializer]
    internal static void Register()
    {
        // sockaddr_can has a layout per protocol: RAW and BCM use the interface-only arm; ISO-TP and
        // J1939 register their own, so an address of theirs is never read as a plain interface.
        SocketAddressParser.Register<CanAddress>(SocketFamily.Can, Interop.CanUapi.CAN_RAW);
        SocketAddressParser.Register<CanAddress>(SocketFamily.Can, Interop.CanUapi.CAN_BCM);
        SocketAddressParser.Register<IsoTpAddress>(SocketFamily.Can, Interop.CanUapi.CAN_ISOTP);
        SocketAddressParser.Register<J1939Address>(SocketFamily.Can, Interop.CanUapi.CAN_J1939);
    }
}
