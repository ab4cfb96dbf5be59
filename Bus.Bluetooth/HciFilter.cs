using System.Runtime.InteropServices;

namespace Buses.Bluetooth;

/// <summary>HCI packet types (<c>HCI_*_PKT</c>), the first byte of every packet on a raw HCI socket.</summary>
public enum HciPacketType : byte
{
    /// <summary>HCI_COMMAND_PKT.</summary>
    Command = 0x01,
    /// <summary>HCI_ACLDATA_PKT.</summary>
    AclData = 0x02,
    /// <summary>HCI_SCODATA_PKT.</summary>
    ScoData = 0x03,
    /// <summary>HCI_EVENT_PKT.</summary>
    Event = 0x04,
    /// <summary>HCI_ISODATA_PKT.</summary>
    IsoData = 0x05,
    /// <summary>HCI_VENDOR_PKT.</summary>
    Vendor = 0xFF,
}

/// <summary>
/// <c>struct hci_filter</c> (the kernel's <c>hci_ufilter</c>, 16 bytes): which packet types and events reach
/// a raw HCI socket, and which command's Complete/Status events (opcode 0 = all).
/// </summary>
/// <remarks>
/// Always set as all 16 bytes: since Linux 6.8 a shorter <c>HCI_FILTER</c> is refused with EINVAL (older
/// kernels truncated silently). An unprivileged socket's filter is further ANDed with the kernel's
/// security filter.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct HciFilter(uint TypeMask, uint EventMaskLow, uint EventMaskHigh, ushort Opcode)
{
    /// <summary>Passes every packet type and event.</summary>
    public static HciFilter All => new(uint.MaxValue, uint.MaxValue, uint.MaxValue, 0);

    /// <summary>This filter also passing packets of <paramref name="type"/> (<c>hci_filter_set_ptype</c>).</summary>
    /// <param name="type">The packet type.</param>
    /// <returns>The new filter.</returns>
    public HciFilter WithPacketType(HciPacketType type) =>
        this with { TypeMask = TypeMask | (1u << (type == HciPacketType.Vendor ? 0 : (int)type & 31)) };

    /// <summary>This filter also passing event <paramref name="eventCode"/> (<c>hci_filter_set_event</c>, bit <c>code &amp; 63</c>).</summary>
    /// <param name="eventCode">The HCI event code (0x0E Command Complete, 0x0F Command Status …).</param>
    /// <returns>The new filter.</returns>
    public HciFilter WithEvent(byte eventCode)
    {
        int bit = eventCode & 63;
        return bit < 32 ? this with { EventMaskLow = EventMaskLow | (1u << bit) } : this with { EventMaskHigh = EventMaskHigh | (1u << (bit - 32)) };
    }

    /// <summary>Whether packets of <paramref name="type"/> pass.</summary>
    /// <param name="type">The packet type.</param>
    /// <returns>Whether the bit is set.</returns>
    public bool Passes(HciPacketType type) => (TypeMask & (1u << (type == HciPacketType.Vendor ? 0 : (int)type & 31))) != 0;

    /// <summary>Whether event <paramref name="eventCode"/> passes.</summary>
    /// <param name="eventCode">The event code.</param>
    /// <returns>Whether the bit is set.</returns>
    public bool PassesEvent(byte eventCode)
    {
        int bit = eventCode & 63;
        return ((bit < 32 ? EventMaskLow >> bit : EventMaskHigh >> (bit - 32)) & 1) != 0;
    }
}
