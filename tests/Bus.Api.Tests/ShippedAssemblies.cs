using System.Reflection;

namespace Buses.Api.Tests;

internal static class ShippedAssemblies
{
    /// <summary>Every assembly the project ships; a new family adds its own line.</summary>
    public static readonly Assembly[] All =
    [
        typeof(BusSocket).Assembly,
        typeof(Inet.InetAddress).Assembly,
        typeof(Can.CanRawSocket).Assembly,
        typeof(Tipc.TipcSocket).Assembly,
        typeof(Bluetooth.BluetoothAddress).Assembly,
    ];

    public static IEnumerable<Type> PublicTypes => All.SelectMany(a => a.GetExportedTypes());
}
