using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Buses.Bluetooth.Interop.BluetoothUapi;

namespace Buses.Bluetooth;

/// <summary>The direction of a packet on a raw HCI socket (HCI_CMSG_DIR).</summary>
public enum HciDirection
{
    /// <summary>From the host to the controller (a command or outgoing data).</summary>
    ToController = 0,
    /// <summary>From the controller (an event or incoming data).</summary>
    FromController = 1,
}

/// <summary>What a raw HCI receive delivered besides the bytes.</summary>
/// <param name="Length">The packet's length, its type byte included.</param>
/// <param name="Type">The packet type (the first byte).</param>
/// <param name="Direction">The direction, when <see cref="HciSocket.DataDirection"/> is on.</param>
/// <param name="Timestamp">The kernel's receive time, when <see cref="HciSocket.TimeStamps"/> is on.</param>
public readonly record struct HciPacketInfo(int Length, HciPacketType Type, HciDirection? Direction, SocketTimestamp? Timestamp);

/// <summary>
/// The outcome of an HCI command: its Command Complete event, or a Command Status event (for commands
/// whose result comes later as another event, or that failed at once).
/// </summary>
/// <param name="Opcode">The command's opcode.</param>
/// <param name="IsStatusEvent">Whether this is a Command Status rather than a Command Complete.</param>
/// <param name="Status">The HCI status code (0 = success): a Command Complete's first return parameter, or the Command Status's status.</param>
/// <param name="ReturnParameters">A Command Complete's return parameters after the status byte; empty for Command Status.</param>
public sealed record HciCommandResult(ushort Opcode, bool IsStatusEvent, byte Status, byte[] ReturnParameters)
{
    /// <summary>Whether the controller reported success.</summary>
    public bool Succeeded => Status == 0;
}

/// <summary>
/// A raw HCI socket (<c>BTPROTO_HCI</c>) on one controller's <see cref="HciChannel.Raw"/> channel, or on
/// another channel for the management and monitor types built over it: send commands and read events and
/// data as hcitool and hcidump do, next to the kernel's own Bluetooth stack.
/// </summary>
/// <remarks>
/// <para>Without CAP_NET_RAW a raw socket may send only a whitelist of read-only commands and receives only
/// what the kernel's security filter allows (ANDed with <see cref="Filter"/>).</para>
/// <para>The HCI options (filter, direction, timestamps) exist only on the raw channel: the kernel answers
/// EBADFD elsewhere. <c>getpeername</c> is not supported (EOPNOTSUPP).</para>
/// </remarks>
public sealed class HciSocket : IDisposable
{
    /// <summary>The largest command parameter block: its length is one byte.</summary>
    public const int MaxCommandParameters = 255;

    private const int EventHeader = 1 + HCI_EVENT_HDR_SIZE;
    private const int ControlSpace = 64;

    /// <summary>Opens a raw HCI socket bound to controller <paramref name="device"/> (hci0 = 0).</summary>
    /// <param name="device">The controller index.</param>
    /// <exception cref="BusException">ENODEV when there is no such controller; EAFNOSUPPORT without Bluetooth.</exception>
    public HciSocket(int device)
        : this(new HciAddress(device))
    {
    }

    /// <summary>Opens an HCI socket bound to <paramref name="address"/>.</summary>
    /// <param name="address">A controller and channel.</param>
    public HciSocket(HciAddress address)
    {
        Socket = new BusSocket(SocketFamily.Bluetooth, SocketType.Raw, BTPROTO_HCI);
        try
        {
            Socket.Bind(address);
        }
        catch
        {
            Socket.Dispose();
            throw;
        }

        Address = address;
    }

    /// <summary>The underlying socket.</summary>
    public BusSocket Socket { get; }

    /// <summary>The controller and channel this socket is bound to.</summary>
    public HciAddress Address { get; }

