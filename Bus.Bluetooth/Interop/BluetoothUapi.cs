#pragma warning disable CS8981 // C names from BlueZ's <bluetooth/*.h> are kept on purpose (grep-able against the headers).
#pragma warning disable CA1707

using System.Runtime.InteropServices;

namespace Buses.Bluetooth.Interop;

/// <summary>
/// Constants of BlueZ's <c>bluetooth/bluetooth.h</c>, <c>l2cap.h</c>, <c>rfcomm.h</c>, <c>sco.h</c> and
/// <c>hci.h</c> (the kernel's own headers are not exported to user space; BlueZ's copies are the ABI).
/// </summary>
internal static class BluetoothUapi
{
    public const int AF_BLUETOOTH = 31;
    public const int BTPROTO_L2CAP = 0;
    public const int BTPROTO_HCI = 1;
    public const int BTPROTO_SCO = 2;
    public const int BTPROTO_RFCOMM = 3;

    public const int BDADDR_BREDR = 0x00;
    public const int BDADDR_LE_PUBLIC = 0x01;
    public const int BDADDR_LE_RANDOM = 0x02;

    public const int BT_SECURITY = 4;
    public const int BT_SECURITY_SDP = 0;
    public const int BT_SECURITY_LOW = 1;
    public const int BT_SECURITY_MEDIUM = 2;
    public const int BT_SECURITY_HIGH = 3;
    public const int BT_SECURITY_FIPS = 4;
    public const int BT_DEFER_SETUP = 7;
    public const int BT_FLUSHABLE = 8;
    public const int BT_POWER = 9;
    public const int BT_POWER_FORCE_ACTIVE_OFF = 0;
    public const int BT_POWER_FORCE_ACTIVE_ON = 1;
    public const int BT_CHANNEL_POLICY = 10;
    public const int BT_CHANNEL_POLICY_BREDR_ONLY = 0;
    public const int BT_CHANNEL_POLICY_BREDR_PREFERRED = 1;
    public const int BT_CHANNEL_POLICY_AMP_PREFERRED = 2;
    public const int BT_VOICE = 11;
    public const int BT_VOICE_TRANSPARENT = 0x0003;
    public const int BT_VOICE_CVSD_16BIT = 0x0060;
    public const int BT_SNDMTU = 12;
    public const int BT_RCVMTU = 13;
    public const int BT_PHY = 14;
    public const int BT_MODE = 15;
    public const int BT_MODE_BASIC = 0x00;
    public const int BT_MODE_ERTM = 0x01;
    public const int BT_MODE_STREAMING = 0x02;
    public const int BT_MODE_LE_FLOWCTL = 0x03;
    public const int BT_MODE_EXT_FLOWCTL = 0x04;

    public const int L2CAP_OPTIONS = 0x01;
    public const int L2CAP_CONNINFO = 0x02;
    public const int L2CAP_LM = 0x03;
    public const int L2CAP_DEFAULT_MTU = 672;
    public const int RFCOMM_CONNINFO = 0x02;
    public const int RFCOMM_LM = 0x03;
    public const int SCO_OPTIONS = 0x01;
    public const int SCO_CONNINFO = 0x02;

    public const int HCI_DEV_NONE = 0xffff;
    public const int HCI_CHANNEL_RAW = 0;
    public const int HCI_CHANNEL_USER = 1;
    public const int HCI_CHANNEL_MONITOR = 2;
    public const int HCI_CHANNEL_CONTROL = 3;
    public const int HCI_CHANNEL_LOGGING = 4;
    public const int HCI_MAX_DEV = 16;

    public const int HCI_DATA_DIR = 1;
    public const int HCI_FILTER = 2;
    public const int HCI_TIME_STAMP = 3;
    public const int HCI_CMSG_DIR = 0x0001;
    public const int HCI_CMSG_TSTAMP = 0x0002;

    public const int HCI_COMMAND_PKT = 0x01;
    public const int HCI_ACLDATA_PKT = 0x02;
    public const int HCI_SCODATA_PKT = 0x03;
    public const int HCI_EVENT_PKT = 0x04;
    public const int HCI_VENDOR_PKT = 0xff;
    public const int HCI_MAX_EVENT_SIZE = 260;
    public const int HCI_EVENT_HDR_SIZE = 2;
    public const int HCI_COMMAND_HDR_SIZE = 3;
    public const int EVT_CMD_COMPLETE = 0x0E;
    public const int EVT_CMD_STATUS = 0x0F;

    public const int HCI_UP = 0;
    public const int HCI_INIT = 1;
    public const int HCI_RUNNING = 2;
    public const int HCI_PSCAN = 3;
    public const int HCI_ISCAN = 4;
    public const int HCI_AUTH = 5;
    public const int HCI_ENCRYPT = 6;
    public const int HCI_INQUIRY = 7;
    public const int HCI_RAW = 8;

    public const uint HCIDEVUP = 0x400448C9;
    public const uint HCIDEVDOWN = 0x400448CA;
    public const uint HCIGETDEVLIST = 0x800448D2;
    public const uint HCIGETDEVINFO = 0x800448D3;

    // struct hci_dev_list_req is a u16 count followed by a flexible hci_dev_req[], which its 4-byte
    // alignment puts at this offset; the request is built as bytes.
    public const int HCI_DEV_LIST_REQ_ENTRIES = 4;
}

/// <summary><c>bdaddr_t</c>: 6 bytes, least significant first.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct bdaddr_t
{
    public fixed byte b[6];
}

/// <summary><c>struct sockaddr_rc</c>: 10 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct sockaddr_rc
{
    public ushort rc_family;
    public bdaddr_t rc_bdaddr;
    public byte rc_channel;
}

/// <summary><c>struct sockaddr_l2</c>: 14 bytes; PSM and CID are little-endian on the wire.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct sockaddr_l2
{
    public ushort l2_family;
    public ushort l2_psm;
    public bdaddr_t l2_bdaddr;
    public ushort l2_cid;
    public byte l2_bdaddr_type;
}

/// <summary><c>struct sockaddr_sco</c>: 8 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct sockaddr_sco
{
    public ushort sco_family;
    public bdaddr_t sco_bdaddr;
}

/// <summary><c>struct sockaddr_hci</c>: 6 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct sockaddr_hci
{
    public ushort hci_family;
    public ushort hci_dev;
    public ushort hci_channel;
}

/// <summary><c>struct hci_dev_req</c>: one entry of HCIGETDEVLIST's answer.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct hci_dev_req
{
    public ushort dev_id;
    public uint dev_opt;
}

/// <summary><c>struct hci_dev_stats</c>: 40 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct hci_dev_stats
{
    public uint err_rx;
    public uint err_tx;
    public uint cmd_tx;
    public uint evt_rx;
    public uint acl_tx;
    public uint acl_rx;
    public uint sco_tx;
    public uint sco_rx;
    public uint byte_rx;
    public uint byte_tx;
}

/// <summary><c>struct hci_dev_info</c> (HCIGETDEVINFO): 92 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct hci_dev_info
{
    public ushort dev_id;
    public fixed byte name[8];
    public bdaddr_t bdaddr;
    public uint flags;
    public byte type;
    public fixed byte features[8];
    public uint pkt_type;
    public uint link_policy;
    public uint link_mode;
    public ushort acl_mtu;
    public ushort acl_pkts;
    public ushort sco_mtu;
    public ushort sco_pkts;
    public hci_dev_stats stat;
}
