using System.Text.RegularExpressions;
using Buses.Bluetooth;
using Buses.HilTests.Bed;
using Buses.HilTests.CanTools;
using Xunit;
using static Buses.HilTests.Bluetooth.PythonPeer;
using Testbed = Buses.HilTests.Bed.Bed;

namespace Buses.HilTests.Bluetooth;

// The HCI raw channel, the device ioctls and the management channel against btvirt, checked against
// BlueZ's own hciconfig and btmgmt.
public sealed partial class HciTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static int IndexOf(string name) => int.Parse(name.AsSpan(3), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Read_bd_addr_returns_each_controllers_address_sync_and_async()
    {
        Testbed.Require(Capability.Bluetooth);
        using var hci0 = new HciSocket(IndexOf(Testbed.BluetoothInterface0)) { Timeout = Patience };
        using var hci1 = new HciSocket(IndexOf(Testbed.BluetoothInterface1)) { Timeout = Patience };
        Assert.Equal(Address0, hci0.ReadAddress());
        using var cancel = new CancellationTokenSource(Patience);
        Assert.Equal(Address1, await hci1.ReadAddressAsync(cancel.Token));
    }

    [Fact]
    public void Filter_passes_only_the_chosen_events_with_direction_and_timestamp()
    {
        Testbed.Require(Capability.Bluetooth);
        using var hci = new HciSocket(IndexOf(Testbed.BluetoothInterface0)) { Timeout = Patience };
        HciFilter statusOnly = default(HciFilter).WithPacketType(HciPacketType.Event).WithEvent(0x0F);
        hci.Filter = statusOnly;
        Assert.Equal(statusOnly, hci.Filter);
        hci.DataDirection = true;
        hci.TimeStamps = true;

        // Read BD_ADDR answers with Command Complete (filtered out); Inquiry answers with Command Status first.
        ushort readBdAddr = HciSocket.Opcode(0x04, 0x0009);
        ushort inquiry = HciSocket.Opcode(0x01, 0x0001);
        hci.SendCommand(readBdAddr);
        hci.SendCommand(inquiry, [0x33, 0x8B, 0x9E, 0x01, 0x00]);
        byte[] buffer = new byte[260];
        var seen = new List<string>();
        while (true)
        {
            HciPacketInfo info = hci.Receive(buffer);
            Assert.Equal(HciPacketType.Event, info.Type);
            Assert.Equal(HciDirection.FromController, info.Direction);
            Assert.True(info.Timestamp is { IsSet: true });
            seen.Add($"event 0x{buffer[1]:X2}");
            Assert.Equal(0x0F, buffer[1]);
            if (HciSocket.TryReadCommandResult(buffer.AsSpan(0, info.Length), inquiry, out HciCommandResult? result))
            {
                Assert.True(result.IsStatusEvent);
                Assert.True(result.Succeeded, $"Inquiry status 0x{result.Status:X2}");
                break;
            }
        }

        // Cancel the inquiry so the controller is idle for the next test (its Command Complete is filtered away too).
        hci.Filter = HciFilter.All;
        Assert.True(hci.ExecuteCommand(HciSocket.Opcode(0x01, 0x0002)).Succeeded);
        Assert.Equal(HciFilter.All, hci.Filter);
    }

    [Fact]
    public void Device_list_matches_hciconfig()
    {
        Testbed.Require(Capability.Bluetooth);
        IReadOnlyList<HciDeviceInfo> devices = HciDevices.GetAll();
        string text = string.Join('\n', ToolProcess.Run("hciconfig"));
        var expected = HciconfigDevice().Matches(text)
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value} {(m.Groups[3].Value.Contains("UP", StringComparison.Ordinal) ? "up" : "down")}")
            .Order(StringComparer.Ordinal).ToList();
        var actual = devices.Select(d => $"{d.Name} {d.Address} {(d.IsUp ? "up" : "down")}").Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.Count >= 2, "hciconfig listed fewer than two controllers:\n" + text);
        Assert.Equal(expected, actual);
        Assert.Equal(devices.Select(d => d.Index).Order(), HciDevices.List().Order());
        HciDeviceInfo connectable = devices.Single(d => d.Name == Testbed.BluetoothInterface1);
        Assert.True((connectable.Flags & HciDeviceFlags.PageScan) != 0);
    }

    [Fact]
    public void Management_index_list_and_info_match_btmgmt_and_power_off_and_on_is_seen_by_hciconfig()
    {
        Testbed.Require(Capability.Bluetooth);
        using var mgmt = new BluetoothManagement { Timeout = Patience };
        Assert.True(mgmt.ReadVersion().Version >= 1);
        Assert.Equal(HciDevices.List().Order(), mgmt.ReadIndexList().Order());

        int index = IndexOf(Testbed.BluetoothInterface0);
        ControllerInfo info = mgmt.ReadInfo(index);
        Assert.Equal(Address0, info.Address);
        Assert.True((info.CurrentSettings & ManagementSettings.Powered) != 0);
        string btmgmt = string.Join('\n', ToolProcess.Run("btmgmt", "--index", index.ToString(System.Globalization.CultureInfo.InvariantCulture), "info"));
        Assert.Contains($"addr {info.Address} version {info.BluetoothVersion} manufacturer {info.Manufacturer} class 0x{info.DeviceClass:x6}", btmgmt, StringComparison.Ordinal);

        try
        {
            ManagementSettings off = mgmt.SetPowered(index, false);
            Assert.Equal(ManagementSettings.None, off & ManagementSettings.Powered);
            Assert.Contains("DOWN", HciconfigState(Testbed.BluetoothInterface0), StringComparison.Ordinal);
        }
        finally
        {
            ManagementSettings on = mgmt.SetPowered(index, true);
            Assert.Equal(ManagementSettings.Powered, on & ManagementSettings.Powered);
        }

        Assert.Contains("UP RUNNING", HciconfigState(Testbed.BluetoothInterface0), StringComparison.Ordinal);
        Assert.Equal(0, mgmt.DroppedEvents);
    }

    private static string HciconfigState(string name)
    {
        IReadOnlyList<string> lines = ToolProcess.Run("hciconfig", name);
        return lines.Count > 2 ? lines[2].Trim() : string.Join('\n', lines);
    }

    // hci0:	Type: Primary  Bus: Virtual / BD Address: 00:AA:01:00:00:00  ACL MTU: … / UP RUNNING …
    [GeneratedRegex(@"^(hci\d+):.*\n\s+BD Address: ([0-9A-F:]{17}).*\n\s+(\S[^\n]*)", RegexOptions.Multiline)]
    private static partial Regex HciconfigDevice();
}
