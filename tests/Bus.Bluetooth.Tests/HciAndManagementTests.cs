using Buses.Bluetooth;
using Xunit;

namespace Buses.Tests.Bluetooth;

public class HciAndManagementTests
{
    [Fact]
    public void Command_packet_is_type_opcode_le_length_parameters()
    {
        byte[] packet = new byte[8];
        ushort readBdAddr = HciSocket.Opcode(0x04, 0x0009);
        Assert.Equal(0x1009, readBdAddr);
        Assert.Equal(4, HciSocket.WriteCommand(readBdAddr, [], packet));
        Assert.Equal(new byte[] { 0x01, 0x09, 0x10, 0x00 }, packet[..4]);
        Assert.Equal(6, HciSocket.WriteCommand(0x0C1A, [0x03, 0x7F], packet));
        Assert.Equal(new byte[] { 0x01, 0x1A, 0x0C, 0x02, 0x03, 0x7F }, packet[..6]);
    }

    [Fact]
    public void Command_parameters_over_255_bytes_are_rejected_before_any_syscall()
    {
        var ex = Assert.Throws<ArgumentException>(() => HciSocket.WriteCommand(0x1009, new byte[256], new byte[300]));
        Assert.Contains("256 bytes are more than 255", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64, 0)]
    [InlineData(0, 1024)]
    [InlineData(-1, 0)]
    public void Opcode_group_and_command_ranges_are_checked(int ogf, int ocf) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HciSocket.Opcode(ogf, ocf));

    [Fact]
    public void Command_complete_for_read_bd_addr_yields_status_and_address()
    {
        // Event 0x0E, length 10: 1 command credit, opcode 0x1009, status 0, bdaddr 00:AA:01:01:00:01 (LSB first).
        byte[] packet = [0x04, 0x0E, 0x0A, 0x01, 0x09, 0x10, 0x00, 0x01, 0x00, 0x01, 0x01, 0xAA, 0x00];
        Assert.True(HciSocket.TryReadCommandResult(packet, 0x1009, out HciCommandResult? result));
        Assert.False(result.IsStatusEvent);
        Assert.True(result.Succeeded);
        Assert.Equal(BluetoothAddress.Parse("00:AA:01:01:00:01"), BluetoothAddress.Read(result.ReturnParameters));
        Assert.False(HciSocket.TryReadCommandResult(packet, 0x1001, out _));
        Assert.False(HciSocket.TryReadCommandResult(packet.AsSpan(0, 8), 0x1009, out _));
    }

    [Fact]
    public void Command_status_event_carries_its_status()
    {
        byte[] packet = [0x04, 0x0F, 0x04, 0x0C, 0x01, 0x01, 0x04];
        Assert.True(HciSocket.TryReadCommandResult(packet, 0x0401, out HciCommandResult? result));
        Assert.True(result.IsStatusEvent);
        Assert.Equal(0x0C, result.Status);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Management_command_header_is_opcode_index_length_little_endian() =>
        Assert.Equal(new byte[] { 0x05, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01 }, BluetoothManagement.BuildCommand(0x0005, 1, [1]));

    [Fact]
    public void Management_event_and_index_list_reply_parse()
    {
        // Command Complete for Read Index List on no index: opcode 3, status 0, two controllers 0 and 1.
        byte[] packet = [0x01, 0x00, 0xFF, 0xFF, 0x09, 0x00, 0x03, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00];
        Assert.True(BluetoothManagement.TryParseEvent(packet, out ManagementEvent? e));
        Assert.Equal(1, e.Code);
        Assert.Equal(BluetoothManagement.NoIndex, e.Index);
        Assert.Equal([0, 1], BluetoothManagement.IndexList(e.Parameters.AsSpan(3)));
        Assert.False(BluetoothManagement.TryParseEvent(packet.AsSpan(0, 10), out _));
        Assert.Throws<FormatException>(() => BluetoothManagement.IndexList([0x03, 0x00, 0x00, 0x00]));
    }

    [Fact]
    public void Controller_info_reply_reads_every_field_at_its_documented_offset()
    {
        byte[] reply = new byte[ControllerInfo.Size];
        BluetoothAddress.Parse("00:AA:01:00:00:00").Write(reply);
        reply[6] = 0x09;
        reply[7] = 0x3F;
        reply[8] = 0x00;
        reply[9] = 0xFF;
        reply[10] = 0xFE;
        reply[13] = 0x81;
        reply[17] = 0x0C;
        reply[18] = 0x01;
        reply[19] = 0x1F;
        "btvirt"u8.CopyTo(reply.AsSpan(20));
        "bv"u8.CopyTo(reply.AsSpan(269));
        ControllerInfo info = ControllerInfo.Read(reply);
        Assert.Equal("00:AA:01:00:00:00", info.Address.ToString());
        Assert.Equal(0x09, info.BluetoothVersion);
        Assert.Equal(0x003F, info.Manufacturer);
        Assert.Equal((ManagementSettings)0xFEFF, info.SupportedSettings);
        Assert.Equal(ManagementSettings.Powered | ManagementSettings.BrEdr, info.CurrentSettings);
        Assert.Equal(0x1F010C, info.DeviceClass);
        Assert.Equal("btvirt", info.Name);
        Assert.Equal("bv", info.ShortName);
        Assert.Throws<FormatException>(() => ControllerInfo.Read(reply.AsSpan(0, 279)));
    }

    [Fact]
    public void Management_failure_names_the_command_index_and_status()
    {
        var ex = new BluetoothManagementException(0x0005, 1, ManagementStatus.NotPowered);
        Assert.Equal("mgmt command 0x0005 (Set Powered) on hci1 failed: NotPowered (0x0F).", ex.Message);
    }
}
