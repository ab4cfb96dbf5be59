using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Buses.Netlink;
using static Buses.Can.Interop.CanNetlink;

namespace Buses.Can;

/// <summary>
/// What a CAN interface reports about itself over netlink (<c>ip -details -statistics link show</c>):
/// state, bit timing and its limits, clock, control modes, error counters, restart delay,
/// termination and device statistics. Virtual devices (vcan, vxcan) report none of the CAN fields.
/// </summary>
public sealed class CanLinkInfo
{
    /// <summary>The controller state, or <see langword="null"/> when the device does not report one.</summary>
    public CanState? State { get; private init; }

    /// <summary>The control modes switched on.</summary>
    public CanControllerModes Modes { get; private init; }

    /// <summary>The control modes the controller supports (<c>can_ctrlmode.mask</c> as reported).</summary>
    public CanControllerModes SupportedModes { get; private init; }

    /// <summary>The nominal bit timing in use, or <see langword="null"/>.</summary>
    public CanBitTiming? BitTiming { get; private init; }

    /// <summary>The controller's nominal bit-timing limits, or <see langword="null"/>.</summary>
    public CanBitTimingConstant? BitTimingConstant { get; private init; }

    /// <summary>The CAN FD data-phase bit timing, or <see langword="null"/>.</summary>
    public CanBitTiming? DataBitTiming { get; private init; }

    /// <summary>The controller's data-phase bit-timing limits, or <see langword="null"/>.</summary>
    public CanBitTimingConstant? DataBitTimingConstant { get; private init; }

    /// <summary>The controller clock in Hz, or <see langword="null"/>.</summary>
    public uint? ClockFrequency { get; private init; }

    /// <summary>The automatic restart delay in ms (0 = off), or <see langword="null"/>.</summary>
    public uint? RestartMilliseconds { get; private init; }

    /// <summary>The TX and RX error counters, or <see langword="null"/> when the driver cannot read them.</summary>
    public CanBusErrorCounters? BusErrorCounters { get; private init; }

    /// <summary>The termination in ohms, or <see langword="null"/> when the device has no switchable termination.</summary>
    public ushort? Termination { get; private init; }

    /// <summary>The termination values the device supports.</summary>
    public IReadOnlyList<ushort> TerminationValues { get; private init; } = [];

    /// <summary>The fixed bitrates a controller without free timing supports.</summary>
    public IReadOnlyList<uint> BitrateValues { get; private init; } = [];

    /// <summary>The fixed data bitrates.</summary>
    public IReadOnlyList<uint> DataBitrateValues { get; private init; } = [];

    /// <summary>The transceiver's highest bitrate, or <see langword="null"/>.</summary>
    public uint? BitrateMax { get; private init; }

    /// <summary>The device statistics (<c>IFLA_INFO_XSTATS</c>), or <see langword="null"/>.</summary>
    public CanDeviceStatistics? Statistics { get; private init; }

    /// <summary>Whether the device reported any CAN field (false for vcan and vxcan).</summary>
    public bool HasControllerInfo => State is not null || BitTiming is not null || ClockFrequency is not null || SupportedModes != 0;

