using System.Globalization;

namespace Buses.Bluetooth;

// The shared reader of the comma-separated text forms: the device address first, then numbers, in the
// order of Python's tuples for the same address.
internal static class BluetoothText
{
    public static string[] Split(string scheme, string body, int minParts, int maxParts, string shape)
    {
        ArgumentNullException.ThrowIfNull(body);
        string[] parts = body.Split(',');
        if (parts.Length < minParts || parts.Length > maxParts)
        {
            throw SocketAddressParser.Malformed(scheme, body, body, $"is not {shape}");
        }

        return parts;
    }

    public static BluetoothAddress Device(string scheme, string body, string part) =>
        BluetoothAddress.TryParse(part, out BluetoothAddress address)
            ? address
            : throw SocketAddressParser.Malformed(scheme, body, part, "is not a Bluetooth address of six hex pairs (XX:XX:XX:XX:XX:XX)");

    // Decimal, as Python and l2test print them, or 0x-prefixed hex, as the Bluetooth specifications write them.
    public static int Number(string scheme, string body, string part, int max, string what)
    {
        ReadOnlySpan<char> s = part.AsSpan();
        bool hex = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!int.TryParse(hex ? s[2..] : s, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > max)
        {
            throw SocketAddressParser.Malformed(scheme, body, part, $"is not {what} (0–{max}, decimal or 0x hex)");
        }

        return value;
    }

    public static string Decimal(int value) => value.ToString(CultureInfo.InvariantCulture);
}
