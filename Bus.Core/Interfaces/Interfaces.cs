using System.Runtime.InteropServices;
using System.Text;
using static Buses.Interop.Constants;

namespace Buses;

/// <summary>Network interface names and indexes (<c>if_nametoindex</c>, <c>if_indextoname</c>, <c>if_nameindex</c>).</summary>
public static unsafe class Interfaces
{
    /// <summary>The longest interface name the kernel accepts (IFNAMSIZ − 1).</summary>
    public const int MaxNameLength = IFNAMSIZ - 1;

    /// <summary>The index of the interface named <paramref name="name"/>.</summary>
    /// <param name="name">The name, e.g. <c>vcan0</c>.</param>
    /// <returns>The index, 1 or more.</returns>
    /// <exception cref="ArgumentException">The name breaks the kernel's naming rules (see <see cref="ValidateName"/>).</exception>
    /// <exception cref="BusException"><see cref="Errno.ENODEV"/>, "no network interface named 'vcan9'", when there is none.</exception>
    public static int IndexOf(string name)
    {
        ValidateName(name, nameof(name));
        byte* buffer = stackalloc byte[IFNAMSIZ];
        int length = Encoding.UTF8.GetBytes(name, new Span<byte>(buffer, MaxNameLength));
        buffer[length] = 0;
        uint index = Interop.Libc.if_nametoindex(buffer);
        if (index == 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new BusException(errno == 0 ? (int)Errno.ENODEV : errno, "if_nametoindex", name, $"no network interface named '{name}'");
        }

        return (int)index;
    }

    /// <summary>The name of the interface with index <paramref name="index"/>.</summary>
    /// <param name="index">The index, 1 or more.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is less than 1.</exception>
    /// <exception cref="BusException"><see cref="Errno.ENXIO"/> when no interface has it.</exception>
    public static string NameOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        byte* buffer = stackalloc byte[IFNAMSIZ];
        if (Interop.Libc.if_indextoname((uint)index, buffer) is null)
        {
            throw new BusException(Marshal.GetLastPInvokeError(), "if_indextoname", null, $"no network interface with index {index}");
        }

        return Marshal.PtrToStringUTF8((nint)buffer)!;
    }

    /// <summary>Every interface of this network namespace, in the kernel's order.</summary>
    /// <returns>Index and name pairs.</returns>
    public static IReadOnlyList<(int Index, string Name)> List()
    {
        Interop.if_nameindex* list = Interop.Libc.if_nameindex();
        if (list is null)
        {
            throw new BusException(Marshal.GetLastPInvokeError(), "if_nameindex");
        }

        try
        {
            var result = new List<(int, string)>();
            for (Interop.if_nameindex* entry = list; entry->if_index != 0; entry++)
            {
                result.Add(((int)entry->if_index, Marshal.PtrToStringUTF8((nint)entry->if_name)!));
            }

            return result;
        }
        finally
        {
            Interop.Libc.if_freenameindex(list);
        }
    }

    /// <summary>
    /// Checks <paramref name="name"/> against the kernel's rules for interface names, before any system
    /// call: 1 to 15 bytes, not <c>.</c> or <c>..</c>, no <c>/</c>, <c>:</c> or white space.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="parameterName">The caller's parameter name, for the exception.</param>
    /// <exception cref="ArgumentException">The name breaks a rule; the message names it and the rule.</exception>
    public static void ValidateName(string name, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes is 0 or > MaxNameLength)
        {
            throw new ArgumentException($"Interface name '{name}' is {bytes} bytes long; it must be 1 to {MaxNameLength} bytes (IFNAMSIZ − 1).", parameterName);
        }

        if (name is "." or "..")
        {
            throw new ArgumentException($"Interface name '{name}' is not allowed: '.' and '..' are reserved.", parameterName);
        }

        foreach (char c in name)
        {
            if (c is '/' or ':' || char.IsWhiteSpace(c) || c == '\0')
            {
                throw new ArgumentException($"Interface name '{name}' contains '{(c == '\0' ? "\\0" : c.ToString())}'; names may not contain '/', ':', NUL or white space.", parameterName);
            }
        }
    }
}
