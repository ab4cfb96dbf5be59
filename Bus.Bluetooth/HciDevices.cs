using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Buses.Bluetooth.Interop;
using static Buses.Bluetooth.Interop.BluetoothUapi;

namespace Buses.Bluetooth;

/// <summary>A controller's state bits (<c>1 &lt;&lt; HCI_UP</c> …), as <c>hciconfig</c> prints them (UP RUNNING PSCAN ISCAN).</summary>
[Flags]
public enum HciDeviceFlags : uint
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>HCI_UP: the controller is up.</summary>
    Up = 1 << 0,
    /// <summary>HCI_INIT: being initialized.</summary>
    Init = 1 << 1,
    /// <summary>HCI_RUNNING: the transport is open.</summary>
    Running = 1 << 2,
    /// <summary>HCI_PSCAN: page scan on (connectable).</summary>
    PageScan = 1 << 3,
    /// <summary>HCI_ISCAN: inquiry scan on (discoverable).</summary>
    InquiryScan = 1 << 4,
    /// <summary>HCI_AUTH: authentication required.</summary>
    Authentication = 1 << 5,
    /// <summary>HCI_ENCRYPT: encryption required.</summary>
    Encryption = 1 << 6,
    /// <summary>HCI_INQUIRY: an inquiry is running.</summary>
    Inquiry = 1 << 7,
    /// <summary>HCI_RAW: raw mode.</summary>
    Raw = 1 << 8,
}

/// <summary>Packet counters of a controller (<c>struct hci_dev_stats</c>).</summary>
/// <param name="ReceiveErrors"><c>err_rx</c>.</param>
/// <param name="TransmitErrors"><c>err_tx</c>.</param>
/// <param name="CommandsSent"><c>cmd_tx</c>.</param>
/// <param name="EventsReceived"><c>evt_rx</c>.</param>
/// <param name="AclSent"><c>acl_tx</c>.</param>
/// <param name="AclReceived"><c>acl_rx</c>.</param>
/// <param name="ScoSent"><c>sco_tx</c>.</param>
/// <param name="ScoReceived"><c>sco_rx</c>.</param>
/// <param name="BytesReceived"><c>byte_rx</c>.</param>
/// <param name="BytesSent"><c>byte_tx</c>.</param>
public readonly record struct HciDeviceStatistics(uint ReceiveErrors, uint TransmitErrors, uint CommandsSent, uint EventsReceived, uint AclSent, uint AclReceived, uint ScoSent, uint ScoReceived, uint BytesReceived, uint BytesSent);

/// <summary>What HCIGETDEVINFO reports of a controller (<c>struct hci_dev_info</c>).</summary>
/// <param name="Index">The index (hci0 = 0).</param>
/// <param name="Name">The kernel's name, <c>hci0</c>.</param>
/// <param name="Address">The controller's address (00:00:00:00:00:00 before its first power-on).</param>
/// <param name="Flags">The state bits.</param>
/// <param name="Bus">The transport (<c>type &amp; 0x0F</c>: 0 virtual, 1 USB, 3 UART, …), as hciconfig's "Bus:".</param>
/// <param name="Type">The controller type (<c>(type &gt;&gt; 4) &amp; 3</c>: 0 primary, 1 AMP), as hciconfig's "Type:".</param>
/// <param name="Features">The LMP feature bits, 8 bytes little-endian.</param>
/// <param name="AclMtu">The ACL MTU.</param>
/// <param name="AclPackets">The ACL buffer count.</param>
/// <param name="ScoMtu">The SCO MTU.</param>
/// <param name="ScoPackets">The SCO buffer count.</param>
/// <param name="Statistics">The counters.</param>
public sealed record HciDeviceInfo(int Index, string Name, BluetoothAddress Address, HciDeviceFlags Flags, int Bus, int Type, ulong Features, int AclMtu, int AclPackets, int ScoMtu, int ScoPackets, HciDeviceStatistics Statistics)
{
    /// <summary>Whether the controller is up.</summary>
    public bool IsUp => (Flags & HciDeviceFlags.Up) != 0;
}

/// <summary>
/// The controllers the kernel knows, through the HCI device ioctls hciconfig uses: HCIGETDEVLIST,
/// HCIGETDEVINFO, HCIDEVUP and HCIDEVDOWN.
/// </summary>
/// <remarks>Bringing a controller up or down needs CAP_NET_ADMIN; HCIDEVUP blocks in the kernel while the controller initializes.</remarks>
public static class HciDevices
{
    /// <summary>The indexes of every controller (HCIGETDEVLIST), at most 16 as hciconfig asks.</summary>
    /// <returns>The indexes in the kernel's order.</returns>
    /// <exception cref="BusException">EAFNOSUPPORT without Bluetooth.</exception>
    public static IReadOnlyList<int> List()
    {
        int entry = Unsafe.SizeOf<hci_dev_req>();
        Span<byte> request = stackalloc byte[HCI_DEV_LIST_REQ_ENTRIES + (HCI_MAX_DEV * entry)];
        request.Clear();
        MemoryMarshal.Write(request, (ushort)HCI_MAX_DEV);
        using BusSocket socket = Control();
        socket.IOControl(HCIGETDEVLIST, request);
        int count = Math.Min(MemoryMarshal.Read<ushort>(request), (ushort)HCI_MAX_DEV);
        var indexes = new int[count];
        for (int i = 0; i < count; i++)
        {
            indexes[i] = MemoryMarshal.Read<hci_dev_req>(request[(HCI_DEV_LIST_REQ_ENTRIES + (i * entry))..]).dev_id;
        }

        return indexes;
    }

