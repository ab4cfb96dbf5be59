using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using static Buses.Bluetooth.Interop.BluetoothUapi;

namespace Buses.Bluetooth;

/// <summary>Status codes of the management interface (<c>MGMT_STATUS_*</c>, BlueZ doc/mgmt-api.txt).</summary>
public enum ManagementStatus : byte
{
    /// <summary>Success.</summary>
    Success = 0x00,
    /// <summary>Unknown Command.</summary>
    UnknownCommand = 0x01,
    /// <summary>Not Connected.</summary>
    NotConnected = 0x02,
    /// <summary>Failed.</summary>
    Failed = 0x03,
    /// <summary>Connect Failed.</summary>
    ConnectFailed = 0x04,
    /// <summary>Authentication Failed.</summary>
    AuthenticationFailed = 0x05,
    /// <summary>Not Paired.</summary>
    NotPaired = 0x06,
    /// <summary>No Resources.</summary>
    NoResources = 0x07,
    /// <summary>Timeout.</summary>
    Timeout = 0x08,
    /// <summary>Already Connected.</summary>
    AlreadyConnected = 0x09,
    /// <summary>Busy.</summary>
    Busy = 0x0A,
    /// <summary>Rejected.</summary>
    Rejected = 0x0B,
    /// <summary>Not Supported.</summary>
    NotSupported = 0x0C,
    /// <summary>Invalid Parameters.</summary>
    InvalidParameters = 0x0D,
    /// <summary>Disconnected.</summary>
    Disconnected = 0x0E,
    /// <summary>Not Powered.</summary>
    NotPowered = 0x0F,
    /// <summary>Cancelled.</summary>
    Cancelled = 0x10,
    /// <summary>Invalid Index.</summary>
    InvalidIndex = 0x11,
    /// <summary>RFKilled.</summary>
    RfKilled = 0x12,
    /// <summary>Already Paired.</summary>
    AlreadyPaired = 0x13,
    /// <summary>Permission Denied.</summary>
    PermissionDenied = 0x14,
}

/// <summary>Controller settings bits (<c>MGMT_SETTING_*</c>), as <c>btmgmt info</c> lists them.</summary>
[Flags]
public enum ManagementSettings : uint
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>powered.</summary>
    Powered = 1 << 0,
    /// <summary>connectable.</summary>
    Connectable = 1 << 1,
    /// <summary>fast-connectable.</summary>
    FastConnectable = 1 << 2,
    /// <summary>discoverable.</summary>
    Discoverable = 1 << 3,
    /// <summary>bondable.</summary>
    Bondable = 1 << 4,
    /// <summary>link-security.</summary>
    LinkSecurity = 1 << 5,
    /// <summary>ssp.</summary>
    SecureSimplePairing = 1 << 6,
    /// <summary>br/edr.</summary>
    BrEdr = 1 << 7,
    /// <summary>hs.</summary>
    HighSpeed = 1 << 8,
    /// <summary>le.</summary>
    LowEnergy = 1 << 9,
    /// <summary>advertising.</summary>
    Advertising = 1 << 10,
    /// <summary>secure-conn.</summary>
    SecureConnections = 1 << 11,
    /// <summary>debug-keys.</summary>
    DebugKeys = 1 << 12,
    /// <summary>privacy.</summary>
    Privacy = 1 << 13,
    /// <summary>configuration.</summary>
    Configuration = 1 << 14,
    /// <summary>static-addr.</summary>
    StaticAddress = 1 << 15,
    /// <summary>phy-configuration.</summary>
    PhyConfiguration = 1 << 16,
    /// <summary>wide-band-speech.</summary>
    WidebandSpeech = 1 << 17,
}

/// <summary>A management command failed; the status is named.</summary>
public sealed class BluetoothManagementException : IOException
{
    /// <summary>A failure of <paramref name="opcode"/> on <paramref name="index"/> with <paramref name="status"/>.</summary>
    /// <param name="opcode">The command.</param>
    /// <param name="index">The controller index (0xFFFF = none).</param>
    /// <param name="status">The status.</param>
    public BluetoothManagementException(ushort opcode, ushort index, ManagementStatus status)
        : base($"mgmt command 0x{opcode:X4} ({BluetoothManagement.CommandName(opcode)}) on {(index == BluetoothManagement.NoIndex ? "no index" : "hci" + index)} failed: {status} (0x{(byte)status:X2}).")
    {
        Opcode = opcode;
        Index = index;
        Status = status;
    }

