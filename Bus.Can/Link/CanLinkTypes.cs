using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Buses.Can;

/// <summary>The controller state of a CAN interface (<c>enum can_state</c>).</summary>
public enum CanState : uint
{
    /// <summary>RX/TX error count below 96.</summary>
    ErrorActive = 0,
    /// <summary>RX/TX error count below 128.</summary>
    ErrorWarning = 1,
    /// <summary>RX/TX error count below 256.</summary>
    ErrorPassive = 2,
    /// <summary>RX/TX error count of 256 or more: the controller left the bus.</summary>
    BusOff = 3,
    /// <summary>The device is stopped (down).</summary>
    Stopped = 4,
    /// <summary>The device is sleeping.</summary>
    Sleeping = 5,
}

/// <summary>Controller modes (<c>CAN_CTRLMODE_*</c>), set and cleared through <see cref="CanLinkSettings"/>.</summary>
[Flags]
public enum CanControllerModes : uint
{
    /// <summary>No mode.</summary>
    None = 0,
    /// <summary><c>loopback</c>: the controller receives what it sends without the bus.</summary>
    Loopback = 0x01,
    /// <summary><c>listen-only</c>: never ACK or send.</summary>
    ListenOnly = 0x02,
    /// <summary><c>triple-sampling</c>: sample each bit three times.</summary>
    TripleSampling = 0x04,
    /// <summary><c>one-shot</c>: no automatic retransmission.</summary>
    OneShot = 0x08,
    /// <summary><c>berr-reporting</c>: report every bus error as an error frame.</summary>
    BusErrorReporting = 0x10,
    /// <summary><c>fd</c>: CAN FD mode.</summary>
    Fd = 0x20,
    /// <summary><c>presume-ack</c>: ignore missing ACKs.</summary>
    PresumeAck = 0x40,
    /// <summary><c>fd-non-iso</c>: Bosch CAN FD before ISO 11898-1:2015.</summary>
    FdNonIso = 0x80,
    /// <summary><c>cc-len8-dlc</c>: classic frames may carry DLC 9–15 (Linux 5.11+).</summary>
    ClassicLength8Dlc = 0x100,
    /// <summary><c>tdc-mode auto</c>: transmitter delay compensation by the controller.</summary>
    TdcAutomatic = 0x200,
    /// <summary><c>tdc-mode manual</c>: transmitter delay compensation as configured.</summary>
    TdcManual = 0x400,
}

/// <summary>
/// Bit timing as the kernel's <c>struct can_bittiming</c> (32 bytes). Either a bitrate (with an
/// optional sample point) lets the driver compute the segments, or tq, prop-seg, phase-seg1,
/// phase-seg2 (and sjw) fix them.
/// </summary>
/// <param name="Bitrate">Bits per second.</param>
/// <param name="SamplePoint">Sample point in tenths of a percent (875 = 87.5 %).</param>
/// <param name="TimeQuantum">Time quantum in nanoseconds.</param>
/// <param name="PropagationSegment">Propagation segment in time quanta.</param>
/// <param name="PhaseSegment1">Phase buffer segment 1 in time quanta.</param>
/// <param name="PhaseSegment2">Phase buffer segment 2 in time quanta.</param>
/// <param name="SynchronizationJumpWidth">Synchronisation jump width in time quanta.</param>
/// <param name="BitratePrescaler">Bitrate prescaler (read back from the driver).</param>
[StructLayout(LayoutKind.Sequential, Size = 32)]
public readonly record struct CanBitTiming(
    uint Bitrate,
    uint SamplePoint = 0,
    uint TimeQuantum = 0,
    uint PropagationSegment = 0,
    uint PhaseSegment1 = 0,
    uint PhaseSegment2 = 0,
    uint SynchronizationJumpWidth = 0,
    uint BitratePrescaler = 0);

