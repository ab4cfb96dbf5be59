namespace Buses.Can.Interop;

/// <summary>linux/can/netlink.h: the attributes inside <c>IFLA_INFO_DATA</c> of a link of kind <c>can</c>.</summary>
internal static class CanNetlink
{
    public const ushort IFLA_CAN_BITTIMING = 1;
    public const ushort IFLA_CAN_BITTIMING_CONST = 2;
    public const ushort IFLA_CAN_CLOCK = 3;
    public const ushort IFLA_CAN_STATE = 4;
    public const ushort IFLA_CAN_CTRLMODE = 5;
    public const ushort IFLA_CAN_RESTART_MS = 6;
    public const ushort IFLA_CAN_RESTART = 7;
    public const ushort IFLA_CAN_BERR_COUNTER = 8;
    public const ushort IFLA_CAN_DATA_BITTIMING = 9;
    public const ushort IFLA_CAN_DATA_BITTIMING_CONST = 10;
    public const ushort IFLA_CAN_TERMINATION = 11;
    public const ushort IFLA_CAN_TERMINATION_CONST = 12;
    public const ushort IFLA_CAN_BITRATE_CONST = 13;
    public const ushort IFLA_CAN_DATA_BITRATE_CONST = 14;
    public const ushort IFLA_CAN_BITRATE_MAX = 15;
    public const ushort IFLA_CAN_TDC = 16;
    public const ushort IFLA_CAN_CTRLMODE_EXT = 17;

    public const int CAN_CTRLMODE_SIZE = 8;
    public const int CAN_BITTIMING_SIZE = 32;
    public const int CAN_BITTIMING_CONST_SIZE = 48;
    public const int CAN_DEVICE_STATS_SIZE = 24;
}