    /// <summary>The command's opcode.</summary>
    public ushort Opcode { get; }

    /// <summary>The controller index.</summary>
    public ushort Index { get; }

    /// <summary>The status.</summary>
    public ManagementStatus Status { get; }
}

/// <summary>The management interface's version (Read Management Version Information).</summary>
/// <param name="Version">The version.</param>
/// <param name="Revision">The revision.</param>
public readonly record struct ManagementVersion(byte Version, ushort Revision)
{
    /// <summary><c>1.22</c>, as btmgmt prints it.</summary>
    public override string ToString() => $"{Version}.{Revision}";
}

/// <summary>A controller as Read Controller Information reports it (what <c>btmgmt info</c> prints).</summary>
/// <param name="Address">The public address.</param>
/// <param name="BluetoothVersion">The HCI version (0x09 = 5.0 …).</param>
/// <param name="Manufacturer">The company identifier.</param>
/// <param name="SupportedSettings">What the controller can do.</param>
/// <param name="CurrentSettings">What is on now.</param>
/// <param name="DeviceClass">The class of device, 24 bits.</param>
/// <param name="Name">The local name.</param>
/// <param name="ShortName">The short name.</param>
public sealed record ControllerInfo(BluetoothAddress Address, byte BluetoothVersion, ushort Manufacturer, ManagementSettings SupportedSettings, ManagementSettings CurrentSettings, int DeviceClass, string Name, string ShortName)
{
    /// <summary>The reply's size: address 6, version 1, manufacturer 2, settings 4 + 4, class 3, name 249, short name 11.</summary>
    public const int Size = 280;

    /// <summary>Reads a Read Controller Information reply.</summary>
    /// <param name="reply">The return parameters.</param>
    /// <returns>The information.</returns>
    /// <exception cref="FormatException">Fewer than 280 bytes.</exception>
    public static ControllerInfo Read(ReadOnlySpan<byte> reply)
    {
        if (reply.Length < Size)
        {
            throw new FormatException($"A Read Controller Information reply has {Size} bytes; this one has {reply.Length}.");
        }

        return new ControllerInfo(
            BluetoothAddress.Read(reply),
            reply[6],
            BinaryPrimitives.ReadUInt16LittleEndian(reply[7..]),
            (ManagementSettings)BinaryPrimitives.ReadUInt32LittleEndian(reply[9..]),
            (ManagementSettings)BinaryPrimitives.ReadUInt32LittleEndian(reply[13..]),
            reply[17] | (reply[18] << 8) | (reply[19] << 16),
            BluetoothManagement.CString(reply.Slice(20, BluetoothManagement.MaxNameLength + 1)),
            BluetoothManagement.CString(reply.Slice(269, BluetoothManagement.MaxShortNameLength + 1)));
    }
}

/// <summary>An event of the management interface, one the socket read while waiting for a reply or on request.</summary>
/// <param name="Code">The event code (0x0006 New Settings, 0x0004 Index Added …).</param>
/// <param name="Index">The controller index, 0xFFFF for none.</param>
/// <param name="Parameters">The event parameters.</param>
public sealed record ManagementEvent(ushort Code, ushort Index, byte[] Parameters);

/// <summary>
/// The Bluetooth management interface (<c>HCI_CHANNEL_CONTROL</c>), what btmgmt and bluetoothd speak: read the
/// version, controller list and information, and power, connectable, discoverable, bondable and name — no
/// bluetoothd needed. Errors come back as <see cref="BluetoothManagementException"/> with the status named.
/// </summary>
/// <remarks>
/// <para>Needs CAP_NET_ADMIN (EPERM at bind otherwise). Every command's reply is the Command Complete or
/// Command Status event with its opcode and index; events that arrive meanwhile (New Settings, Index
/// Added …) are queued for <see cref="ReceiveEvent"/>, up to <see cref="EventQueueLimit"/>, and counted in
/// <see cref="DroppedEvents"/> beyond that.</para>
/// <para>Calls on one instance are not to be made from several threads at once.</para>
/// </remarks>
public sealed class BluetoothManagement : IDisposable
{
    /// <summary>MGMT_INDEX_NONE.</summary>
    public const ushort NoIndex = 0xFFFF;

