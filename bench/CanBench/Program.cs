using System.Diagnostics;
using System.Globalization;
using Buses;
using Buses.Can;

// usage: CanBench recv-batch|recv-single|send-batch|send-single IFACE FRAMES RCVBUF
// Prints "ready" once the socket is set up, runs when a line arrives on stdin, then prints
// "frames=N seconds=S alloc_per_frame=B … loop_start_ns=T0 loop_end_ns=T1" (allocation measured
// from after the first call, so one-time set-up is not counted against the steady state; T0 and
// T1 on the wall clock bench/run reads, so it can tell the loop from getting into it and out of
// the process).
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: CanBench recv-batch|recv-single|send-batch|send-single IFACE FRAMES RCVBUF");
    return 2;
}

string mode = args[0];
string iface = args[1];
long frames = long.Parse(args[2], CultureInfo.InvariantCulture);
int rcvbuf = int.Parse(args[3], CultureInfo.InvariantCulture);
const int BatchSize = 64;

using var socket = new CanRawSocket(iface);
if (mode.StartsWith("recv", StringComparison.Ordinal))
{
    socket.ReceiveBufferSize = rcvbuf;
    socket.FdFrames = true; // as candump does, so both read 72-byte-capable sockets
    socket.Timeout = TimeSpan.FromSeconds(20);
}
else
{
    socket.SetFilters([]);
    socket.Loopback = false; // as cangen -x: only the sending path is measured
}

using var message = new CanMessageHolder();
using var batch = new CanMessageBatch(BatchSize, CanFrameKind.Fd);
using var sendBatch = new CanMessageBatch(BatchSize, CanFrameKind.Classic);
Span<byte> payload = stackalloc byte[8];
var id = CanId.Standard(0x123);

// Under emulation the JIT costs seconds: run every timed path once on warm-up frames first, so the
// timed loop measures receiving and sending, not compiling. The warm-up frames come from a second
// socket of this process and are all read back before "ready"; the load is started after it.
const int WarmUp = 256;
if (mode.StartsWith("recv", StringComparison.Ordinal))
{
    using var warmSender = new CanRawSocket(iface);
    warmSender.SetFilters([]);
    for (int i = 0; i < WarmUp; i++)
    {
        warmSender.Send(new CanFrame(CanId.Standard(0x7FF), payload));
    }

    for (int got = 0; got < WarmUp;)
    {
        if (mode == "recv-batch")
        {
            got += socket.ReceiveBatch(batch);
            _ = batch.Classic(0).Id;
        }
        else
        {
            socket.Receive(message.Message);
            _ = message.Message.Classic.Id;
            got++;
        }
    }
}
else
{
    for (int i = 0; i < WarmUp; i += BatchSize)
    {
        sendBatch.Set(0, new CanFrame(id, payload));
        socket.Send(new CanFrame(id, payload));
        socket.SendBatch(sendBatch, 1);
    }
}

// Formatting the result line JIT-compiles number formatting, which under emulation takes a
// sizeable fraction of a second; do it now so the timed span from release to exit excludes it.
_ = ResultLine(0, 0, 0, 0, 0, WallNanoseconds(), 0);
Console.WriteLine("ready");
Console.Out.Flush();
Console.In.ReadLine();

long done = 0;
long allocStart = 0;
long allocFrom = 0;
ulong checksum = 0;
long loopStart = WallNanoseconds();
var clock = Stopwatch.StartNew();
try
{
    switch (mode)
    {
        case "recv-batch":
            while (done < frames)
            {
                int n = socket.ReceiveBatch(batch);
                for (int i = 0; i < n; i++)
                {
                    checksum += batch.Classic(i).Id.Raw;
                }

                done += n;
                MarkWarm();
            }

            break;
        case "recv-single":
            while (done < frames)
            {
                socket.Receive(message.Message);
                checksum += message.Message.Classic.Id.Raw;
                done++;
                MarkWarm();
            }

            break;
        case "send-single":
            while (done < frames)
            {
                BitConverter.TryWriteBytes(payload, (ulong)done);
                socket.Send(new CanFrame(id, payload));
                done++;
                MarkWarm();
            }

            break;
        case "send-batch":
            while (done < frames)
            {
                int n = (int)Math.Min(BatchSize, frames - done);
                for (int i = 0; i < n; i++)
                {
                    BitConverter.TryWriteBytes(payload, (ulong)(done + i));
                    sendBatch.Set(i, new CanFrame(id, payload));
                }

                int sent = socket.SendBatch(sendBatch, n);
                done += sent;
                MarkWarm();
            }

            break;
        default:
            Console.Error.WriteLine($"unknown mode '{mode}'");
            return 2;
    }
}
catch (BusException e)
{
    Console.Error.WriteLine($"{mode}: after {done} of {frames} frames ({socket.DroppedFrames} dropped by the kernel): {e.Message}");
    return 1;
}

double seconds = clock.Elapsed.TotalSeconds;
long loopEnd = WallNanoseconds();

// Allocation is counted from the end of the first call on: set-up and JIT are not steady state.
void MarkWarm()
{
    if (allocStart == 0)
    {
        allocStart = GC.GetAllocatedBytesForCurrentThread();
        allocFrom = done;
    }
}
long allocated = GC.GetAllocatedBytesForCurrentThread() - allocStart;
double perFrame = done > allocFrom ? allocated / (double)(done - allocFrom) : 0;
// Inside the process: from the release line to the last frame, without runtime start-up or exit.
Console.WriteLine(ResultLine(done, seconds, perFrame, socket.DroppedFrames, checksum, loopStart, loopEnd));
Console.Out.Flush();
// bench/run times every contender from its release to its exit. A C tool exits in a millisecond;
// the .NET runtime's orderly shutdown takes over half a second under emulation and is not the
// path being measured, so leave the way the C tools do: straight through exit_group.
Native.Exit(0);
return 0;

static string ResultLine(long done, double seconds, double perFrame, uint drops, ulong checksum, long loopStart, long loopEnd) =>
    string.Create(CultureInfo.InvariantCulture,
        $"frames={done} seconds={seconds:0.000000} alloc_per_frame={perFrame:0.###} drops={drops} checksum={checksum} loop_start_ns={loopStart} loop_end_ns={loopEnd}");

// CLOCK_REALTIME in nanoseconds, the clock bench/run reads through bash's $EPOCHREALTIME.
static long WallNanoseconds() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

internal static partial class Native
{
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "_exit")]
    internal static partial void Exit(int status);
}

/// <summary>Owns the one reusable receive message (CanMessage is not disposable; this keeps the using shape uniform).</summary>
internal sealed class CanMessageHolder : IDisposable
{
    public CanMessage Message { get; } = new();

    public void Dispose()
    {
    }
}