/// <summary>The limits of a controller's bit-timing registers (<c>struct can_bittiming_const</c>, 48 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Size = 48)]
public readonly struct CanBitTimingConstant : IEquatable<CanBitTimingConstant>
{
    [InlineArray(16)]
    private struct Name16
    {
        private byte _element0;
    }

    private readonly Name16 _name;
    private readonly uint _tseg1Min;
    private readonly uint _tseg1Max;
    private readonly uint _tseg2Min;
    private readonly uint _tseg2Max;
    private readonly uint _sjwMax;
    private readonly uint _brpMin;
    private readonly uint _brpMax;
    private readonly uint _brpInc;

    /// <summary>The controller's name (e.g. <c>sja1000</c>).</summary>
    public string Name
    {
        get
        {
            ReadOnlySpan<byte> bytes = _name;
            int nul = bytes.IndexOf((byte)0);
            return Encoding.UTF8.GetString(nul < 0 ? bytes : bytes[..nul]);
        }
    }

    /// <summary>Smallest time segment 1 (prop-seg + phase-seg1).</summary>
    public uint TimeSegment1Min => _tseg1Min;

    /// <summary>Largest time segment 1.</summary>
    public uint TimeSegment1Max => _tseg1Max;

    /// <summary>Smallest time segment 2.</summary>
    public uint TimeSegment2Min => _tseg2Min;

    /// <summary>Largest time segment 2.</summary>
    public uint TimeSegment2Max => _tseg2Max;

    /// <summary>Largest synchronisation jump width.</summary>
    public uint SynchronizationJumpWidthMax => _sjwMax;

    /// <summary>Smallest bitrate prescaler.</summary>
    public uint BitratePrescalerMin => _brpMin;

    /// <summary>Largest bitrate prescaler.</summary>
    public uint BitratePrescalerMax => _brpMax;

    /// <summary>Prescaler increment.</summary>
    public uint BitratePrescalerIncrement => _brpInc;

    /// <inheritdoc/>
    public bool Equals(CanBitTimingConstant other) =>
        MemoryMarshal.AsBytes(new ReadOnlySpan<CanBitTimingConstant>(in this)).SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<CanBitTimingConstant>(in other)));

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is CanBitTimingConstant other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, _tseg1Max, _tseg2Max, _brpMax);

    /// <summary>As <c>ip -d link</c> shows it: <c>sja1000: tseg1 1..16 tseg2 1..8 sjw 1..4 brp 1..64 brp-inc 1</c>.</summary>
    public override string ToString() =>
        $"{Name}: tseg1 {_tseg1Min}..{_tseg1Max} tseg2 {_tseg2Min}..{_tseg2Max} sjw 1..{_sjwMax} brp {_brpMin}..{_brpMax} brp-inc {_brpInc}";

    /// <summary>Equality of every field.</summary>
    public static bool operator ==(CanBitTimingConstant left, CanBitTimingConstant right) => left.Equals(right);

    /// <summary>Inequality of a field.</summary>
    public static bool operator !=(CanBitTimingConstant left, CanBitTimingConstant right) => !left.Equals(right);
}

/// <summary>The controller's error counters (<c>struct can_berr_counter</c>).</summary>
/// <param name="TransmitErrors">TX error counter.</param>
/// <param name="ReceiveErrors">RX error counter.</param>
[StructLayout(LayoutKind.Sequential, Size = 4)]
public readonly record struct CanBusErrorCounters(ushort TransmitErrors, ushort ReceiveErrors);

/// <summary>CAN device statistics (<c>struct can_device_stats</c>, the link's <c>IFLA_INFO_XSTATS</c>).</summary>
/// <param name="BusErrors">Bus errors.</param>
/// <param name="ErrorWarnings">Changes to the error-warning state.</param>
/// <param name="ErrorPassives">Changes to the error-passive state.</param>
/// <param name="BusOffs">Changes to bus-off.</param>
/// <param name="ArbitrationLost">Arbitration lost errors.</param>
/// <param name="Restarts">Restarts of the controller.</param>
[StructLayout(LayoutKind.Sequential, Size = 24)]
public readonly record struct CanDeviceStatistics(uint BusErrors, uint ErrorWarnings, uint ErrorPassives, uint BusOffs, uint ArbitrationLost, uint Restarts);
