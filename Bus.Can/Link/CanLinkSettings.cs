using System.Globalization;
using Buses.Netlink;
using static Buses.Can.Interop.CanNetlink;

namespace Buses.Can;

/// <summary>
/// Changes to a CAN interface's configuration, as <c>ip link set IFACE type can …</c> makes them:
/// bit timing, data bit timing, controller modes, restart delay, a manual restart and termination.
/// Only what is set is sent; the rest stays as the interface has it.
/// </summary>
/// <remarks>
/// Bit timing can only change while the interface is down (the kernel answers EBUSY otherwise).
/// The request bytes equal iproute2's for the same arguments: restart-ms, restart, termination,
/// bit timing, data bit timing, control modes, in that order.
/// </remarks>
public sealed class CanLinkSettings
{
    private CanControllerModes _modeMask;
    private CanControllerModes _modeFlags;

    /// <summary>The nominal (arbitration-phase) bit timing, or <see langword="null"/> to keep it. Build it with <see cref="FromBitrate"/> or <see cref="FromSegments"/>.</summary>
    public CanBitTiming? BitTiming { get; set; }

    /// <summary>The CAN FD data-phase bit timing, or <see langword="null"/> to keep it.</summary>
    public CanBitTiming? DataBitTiming { get; set; }

    /// <summary>The automatic restart delay after bus-off in milliseconds (0 = no automatic restart), or <see langword="null"/> to keep it.</summary>
    public uint? RestartMilliseconds { get; set; }

    /// <summary>Whether to restart the controller now (it must be bus-off, else the kernel answers EBUSY).</summary>
    public bool Restart { get; set; }

    /// <summary>The termination resistance in ohms (0 = off), or <see langword="null"/> to keep it.</summary>
    public ushort? Termination { get; set; }

    /// <summary>The modes this request changes.</summary>
    public CanControllerModes ModeMask => _modeMask;

    /// <summary>Of <see cref="ModeMask"/>, the modes switched on; the others are switched off.</summary>
    public CanControllerModes ModeFlags => _modeFlags;

    /// <summary>Whether the request would change nothing.</summary>
    public bool IsEmpty => BitTiming is null && DataBitTiming is null && RestartMilliseconds is null && !Restart && Termination is null && _modeMask == 0;

    /// <summary>Switches <paramref name="modes"/> on or off; modes not named keep their state.</summary>
    /// <param name="modes">One or more modes.</param>
    /// <param name="on">On or off.</param>
    /// <returns>This object.</returns>
    public CanLinkSettings SetModes(CanControllerModes modes, bool on)
    {
        _modeMask |= modes;
        _modeFlags = on ? _modeFlags | modes : _modeFlags & ~modes;
        return this;
    }