    /// <summary>The timeout of blocking calls: <see langword="null"/> blocks, zero is non-blocking. Async calls ignore it.</summary>
    public TimeSpan? Timeout
    {
        get => Socket.Timeout;
        set => Socket.Timeout = value;
    }

    /// <summary>Which packets reach this socket (HCI_FILTER, all 16 bytes).</summary>
    public HciFilter Filter
    {
        get => Socket.Get(HciSocketOption.Filter);
        set => Socket.Set(HciSocketOption.Filter, value);
    }

    /// <summary>Whether each received packet reports its <see cref="HciDirection"/> (HCI_DATA_DIR).</summary>
    public bool DataDirection
    {
        get => Socket.Get(HciSocketOption.DataDirection);
        set => Socket.Set(HciSocketOption.DataDirection, value);
    }

    /// <summary>Whether each received packet carries the kernel's receive time (HCI_TIME_STAMP).</summary>
    public bool TimeStamps
    {
        get => Socket.Get(HciSocketOption.TimeStamp);
        set => Socket.Set(HciSocketOption.TimeStamp, value);
    }

    /// <summary>The opcode of command <paramref name="ocf"/> in group <paramref name="ogf"/> (<c>cmd_opcode_pack</c>).</summary>
    /// <param name="ogf">The opcode group, 0–63 (0x04 informational parameters, 0x3F vendor).</param>
    /// <param name="ocf">The command within the group, 0–1023.</param>
    /// <returns>The 16-bit opcode.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A group or command out of range.</exception>
    public static ushort Opcode(int ogf, int ocf)
    {
        if (ogf is < 0 or > 0x3F)
        {
            throw new ArgumentOutOfRangeException(nameof(ogf), ogf, $"HCI opcode group {ogf} is outside 0–63.");
        }

        if (ocf is < 0 or > 0x3FF)
        {
            throw new ArgumentOutOfRangeException(nameof(ocf), ocf, $"HCI command {ocf} is outside 0–1023.");
        }

        return (ushort)((ogf << 10) | ocf);
    }

