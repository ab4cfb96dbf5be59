using System.Runtime.InteropServices;

namespace Buses;

public sealed unsafe partial class BusSocket
{
    /// <summary>Reads an integer option (<c>getsockopt</c>).</summary>
    /// <param name="level">The level, e.g. <see cref="SocketLevel.Socket"/> or a family's SOL_* value.</param>
    /// <param name="name">The option name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="BusException">The kernel refused (ENOPROTOOPT for an unknown option).</exception>
    public int GetOption(int level, int name)
    {
        int value = 0;
        GetOption(level, name, new Span<byte>(&value, sizeof(int)));
        return value;
    }

    /// <summary>Sets an integer option (<c>setsockopt</c>).</summary>
    /// <param name="level">The level.</param>
    /// <param name="name">The option name.</param>
    /// <param name="value">The value.</param>
    public void SetOption(int level, int name, int value) => SetOption(level, name, new ReadOnlySpan<byte>(&value, sizeof(int)));

    /// <summary>Reads an option into <paramref name="value"/> as bytes.</summary>
    /// <param name="level">The level.</param>
    /// <param name="name">The option name.</param>
    /// <param name="value">The buffer.</param>
    /// <returns>The number of bytes the kernel wrote.</returns>
    public int GetOption(int level, int name, Span<byte> value)
    {
        ThrowIfDisposed();
        uint length = (uint)value.Length;
        fixed (byte* p = value)
        {
            if (Interop.Libc.getsockopt(_handle, level, name, p, &length) != 0)
            {
                throw new BusException(Marshal.GetLastPInvokeError(), $"getsockopt({level}, {name})");
            }
        }

        return (int)length;
    }

    /// <summary>Sets an option from bytes.</summary>
    /// <param name="level">The level.</param>
    /// <param name="name">The option name.</param>
    /// <param name="value">The bytes; empty passes a null pointer with length 0 (how CAN_RAW_FILTER clears all filters).</param>
    public void SetOption(int level, int name, ReadOnlySpan<byte> value)
    {
        ThrowIfDisposed();
        fixed (byte* p = value)
        {
            if (Interop.Libc.setsockopt(_handle, level, name, value.IsEmpty ? null : p, (uint)value.Length) != 0)
            {
                throw new BusException(Marshal.GetLastPInvokeError(), $"setsockopt({level}, {name})");
            }
        }
    }

    /// <summary>Reads an option as a C structure.</summary>
    /// <typeparam name="T">A blittable struct with the kernel's layout.</typeparam>
    /// <param name="level">The level.</param>
    /// <param name="name">The option name.</param>
    /// <returns>The value.</returns>
    public T GetOption<T>(int level, int name) where T : unmanaged
    {
        T value = default;
        GetOption(level, name, new Span<byte>(&value, sizeof(T)));
        return value;
    }

    /// <summary>Sets an option from a C structure.</summary>
    /// <typeparam name="T">A blittable struct with the kernel's layout.</typeparam>
    /// <param name="level">The level.</param>
    /// <param name="name">The option name.</param>
    /// <param name="value">The value.</param>
    public void SetOption<T>(int level, int name, in T value) where T : unmanaged
    {
        fixed (T* p = &value)
        {
            SetOption(level, name, new ReadOnlySpan<byte>(p, sizeof(T)));
        }
    }

    /// <summary>Issues an <c>ioctl</c> whose argument is a structure the kernel reads or fills.</summary>
    /// <typeparam name="T">A blittable struct with the kernel's layout.</typeparam>
    /// <param name="request">The request number (SIOCGIFINDEX, SIOCINQ, …).</param>
    /// <param name="argument">The structure.</param>
    /// <returns>The ioctl's non-negative result.</returns>
    /// <exception cref="BusException">The kernel refused (ENOTTY for a request the socket does not know).</exception>
    public int IoControl<T>(uint request, ref T argument) where T : unmanaged
    {
        ThrowIfDisposed();
        fixed (T* p = &argument)
        {
            int rc = Interop.Libc.ioctl(_handle, request, p);
            if (rc < 0)
            {
                throw new BusException(Marshal.GetLastPInvokeError(), $"ioctl(0x{request:x})");
            }

            return rc;
        }
    }

    /// <summary>Issues an <c>ioctl</c> with a buffer argument.</summary>
    /// <param name="request">The request number.</param>
    /// <param name="argument">The buffer the kernel reads or fills.</param>
    /// <returns>The ioctl's non-negative result.</returns>
    public int IoControl(uint request, Span<byte> argument)
    {
        ThrowIfDisposed();
        fixed (byte* p = argument)
        {
            int rc = Interop.Libc.ioctl(_handle, request, p);
            if (rc < 0)
            {
                throw new BusException(Marshal.GetLastPInvokeError(), $"ioctl(0x{request:x})");
            }

            return rc;
        }
    }

    /// <summary>The receive buffer size (SO_RCVBUF). The kernel doubles what is set and reports the doubled value.</summary>
    public int ReceiveBufferSize
    {
        get => GetOption(SocketLevel.Socket, SocketOption.ReceiveBuffer);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            SetOption(SocketLevel.Socket, SocketOption.ReceiveBuffer, value);
        }
    }

    /// <summary>The send buffer size (SO_SNDBUF). The kernel doubles what is set and reports the doubled value.</summary>
    public int SendBufferSize
    {
        get => GetOption(SocketLevel.Socket, SocketOption.SendBuffer);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            SetOption(SocketLevel.Socket, SocketOption.SendBuffer, value);
        }
    }
}