    /// <summary>The longest local name (MGMT_MAX_NAME_LENGTH − 1, without its terminating zero).</summary>
    public const int MaxNameLength = 248;

    /// <summary>The longest short name (MGMT_MAX_SHORT_NAME_LENGTH − 1).</summary>
    public const int MaxShortNameLength = 10;

    /// <summary>How many unread events are kept.</summary>
    public const int EventQueueLimit = 256;

    /// <summary>The size of the header of every command and event: opcode, index, length (little-endian).</summary>
    public const int HeaderSize = 6;

    private const ushort EventCommandComplete = 0x0001;
    private const ushort EventCommandStatus = 0x0002;

    private readonly byte[] _buffer = new byte[HeaderSize + ushort.MaxValue];
    private readonly Queue<ManagementEvent> _events = new();
    private long _dropped;

    /// <summary>Opens and binds a management socket.</summary>
    /// <exception cref="BusException">EPERM without CAP_NET_ADMIN; EAFNOSUPPORT without Bluetooth.</exception>
    public BluetoothManagement()
    {
        Socket = new BusSocket(SocketFamily.Bluetooth, SocketType.Raw, BTPROTO_HCI);
        try
        {
            Socket.Bind(HciAddress.Control);
        }
        catch
        {
            Socket.Dispose();
            throw;
        }
    }

    /// <summary>The underlying socket.</summary>
    public BusSocket Socket { get; }

    /// <summary>The timeout of blocking calls: <see langword="null"/> blocks, zero is non-blocking. Async calls ignore it.</summary>
    public TimeSpan? Timeout
    {
        get => Socket.Timeout;
        set => Socket.Timeout = value;
    }

    /// <summary>Events that arrived while the queue was full and were dropped.</summary>
    public long DroppedEvents => Interlocked.Read(ref _dropped);

    /// <summary>Writes a command: header, then parameters.</summary>
    /// <param name="opcode">The command.</param>
    /// <param name="index">The controller index or <see cref="NoIndex"/>.</param>
    /// <param name="parameters">At most 65535 bytes.</param>
    /// <returns>The packet.</returns>
    /// <exception cref="ArgumentException">Parameters longer than 65535 bytes.</exception>
    public static byte[] BuildCommand(ushort opcode, ushort index, ReadOnlySpan<byte> parameters)
    {
        if (parameters.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"mgmt parameters of {parameters.Length} bytes do not fit the 16-bit length field.", nameof(parameters));
        }

        byte[] packet = new byte[HeaderSize + parameters.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(packet, opcode);
        BinaryPrimitives.WriteUInt16LittleEndian(packet.AsSpan(2), index);
        BinaryPrimitives.WriteUInt16LittleEndian(packet.AsSpan(4), (ushort)parameters.Length);
        parameters.CopyTo(packet.AsSpan(HeaderSize));
        return packet;
    }

    /// <summary>Sends a command and waits for its reply.</summary>
    /// <param name="opcode">The command.</param>
    /// <param name="index">The controller index or <see cref="NoIndex"/>.</param>
    /// <param name="parameters">The parameters.</param>
    /// <returns>The reply's return parameters.</returns>
    /// <exception cref="BluetoothManagementException">A non-success status.</exception>
    /// <exception cref="BusTimeoutException">No reply within <see cref="Timeout"/>.</exception>
    public byte[] Execute(ushort opcode, ushort index, ReadOnlySpan<byte> parameters = default)
    {
        Socket.Send(BuildCommand(opcode, index, parameters));
        while (true)
        {
            int n = Socket.Receive(_buffer);
            if (TakeReply(n, opcode, index) is { } reply)
            {
                return reply;
            }
        }
    }

