namespace Buses.Packet;

/// <summary>The outcome of a capture.</summary>
/// <param name="Packets">Frames written to the file.</param>
/// <param name="Kernel">The socket's counters at the end: frames the kernel dropped before the capture could read them are in <see cref="PacketStatistics.Drops"/>.</param>
public readonly record struct CaptureResult(long Packets, PacketStatistics Kernel);

/// <summary>
/// Captures every frame of one interface into a pcapng file, in both directions, with kernel
/// timestamps. The link type follows the interface's hardware type: Ethernet (1) for Ethernet and
/// loopback, <c>LINKTYPE_CAN_SOCKETCAN</c> (227) for CAN.
/// </summary>
public sealed class PacketCapture : IDisposable
{
    /// <summary>The capture buffer: larger than any frame (a 64 KiB GSO frame plus headers).</summary>
    public const int SnapLength = 262144;

    private readonly PacketSocket _socket;
    private readonly byte[] _buffer = new byte[SnapLength];

    /// <summary>Opens a capture on an interface.</summary>
    /// <param name="interfaceIndex">The interface index.</param>
    /// <param name="interfaceName">The interface's name, recorded in the file.</param>
    /// <exception cref="NotSupportedException">The interface's hardware type has no capture link type here.</exception>
    public PacketCapture(int interfaceIndex, string? interfaceName = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(interfaceIndex);
        _socket = new PacketSocket();
        try
        {
            _socket.EnableTimestamps();
            _socket.Bind(new PacketAddress(interfaceIndex, EtherType.All));
            HardwareType = _socket.LocalEndPoint.HardwareType;
            LinkType = PcapNgWriter.LinkTypeFor(HardwareType);
            InterfaceName = interfaceName;
            // Counters start at the bind: reading them resets them.
            _socket.GetStatistics();
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>Opens a capture on an interface by name (resolved in the calling thread's network namespace).</summary>
    /// <param name="interfaceName">The interface name.</param>
    public PacketCapture(string interfaceName)
        : this(Interfaces.IndexOf(interfaceName), interfaceName)
    {
    }

    /// <summary>The interface's <c>ARPHRD_*</c> hardware type.</summary>
    public ushort HardwareType { get; }

    /// <summary>The pcapng link type written.</summary>
    public ushort LinkType { get; }

    /// <summary>The interface name recorded in the file, if known.</summary>
    public string? InterfaceName { get; }

    /// <summary>The socket (for timeouts and filters).</summary>
    public PacketSocket Socket => _socket;

    /// <summary>Captures <paramref name="count"/> frames (or until cancelled) into <paramref name="output"/>.</summary>
    /// <param name="output">Where the pcapng file goes; left open.</param>
    /// <param name="count">Frames to capture; 0 or less for no limit.</param>
    /// <param name="cancellationToken">Ends the capture; what was captured is kept.</param>
    /// <returns>Frames written and the kernel's counters.</returns>
    public async ValueTask<CaptureResult> CaptureAsync(Stream output, long count = 0, CancellationToken cancellationToken = default)
    {
        using var writer = new PcapNgWriter(output, leaveOpen: true);
        int id = writer.AddInterface(LinkType, InterfaceName, SnapLength);
        try
        {
            while (count <= 0 || writer.PacketCount < count)
            {
                PacketFrameInfo frame = await _socket.ReceiveFrameAsync(_buffer, cancellationToken).ConfigureAwait(false);
                Write(writer, id, frame);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return new CaptureResult(writer.PacketCount, _socket.GetStatistics());
    }

    /// <summary>Captures <paramref name="count"/> frames synchronously (the socket's timeout applies to each wait).</summary>
    /// <param name="output">Where the pcapng file goes; left open.</param>
    /// <param name="count">Frames to capture (at least 1).</param>
    /// <returns>Frames written and the kernel's counters.</returns>
    public CaptureResult Capture(Stream output, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        using var writer = new PcapNgWriter(output, leaveOpen: true);
        int id = writer.AddInterface(LinkType, InterfaceName, SnapLength);
        while (writer.PacketCount < count)
        {
            Write(writer, id, _socket.ReceiveFrame(_buffer));
        }

        return new CaptureResult(writer.PacketCount, _socket.GetStatistics());
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => _socket.Dispose();

    private void Write(PcapNgWriter writer, int id, PacketFrameInfo frame)
    {
        long time = frame.Timestamp?.TotalNanoseconds ?? (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        writer.WritePacket(id, time, _buffer.AsSpan(0, frame.Length), frame.OriginalLength);
    }
}
