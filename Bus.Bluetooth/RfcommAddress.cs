using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Buses.Bluetooth.Interop;

namespace Buses.Bluetooth;

/// <summary>
/// An RFCOMM socket address (<c>struct sockaddr_rc</c>, 10 bytes): a device and a server channel.
/// Text form <c>rfcomm:00:AA:01:01:00:01,5</c>, the order of Python's <c>(bdaddr, channel)</c> tuple.
/// </summary>
/// <remarks>Channel 0 is only for binding: the kernel then picks a free channel at <c>listen</c>.</remarks>
public readonly struct RfcommAddress : ISocketAddress<RfcommAddress>
{
    /// <summary>The highest RFCOMM server channel (the RFCOMM specification's 5-bit server channel, 1–30).</summary>
    public const int MaxChannel = 30;

    /// <summary>An address of <paramref name="device"/> and <paramref name="channel"/>.</summary>
    /// <param name="device">The device (<see cref="BluetoothAddress.Any"/> to bind to any controller).</param>
    /// <param name="channel">1–30, or 0 to bind to any free channel.</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel outside 0–30.</exception>
    public RfcommAddress(BluetoothAddress device, int channel)
    {
        if (channel is < 0 or > MaxChannel)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, $"RFCOMM channel {channel} is outside 1–{MaxChannel} (0 binds to any free channel).");
        }

        Device = device;
        Channel = (byte)channel;
    }

    /// <inheritdoc/>
    public static string Scheme => "rfcomm";

    /// <summary>The device address.</summary>
    public BluetoothAddress Device { get; }

    /// <summary>The server channel (0 = any, when binding).</summary>
    public byte Channel { get; }

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Bluetooth;

    /// <inheritdoc/>
    public int EncodedSize => Unsafe.SizeOf<sockaddr_rc>();

    /// <inheritdoc/>
    public int Encode(Span<byte> destination)
    {
        Span<byte> bytes = SocketAddressCodec.BeginEncode(destination, SocketFamily.Bluetooth, EncodedSize, "sockaddr_rc");
        Device.Write(bytes[(int)Marshal.OffsetOf<sockaddr_rc>(nameof(sockaddr_rc.rc_bdaddr))..]);
        bytes[(int)Marshal.OffsetOf<sockaddr_rc>(nameof(sockaddr_rc.rc_channel))] = Channel;
        return bytes.Length;
    }

    /// <inheritdoc/>
    public static RfcommAddress Decode(ReadOnlySpan<byte> sockaddr)
    {
        int channelAt = (int)Marshal.OffsetOf<sockaddr_rc>(nameof(sockaddr_rc.rc_channel));
        SocketAddressCodec.CheckDecode(sockaddr, SocketFamily.Bluetooth, channelAt + 1, "sockaddr_rc");
        byte channel = sockaddr[channelAt];
        if (channel > MaxChannel)
        {
            throw new FormatException($"A sockaddr_rc with channel {channel} is outside 0–{MaxChannel}.");
        }

        return new RfcommAddress(BluetoothAddress.Read(sockaddr[(int)Marshal.OffsetOf<sockaddr_rc>(nameof(sockaddr_rc.rc_bdaddr))..]), channel);
    }

    /// <inheritdoc/>
    public static RfcommAddress ParseBody(string text)
    {
        string[] parts = BluetoothText.Split(Scheme, text, 2, 2, "'ADDRESS,CHANNEL'");
        BluetoothAddress device = BluetoothText.Device(Scheme, text, parts[0]);
        int channel = BluetoothText.Number(Scheme, text, parts[1], MaxChannel, "an RFCOMM channel");
        return new RfcommAddress(device, channel);
    }

    /// <summary>Parses <c>rfcomm:00:AA:01:01:00:01,5</c>.</summary>
    /// <param name="text">The text, with the scheme.</param>
    /// <returns>The address.</returns>
    public static RfcommAddress Parse(string text) => SocketAddressParser.Parse<RfcommAddress>(text);

    /// <inheritdoc/>
    public bool Equals(RfcommAddress other) => Device == other.Device && Channel == other.Channel;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RfcommAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Device, Channel);

    /// <summary>The canonical text, <c>rfcomm:00:AA:01:01:00:01,5</c>.</summary>
    public override string ToString() => $"rfcomm:{Device},{BluetoothText.Decimal(Channel)}";

    /// <summary>Equality.</summary>
    public static bool operator ==(RfcommAddress left, RfcommAddress right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(RfcommAddress left, RfcommAddress right) => !left.Equals(right);
}
