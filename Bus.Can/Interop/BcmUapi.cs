#pragma warning disable CS8981 // C names from linux/can/bcm.h are kept on purpose (grep-able against the header).

using System.Runtime.InteropServices;

namespace Buses.Can.Interop;

/// <summary>Constants of linux/can/bcm.h, with their C names.</summary>
internal static class BcmUapi
{
    public const uint TX_SETUP = 1;
    public const uint TX_DELETE = 2;
    public const uint TX_READ = 3;
    public const uint TX_SEND = 4;
    public const uint RX_SETUP = 5;
    public const uint RX_DELETE = 6;
    public const uint RX_READ = 7;
    public const uint TX_STATUS = 8;
    public const uint TX_EXPIRED = 9;
    public const uint RX_STATUS = 10;
    public const uint RX_TIMEOUT = 11;
    public const uint RX_CHANGED = 12;

    public const uint SETTIMER = 0x0001;
    public const uint STARTTIMER = 0x0002;
    public const uint TX_COUNTEVT = 0x0004;
    public const uint TX_ANNOUNCE = 0x0008;
    public const uint TX_CP_CAN_ID = 0x0010;
    public const uint RX_FILTER_ID = 0x0020;
    public const uint RX_CHECK_DLC = 0x0040;
    public const uint RX_NO_AUTOTIMER = 0x0080;
    public const uint RX_ANNOUNCE_RESUME = 0x0100;
    public const uint TX_RESET_MULTI_IDX = 0x0200;
    public const uint RX_RTR_FRAME = 0x0400;
    public const uint CAN_FD_FRAME = 0x0800;

    // net/can/bcm.c: MAX_NFRAMES; RX_SETUP takes one more (frame 0 is the multiplex mask).
    public const int MAX_NFRAMES = 256;

    // net/can/bcm.c: BCM_TIMER_SEC_MAX, the kernel's EINVAL bound on either interval (400 days).
    public const long BCM_TIMER_SEC_MAX = 400L * 24 * 60 * 60;
}

/// <summary><c>struct bcm_timeval</c>: two C <c>long</c>s, 16 bytes on 64-bit targets and 8 on armhf.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct bcm_timeval
{
    public nint tv_sec;
    public nint tv_usec;
}
