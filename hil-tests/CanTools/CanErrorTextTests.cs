using System.Text.RegularExpressions;
using Buses.HilTests.Bed;
using TestBed = Buses.HilTests.Bed.Bed;
using Xunit;

namespace Buses.HilTests.CanTools;

/// <summary>
/// <c>buses can dump -e</c> beside the installed <c>candump -e</c> (Debian's can-utils 2020.11) on
/// the same vcan: error frames of every class, sent with cansend, must be described with
/// candump's words on the same lines. candump's output is the reference, never a literal here.
/// </summary>
/// <remarks>
/// vcan echoes an error frame to every socket whose error mask has one of its classes. candump's
/// -e only decodes; the mask comes from the operand (<c>vcan0,#FFFFFFFF</c>, as candump's usage
/// shows), so both dumps get the same operand. Each socket stamps frames itself, so timestamps
/// are masked.
/// </remarks>
public sealed partial class CanErrorTextTests
{
    private const string ReceiveBuffer = "-r4194304";

    /// <summary>
    /// Every class alone and together, details with several values each (unnamed bits and
    /// locations too), short payloads, counters without a class, and the sets candump answers with
    /// the frame text again: an unknown class bit, the counter bit beside another class, the
    /// counter bit with both counters 0. (vcan does not deliver an error frame without a class.)
    /// </summary>
    private static readonly string[] s_errorFrames =
    [
        "20000001#",
        "20000001#0000000000000000",
        "20000002#2A",
        "20000002#00",
        "20000002#FF00000000000000",
        "20000004#0004",
        "20000004#0040",
        "20000004#007F",
        "20000004#00FF",
        "20000004#0000000000000000",
        "20000008#0000881900000000",
        "20000008#000002010000",
        "20000008#0000010300000000",
        "20000008#000002120000",
        "20000008#00000420",
        "20000008#0000041F00000000",
        "20000008#00000000",
        "20000010#0000000057",
        "20000020#",
        "20000040#",
        "20000080#0000000000000000",
        "20000100#",
        "20000200#000000000000807F",
        "20000200#0000000000000000",
        "20000200#00000000000000FF",
        "20000004#0004000000000A05",
        "20000088#0000020800000000",
        "200001FF#0A3F7F8A5F00FF01",
        "20000208#0000040A00000A00",
        "20000400#",
        "20000400#0000000000000001",
        "3FFFFFFF#0102030405060708",
    ];

    private static string Iface => TestBed.CanInterface;

    [GeneratedRegex(@"^ \([^)]*\)")]
    private static partial Regex Timestamp();

    /// <summary>A screen line with its timestamp field replaced, since each socket stamps its own.</summary>
    private static string[] Masked(IEnumerable<string> lines) => [.. lines.Select(l => Timestamp().Replace(l, " (T)"))];

    [Fact]
    public void Error_frames_are_described_line_for_line_as_candump_describes_them()
    {
        TestBed.Require(Capability.Can);
        string count = s_errorFrames.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string operand = $"{Iface},#FFFFFFFF";
        string[][] variants =
        [
            ["-e", "-n", count, ReceiveBuffer, operand],
            ["-e", "-x", "-tA", "-n", count, ReceiveBuffer, operand],
            ["-e", "-td", "-n", count, ReceiveBuffer, operand],
        ];
        var pairs = new List<(string[] Args, ToolProcess Candump, ToolProcess Buses)>();
        try
        {
            int receivers = ToolProcess.CanReceivers(Iface);
            foreach (string[] args in variants)
            {
                pairs.Add((args, ToolProcess.Start("candump", args), ToolProcess.Buses(["can", "dump", .. args])));
            }

            // Each dump registers two receivers (frames and error frames); send only when all are bound.
            ToolProcess.WaitForCanReceivers(Iface, receivers + (4 * variants.Length));
            foreach (string frame in s_errorFrames)
            {
                ToolProcess.Run("cansend", Iface, frame);
            }

            foreach ((string[] args, ToolProcess candump, ToolProcess buses) in pairs)
            {
                Assert.Equal(0, candump.WaitForExit());
                Assert.Equal(0, buses.WaitForExit());
                string[] reference = Masked(candump.Lines);
                // Every frame has its line and at least one description line (a tab line).
                Assert.True(reference.Length >= 2 * s_errorFrames.Length, $"candump {string.Join(' ', args)} printed only:\n{string.Join('\n', reference)}");
                Assert.Equal(s_errorFrames.Length, reference.Count(l => l.StartsWith(' ') && l.EndsWith("ERRORFRAME", StringComparison.Ordinal)));
                Assert.Equal(reference, Masked(buses.Lines));
            }
        }
        finally
        {
            foreach ((_, ToolProcess candump, ToolProcess buses) in pairs)
            {
                candump.Dispose();
                buses.Dispose();
            }
        }
    }
}
