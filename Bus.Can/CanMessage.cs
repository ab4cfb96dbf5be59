using System.Runtime.InteropServices;
using static Buses.Can.Interop.CanUapi;

namespace Buses.Can;

/// <summary>Which frame structure a received message holds; the kernel tells them apart by the byte count read.</summary>
public enum CanFrameKind
{
    /// <summary>A classic frame (16 bytes), including error frames.</summary>
    Classic,
    /// <summary>A CAN FD frame (72 bytes).</summary>
    Fd,
    /// <summary>A CAN XL frame (12-byte header plus 1–2048 bytes, XLF flag set).</summary>
    Xl,
}

/// <summary>Where a received frame came from, from the <c>recvmsg</c> flags.</summary>
public enum CanDirection
{
    /// <summary>Received from the bus (or from another host on vcan-like links).</summary>
    Received,
    /// <summary>Sent by another socket on this host (local loopback: MSG_DONTROUTE).</summary>
    Loopback,
    /// <summary>Sent by this very socket, echoed back because receive-own-messages is on (MSG_CONFIRM).</summary>
    Transmitted,
}

/// <summary>What arrived with a frame: interface, timestamps, direction and the socket's drop count, all from the same <c>recvmsg</c>.</summary>
/// <param name="Kind">The frame structure.</param>
/// <param name="InterfaceIndex">The interface the frame came from (from <c>msg_name</c>).</param>
/// <param name="Timestamp">The kernel's software receive timestamp (SO_TIMESTAMPNS, or SO_TIMESTAMPING's software stamp); unset when off.</param>
/// <param name="HardwareTimestamp">The controller's raw hardware timestamp (SO_TIMESTAMPING); unset when off or unsupported.</param>
/// <param name="Direction">Received, local loopback, or this socket's own transmission.</param>
/// <param name="DropCount">The socket's running count of frames dropped for lack of receive buffer (SO_RXQ_OVFL), as of this frame.</param>
/// <param name="NewDrops">How many frames were dropped between the previous receive on this socket and this frame.</param>
public readonly record struct CanFrameInfo(
    CanFrameKind Kind,
    int InterfaceIndex,
    SocketTimestamp Timestamp,
    SocketTimestamp HardwareTimestamp,
    CanDirection Direction,
    uint DropCount,
    uint NewDrops)
{
    internal static CanFrameInfo Parse(int length, ReadOnlySpan<byte> data, ReadOnlySpan<byte> control, ReadOnlySpan<byte> address, MessageFlags flags, ref uint lastDrops)
    {
        SocketTimestamp software = default, hardware = default;
        uint drops = lastDrops;
        foreach (ControlMessage message in ControlMessage.Parse(control))
        {
            if (message.TryGetTimestamp(out SocketTimestamp ts))
            {
                software = ts;
            }
            else if (message.TryGetTimestamping(out SocketTimestamp sw, out SocketTimestamp hw))
            {
                software = sw.IsSet ? sw : software;
                hardware = hw;
            }
            else if (message.TryGetDropCount(out uint count))
            {
                drops = count;
            }
        }

        uint newDrops = drops - lastDrops;
        lastDrops = drops;
        int index = address.Length >= 8 ? MemoryMarshal.Read<int>(address[4..]) : 0;
        // The kernel marks every locally sent frame MSG_DONTROUTE and adds MSG_CONFIRM for the sender's own echo.
        CanDirection direction = (flags & MessageFlags.Confirm) != 0 ? CanDirection.Transmitted
            : (flags & MessageFlags.DontRoute) != 0 ? CanDirection.Loopback
            : CanDirection.Received;
        // A CAN_RAW socket delivers only whole frames, so a size that fits none cannot occur.
        CanFrameKind kind = CanWire.KindOf(data[..length]);
        return new CanFrameInfo(kind, index, software, hardware, direction, drops, newDrops);
    }
}

/// <summary>
/// A reusable receive buffer: one frame of any kind (classic, FD or XL) with its <see cref="CanFrameInfo"/>.
/// <see cref="CanRawSocket"/> refills the same instance on every receive, so steady-state receiving allocates nothing;
/// copy out (<see cref="Classic"/>, <see cref="Fd"/>) what must outlive the next receive.
/// </summary>
public sealed class CanMessage
{
    // Large enough for the largest XL frame; classic and FD frames use its start.
    internal readonly byte[] Buffer = new byte[CANXL_MTU];
    internal readonly byte[] Control = new byte[ControlMessage.Space(16) + ControlMessage.Space(3 * 16) + ControlMessage.Space(4) + 64];
    internal readonly byte[] Address = new byte[24];

    /// <summary>The metadata of the frame last received.</summary>
    public CanFrameInfo Info { get; internal set; }

    /// <summary>The frame structure last received.</summary>
    public CanFrameKind Kind => Info.Kind;

    /// <summary>The number of bytes the kernel delivered.</summary>
    public int Length { get; internal set; }

    /// <summary>The raw frame bytes as delivered.</summary>
    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Length);

    /// <summary>The classic frame (valid when <see cref="Kind"/> is <see cref="CanFrameKind.Classic"/>).</summary>
    /// <exception cref="InvalidOperationException">The message holds another kind.</exception>
    public ref readonly CanFrame Classic => ref As<CanFrame>(CanFrameKind.Classic);

    /// <summary>The FD frame (valid when <see cref="Kind"/> is <see cref="CanFrameKind.Fd"/>).</summary>
    /// <exception cref="InvalidOperationException">The message holds another kind.</exception>
    public ref readonly CanFdFrame Fd => ref As<CanFdFrame>(CanFrameKind.Fd);

    /// <summary>The XL frame (valid when <see cref="Kind"/> is <see cref="CanFrameKind.Xl"/>).</summary>
    /// <exception cref="InvalidOperationException">The message holds another kind.</exception>
    public ref readonly CanXlFrame Xl => ref As<CanXlFrame>(CanFrameKind.Xl);

    /// <summary>Whether the message is an error frame.</summary>
    public bool IsError => Kind == CanFrameKind.Classic && Classic.IsError;

    private ref readonly T As<T>(CanFrameKind kind) where T : struct
    {
        if (Info.Kind != kind || Length == 0)
        {
            throw new InvalidOperationException($"The message holds a {(Length == 0 ? "nothing yet" : Info.Kind.ToString())} frame, not a {kind} frame.");
        }

        return ref MemoryMarshal.AsRef<T>(Buffer.AsSpan());
    }

    /// <summary>The frame and its metadata for reading.</summary>
    public override string ToString() => Length == 0 ? "(empty)" : Kind switch
    {
        CanFrameKind.Classic => Classic.ToString(),
        CanFrameKind.Fd => Fd.ToString(),
        _ => Xl.ToString(),
    } + $" if#{Info.InterfaceIndex} {Info.Direction}";
}
