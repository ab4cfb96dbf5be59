using System.Runtime.InteropServices;
using static Buses.Can.Interop.CanUapi;

namespace Buses.Can;

/// <summary>
/// Slots for many frames moved in one system call (<c>recvmmsg</c>/<c>sendmmsg</c>) by
/// <see cref="CanRawSocket.ReceiveBatch"/> and <see cref="CanRawSocket.SendBatch"/>. Native memory,
/// allocated once; dispose it.
/// </summary>
public sealed class CanMessageBatch : IDisposable
{
    private readonly CanFrameInfo[] _info;

    /// <summary>Creates <paramref name="capacity"/> slots.</summary>
    /// <param name="capacity">Frames per call, 1 to 1024.</param>
    /// <param name="maxFrameKind">The largest frame kind the slots must hold: FD (72 bytes, default) or XL (2060 bytes).</param>
    public CanMessageBatch(int capacity, CanFrameKind maxFrameKind = CanFrameKind.Fd)
    {
        int frameSize = maxFrameKind switch
        {
            CanFrameKind.Classic => CAN_MTU,
            CanFrameKind.Fd => CANFD_MTU,
            _ => CANXL_MTU,
        };
        int control = ControlMessage.Space(16) + ControlMessage.Space(3 * 16) + ControlMessage.Space(4);
        Batch = new MessageBatch(capacity, frameSize, control, 24);
        _info = new CanFrameInfo[capacity];
    }

    internal MessageBatch Batch { get; }

    /// <summary>The number of slots.</summary>
    public int Capacity => Batch.Capacity;

    /// <summary>How many frames the last receive filled.</summary>
    public int Count { get; private set; }

    /// <summary>The metadata of received frame <paramref name="index"/>.</summary>
    /// <param name="index">0 to <see cref="Count"/> − 1.</param>
    public CanFrameInfo Info(int index) => _info[CheckReceived(index)];

    /// <summary>Received frame <paramref name="index"/> as a classic frame.</summary>
    /// <param name="index">A slot whose <see cref="CanFrameInfo.Kind"/> is <see cref="CanFrameKind.Classic"/>.</param>
    public CanFrame Classic(int index) => Read<CanFrame>(index, CanFrameKind.Classic);

    /// <summary>Received frame <paramref name="index"/> as an FD frame.</summary>
    /// <param name="index">A slot whose kind is <see cref="CanFrameKind.Fd"/>.</param>
    public CanFdFrame Fd(int index) => Read<CanFdFrame>(index, CanFrameKind.Fd);

    /// <summary>Received frame <paramref name="index"/> as an XL frame (slots sized for XL only).</summary>
    /// <param name="index">A slot whose kind is <see cref="CanFrameKind.Xl"/>.</param>
    public CanXlFrame Xl(int index)
    {
        if (Batch.BufferSize < CANXL_MTU)
        {
            throw new InvalidOperationException("This batch's slots are not sized for XL frames: create it with CanFrameKind.Xl.");
        }

        return Read<CanXlFrame>(index, CanFrameKind.Xl);
    }

    /// <summary>Puts a classic frame in slot <paramref name="index"/> for sending.</summary>
    /// <param name="index">The slot.</param>
    /// <param name="frame">The frame.</param>
    public void Set(int index, in CanFrame frame) => Batch.SetData(index, MemoryMarshal.AsBytes(new ReadOnlySpan<CanFrame>(in frame)));

    /// <summary>Puts an FD frame in slot <paramref name="index"/> for sending.</summary>
    /// <param name="index">The slot.</param>
    /// <param name="frame">The frame.</param>
    public void Set(int index, in CanFdFrame frame) => Batch.SetData(index, MemoryMarshal.AsBytes(new ReadOnlySpan<CanFdFrame>(in frame)));

    /// <summary>Puts an XL frame (header and payload) in slot <paramref name="index"/> for sending.</summary>
    /// <param name="index">The slot.</param>
    /// <param name="frame">The frame.</param>
    public void Set(int index, in CanXlFrame frame) => Batch.SetData(index, MemoryMarshal.AsBytes(new ReadOnlySpan<CanXlFrame>(in frame))[..frame.WireLength]);

    internal void Complete(int count, ref uint lastDrops)
    {
        for (int i = 0; i < count; i++)
        {
            _info[i] = CanFrameInfo.Parse(Batch.Length(i), Batch.Data(i), Batch.Control(i), Batch.Address(i), Batch.Flags(i), ref lastDrops);
        }

        Count = count;
    }

    private T Read<T>(int index, CanFrameKind kind) where T : unmanaged
    {
        if (_info[CheckReceived(index)].Kind != kind)
        {
            throw new InvalidOperationException($"Batch slot {index} holds a {_info[index].Kind} frame, not a {kind} frame.");
        }

        T frame = default;
        ReadOnlySpan<byte> data = Batch.Data(index);
        data[..Math.Min(data.Length, System.Runtime.CompilerServices.Unsafe.SizeOf<T>())].CopyTo(MemoryMarshal.AsBytes(new Span<T>(ref frame)));
        return frame;
    }

    private int CheckReceived(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Batch slot {index} is not among the {Count} frames last received.");
        }

        return index;
    }

    /// <summary>Frees the native slots.</summary>
    public void Dispose() => Batch.Dispose();
}
