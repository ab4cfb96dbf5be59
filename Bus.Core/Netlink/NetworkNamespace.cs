using System.Runtime.InteropServices;

namespace Buses.Netlink;

/// <summary>
/// Runs code inside another network namespace, on a dedicated thread, so sockets can be created
/// there: a socket stays in the namespace it was created in, whichever thread uses it later.
/// </summary>
/// <remarks>
/// <c>setns(CLONE_NEWNET)</c> changes only the calling thread; the dedicated thread ends afterwards, so
/// no pooled thread is left in the other namespace. Name lookups (<see cref="Interfaces.IndexOf"/>)
/// use the calling thread's namespace: inside the action they see the other one.
/// </remarks>
public static partial class NetworkNamespace
{
    private const int CLONE_NEWNET = 0x40000000;

    /// <summary>Runs <paramref name="action"/> on a new thread that has joined the namespace at <paramref name="namespacePath"/>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="namespacePath"><c>/run/netns/NAME</c> (from <c>ip netns add</c>) or <c>/proc/PID/ns/net</c>.</param>
    /// <param name="action">The code to run.</param>
    /// <returns>What <paramref name="action"/> returned.</returns>
    /// <exception cref="BusException">setns failed (EPERM without CAP_SYS_ADMIN, EINVAL if the file is not a network namespace).</exception>
    public static T Run<T>(string namespacePath, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(namespacePath);
        ArgumentNullException.ThrowIfNull(action);
        using Microsoft.Win32.SafeHandles.SafeFileHandle ns = File.OpenHandle(namespacePath);
        T result = default!;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (setns(ns, CLONE_NEWNET) != 0)
                {
                    throw new BusException(Marshal.GetLastPInvokeError(), "setns", null, namespacePath);
                }

                result = action();
            }
#pragma warning disable CA1031 // rethrown on the calling thread below
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(SafeHandle fd, int nstype);
}