    /// <summary>Decodes the <c>IFLA_CAN_*</c> attributes of a link of kind <c>can</c>.</summary>
    /// <param name="kindData">The payload of <c>IFLA_INFO_DATA</c> (<see cref="LinkInfo.KindData"/>).</param>
    /// <param name="kindStatistics">The payload of <c>IFLA_INFO_XSTATS</c>, if available.</param>
    /// <exception cref="FormatException">An attribute is shorter than its structure.</exception>
    public static CanLinkInfo Parse(ReadOnlySpan<byte> kindData, ReadOnlySpan<byte> kindStatistics = default)
    {
        CanState? state = null;
        CanControllerModes modes = 0, supported = 0;
        CanBitTiming? timing = null, dataTiming = null;
        CanBitTimingConstant? timingConst = null, dataTimingConst = null;
        uint? clock = null, restartMs = null, bitrateMax = null;
        CanBusErrorCounters? counters = null;
        ushort? termination = null;
        ushort[] terminations = [];
        uint[] bitrates = [], dataBitrates = [];
        foreach (NetlinkAttribute attribute in new NetlinkAttributeReader(kindData))
        {
            switch (attribute.Type)
            {
                case IFLA_CAN_STATE: state = (CanState)attribute.GetU32(); break;
                case IFLA_CAN_CTRLMODE:
                {
                    ReadOnlySpan<byte> cm = Need(attribute, CAN_CTRLMODE_SIZE, "can_ctrlmode");
                    supported = (CanControllerModes)BinaryPrimitives.ReadUInt32LittleEndian(cm);
                    modes = (CanControllerModes)BinaryPrimitives.ReadUInt32LittleEndian(cm[4..]);
                    break;
                }

                case IFLA_CAN_BITTIMING: timing = MemoryMarshal.Read<CanBitTiming>(Need(attribute, CAN_BITTIMING_SIZE, "can_bittiming")); break;
                case IFLA_CAN_DATA_BITTIMING: dataTiming = MemoryMarshal.Read<CanBitTiming>(Need(attribute, CAN_BITTIMING_SIZE, "can_bittiming")); break;
                case IFLA_CAN_BITTIMING_CONST: timingConst = MemoryMarshal.Read<CanBitTimingConstant>(Need(attribute, CAN_BITTIMING_CONST_SIZE, "can_bittiming_const")); break;
                case IFLA_CAN_DATA_BITTIMING_CONST: dataTimingConst = MemoryMarshal.Read<CanBitTimingConstant>(Need(attribute, CAN_BITTIMING_CONST_SIZE, "can_bittiming_const")); break;
                case IFLA_CAN_CLOCK: clock = attribute.GetU32(); break;
                case IFLA_CAN_RESTART_MS: restartMs = attribute.GetU32(); break;
                case IFLA_CAN_BERR_COUNTER: counters = MemoryMarshal.Read<CanBusErrorCounters>(Need(attribute, 4, "can_berr_counter")); break;
                case IFLA_CAN_TERMINATION: termination = attribute.GetU16(); break;
                case IFLA_CAN_TERMINATION_CONST: terminations = MemoryMarshal.Cast<byte, ushort>(attribute.Payload).ToArray(); break;
                case IFLA_CAN_BITRATE_CONST: bitrates = MemoryMarshal.Cast<byte, uint>(attribute.Payload).ToArray(); break;
                case IFLA_CAN_DATA_BITRATE_CONST: dataBitrates = MemoryMarshal.Cast<byte, uint>(attribute.Payload).ToArray(); break;
                case IFLA_CAN_BITRATE_MAX: bitrateMax = attribute.GetU32(); break;
            }
        }

        CanDeviceStatistics? statistics = null;
        if (kindStatistics.Length >= CAN_DEVICE_STATS_SIZE)
        {
            statistics = MemoryMarshal.Read<CanDeviceStatistics>(kindStatistics);
        }

        return new CanLinkInfo
        {
            State = state,
            Modes = modes,
            SupportedModes = supported,
            BitTiming = timing,
            DataBitTiming = dataTiming,
            BitTimingConstant = timingConst,
            DataBitTimingConstant = dataTimingConst,
            ClockFrequency = clock,
            RestartMilliseconds = restartMs,
            BusErrorCounters = counters,
            Termination = termination,
            TerminationValues = terminations,
            BitrateValues = bitrates,
            DataBitrateValues = dataBitrates,
            BitrateMax = bitrateMax,
            Statistics = statistics,
        };
    }

    private static ReadOnlySpan<byte> Need(NetlinkAttribute attribute, int size, string structName) =>
        attribute.Payload.Length >= size
            ? attribute.Payload
            : throw new FormatException($"IFLA_CAN attribute {attribute.Type} has {attribute.Payload.Length} bytes; struct {structName} needs {size}.");

