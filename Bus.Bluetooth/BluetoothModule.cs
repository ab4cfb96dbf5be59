using System.Runtime.CompilerServices;
using static Buses.Bluetooth.Interop.BluetoothUapi;

namespace Buses.Bluetooth;

internal static class BluetoothModule
{
    // AF_BLUETOOTH carries four layouts, one per protocol; each is registered under its own key so an
    // L2CAP address is never read as an RFCOMM one.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "A library registering its address schemes on load is the documented purpose of the registry.")]
    [ModuleInitializer]
    internal static void Register()
    {
        SocketAddressParser.Register<L2capAddress>(SocketFamily.Bluetooth, BTPROTO_L2CAP);
        SocketAddressParser.Register<HciAddress>(SocketFamily.Bluetooth, BTPROTO_HCI);
        SocketAddressParser.Register<ScoAddress>(SocketFamily.Bluetooth, BTPROTO_SCO);
        SocketAddressParser.Register<RfcommAddress>(SocketFamily.Bluetooth, BTPROTO_RFCOMM);
    }
}
