using Microsoft.Win32.SafeHandles;

namespace Buses.Inet;

/// <summary>
/// A message received with <see cref="UnixSockets.ReceiveDescriptors"/>: its data length, flags and the
/// descriptors it carried, each already owned by a <see cref="SafeFileHandle"/>. Disposing the message
/// closes every descriptor not taken out with <see cref="TakeDescriptor"/> or <see cref="TakeSocket"/>.
/// </summary>
public sealed class DescriptorMessage : IDisposable
{
    private readonly SafeFileHandle?[] _descriptors;

    internal DescriptorMessage(int length, MessageFlags flags, SafeFileHandle?[] descriptors)
    {
        Length = length;
        Flags = flags;
        _descriptors = descriptors;
    }

    /// <summary>The number of data bytes received; 0 at the end of a stream.</summary>
    public int Length { get; }

    /// <summary>The kernel's message flags.</summary>
    public MessageFlags Flags { get; }

    /// <summary>
    /// The kernel had more descriptors to deliver than the control buffer held (MSG_CTRUNC); it closed
    /// the ones that did not fit. Ask for more with the <c>maxDescriptors</c> argument.
    /// </summary>
    public bool DescriptorsTruncated => (Flags & MessageFlags.ControlTruncated) != 0;

    /// <summary>The datagram was longer than the buffer and its tail was dropped (MSG_TRUNC).</summary>
    public bool DataTruncated => (Flags & MessageFlags.Truncated) != 0;

    /// <summary>How many descriptors arrived.</summary>
    public int DescriptorCount => _descriptors.Length;

    /// <summary>Takes descriptor <paramref name="index"/> out of the message; the caller then owns it.</summary>
    /// <param name="index">0 to <see cref="DescriptorCount"/> − 1.</param>
    /// <returns>The handle (close-on-exec: it arrived with MSG_CMSG_CLOEXEC).</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such descriptor.</exception>
    /// <exception cref="InvalidOperationException">It was already taken.</exception>
    public SafeFileHandle TakeDescriptor(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _descriptors.Length);
        SafeFileHandle handle = Interlocked.Exchange(ref _descriptors[index], null)
            ?? throw new InvalidOperationException($"Descriptor {index} was already taken from this message.");
        return handle;
    }

    /// <summary>Takes descriptor <paramref name="index"/> as a socket; the socket owns it.</summary>
    /// <param name="index">0 to <see cref="DescriptorCount"/> − 1.</param>
    /// <returns>The socket, with its family, type and protocol read from the kernel.</returns>
    /// <exception cref="BusException">The descriptor is not a socket (<see cref="Errno.ENOTSOCK"/>); it stays in the message.</exception>
    public BusSocket TakeSocket(int index)
    {
        SafeFileHandle file = TakeDescriptor(index);
        var handle = new BusSocketHandle((int)file.DangerousGetHandle(), ownsHandle: true);
        try
        {
            var socket = new BusSocket(handle);
            file.SetHandleAsInvalid();
            return socket;
        }
        catch
        {
            handle.SetHandleAsInvalid();
            _descriptors[index] = file;
            throw;
        }
    }

    /// <summary>Closes the descriptors nobody took.</summary>
    public void Dispose()
    {
        for (int i = 0; i < _descriptors.Length; i++)
        {
            Interlocked.Exchange(ref _descriptors[i], null)?.Dispose();
        }
    }
}