    /// <summary>Sends a command and awaits its reply; see <see cref="Execute"/>.</summary>
    /// <param name="opcode">The command.</param>
    /// <param name="index">The controller index or <see cref="NoIndex"/>.</param>
    /// <param name="parameters">The parameters.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The reply's return parameters.</returns>
    public async ValueTask<byte[]> ExecuteAsync(ushort opcode, ushort index, ReadOnlyMemory<byte> parameters = default, CancellationToken cancellationToken = default)
    {
        await Socket.SendAsync(BuildCommand(opcode, index, parameters.Span), cancellationToken: cancellationToken).ConfigureAwait(false);
        while (true)
        {
            int n = await Socket.ReceiveAsync(_buffer, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (TakeReply(n, opcode, index) is { } reply)
            {
                return reply;
            }
        }
    }

    // The reply to (opcode, index), or null after queueing any other event.
    private byte[]? TakeReply(int length, ushort opcode, ushort index)
    {
        if (!TryParseEvent(_buffer.AsSpan(0, length), out ManagementEvent? e))
        {
            return null;
        }

        if ((e.Code == EventCommandComplete || e.Code == EventCommandStatus) && e.Index == index
            && e.Parameters.Length >= 3 && BinaryPrimitives.ReadUInt16LittleEndian(e.Parameters) == opcode)
        {
            var status = (ManagementStatus)e.Parameters[2];
            return status == ManagementStatus.Success ? e.Parameters[3..] : throw new BluetoothManagementException(opcode, index, status);
        }

        Enqueue(e);
        return null;
    }

    private void Enqueue(ManagementEvent e)
    {
        if (_events.Count >= EventQueueLimit)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        _events.Enqueue(e);
    }

    /// <summary>Reads an event (header then parameters).</summary>
    /// <param name="packet">The bytes read from the socket.</param>
    /// <param name="e">The event.</param>
    /// <returns>Whether the bytes hold a whole event.</returns>
    public static bool TryParseEvent(ReadOnlySpan<byte> packet, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ManagementEvent? e)
    {
        e = null;
        if (packet.Length < HeaderSize)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(packet[4..]);
        if (packet.Length < HeaderSize + length)
        {
            return false;
        }

        e = new ManagementEvent(BinaryPrimitives.ReadUInt16LittleEndian(packet), BinaryPrimitives.ReadUInt16LittleEndian(packet[2..]), packet.Slice(HeaderSize, length).ToArray());
        return true;
    }

    /// <summary>The next event: a queued one, else one read now.</summary>
    /// <returns>The event.</returns>
    public ManagementEvent ReceiveEvent()
    {
        if (_events.TryDequeue(out ManagementEvent? queued))
        {
            return queued;
        }

        while (true)
        {
            int n = Socket.Receive(_buffer);
            if (TryParseEvent(_buffer.AsSpan(0, n), out ManagementEvent? e))
            {
                return e;
            }
        }
    }

    /// <summary>The next event, asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The event.</returns>
    public async ValueTask<ManagementEvent> ReceiveEventAsync(CancellationToken cancellationToken = default)
    {
        if (_events.TryDequeue(out ManagementEvent? queued))
        {
            return queued;
        }

        while (true)
        {
            int n = await Socket.ReceiveAsync(_buffer, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (TryParseEvent(_buffer.AsSpan(0, n), out ManagementEvent? e))
            {
                return e;
            }
        }
    }

    /// <summary>Read Management Version Information (0x0001).</summary>
    /// <returns>The version.</returns>
    public ManagementVersion ReadVersion() => Version(Execute(0x0001, NoIndex));

    /// <summary>Read Management Version Information, asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The version.</returns>
    public async ValueTask<ManagementVersion> ReadVersionAsync(CancellationToken cancellationToken = default) =>
        Version(await ExecuteAsync(0x0001, NoIndex, cancellationToken: cancellationToken).ConfigureAwait(false));

    private static ManagementVersion Version(byte[] reply) =>
        reply.Length >= 3 ? new ManagementVersion(reply[0], BinaryPrimitives.ReadUInt16LittleEndian(reply.AsSpan(1))) : throw Short("Read Version", reply, 3);

    /// <summary>Read Controller Index List (0x0003): the controllers the management interface serves.</summary>
    /// <returns>The indexes.</returns>
    public IReadOnlyList<int> ReadIndexList() => IndexList(Execute(0x0003, NoIndex));

    /// <summary>Read Controller Index List, asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The indexes.</returns>
    public async ValueTask<IReadOnlyList<int>> ReadIndexListAsync(CancellationToken cancellationToken = default) =>
        IndexList(await ExecuteAsync(0x0003, NoIndex, cancellationToken: cancellationToken).ConfigureAwait(false));

    /// <summary>Reads a Read Controller Index List reply: a count, then that many indexes.</summary>
    /// <param name="reply">The return parameters.</param>
    /// <returns>The indexes.</returns>
    public static IReadOnlyList<int> IndexList(ReadOnlySpan<byte> reply)
    {
        int count = reply.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(reply) : throw new FormatException("A Read Controller Index List reply has at least 2 bytes.");
        if (reply.Length < 2 + (2 * count))
        {
            throw new FormatException($"A Read Controller Index List reply of {count} controllers needs {2 + (2 * count)} bytes; this one has {reply.Length}.");
        }

        var list = new int[count];
        for (int i = 0; i < count; i++)
        {
            list[i] = BinaryPrimitives.ReadUInt16LittleEndian(reply[(2 + (2 * i))..]);
        }

        return list;
    }

    /// <summary>Read Controller Information (0x0004).</summary>
    /// <param name="index">The controller index.</param>
    /// <returns>The information.</returns>
    public ControllerInfo ReadInfo(int index) => ControllerInfo.Read(Execute(0x0004, Index(index)));

    /// <summary>Read Controller Information, asynchronously.</summary>
    /// <param name="index">The controller index.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The information.</returns>
    public async ValueTask<ControllerInfo> ReadInfoAsync(int index, CancellationToken cancellationToken = default) =>
        ControllerInfo.Read(await ExecuteAsync(0x0004, Index(index), cancellationToken: cancellationToken).ConfigureAwait(false));

    /// <summary>Set Powered (0x0005), as <c>btmgmt power on|off</c>.</summary>
    /// <param name="index">The controller index.</param>
    /// <param name="on">On or off.</param>
    /// <returns>The settings now in force.</returns>
    public ManagementSettings SetPowered(int index, bool on) => Settings(Execute(0x0005, Index(index), [(byte)(on ? 1 : 0)]));

    /// <summary>Set Powered, asynchronously.</summary>
    /// <param name="index">The controller index.</param>
    /// <param name="on">On or off.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The settings now in force.</returns>
    public async ValueTask<ManagementSettings> SetPoweredAsync(int index, bool on, CancellationToken cancellationToken = default) =>
        Settings(await ExecuteAsync(0x0005, Index(index), new[] { (byte)(on ? 1 : 0) }, cancellationToken).ConfigureAwait(false));

    /// <summary>Set Connectable (0x0007): page scan on or off.</summary>
    /// <param name="index">The controller index.</param>
    /// <param name="on">On or off.</param>
    /// <returns>The settings now in force.</returns>
    public ManagementSettings SetConnectable(int index, bool on) => Settings(Execute(0x0007, Index(index), [(byte)(on ? 1 : 0)]));

    /// <summary>Set Connectable, asynchronously.</summary>
    /// <param name="index">The controller index.</param>
    /// <param name="on">On or off.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The settings now in force.</returns>
    public async ValueTask<ManagementSettings> SetConnectableAsync(int index, bool on, CancellationToken cancellationToken = default) =>
        Settings(await ExecuteAsync(0x0007, Index(index), new[] { (byte)(on ? 1 : 0) }, cancellationToken).ConfigureAwait(false));

    /// <summary>Set Bondable (0x0009).</summary>
    /// <param name="index">The controller index.</param>
    /// <param name="on">On or off.</param>
    /// <returns>The settings now in force.</returns>
    public ManagementSettings SetBondable(int index, bool on) => Settings(Execute(0x0009, Index(index), [(byte)(on ? 1 : 0)]));

    /// <summary>Set Bondable, asynchronously.</summary>
    /// <param name="index">The controller index.</param>
    /// <param name="on">On or off.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The settings now in force.</returns>
    public async ValueTask<ManagementSettings> SetBondableAsync(int index, bool on, CancellationToken cancellationToken = default) =>
        Settings(await ExecuteAsync(0x0009, Index(index), new[] { (byte)(on ? 1 : 0) }, cancellationToken).ConfigureAwait(false));

    /// <summary>Set Discoverable (0x0006): 0 off, 1 general, 2 limited, for <paramref name="timeoutSeconds"/> (0 = no limit).</summary>
    /// <param name="index">The controller index.</param>
    /// <param name="mode">0 off, 1 general, 2 limited (limited needs a timeout).</param>
    /// <param name="timeoutSeconds">0–65535.</param>
    /// <returns>The settings now in force.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A mode outside 0–2 or a timeout outside 0–65535.</exception>
    public ManagementSettings SetDiscoverable(int index, int mode, int timeoutSeconds = 0) => Settings(Execute(0x0006, Index(index), Discoverable(mode, timeoutSeconds)));

    /// <summary>Set Discoverable, asynchronously.</summary>
    /// <param name="index">The controller index.</param>
    /// <param name="mode">0 off, 1 general, 2 limited.</param>
    /// <param name="timeoutSeconds">0–65535.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The settings now in force.</returns>
    public async ValueTask<ManagementSettings> SetDiscoverableAsync(int index, int mode, int timeoutSeconds = 0, CancellationToken cancellationToken = default) =>
        Settings(await ExecuteAsync(0x0006, Index(index), Discoverable(mode, timeoutSeconds), cancellationToken).ConfigureAwait(false));

    private static byte[] Discoverable(int mode, int timeoutSeconds)
    {
        if (mode is < 0 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, $"Discoverable mode {mode} is not 0 (off), 1 (general) or 2 (limited).");
        }

        if (timeoutSeconds is < 0 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(timeoutSeconds), timeoutSeconds, $"Discoverable timeout {timeoutSeconds} s is outside 0–65535.");
        }

        return [(byte)mode, (byte)timeoutSeconds, (byte)(timeoutSeconds >> 8)];
    }