    /// <summary>Writes an HCI command packet: type 0x01, opcode (little-endian), parameter length, parameters.</summary>
    /// <param name="opcode">The opcode (<see cref="Opcode"/>).</param>
    /// <param name="parameters">At most 255 bytes.</param>
    /// <param name="destination">At least 4 + <paramref name="parameters"/> bytes.</param>
    /// <returns>The packet length.</returns>
    /// <exception cref="ArgumentException">More than 255 parameter bytes, or a destination too short.</exception>
    public static int WriteCommand(ushort opcode, ReadOnlySpan<byte> parameters, Span<byte> destination)
    {
        CheckParameters(parameters.Length);
        int length = 1 + HCI_COMMAND_HDR_SIZE + parameters.Length;
        if (destination.Length < length)
        {
            throw new ArgumentException($"An HCI command with {parameters.Length} parameter bytes needs {length} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        destination[0] = HCI_COMMAND_PKT;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[1..], opcode);
        destination[3] = (byte)parameters.Length;
        parameters.CopyTo(destination[4..]);
        return length;
    }

    private static void CheckParameters(int length)
    {
        if (length > MaxCommandParameters)
        {
            throw new ArgumentException($"HCI command parameters of {length} bytes are more than {MaxCommandParameters}: the length field is one byte.", "parameters");
        }
    }

    /// <summary>Sends one HCI command; its events arrive through <see cref="Receive"/>.</summary>
    /// <param name="opcode">The opcode.</param>
    /// <param name="parameters">At most 255 bytes, checked before any system call.</param>
    public void SendCommand(ushort opcode, ReadOnlySpan<byte> parameters = default)
    {
        Span<byte> packet = stackalloc byte[1 + HCI_COMMAND_HDR_SIZE + MaxCommandParameters];
        Socket.Send(packet[..WriteCommand(opcode, parameters, packet)]);
    }

    /// <summary>Sends one HCI command asynchronously.</summary>
    /// <param name="opcode">The opcode.</param>
    /// <param name="parameters">At most 255 bytes.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when sent.</returns>
    public async ValueTask SendCommandAsync(ushort opcode, ReadOnlyMemory<byte> parameters = default, CancellationToken cancellationToken = default)
    {
        byte[] packet = new byte[1 + HCI_COMMAND_HDR_SIZE + parameters.Length];
        WriteCommand(opcode, parameters.Span, packet);
        await Socket.SendAsync(packet, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Receives one packet (type byte first) with its direction and timestamp where switched on.</summary>
    /// <param name="buffer">Where the packet goes; 260 bytes hold any event.</param>
    /// <returns>The length and metadata.</returns>
    public HciPacketInfo Receive(Span<byte> buffer)
    {
        Span<byte> control = stackalloc byte[ControlSpace];
        ReceivedMessage received = Socket.ReceiveMessage(buffer, control);
        return Describe(buffer, control[..received.ControlLength], received.Length);
    }

    /// <summary>Receives one packet asynchronously; see <see cref="Receive"/>.</summary>
    /// <param name="buffer">Where the packet goes.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The length and metadata.</returns>
    public async ValueTask<HciPacketInfo> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        byte[] control = new byte[ControlSpace];
        ReceivedMessage received = await Socket.ReceiveMessageAsync(buffer, control, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Describe(buffer.Span, control.AsSpan(0, received.ControlLength), received.Length);
    }

    private static HciPacketInfo Describe(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> control, int length)
    {
        HciDirection? direction = null;
        SocketTimestamp? timestamp = null;
        foreach (ControlMessage message in ControlMessage.Parse(control))
        {
            if (message.Level != SocketLevel.Hci)
            {
                continue;
            }

            if (message.Type == ControlMessageType.Hci.Direction && message.Data.Length >= sizeof(int))
            {
                direction = MemoryMarshal.Read<int>(message.Data) != 0 ? HciDirection.FromController : HciDirection.ToController;
            }
            else if (message.Type == ControlMessageType.Hci.Timestamp && message.Data.Length >= Unsafe.SizeOf<TimeValue>())
            {
                TimeValue tv = MemoryMarshal.Read<TimeValue>(message.Data);
                timestamp = new SocketTimestamp(tv.Seconds, tv.Microseconds * 1000L);
            }
        }

        return new HciPacketInfo(length, length > 0 ? (HciPacketType)buffer[0] : 0, direction, timestamp);
    }

    /// <summary>
    /// Sends a command and waits for its Command Complete or Command Status event, like BlueZ's
    /// <c>hci_send_req</c>. For the call's duration the socket's filter passes only those two events for
    /// this opcode; the previous filter is restored after.
    /// </summary>
    /// <param name="opcode">The opcode.</param>
    /// <param name="parameters">At most 255 bytes, checked before any system call.</param>
    /// <returns>The result; a non-zero <see cref="HciCommandResult.Status"/> is the controller's error code.</returns>
    /// <exception cref="BusTimeoutException">No answer within <see cref="Timeout"/>.</exception>
    /// <remarks>Do not receive on the socket from another thread meanwhile: the reply could be taken there.</remarks>
    public HciCommandResult ExecuteCommand(ushort opcode, ReadOnlySpan<byte> parameters = default)
    {
        CheckParameters(parameters.Length);
        HciFilter previous = Filter;
        Filter = CommandFilter(opcode);
        try
        {
            SendCommand(opcode, parameters);
            byte[] buffer = new byte[HCI_MAX_EVENT_SIZE + 1];
            while (true)
            {
                HciPacketInfo info = Receive(buffer);
                if (TryReadCommandResult(buffer.AsSpan(0, info.Length), opcode, out HciCommandResult? result))
                {
                    return result;
                }
            }
        }
        finally
        {
            Filter = previous;
        }
    }

    /// <summary>Sends a command and awaits its Command Complete or Status; see <see cref="ExecuteCommand"/>.</summary>
    /// <param name="opcode">The opcode.</param>
    /// <param name="parameters">At most 255 bytes.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The result.</returns>
    public async ValueTask<HciCommandResult> ExecuteCommandAsync(ushort opcode, ReadOnlyMemory<byte> parameters = default, CancellationToken cancellationToken = default)
    {
        CheckParameters(parameters.Length);
        HciFilter previous = Filter;
        Filter = CommandFilter(opcode);
        try
        {
            await SendCommandAsync(opcode, parameters, cancellationToken).ConfigureAwait(false);
            byte[] buffer = new byte[HCI_MAX_EVENT_SIZE + 1];
            while (true)
            {
                HciPacketInfo info = await ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (TryReadCommandResult(buffer.AsSpan(0, info.Length), opcode, out HciCommandResult? result))
                {
                    return result;
                }
            }
        }
        finally
        {
            Filter = previous;
        }
    }

    private static HciFilter CommandFilter(ushort opcode) =>
        new HciFilter(0, 0, 0, opcode).WithPacketType(HciPacketType.Event).WithEvent(EVT_CMD_COMPLETE).WithEvent(EVT_CMD_STATUS);

    /// <summary>Reads a Command Complete or Command Status event packet (type byte first) answering <paramref name="opcode"/>.</summary>
    /// <param name="packet">The packet.</param>
    /// <param name="opcode">The command's opcode.</param>
    /// <param name="result">The result, when the packet is one.</param>
    /// <returns>Whether it is.</returns>
    public static bool TryReadCommandResult(ReadOnlySpan<byte> packet, ushort opcode, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HciCommandResult? result)
    {
        result = null;
        if (packet.Length < EventHeader || packet[0] != HCI_EVENT_PKT || packet.Length < EventHeader + packet[2])
        {
            return false;
        }

        ReadOnlySpan<byte> body = packet.Slice(EventHeader, packet[2]);

        // Command Complete: num_hci_command_packets, opcode, return parameters (status first).
        if (packet[1] == EVT_CMD_COMPLETE && body.Length >= 3 && BinaryPrimitives.ReadUInt16LittleEndian(body[1..]) == opcode)
        {
            ReadOnlySpan<byte> returned = body[3..];
            result = new HciCommandResult(opcode, false, returned.IsEmpty ? (byte)0 : returned[0], returned.IsEmpty ? [] : returned[1..].ToArray());
            return true;
        }

        // Command Status: status, num_hci_command_packets, opcode.
        if (packet[1] == EVT_CMD_STATUS && body.Length >= 4 && BinaryPrimitives.ReadUInt16LittleEndian(body[2..]) == opcode)
        {
            result = new HciCommandResult(opcode, true, body[0], []);
            return true;
        }

        return false;
    }

    /// <summary>Reads the controller's address with HCI Read BD_ADDR (OGF 0x04, OCF 0x0009).</summary>
    /// <returns>The address.</returns>
    /// <exception cref="BusException">The command failed (EIO, naming the HCI status).</exception>
    public BluetoothAddress ReadAddress() => AddressOf(ExecuteCommand(ReadBdAddr));

    /// <summary>Reads the controller's address asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The address.</returns>
    public async ValueTask<BluetoothAddress> ReadAddressAsync(CancellationToken cancellationToken = default) =>
        AddressOf(await ExecuteCommandAsync(ReadBdAddr, cancellationToken: cancellationToken).ConfigureAwait(false));

    private static readonly ushort ReadBdAddr = Opcode(0x04, 0x0009);

    private static BluetoothAddress AddressOf(HciCommandResult result) =>
        result.Succeeded && result.ReturnParameters.Length >= BluetoothAddress.Size
            ? BluetoothAddress.Read(result.ReturnParameters)
            : throw new BusException((int)Errno.EIO, "HCI Read BD_ADDR", detail: $"HCI status 0x{result.Status:X2}");

    /// <summary>Closes the socket.</summary>
    public void Dispose() => Socket.Dispose();
}
