using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Buses.Bluetooth.Interop;

namespace Buses.Bluetooth;

/// <summary>
/// A SCO socket address (<c>struct sockaddr_sco</c>, 8 bytes): a device only. Text form
/// <c>sco:00:AA:01:01:00:01</c>; Python's form is the address string alone.
/// </summary>
public readonly struct ScoAddress : ISocketAddress<ScoAddress>
{
    /// <summary>An address of <paramref name="device"/>.</summary>
    /// <param name="device">The device.</param>
    public ScoAddress(BluetoothAddress device) => Device = device;

    /// <inheritdoc/>
    public static string Scheme => "sco";

    /// <summary>The device address.</summary>
    public BluetoothAddress Device { get; }

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Bluetooth;

    /// <inheritdoc/>
    public int EncodedSize => Unsafe.SizeOf<sockaddr_sco>();

    /// <inheritdoc/>
    public int Encode(Span<byte> destination)
    {
        Span<byte> bytes = SocketAddressCodec.BeginEncode(destination, SocketFamily.Bluetooth, EncodedSize, "sockaddr_sco");
        Device.Write(bytes[(int)Marshal.OffsetOf<sockaddr_sco>(nameof(sockaddr_sco.sco_bdaddr))..]);
        return bytes.Length;
    }

    /// <inheritdoc/>
    public static ScoAddress Decode(ReadOnlySpan<byte> sockaddr)
    {
        SocketAddressCodec.CheckDecode(sockaddr, SocketFamily.Bluetooth, Unsafe.SizeOf<sockaddr_sco>(), "sockaddr_sco");
        return new ScoAddress(BluetoothAddress.Read(sockaddr[(int)Marshal.OffsetOf<sockaddr_sco>(nameof(sockaddr_sco.sco_bdaddr))..]));
    }

    /// <inheritdoc/>
    public static ScoAddress ParseBody(string text)
    {
        string[] parts = BluetoothText.Split(Scheme, text, 1, 1, "a Bluetooth address");
        return new ScoAddress(BluetoothText.Device(Scheme, text, parts[0]));
    }

    /// <summary>Parses <c>sco:00:AA:01:01:00:01</c>.</summary>
    /// <param name="text">The text, with the scheme.</param>
    /// <returns>The address.</returns>
    public static ScoAddress Parse(string text) => SocketAddressParser.Parse<ScoAddress>(text);

    /// <inheritdoc/>
    public bool Equals(ScoAddress other) => Device == other.Device;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ScoAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Device.GetHashCode();

    /// <summary>The canonical text, <c>sco:00:AA:01:01:00:01</c>.</summary>
    public override string ToString() => "sco:" + Device;

    /// <summary>Equality.</summary>
    public static bool operator ==(ScoAddress left, ScoAddress right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ScoAddress left, ScoAddress right) => !left.Equals(right);
}
