using Buses.Can;
using Buses.HilTests.Bed;
using TestBed = Buses.HilTests.Bed.Bed;
using Xunit;

namespace Buses.HilTests.CanTools;

/// <summary>
/// CAN XL through the command-line tools on a real XL-capable vcan. The installed can-utils
/// predate CAN XL, so the reference here is the library's own socket: what <c>buses can send</c> and
/// <c>buses can gen -X</c> put on the bus must arrive as the frames their text describes, and
/// <c>buses can dump</c> must log them as that same text.
/// </summary>
public sealed class CanXlToolsTests
{
    private static string BusesPath => Path.Combine(ToolProcess.Root, "buses");

    [Fact]
    public void Frames_sent_as_xl_text_arrive_as_those_frames_and_dump_logs_the_same_text()
    {
        TestBed.Require(Capability.CanXl);
        string iface = TestBed.CanXlInterface;
        string[] sent =
        [
            "45123#81:00:12345678#11223344",
            "00001#80:07:40000123#01020304",
            "7F7FF#82:FF:FFFFFFFF#" + string.Concat(Enumerable.Range(0, 64).Select(i => ((byte)i).ToString("X2", System.Globalization.CultureInfo.InvariantCulture))),
            "123#DEADBEEF",
            "456##1112233445566778899",
        ];
        using var library = new CanRawSocket(iface) { FdFrames = true, XlFrames = true, Timeout = ToolProcess.Deadline, ReceiveBufferSize = 1 << 20 };
        // Every VCID, as the dump receives them (without a filter the kernel passes only VCID 0).
        library.SetXlVcidOptions(new CanXlVcidOptions(ReceiveVcid: 0, ReceiveVcidMask: 0));
        int receivers = ToolProcess.CanReceivers(iface);
        using ToolProcess dump = ToolProcess.Buses("can", "dump", iface, "-L", "-r4194304");
        ToolProcess.WaitForCanReceivers(iface, receivers + 1);

        List<string> expected = [];
        byte[] wire = new byte[CanFrameText.MaxWireSize];
        char[] canonical = new char[CanFrameText.MaxLength];
        foreach (string frame in sent)
        {
            ToolProcess.Run(BusesPath, "can", "send", iface, frame);
            expected.Add(new string(canonical, 0, CanFrameText.Format(wire.AsSpan(0, CanFrameText.Parse(frame, wire)), canonical)));
        }

        expected.AddRange(ToolProcess.Run(BusesPath, "can", "gen", iface, "-X", "-n", "12", "-g", "0", "-L", "r", "-v"));
        Assert.Equal(sent.Length + 12, expected.Count);

        // The library decodes each frame to what parsing its text gives.
        var message = new CanMessage();
        foreach (string text in expected)
        {
            library.Receive(message);
            int size = CanFrameText.Parse(text, wire);
            Assert.True(wire.AsSpan(0, size).SequenceEqual(message.Bytes), $"'{text}' arrived as {Convert.ToHexString(message.Bytes)}");
        }

        Assert.Equal(expected, dump.WaitForLines(expected.Count).Where(l => l.StartsWith('(')).Select(l => l.Split(' ')[2]));
        // -X really generated CAN XL: a 5-digit VCID and priority before the first '#'.
        Assert.All(expected.Skip(sent.Length), t => Assert.Equal(5, t.IndexOf('#')));
    }
}
