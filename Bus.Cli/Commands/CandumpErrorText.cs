using System.Globalization;
using System.Text;
using Buses.Can;

namespace Buses.Cli.Commands;

/// <summary>
/// What <c>candump -e</c> prints under an error frame's screen line, word for word as can-utils
/// 2020.11 prints it, because users grep for these words: one line per error class, each
/// starting with a tab (<c>protocol-violation{{error-on-tx}{acknowledge-slot}}</c>), then
/// <c>error-counter-tx-rx{{TX}{RX}}</c> when either counter byte is non-zero.
/// </summary>
/// <remarks>
/// Quirks kept on purpose, since the same frames must give the same lines as candump:
/// <list type="bullet">
/// <item>The counter line depends on the counter bytes, not on <see cref="CanErrorClasses.Counters"/>;
/// a frame with counters and no class before them starts with an empty tab line.</item>
/// <item>A class set numerically above <see cref="CanErrorClasses.Counters"/> (any class with
/// the counter bit, or an unknown bit) is rejected, and a frame that gives nothing to describe
/// (the counter bit alone with both counters 0) leaves candump's text buffer as it was: either
/// way candump repeats the frame's own text on the tab line (see <see cref="Describe"/>).</item>
/// <item>Transceiver details and the controller-specific byte are not described; an arbitration
/// bit of 0 still reads <c>{at bit 0}</c>; the controller's unknown bit 0x80 is not named.</item>
/// </list>
/// </remarks>
internal static class CandumpErrorText
{
    /// <summary>What goes between two described classes (and before the counters): a new tab-indented line.</summary>
    public const string Separator = "\n\t";

    /// <summary>The largest class set candump describes: one past its nine named classes, i.e. the counter bit alone.</summary>
    private const uint LargestDescribedClasses = 1u << 9;

    // Named in bit order of the identifier (linux/can/error.h), as candump names them.
    private static readonly string[] s_classes =
    [
        "tx-timeout", "lost-arbitration", "controller-problem", "protocol-violation", "transceiver-status",
        "no-acknowledgement-on-tx", "bus-off", "bus-error", "restarted-after-bus-off",
    ];

    private static readonly string[] s_controllerProblems =
    [
        "rx-overflow", "tx-overflow", "rx-error-warning", "tx-error-warning", "rx-error-passive", "tx-error-passive",
        "back-to-error-active",
    ];

    private static readonly string[] s_protocolViolations =
    [
        "single-bit-error", "frame-format-error", "bit-stuffing-error", "tx-dominant-bit-error", "tx-recessive-bit-error",
        "bus-overload", "active-error", "error-on-tx",
    ];

    // Indexed by the location byte itself (0x00–0x1F); codes error.h does not define read "unspecified".
    private static readonly string[] s_locations =
    [
        "unspecified", "unspecified", "id.28-to-id.21", "start-of-frame", "bit-srtr", "bit-ide", "id.20-to-id.18", "id.17-to-id.13",
        "crc-sequence", "reserved-bit-0", "data-field", "data-length-code", "bit-rtr", "reserved-bit-1", "id.4-to-id.0", "id.12-to-id.5",
        "unspecified", "active-error-flag", "intermission", "tolerate-dominant-bits", "unspecified", "unspecified", "passive-error-flag", "error-delimiter",
        "crc-delimiter", "acknowledge-slot", "end-of-frame", "acknowledge-delimiter", "overload-flag", "unspecified", "unspecified", "unspecified",
    ];

    /// <summary>
    /// The text candump prints after the tab that follows an error frame's line, with
    /// <see cref="Separator"/> between lines; <see langword="null"/> when candump prints the
    /// frame's own text there instead: for a class set it rejects (it also says "Error class 0x…
    /// is invalid" on stderr) and for a frame with nothing to describe.
    /// </summary>
    public static string? Describe(in CanErrorFrame error)
    {
        uint classes = (uint)error.Classes;
        if (classes > LargestDescribedClasses)
        {
            return null;
        }

        var text = new StringBuilder();
        bool first = true;
        for (int bit = 0; bit < s_classes.Length; bit++)
        {
            var set = (CanErrorClasses)(1u << bit);
            if ((error.Classes & set) == 0)
            {
                continue;
            }

            if (!first)
            {
                text.Append(Separator);
            }

            first = false;
            text.Append(s_classes[bit]);
            switch (set)
            {
                case CanErrorClasses.LostArbitration:
                    text.Append(CultureInfo.InvariantCulture, $"{{at bit {error.ArbitrationLostBit}}}");
                    break;
                case CanErrorClasses.Controller:
                    AppendNames(text.Append('{'), (byte)error.Controller, s_controllerProblems).Append('}');
                    break;
                case CanErrorClasses.Protocol:
                    AppendNames(text.Append("{{"), (byte)error.Protocol, s_protocolViolations).Append("}{");
                    int location = (int)error.ProtocolLocation;
                    if (location > 0 && location < s_locations.Length)
                    {
                        text.Append(s_locations[location]);
                    }

                    text.Append("}}");
                    break;
            }
        }

        if (error.TransmitErrorCount != 0 || error.ReceiveErrorCount != 0)
        {
            text.Append(Separator).Append(CultureInfo.InvariantCulture, $"error-counter-tx-rx{{{{{error.TransmitErrorCount}}}{{{error.ReceiveErrorCount}}}}}");
        }

        return text.Length == 0 ? null : text.ToString();
    }

    /// <summary>Appends the names of the set bits, lowest first, comma-separated; bits without a name are skipped.</summary>
    private static StringBuilder AppendNames(StringBuilder text, byte bits, string[] names)
    {
        bool first = true;
        for (int bit = 0; bit < names.Length; bit++)
        {
            if ((bits & (1 << bit)) != 0)
            {
                text.Append(first ? "" : ",").Append(names[bit]);
                first = false;
            }
        }

        return text;
    }
}
