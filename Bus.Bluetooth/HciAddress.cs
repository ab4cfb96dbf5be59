using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Buses.Bluetooth.Interop;

namespace Buses.Bluetooth;

/// <summary>The channel an HCI socket is bound to (<c>HCI_CHANNEL_*</c>).</summary>
public enum HciChannel : ushort
{
    /// <summary>HCI_CHANNEL_RAW: commands, events and data of one controller, shared with the kernel's own stack.</summary>
    Raw = 0,
    /// <summary>HCI_CHANNEL_USER: exclusive raw access to a controller that is down (CAP_NET_ADMIN).</summary>
    User = 1,
    /// <summary>HCI_CHANNEL_MONITOR: every controller's traffic, as btmon reads it (device <see cref="HciAddress.NoDevice"/>).</summary>
    Monitor = 2,
    /// <summary>HCI_CHANNEL_CONTROL: the management interface (CAP_NET_ADMIN, device <see cref="HciAddress.NoDevice"/>).</summary>
    Control = 3,
    /// <summary>HCI_CHANNEL_LOGGING: user-space log records into the monitor stream.</summary>
    Logging = 4,
}

/// <summary>
/// An HCI socket address (<c>struct sockaddr_hci</c>, 6 bytes): a controller index and a channel. Text
/// form <c>hci:0</c> for the raw channel (Python's form is the bare device number) and
/// <c>hci:0,user</c>, <c>hci:none,control</c> otherwise (Python's <c>(dev, channel)</c>).
/// </summary>
public readonly struct HciAddress : ISocketAddress<HciAddress>
{
    /// <summary><c>HCI_DEV_NONE</c>: no controller, for the monitor and control channels.</summary>
    public const ushort NoDevice = 0xFFFF;

    /// <summary>An address of controller <paramref name="device"/> on <paramref name="channel"/>.</summary>
    /// <param name="device">The controller index (hci0 = 0), or <see cref="NoDevice"/>.</param>
    /// <param name="channel">The channel.</param>
    /// <exception cref="ArgumentOutOfRangeException">A device outside 0–65535 or an unknown channel.</exception>
    public HciAddress(int device, HciChannel channel = HciChannel.Raw)
    {
        if (device is < 0 or > NoDevice)
        {
            throw new ArgumentOutOfRangeException(nameof(device), device, $"HCI device {device} is outside 0–65535 (65535 = none).");
        }

        if (channel > HciChannel.Logging)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, "The HCI channel is Raw, User, Monitor, Control or Logging (0–4).");
        }

        Device = (ushort)device;
        Channel = channel;
    }

    /// <summary>The monitor channel, every controller.</summary>
    public static HciAddress Monitor => new(NoDevice, HciChannel.Monitor);

    /// <summary>The management channel.</summary>
    public static HciAddress Control => new(NoDevice, HciChannel.Control);

    /// <inheritdoc/>
    public static string Scheme => "hci";

    /// <summary>The controller index, or <see cref="NoDevice"/>.</summary>
    public ushort Device { get; }

    /// <summary>The channel.</summary>
    public HciChannel Channel { get; }

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Bluetooth;

    /// <inheritdoc/>
    public int EncodedSize => Unsafe.SizeOf<sockaddr_hci>();

    /// <inheritdoc/>
    public int Encode(Span<byte> destination)
    {
        // hci_channel must be written even for RAW: CPython's first version left it unset and the
        // kernel answered EINVAL at random (python/cpython#132075).
        Span<byte> bytes = SocketAddressCodec.BeginEncode(destination, SocketFamily.Bluetooth, EncodedSize, "sockaddr_hci");
        MemoryMarshal.Write(bytes[(int)Marshal.OffsetOf<sockaddr_hci>(nameof(sockaddr_hci.hci_dev))..], Device);
        MemoryMarshal.Write(bytes[(int)Marshal.OffsetOf<sockaddr_hci>(nameof(sockaddr_hci.hci_channel))..], (ushort)Channel);
        return bytes.Length;
    }

    /// <inheritdoc/>
    public static HciAddress Decode(ReadOnlySpan<byte> sockaddr)
    {
        SocketAddressCodec.CheckDecode(sockaddr, SocketFamily.Bluetooth, Unsafe.SizeOf<sockaddr_hci>(), "sockaddr_hci");
        ushort device = MemoryMarshal.Read<ushort>(sockaddr[(int)Marshal.OffsetOf<sockaddr_hci>(nameof(sockaddr_hci.hci_dev))..]);
        ushort channel = MemoryMarshal.Read<ushort>(sockaddr[(int)Marshal.OffsetOf<sockaddr_hci>(nameof(sockaddr_hci.hci_channel))..]);
        if (channel > (ushort)HciChannel.Logging)
        {
            throw new FormatException($"A sockaddr_hci with hci_channel {channel} is none of HCI_CHANNEL_RAW … HCI_CHANNEL_LOGGING (0–4).");
        }

        return new HciAddress(device, (HciChannel)channel);
    }

    /// <inheritdoc/>
    public static HciAddress ParseBody(string text)
    {
        string[] parts = BluetoothText.Split(Scheme, text, 1, 2, "'DEVICE[,CHANNEL]'");
        int device = parts[0] == "none" ? NoDevice : BluetoothText.Number(Scheme, text, parts[0], NoDevice, "a controller index or 'none'");
        HciChannel channel = parts.Length == 1 ? HciChannel.Raw : parts[1] switch
        {
            "raw" or "0" => HciChannel.Raw,
            "user" or "1" => HciChannel.User,
            "monitor" or "2" => HciChannel.Monitor,
            "control" or "3" => HciChannel.Control,
            "logging" or "4" => HciChannel.Logging,
            _ => throw SocketAddressParser.Malformed(Scheme, text, parts[1], "is not a channel: raw, user, monitor, control or logging (or 0–4)"),
        };
        return new HciAddress(device, channel);
    }

    /// <summary>Parses <c>hci:0</c>, <c>hci:1,user</c> or <c>hci:none,monitor</c>.</summary>
    /// <param name="text">The text, with the scheme.</param>
    /// <returns>The address.</returns>
    public static HciAddress Parse(string text) => SocketAddressParser.Parse<HciAddress>(text);

    /// <inheritdoc/>
    public bool Equals(HciAddress other) => Device == other.Device && Channel == other.Channel;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is HciAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Device, Channel);

    /// <summary>The canonical text: <c>hci:0</c> on the raw channel, else <c>hci:DEVICE,CHANNEL</c> with <c>none</c> for <see cref="NoDevice"/>.</summary>
    public override string ToString()
    {
        string device = Device == NoDevice ? "none" : BluetoothText.Decimal(Device);
        return Channel == HciChannel.Raw ? "hci:" + device : $"hci:{device},{Channel.ToString().ToLowerInvariant()}";
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(HciAddress left, HciAddress right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(HciAddress left, HciAddress right) => !left.Equals(right);
}
