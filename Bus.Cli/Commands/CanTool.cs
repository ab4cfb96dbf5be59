using System.Diagnostics;
using System.Runtime.InteropServices;
using Buses.Can;

namespace Buses.Cli.Commands;

/// <summary>What the <c>buses can</c> tools share: opening sockets the way each can-utils tool does, sending wire images, waiting.</summary>
internal static class CanTool
{
    /// <summary>Why CAN on <paramref name="iface"/> cannot be used here, or null when it can.</summary>
    public static string? WhyNoCan(string iface)
    {
        try
        {
            using var probe = new CanRawSocket(iface);
            return null;
        }
        catch (BusException e) when (e.Errno is Errno.EAFNOSUPPORT or Errno.EPROTONOSUPPORT)
        {
            return $"this kernel has no CAN sockets (socket(AF_CAN): {e.ErrorName})";
        }
        catch (BusException e) when (e.Errno is Errno.ENODEV)
        {
            return $"this host has no CAN interface '{iface}' ({e.ErrorName})";
        }
        catch (ArgumentException e)
        {
            return $"this host has no CAN interface '{iface}' ({e.Message})";
        }
    }

    /// <summary>A socket for cansend: FD or XL switched on only when the frame needs it, receiving nothing.</summary>
    public static CanRawSocket OpenForSending(string iface, ReadOnlySpan<byte> frame)
    {
        CanFrameKind? kind = CanWire.KindOf(frame);
        bool fd = kind == CanFrameKind.Fd, xl = kind == CanFrameKind.Xl;
        return Configured(new CanRawSocket(iface), socket =>
        {
            // A send-only socket: an empty filter list keeps the receive queue from filling.
            socket.SetFilters([]);
            socket.FdFrames = fd || xl;
            if (xl)
            {
                socket.XlFrames = true;
                TryEnable(() => socket.SetXlVcidOptions(new CanXlVcidOptions(PassTransmitVcid: true)));
            }
        });
    }

    /// <summary>A socket for cangen.</summary>
    public static CanRawSocket OpenForGenerating(string iface, bool fd, bool xl, bool loopback) =>
        Configured(new CanRawSocket(iface), socket =>
        {
            socket.SetFilters([]);
            socket.Loopback = loopback;
            socket.FdFrames = fd || xl;
            socket.XlFrames = xl;
        });

    /// <summary>A socket for canplayer: FD and XL switched on where the interface allows them.</summary>
    public static CanRawSocket OpenForPlaying(string iface, bool loopback) =>
        Configured(new CanRawSocket(iface), socket =>
        {
            socket.SetFilters([]);
            socket.Loopback = loopback;
            TryEnable(() => socket.FdFrames = true);
            TryEnable(() => socket.XlFrames = true);
            // Without TX_PASS the kernel clears the VCID of every XL frame sent: a replay would not be faithful.
            TryEnable(() => socket.SetXlVcidOptions(new CanXlVcidOptions(PassTransmitVcid: true)));
        });

    /// <summary>A socket for candump: filters, error mask, join, and every frame kind the interface carries.</summary>
    public static CanRawSocket OpenForDump(CanDumpSpec spec, bool errorFrames) =>
        Configured(spec.InterfaceName == "any" ? new CanRawSocket(CanAddress.Any) : new CanRawSocket(spec.InterfaceName), socket =>
        {
            if (spec.Filters.Count > 0)
            {
                socket.SetFilters(spec.Filters.ToArray());
            }

            socket.JoinFilters = spec.Join;
            if (spec.ErrorMask is CanErrorClasses mask)
            {
                socket.ErrorMask = mask;
            }
            else if (errorFrames)
            {
                socket.ErrorMask = CanErrorClasses.All;
            }

            TryEnable(() => socket.FdFrames = true);
            TryEnable(() => socket.XlFrames = true);
            // Without an RX filter the kernel delivers only VCID 0; a mask of 0 lets every VCID through.
            TryEnable(() => socket.SetXlVcidOptions(new CanXlVcidOptions(ReceiveVcid: 0, ReceiveVcidMask: 0)));
        });

    /// <summary>Sends a wire image as the frame type its size and XLF bit say it is.</summary>
    public static void Send(CanRawSocket socket, ReadOnlySpan<byte> frame, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        switch (CanWire.KindOf(frame))
        {
            case CanFrameKind.Xl:
                CanXlFrame xl = default;
                frame.CopyTo(MemoryMarshal.AsBytes(new Span<CanXlFrame>(ref xl)));
                socket.Send(xl);
                break;
            case CanFrameKind.Fd:
                socket.Send(MemoryMarshal.Read<CanFdFrame>(frame));
                break;
            default:
                socket.Send(MemoryMarshal.Read<CanFrame>(frame));
                break;
        }
    }

    /// <summary>A received frame's metadata, as the tools print it.</summary>
    public readonly record struct Reception(long TimestampNanoseconds, string InterfaceName, bool Transmitted, uint Drops);

    /// <summary>
    /// Receives one frame into <paramref name="message"/> (its wire image is <see cref="CanMessage.Bytes"/>). Output is flushed only when no
    /// frame is waiting, so a flood costs no write per frame and a trickle is shown at once.
    /// </summary>
    public static Reception Receive(CanRawSocket socket, CanMessage message, CancellationToken cancellation, TextWriter? flushBeforeWaiting = null, string? interfaceName = null)
    {
        ValueTask pending = socket.ReceiveAsync(message, cancellation);
        if (!pending.IsCompletedSuccessfully)
        {
            flushBeforeWaiting?.Flush();
            pending.AsTask().GetAwaiter().GetResult();
        }

        return Describe(message, interfaceName);
    }

    /// <summary>The metadata of the frame in <paramref name="message"/>.</summary>
    public static Reception Describe(CanMessage message, string? interfaceName)
    {
        CanFrameInfo info = message.Info;
        return new Reception(
            info.Timestamp.TotalNanoseconds,
            interfaceName ?? NameOf(info.InterfaceIndex),
            info.Direction != CanDirection.Received,
            info.DropCount);
    }

    /// <summary>Receives a frame only if one is queued already; false when the queue is empty.</summary>
    public static bool TryReceiveQueued(CanRawSocket socket, CanMessage message)
    {
        socket.Timeout = TimeSpan.Zero;
        try
        {
            socket.Receive(message);
            return true;
        }
        catch (BusException e) when (e.Errno is Errno.EAGAIN)
        {
            return false;
        }
    }

    /// <summary>Sleeps until <paramref name="timestamp"/> (a <see cref="Stopwatch"/> timestamp), spinning the last stretch for accuracy.</summary>
    public static void WaitUntil(long timestamp, CancellationToken cancellation)
    {
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            long remaining = timestamp - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            double ms = remaining * 1000.0 / Stopwatch.Frequency;
            if (ms > 2)
            {
                cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(Math.Min(ms - 1, 100)));
            }
            else
            {
                Thread.SpinWait(50);
            }
        }
    }

    private static readonly Dictionary<int, string> s_names = [];

    private static string NameOf(int index)
    {
        if (!s_names.TryGetValue(index, out string? name))
        {
            s_names[index] = name = index == 0 ? "any" : Interfaces.NameOf(index);
        }

        return name;
    }

    private static CanRawSocket Configured(CanRawSocket socket, Action<CanRawSocket> configure)
    {
        try
        {
            configure(socket);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void TryEnable(Action enable)
    {
        try
        {
            enable();
        }
        catch (BusException)
        {
            // A classic-only interface refuses FD (and pre-6.2 kernels lack XL): that kind then never arrives or is refused when sent.
        }
    }
}