    private static readonly (CanControllerModes Mode, string Name)[] s_modeNames =
    [
        (CanControllerModes.Loopback, "LOOPBACK"),
        (CanControllerModes.ListenOnly, "LISTEN-ONLY"),
        (CanControllerModes.TripleSampling, "TRIPLE-SAMPLING"),
        (CanControllerModes.OneShot, "ONE-SHOT"),
        (CanControllerModes.BusErrorReporting, "BERR-REPORTING"),
        (CanControllerModes.Fd, "FD"),
        (CanControllerModes.FdNonIso, "FD-NON-ISO"),
        (CanControllerModes.PresumeAck, "PRESUME-ACK"),
        (CanControllerModes.ClassicLength8Dlc, "CC-LEN8-DLC"),
        (CanControllerModes.TdcAutomatic, "TDC-AUTO"),
        (CanControllerModes.TdcManual, "TDC-MANUAL"),
    ];

    private static readonly string[] s_stateNames = ["ERROR-ACTIVE", "ERROR-WARNING", "ERROR-PASSIVE", "BUS-OFF", "STOPPED", "SLEEPING"];

    /// <summary>
    /// The CAN part of <c>ip -details -statistics link show</c>, in its words and order: modes,
    /// state, error counters, restart-ms, bit timing, limits, data bit timing, termination, clock,
    /// statistics. A device that reports nothing gives an empty string.
    /// </summary>
    public string Format()
    {
        var text = new StringBuilder();
        if (Modes != 0)
        {
            text.Append('<').AppendJoin(',', s_modeNames.Where(m => (Modes & m.Mode) != 0).Select(m => m.Name)).Append("> ");
        }

        if (State is CanState state)
        {
            text.Append("state ").Append((uint)state < s_stateNames.Length ? s_stateNames[(int)state] : "UNKNOWN").Append(' ');
        }

        if (BusErrorCounters is CanBusErrorCounters c)
        {
            text.Append(CultureInfo.InvariantCulture, $"(berr-counter tx {c.TransmitErrors} rx {c.ReceiveErrors}) ");
        }

        if (RestartMilliseconds is uint restartMs)
        {
            text.Append(CultureInfo.InvariantCulture, $"restart-ms {restartMs} ");
        }

        AppendTiming(text, BitTiming, BitTimingConstant, string.Empty);
        if (BitrateValues.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  bitrate {BitTiming?.Bitrate ?? 0} [ {string.Join(", ", BitrateValues)} ]");
        }

        AppendTiming(text, DataBitTiming, DataBitTimingConstant, "d");
        if (DataBitrateValues.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  dbitrate {DataBitTiming?.Bitrate ?? 0} [ {string.Join(", ", DataBitrateValues)} ]");
        }

        if (Termination is ushort termination)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  termination {termination} [ {string.Join(", ", TerminationValues)} ]");
        }

        if (ClockFrequency is uint clock)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  clock {clock}");
        }

        if (Statistics is CanDeviceStatistics s)
        {
            text.Append("\n  re-started bus-errors arbit-lost error-warn error-pass bus-off");
            text.Append(CultureInfo.InvariantCulture, $"\n  {s.Restarts,-10} {s.BusErrors,-10} {s.ArbitrationLost,-10} {s.ErrorWarnings,-10} {s.ErrorPassives,-10} {s.BusOffs,-10}");
        }

        return text.ToString().TrimEnd();
    }

    private static void AppendTiming(StringBuilder text, CanBitTiming? timing, CanBitTimingConstant? limits, string prefix)
    {
        if (timing is CanBitTiming t)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {prefix}bitrate {t.Bitrate} {prefix}sample-point {CanLinkSettings.FormatSamplePoint(t.SamplePoint)}");
            text.Append(CultureInfo.InvariantCulture, $"\n  {prefix}tq {t.TimeQuantum} {prefix}prop-seg {t.PropagationSegment} {prefix}phase-seg1 {t.PhaseSegment1} {prefix}phase-seg2 {t.PhaseSegment2} {prefix}sjw {t.SynchronizationJumpWidth} {prefix}brp {t.BitratePrescaler}");
        }

        if (limits is CanBitTimingConstant l)
        {
            text.Append("\n  ").Append(l.ToString());
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Format();
}
