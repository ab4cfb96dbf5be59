using System.Runtime.InteropServices;

namespace Buses;

public sealed unsafe partial class BusSocket
{
    /// <summary>Reads a boolean option.</summary>
    /// <param name="option">The option, e.g. <see cref="SocketOption.ReuseAddress"/>.</param>
    /// <returns>Whether it is on.</returns>
    /// <exception cref="BusException">The kernel refused; the message names the option.</exception>
    public bool Get(BoolOption option) => GetInt(option.Level, option.Name, option.CName) != 0;

    /// <summary>Sets a boolean option.</summary>
    /// <param name="option">The option.</param>
    /// <param name="value">On or off.</param>
    /// <exception cref="BusException">The kernel refused; the message names the option.</exception>
    public void Set(BoolOption option, bool value) => SetInt(option.Level, option.Name, option.CName, value ? 1 : 0);

    /// <summary>Reads an integer option.</summary>
    /// <param name="option">The option, e.g. <see cref="SocketOption.Priority"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="BusException">The kernel refused; the message names the option.</exception>
    public int Get(IntOption option) => GetInt(option.Level, option.Name, option.CName);

    /// <summary>Sets an integer option, checking its range before the system call.</summary>
    /// <param name="option">The option.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the option's range.</exception>
    /// <exception cref="BusException">The kernel refused; the message names the option.</exception>
    public void Set(IntOption option, int value)
    {
        option.Validate(value);
        SetInt(option.Level, option.Name, option.CName, value);
    }

    /// <summary>Reads a structure option.</summary>
    /// <typeparam name="T">The option's C structure.</typeparam>
    /// <param name="option">The option, e.g. <see cref="SocketOption.Linger"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="BusException">The kernel refused; the message names the option.</exception>
    public T Get<T>(StructOption<T> option) where T : unmanaged
    {
        T value = default;
        GetBytes(option.Level, option.Name, option.CName, new Span<byte>(&value, sizeof(T)));
        return value;
    }

    /// <summary>Sets a structure option.</summary>
    /// <typeparam name="T">The option's C structure.</typeparam>
    /// <param name="option">The option.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="BusException">The kernel refused; the message names the option.</exception>
    public void Set<T>(StructOption<T> option, in T value) where T : unmanaged
    {
        fixed (T* p = &value)
        {
            SetBytes(option.Level, option.Name, option.CName, new ReadOnlySpan<byte>(p, sizeof(T)));
        }
    }

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
    public int GetOption(int level, int name, Span<byte> value) => GetBytes(level, name, null, value);

    /// <summary>Sets an option from bytes.</summary>
    /// <param name="level">The level.</param>
    /// <param name="name">The option name.</param>
    /// <param name="value">The bytes; empty passes a null pointer with length 0 (how CAN_RAW_FILTER clears all filters).</param>
    public void SetOption(int level, int name, ReadOnlySpan<byte> value) => SetBytes(level, name, null, value);

    private int GetInt(int level, int name, string cName)
    {
        int value = 0;
        GetBytes(level, name, cName, new Span<byte>(&value, sizeof(int)));
        return value;
    }

    private void SetInt(int level, int name, string cName, int value) => SetBytes(level, name, cName, new ReadOnlySpan<byte>(&value, sizeof(int)));

    private int GetBytes(int level, int name, string? cName, Span<byte> value)
    {
        ThrowIfDisposed();
        uint length = (uint)value.Length;
        fixed (byte* p = value)
        {
            if (Interop.Libc.getsockopt(_handle, level, name, p, &length) != 0)
            {
                throw new BusException(Marshal.GetLastPInvokeError(), $"getsockopt({cName ?? $"{level}, {name}"})");
            }
        }

        return (int)length;
    }

    private void SetBytes(int level, int name, string? cName, ReadOnlySpan<byte> value)
    {
        ThrowIfDisposed();
        fixed (byte* p = value)
        {
            // Only -1 is failure: CAN_J1939 answers SO_J1939_PROMISC and SO_J1939_ERRQUEUE with the value set
            // (1 when switching on), which the syscall passes through as a positive result with errno untouched.
            if (Interop.Libc.setsockopt(_handle, level, name, value.IsEmpty ? null : p, (uint)value.Length) < 0)
            {
                throw new BusException(Marshal.GetLastPInvokeError(), $"setsockopt({cName ?? $"{level}, {name}"})");
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
    public int IOControl<T>(uint request, ref T argument) where T : unmanaged
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

    /// <summary>Issues an <c>ioctl</c> whose argument is a number passed by value, not a pointer (HCIDEVUP's device index, …).</summary>
    /// <param name="request">The request number.</param>
    /// <param name="value">The argument itself.</param>
    /// <returns>The ioctl's non-negative result.</returns>
    /// <exception cref="BusException">The kernel refused.</exception>
    public int IOControl(uint request, nint value)
    {
        ThrowIfDisposed();
        int rc = Interop.Libc.ioctl(_handle, request, (void*)value);
        if (rc < 0)
        {
            throw new BusException(Marshal.GetLastPInvokeError(), $"ioctl(0x{request:x})");
        }

        return rc;
    }

    /// <summary>Issues an <c>ioctl</c> with a buffer argument.</summary>
    /// <param name="request">The request number.</param>
    /// <param name="argument">The buffer the kernel reads or fills.</param>
    /// <returns>The ioctl's non-negative result.</returns>
    public int IOControl(uint request, Span<byte> argument)
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
        get => Get(SocketOption.ReceiveBuffer);
        set => Set(SocketOption.ReceiveBuffer, value);
    }

    /// <summary>The send buffer size (SO_SNDBUF). The kernel doubles what is set and reports the doubled value.</summary>
    public int SendBufferSize
    {
        get => Get(SocketOption.SendBuffer);
        set => Set(SocketOption.SendBuffer, value);
    }
}
