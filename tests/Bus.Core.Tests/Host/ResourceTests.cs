using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Xunit;

namespace Buses.Tests.Host;

// Nothing static holds a socket: an undisposed socket is collected, its handle finalized, its
// descriptor closed and its readiness registration gone, whether it was only used synchronously or
// awaited. Runs alone, since other tests opening descriptors at the same time would move the count.
[Collection(nameof(DescriptorCountCollection))]
public sealed class ResourceTests
{
    private const int Sockets = 200;

    public static TheoryData<bool> Modes => new() { false, true };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Undisposed_sockets_are_finalized_and_their_descriptors_closed(bool awaited)
    {
        // Warm up what the library opens once per process (the readiness engine's epoll and thread).
        await UseAndDrop(awaited: true);
        Settle();
        int descriptors = OpenDescriptors();
        int registrations = ReadinessEngine.Instance.RegistrationCount;

        for (int i = 0; i < Sockets; i++)
        {
            await UseAndDrop(awaited);
        }

        Settle();
        Assert.Equal(descriptors, OpenDescriptors());
        Assert.Equal(registrations, ReadinessEngine.Instance.RegistrationCount);
    }

    [Fact]
    public async Task Disposed_sockets_leave_no_descriptor_and_no_registration()
    {
        await UseAndDrop(awaited: true);
        Settle();
        int descriptors = OpenDescriptors();
        int registrations = ReadinessEngine.Instance.RegistrationCount;
        for (int i = 0; i < Sockets; i++)
        {
            (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Dgram);
            using (a)
            using (b)
            {
                a.Send([1]);
                await b.ReceiveAsync(new byte[1], cancellationToken: TestContext.Current.CancellationToken);
            }
        }

        Assert.Equal(descriptors, OpenDescriptors());
        Assert.Equal(registrations, ReadinessEngine.Instance.RegistrationCount);
    }

    // Not inlined, so no local of the caller's frame keeps the pair reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task UseAndDrop(bool awaited)
    {
        (BusSocket a, BusSocket b) = BusSocket.CreatePair(SocketFamily.Unix, SocketType.Dgram);
        a.Send([1, 2, 3]);
        byte[] buffer = new byte[3];
        if (awaited)
        {
            Assert.Equal(3, await b.ReceiveAsync(buffer, cancellationToken: TestContext.Current.CancellationToken));
        }
        else
        {
            Assert.Equal(3, b.Receive(buffer));
            b.WaitWritable();
        }
    }

    private static void Settle()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;
}

[CollectionDefinition(nameof(DescriptorCountCollection), DisableParallelization = true)]
public sealed class DescriptorCountCollection;
