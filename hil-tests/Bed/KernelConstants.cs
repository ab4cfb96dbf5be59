namespace Buses.HilTests.Bed;

/// <summary>The Linux UAPI numbers the bed's probes and self-checks use (linux/can.h, bluetooth.h, …).</summary>
internal static class KernelConstants
{
    public const int CanRaw = 1;
    public const int CanBcm = 2;
    public const int CanIsoTp = 6;
    public const int CanJ1939 = 7;
    public const int SolCanRaw = 101;
    public const int CanRawFdFrames = 5;
    public const int CanRawXlFrames = 7;
    public const ushort ArphrdCan = 280;

    public const int BtProtoL2cap = 0;
    public const int BtProtoHci = 1;
    public const int SolHci = 0;
    public const int HciFilter = 2;
}