    /// <summary>A controller's information (HCIGETDEVINFO).</summary>
    /// <param name="index">The index, 0–65534.</param>
    /// <returns>The information.</returns>
    /// <exception cref="BusException">ENODEV when there is no such controller.</exception>
    public static unsafe HciDeviceInfo GetInfo(int index)
    {
        CheckIndex(index);
        var info = new hci_dev_info { dev_id = (ushort)index };
        using (BusSocket socket = Control())
        {
            socket.IOControl(HCIGETDEVINFO, ref info);
        }

        var name = new ReadOnlySpan<byte>(info.name, 8);
        int end = name.IndexOf((byte)0);
        hci_dev_stats s = info.stat;
        return new HciDeviceInfo(
            info.dev_id,
            Encoding.ASCII.GetString(end < 0 ? name : name[..end]),
            BluetoothAddress.Read(new ReadOnlySpan<byte>(info.bdaddr.b, BluetoothAddress.Size)),
            (HciDeviceFlags)info.flags,
            info.type & 0x0F,
            (info.type >> 4) & 0x03,
            BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(info.features, 8)),
            info.acl_mtu,
            info.acl_pkts,
            info.sco_mtu,
            info.sco_pkts,
            new HciDeviceStatistics(s.err_rx, s.err_tx, s.cmd_tx, s.evt_rx, s.acl_tx, s.acl_rx, s.sco_tx, s.sco_rx, s.byte_rx, s.byte_tx));
    }

    /// <summary>Every controller's information.</summary>
    /// <returns>One entry per controller that still exists.</returns>
    public static IReadOnlyList<HciDeviceInfo> GetAll()
    {
        var all = new List<HciDeviceInfo>();
        foreach (int index in List())
        {
            try
            {
                all.Add(GetInfo(index));
            }
            catch (BusException ex) when (ex.Errno == Errno.ENODEV)
            {
                // Removed between the list and the query.
            }
        }

        return all;
    }

    /// <summary>Brings a controller up (HCIDEVUP), as <c>hciconfig hciN up</c>; EALREADY is success.</summary>
    /// <param name="index">The index.</param>
    /// <exception cref="BusException">EPERM without CAP_NET_ADMIN, ERFKILL when blocked, ENODEV.</exception>
    public static void Up(int index) => DeviceControl(HCIDEVUP, index);

    /// <summary>Brings a controller up on a pool thread; the kernel call itself cannot be cancelled once started.</summary>
    /// <param name="index">The index.</param>
    /// <param name="cancellationToken">Cancels before the call starts.</param>
    /// <returns>A task that completes when the controller is up.</returns>
    public static async ValueTask UpAsync(int index, CancellationToken cancellationToken = default) =>
        await Task.Run(() => Up(index), cancellationToken).ConfigureAwait(false);

    /// <summary>Takes a controller down (HCIDEVDOWN), as <c>hciconfig hciN down</c>.</summary>
    /// <param name="index">The index.</param>
    public static void Down(int index) => DeviceControl(HCIDEVDOWN, index);

    /// <summary>Takes a controller down on a pool thread.</summary>
    /// <param name="index">The index.</param>
    /// <param name="cancellationToken">Cancels before the call starts.</param>
    /// <returns>A task that completes when the controller is down.</returns>
    public static async ValueTask DownAsync(int index, CancellationToken cancellationToken = default) =>
        await Task.Run(() => Down(index), cancellationToken).ConfigureAwait(false);

    private static void DeviceControl(uint request, int index)
    {
        CheckIndex(index);
        using BusSocket socket = Control();
        try
        {
            socket.IOControl(request, index);
        }
        catch (BusException ex) when (ex.Errno == Errno.EALREADY)
        {
            // hciconfig treats "already up/down" as done too.
        }
    }

    private static void CheckIndex(int index)
    {
        if (index is < 0 or >= HCI_DEV_NONE)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"HCI device index {index} is outside 0–65534.");
        }
    }

    // The ioctls work on an unbound raw HCI socket, as hciconfig's control socket is.
    private static BusSocket Control() => new(SocketFamily.Bluetooth, SocketType.Raw, BTPROTO_HCI);
}
