using System.Runtime.InteropServices;

namespace Buses;

/// <summary>
/// Owns a socket file descriptor. Every descriptor the library creates goes into one of these before
/// any other call that could throw, so a failing bind or option never leaks it.
/// </summary>
public sealed class BusSocketHandle : SafeHandle
{
    /// <summary>Creates an invalid handle (the form the runtime needs for marshalling).</summary>
    public BusSocketHandle()
        : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    /// <summary>Wraps <paramref name="fd"/>.</summary>
    /// <param name="fd">The descriptor.</param>
    /// <param name="ownsHandle">Whether disposing the handle closes the descriptor.</param>
    public BusSocketHandle(int fd, bool ownsHandle)
        : base(new IntPtr(-1), ownsHandle)
    {
        SetHandle(new IntPtr(fd));
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The socket's membership in the readiness engine, once it was awaited.</summary>
    internal ReadinessEngine.Registration? Registration { get; set; }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        // Also when an undisposed socket is finalized: leave the engine's table and its epoll set first,
        // or the table would grow by one entry per such socket, and a dup of the descriptor elsewhere
        // would keep the epoll registration alive.
        Registration?.Close((int)handle);
        return Interop.Libc.close((int)handle) == 0 || Marshal.GetLastPInvokeError() != (int)Errno.EBADF;
    }
}
