using System.Runtime.CompilerServices;
using Buses.Bluetooth;
using Buses.HilTests.Bed;
using Xunit;
using Testbed = Buses.HilTests.Bed.Bed;

namespace Buses.HilTests.Bluetooth;

// Every Bluetooth resource type, left undisposed, is finalized and its descriptor closed.
public sealed class BluetoothResourceTests
{
    private const int Rounds = 20;

    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    private static void Settle()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OpenAndDrop(int index)
    {
        _ = new RfcommSocket();
        _ = new L2capSocket();
        _ = new L2capSocket(System.Net.Sockets.SocketType.Stream);
        _ = new HciSocket(index).Filter;
        _ = new BluetoothManagement();
        _ = HciDevices.List();
    }

    [Fact]
    public void Undisposed_bluetooth_sockets_are_finalized_and_their_descriptors_closed()
    {
        Testbed.Require(Capability.Bluetooth);
        OpenAndDrop(0);
        Settle();
        int before = OpenDescriptors();
        for (int i = 0; i < Rounds; i++)
        {
            OpenAndDrop(0);
        }

        Settle();
        Assert.Equal(before, OpenDescriptors());
    }
}