    /// <summary>Set Local Name (0x000F).</summary>
    /// <param name="index">The controller index.</param>
    /// <param name="name">At most 248 UTF-8 bytes.</param>
    /// <param name="shortName">At most 10 UTF-8 bytes.</param>
    /// <exception cref="ArgumentException">A name too long.</exception>
    public void SetLocalName(int index, string name, string shortName = "") => Execute(0x000F, Index(index), LocalName(name, shortName));

    /// <summary>Set Local Name, asynchronously.</summary>
    /// <param name="index">The controller index.</param>
    /// <param name="name">At most 248 UTF-8 bytes.</param>
    /// <param name="shortName">At most 10 UTF-8 bytes.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the name is set.</returns>
    public async ValueTask SetLocalNameAsync(int index, string name, string shortName = "", CancellationToken cancellationToken = default) =>
        await ExecuteAsync(0x000F, Index(index), LocalName(name, shortName), cancellationToken).ConfigureAwait(false);

    private static byte[] LocalName(string name, string shortName)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shortName);
        byte[] parameters = new byte[MaxNameLength + 1 + MaxShortNameLength + 1];
        int n = Encoding.UTF8.GetByteCount(name);
        int s = Encoding.UTF8.GetByteCount(shortName);
        if (n > MaxNameLength)
        {
            throw new ArgumentException($"A local name of {n} UTF-8 bytes is longer than {MaxNameLength}.", nameof(name));
        }

        if (s > MaxShortNameLength)
        {
            throw new ArgumentException($"A short name of {s} UTF-8 bytes is longer than {MaxShortNameLength}.", nameof(shortName));
        }

        Encoding.UTF8.GetBytes(name, parameters);
        Encoding.UTF8.GetBytes(shortName, parameters.AsSpan(MaxNameLength + 1));
        return parameters;
    }

    private static ManagementSettings Settings(byte[] reply) =>
        reply.Length >= 4 ? (ManagementSettings)BinaryPrimitives.ReadUInt32LittleEndian(reply) : throw Short("settings", reply, 4);

    private static FormatException Short(string what, byte[] reply, int needed) => new($"A {what} reply has {needed} bytes; this one has {reply.Length}.");

    private static ushort Index(int index) => index is >= 0 and < NoIndex
        ? (ushort)index
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"Controller index {index} is outside 0–65534.");

    internal static string CString(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    internal static string CommandName(ushort opcode) => opcode switch
    {
        0x0001 => "Read Version",
        0x0003 => "Read Index List",
        0x0004 => "Read Info",
        0x0005 => "Set Powered",
        0x0006 => "Set Discoverable",
        0x0007 => "Set Connectable",
        0x0009 => "Set Bondable",
        0x000F => "Set Local Name",
        _ => "command",
    };

    /// <summary>Closes the socket.</summary>
    public void Dispose() => Socket.Dispose();
}