    /// <summary>Bit timing the driver computes from a bitrate (<c>bitrate B [sample-point S]</c>).</summary>
    /// <param name="bitrate">Bits per second, above 0.</param>
    /// <param name="samplePoint">The sample point as a fraction, 0 &lt; S &lt; 1 (0.875); <see langword="null"/> lets the driver choose (CiA recommendation).</param>
    /// <exception cref="ArgumentOutOfRangeException">A zero bitrate or a sample point outside (0, 1).</exception>
    public static CanBitTiming FromBitrate(uint bitrate, double? samplePoint = null)
    {
        if (bitrate == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bitrate), bitrate, "CAN bitrate 0 is not a bitrate: it must be above 0 bit/s.");
        }

        return new CanBitTiming(bitrate, SamplePointPermille(samplePoint));
    }

    /// <summary>Explicit bit timing (<c>tq T prop-seg P phase-seg1 P1 phase-seg2 P2 [sjw J]</c>).</summary>
    /// <param name="timeQuantum">Time quantum in nanoseconds, above 0.</param>
    /// <param name="propagationSegment">Propagation segment in time quanta, above 0.</param>
    /// <param name="phaseSegment1">Phase segment 1 in time quanta, above 0.</param>
    /// <param name="phaseSegment2">Phase segment 2 in time quanta, above 0.</param>
    /// <param name="synchronizationJumpWidth">SJW in time quanta; 0 lets the driver choose.</param>
    /// <exception cref="ArgumentOutOfRangeException">A zero quantum or segment.</exception>
    public static CanBitTiming FromSegments(uint timeQuantum, uint propagationSegment, uint phaseSegment1, uint phaseSegment2, uint synchronizationJumpWidth = 0)
    {
        RequirePositive(timeQuantum, "time quantum (tq)", nameof(timeQuantum));
        RequirePositive(propagationSegment, "propagation segment (prop-seg)", nameof(propagationSegment));
        RequirePositive(phaseSegment1, "phase segment 1 (phase-seg1)", nameof(phaseSegment1));
        RequirePositive(phaseSegment2, "phase segment 2 (phase-seg2)", nameof(phaseSegment2));
        return new CanBitTiming(0, 0, timeQuantum, propagationSegment, phaseSegment1, phaseSegment2, synchronizationJumpWidth);
    }

    private static void RequirePositive(uint value, string what, string parameter)
    {
        if (value == 0)
        {
            throw new ArgumentOutOfRangeException(parameter, value, $"CAN {what} 0 is not allowed: it must be at least 1.");
        }
    }

    private static uint SamplePointPermille(double? samplePoint)
    {
        if (samplePoint is not double sp)
        {
            return 0;
        }

        if (!(sp > 0 && sp < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(samplePoint), sp, $"CAN sample point {sp.ToString(CultureInfo.InvariantCulture)} is not between 0 and 1 (e.g. 0.875).");
        }

        // The kernel counts tenths of a percent; ip truncates, which for the 3 decimals it documents is exact.
        return (uint)Math.Round(sp * 1000, MidpointRounding.ToZero);
    }

    /// <summary>
    /// Checks the settings for combinations the kernel would refuse, before any request is sent:
    /// bit timing with both a bitrate and a time quantum, or with neither.
    /// </summary>
    /// <exception cref="ArgumentException">The rule broken, and the values.</exception>
    public void Validate()
    {
        ValidateTiming(BitTiming, "bit timing", nameof(BitTiming));
        ValidateTiming(DataBitTiming, "data bit timing", nameof(DataBitTiming));
    }

    private static void ValidateTiming(CanBitTiming? timing, string what, string parameter)
    {
        if (timing is not CanBitTiming t)
        {
            return;
        }

        if (t.Bitrate != 0 && t.TimeQuantum != 0)
        {
            throw new ArgumentException($"CAN {what} has both a bitrate ({t.Bitrate}) and a time quantum ({t.TimeQuantum} ns): give one (the kernel computes the other).", parameter);
        }

        if (t.Bitrate == 0 && t.TimeQuantum == 0)
        {
            throw new ArgumentException($"CAN {what} has neither a bitrate nor a time quantum: give one.", parameter);
        }

        if (t.TimeQuantum != 0 && (t.PropagationSegment == 0 || t.PhaseSegment1 == 0 || t.PhaseSegment2 == 0))
        {
            throw new ArgumentException($"CAN {what} with tq {t.TimeQuantum} needs prop-seg, phase-seg1 and phase-seg2 above 0 (got {t.PropagationSegment}, {t.PhaseSegment1}, {t.PhaseSegment2}).", parameter);
        }

        if (t.Bitrate != 0 && t.SamplePoint >= 1000)
        {
            throw new ArgumentException($"CAN {what} sample point {t.SamplePoint}‰ is not below 1000‰.", parameter);
        }
    }

    /// <summary>
    /// Writes the <c>IFLA_CAN_*</c> attributes into <c>IFLA_INFO_DATA</c>; pass it to
    /// <see cref="LinkRequests.WriteSetLinkKindData"/> as the kind-data writer.
    /// </summary>
    /// <param name="builder">The builder, inside <c>IFLA_INFO_DATA</c>.</param>
    /// <exception cref="ArgumentException">The settings break a rule of <see cref="Validate"/>.</exception>
    public void WriteKindData(NetlinkMessageBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Validate();
        if (RestartMilliseconds is uint restartMs)
        {
            builder.AddU32(IFLA_CAN_RESTART_MS, restartMs);
        }

        if (Restart)
        {
            builder.AddU32(IFLA_CAN_RESTART, 1);
        }

        if (Termination is ushort termination)
        {
            builder.AddU16(IFLA_CAN_TERMINATION, termination);
        }

        if (BitTiming is CanBitTiming timing)
        {
            builder.AddStruct(IFLA_CAN_BITTIMING, timing);
        }

        if (DataBitTiming is CanBitTiming dataTiming)
        {
            builder.AddStruct(IFLA_CAN_DATA_BITTIMING, dataTiming);
        }

        if (_modeMask != 0)
        {
            Span<uint> ctrlmode = [(uint)_modeMask, (uint)_modeFlags];
            builder.AddBytes(IFLA_CAN_CTRLMODE, System.Runtime.InteropServices.MemoryMarshal.AsBytes(ctrlmode));
        }
    }

    private static readonly (string Keyword, CanControllerModes Mode)[] s_modeKeywords =
    [
        ("loopback", CanControllerModes.Loopback),
        ("listen-only", CanControllerModes.ListenOnly),
        ("triple-sampling", CanControllerModes.TripleSampling),
        ("one-shot", CanControllerModes.OneShot),
        ("berr-reporting", CanControllerModes.BusErrorReporting),
        ("fd", CanControllerModes.Fd),
        ("fd-non-iso", CanControllerModes.FdNonIso),
        ("presume-ack", CanControllerModes.PresumeAck),
        ("cc-len8-dlc", CanControllerModes.ClassicLength8Dlc),
    ];

    /// <summary>Parses the arguments after <c>type can</c> of <c>ip link set IFACE type can …</c>, split on whitespace.</summary>
    /// <param name="arguments">E.g. <c>bitrate 500000 sample-point 0.875 restart-ms 100</c>.</param>
    /// <exception cref="FormatException">An unknown keyword, a missing or malformed value, or a combination the kernel refuses; the message names it.</exception>
    public static CanLinkSettings ParseIpArguments(string arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return ParseIpArguments(arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Parses the arguments after <c>type can</c>, one keyword or value per element (as a shell passes them).</summary>
    /// <param name="arguments">The keywords and values: <c>bitrate</c>, <c>sample-point</c>, <c>tq</c>, <c>prop-seg</c>, <c>phase-seg1</c>, <c>phase-seg2</c>, <c>sjw</c>, their <c>d…</c> data-phase twins, the <c>on|off</c> modes, <c>restart-ms</c>, <c>restart</c>, <c>termination</c>.</param>
    /// <exception cref="FormatException">An unknown keyword, a missing or malformed value, or a combination the kernel refuses; the message names it.</exception>
    /// <remarks>Keywords are matched whole; <c>ip</c> also accepts unambiguous prefixes, this parser does not.</remarks>
    public static CanLinkSettings ParseIpArguments(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var settings = new CanLinkSettings();
        Span<uint> nominal = stackalloc uint[7];
        Span<uint> data = stackalloc uint[7];
        bool nominalSet = false, dataSet = false;
        for (int i = 0; i < arguments.Count; i++)
        {
            string keyword = arguments[i];
            int field = TimingField(keyword);
            bool isData = false;
            if (field < 0 && keyword.StartsWith('d'))
            {
                field = TimingField(keyword[1..]);
                isData = field >= 0;
            }

            if (field >= 0)
            {
                string value = Value(arguments, ref i, keyword);
                uint number = field == 1 ? ParseSamplePoint(keyword, value) : ParseU32(keyword, value);
                (isData ? data : nominal)[field] = number;
                if (isData)
                {
                    dataSet = true;
                }
                else
                {
                    nominalSet = true;
                }

                continue;
            }

            switch (keyword)
            {
                case "restart":
                    settings.Restart = true;
                    continue;
                case "restart-ms":
                    settings.RestartMilliseconds = ParseU32(keyword, Value(arguments, ref i, keyword));
                    continue;
                case "termination":
                {
                    string value = Value(arguments, ref i, keyword);
                    if (!ushort.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ushort ohms))
                    {
                        throw Malformed(keyword, value, "is not a resistance in ohms from 0 to 65535");
                    }

                    settings.Termination = ohms;
                    continue;
                }
            }

            int mode = Array.FindIndex(s_modeKeywords, m => m.Keyword == keyword);
            if (mode < 0)
            {
                throw new FormatException($"CAN link argument '{keyword}' is not a keyword of 'ip link set … type can' (bitrate, sample-point, tq, prop-seg, phase-seg1, phase-seg2, sjw, their d-prefixed data-phase forms, {string.Join(", ", s_modeKeywords.Select(m => m.Keyword))}, restart-ms, restart, termination).");
            }

            string onOff = Value(arguments, ref i, keyword);
            bool on = onOff switch
            {
                "on" => true,
                "off" => false,
                _ => throw Malformed(keyword, onOff, "is not 'on' or 'off'"),
            };
            settings.SetModes(s_modeKeywords[mode].Mode, on);
        }

        try
        {
            if (nominalSet)
            {
                settings.BitTiming = ToTiming(nominal);
            }

            if (dataSet)
            {
                settings.DataBitTiming = ToTiming(data);
            }

            settings.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new FormatException(ex.Message.Split(" (Parameter", 2)[0], ex);
        }

        return settings;
    }

    private static readonly string[] s_timingKeywords = ["bitrate", "sample-point", "tq", "prop-seg", "phase-seg1", "phase-seg2", "sjw"];

    private static int TimingField(string keyword) => Array.IndexOf(s_timingKeywords, keyword);

    private static CanBitTiming ToTiming(ReadOnlySpan<uint> f) => new(f[0], f[1], f[2], f[3], f[4], f[5], f[6]);

    private static string Value(IReadOnlyList<string> arguments, ref int i, string keyword)
    {
        if (i + 1 >= arguments.Count)
        {
            throw new FormatException($"CAN link argument '{keyword}' needs a value after it.");
        }

        return arguments[++i];
    }

    private static uint ParseU32(string keyword, string value) =>
        uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint number)
            ? number
            : throw Malformed(keyword, value, "is not a whole number from 0 to 4294967295");

    private static uint ParseSamplePoint(string keyword, string value)
    {
        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal sp) || sp >= 1)
        {
            throw Malformed(keyword, value, "is not a sample point from 0.000 to 0.999");
        }

        return (uint)decimal.Truncate(sp * 1000);
    }

    private static FormatException Malformed(string keyword, string value, string rule) =>
        new($"CAN link argument '{keyword} {value}': '{value}' {rule}.");

    /// <summary>The settings as <c>ip link set IFACE type can</c> arguments; <see cref="ParseIpArguments(string)"/> reads them back.</summary>
    public string ToIpArguments()
    {
        var parts = new List<string>();
        AppendTiming(parts, BitTiming, string.Empty);
        AppendTiming(parts, DataBitTiming, "d");
        foreach ((string keyword, CanControllerModes mode) in s_modeKeywords)
        {
            if ((_modeMask & mode) != 0)
            {
                parts.Add(keyword);
                parts.Add((_modeFlags & mode) != 0 ? "on" : "off");
            }
        }

        if (RestartMilliseconds is uint restartMs)
        {
            parts.Add("restart-ms");
            parts.Add(restartMs.ToString(CultureInfo.InvariantCulture));
        }

        if (Restart)
        {
            parts.Add("restart");
        }

        if (Termination is ushort termination)
        {
            parts.Add("termination");
            parts.Add(termination.ToString(CultureInfo.InvariantCulture));
        }

        return string.Join(' ', parts);
    }

    private static void AppendTiming(List<string> parts, CanBitTiming? timing, string prefix)
    {
        if (timing is not CanBitTiming t)
        {
            return;
        }

        uint[] values = [t.Bitrate, t.SamplePoint, t.TimeQuantum, t.PropagationSegment, t.PhaseSegment1, t.PhaseSegment2, t.SynchronizationJumpWidth];
        for (int f = 0; f < values.Length; f++)
        {
            if (values[f] != 0)
            {
                parts.Add(prefix + s_timingKeywords[f]);
                parts.Add(f == 1 ? FormatSamplePoint(values[f]) : values[f].ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    internal static string FormatSamplePoint(uint permille) =>
        (permille / 1000m).ToString("0.000", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string ToString() => ToIpArguments();
}
