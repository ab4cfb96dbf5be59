using System.Runtime.InteropServices;

namespace Buses;

/// <summary>
/// A failed system call on a bus socket. Keeps what <see cref="System.Net.Sockets.SocketException"/>
/// loses: the raw errno, its symbolic name, the kernel's text, the operation and, where there is one,
/// the address involved.
/// </summary>
/// <remarks>
/// The message reads like <c>bind(can:vcan9): ENODEV (19): No such device</c>, so a log line says
/// which call failed, on what, and why, without a debugger.
/// </remarks>
public class BusException : IOException
{
    /// <summary>Creates an exception for <paramref name="errno"/> raised by <paramref name="operation"/>.</summary>
    /// <param name="errno">The kernel's error number.</param>
    /// <param name="operation">The system call or library operation that failed, e.g. <c>bind</c>.</param>
    /// <param name="address">The address involved, in its canonical text form, if any.</param>
    /// <param name="detail">Extra text the kernel gave (a netlink extended ACK message), if any.</param>
    public BusException(int errno, string operation, string? address = null, string? detail = null)
        : base(FormatMessage(errno, operation, address, detail))
    {
        ErrorNumber = errno;
        Operation = operation;
        Address = address;
        Detail = detail;
        HResult = errno;
    }

    /// <summary>Creates an exception with a message of the caller's choosing (used for timeouts).</summary>
    /// <param name="message">The full message.</param>
    /// <param name="errno">The kernel's error number.</param>
    /// <param name="operation">The operation that failed.</param>
    /// <param name="address">The address involved, if any.</param>
    protected BusException(string message, int errno, string operation, string? address)
        : base(message)
    {
        ErrorNumber = errno;
        Operation = operation;
        Address = address;
        HResult = errno;
    }

    /// <summary>The raw errno, exactly as the kernel returned it.</summary>
    public int ErrorNumber { get; }

    /// <summary>The errno as an enum; its name is the symbolic name (<c>ENOBUFS</c>).</summary>
    public Errno Errno => (Errno)ErrorNumber;

    /// <summary>The symbolic name, e.g. <c>EAFNOSUPPORT</c>, or <c>E&lt;number&gt;</c> for a number this build does not know.</summary>
    public string ErrorName => ErrnoName(ErrorNumber);

    /// <summary>The kernel's description of the errno (strerror).</summary>
    public string KernelMessage => Marshal.GetPInvokeErrorMessage(ErrorNumber);

    /// <summary>The operation that failed: a system call name such as <c>connect</c>, or a library operation.</summary>
    public string Operation { get; }

    /// <summary>The canonical text of the address involved, or <see langword="null"/>.</summary>
    public string? Address { get; }

    /// <summary>Extra text from the kernel, such as a netlink extended-ACK message, or <see langword="null"/>.</summary>
    public string? Detail { get; }

    /// <summary>The symbolic name of an errno, or <c>E&lt;number&gt;</c> when unknown.</summary>
    /// <param name="errno">The errno.</param>
    public static string ErrnoName(int errno) =>
        Enum.IsDefined((Errno)errno) ? ((Errno)errno).ToString() : "E" + errno.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string FormatMessage(int errno, string operation, string? address, string? detail)
    {
        string where = address is null ? operation : $"{operation}({address})";
        string text = $"{where}: {ErrnoName(errno)} ({errno}): {Marshal.GetPInvokeErrorMessage(errno)}";
        return detail is null ? text : $"{text}: {detail}";
    }
}

/// <summary>
/// A blocking operation did not complete within the socket's timeout. Distinct from other errors, as
/// Python's <c>socket.timeout</c> is: callers retry on it, not on <see cref="BusException"/> in general.
/// </summary>
public sealed class BusTimeoutException : BusException
{
    /// <summary>Creates a timeout for <paramref name="operation"/> after <paramref name="timeout"/>.</summary>
    /// <param name="operation">The operation that timed out.</param>
    /// <param name="timeout">The timeout that elapsed.</param>
    /// <param name="address">The address involved, if any.</param>
    public BusTimeoutException(string operation, TimeSpan timeout, string? address = null)
        : base($"{(address is null ? operation : $"{operation}({address})")}: timed out after {timeout.TotalMilliseconds:0.###} ms",
               (int)Errno.ETIMEDOUT, operation, address)
    {
        Timeout = timeout;
    }

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }
}
