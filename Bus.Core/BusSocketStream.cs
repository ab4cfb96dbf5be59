namespace Buses;

/// <summary>
/// A <see cref="Stream"/> over a connected stream socket of any family (Python's <c>socket.makefile</c>,
/// .NET's <c>NetworkStream</c>): for <c>StreamReader</c>, <c>SslStream</c>, pipelines and anything
/// else that reads and writes streams.
/// </summary>
/// <remarks>
/// <para>Reads and writes follow the socket's mode: <see cref="BusSocket.Timeout"/> bounds each blocking
/// call (it is also <see cref="ReadTimeout"/> and <see cref="WriteTimeout"/>, in milliseconds, −1 for
/// none) and a timeout throws <see cref="BusTimeoutException"/>; async calls honour their
/// <see cref="CancellationToken"/>. A write sends everything (<see cref="BusSocket.SendAll"/>); a read
/// returns what one receive gives, and 0 at the end of the stream.</para>
/// <para>Disposing the stream closes the socket only when it was created with <c>ownsSocket: true</c>;
/// otherwise the socket stays open and usable, which is what Python's <c>makefile</c> does while the
/// socket object lives. Disposing the socket ends the stream: calls then throw
/// <see cref="ObjectDisposedException"/>.</para>
/// </remarks>
public sealed class BusSocketStream : Stream
{
    private readonly bool _ownsSocket;
    private int _disposed;

    /// <summary>Wraps <paramref name="socket"/>.</summary>
    /// <param name="socket">A connected <see cref="System.Net.Sockets.SocketType.Stream"/> socket.</param>
    /// <param name="ownsSocket">Whether disposing the stream disposes the socket.</param>
    /// <exception cref="ArgumentException">The socket is not a stream socket.</exception>
    public BusSocketStream(BusSocket socket, bool ownsSocket = false)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.Type != System.Net.Sockets.SocketType.Stream)
        {
            throw new ArgumentException($"A stream needs a Stream socket; this one is {socket.Type}, whose message boundaries a stream would lose.", nameof(socket));
        }

        Socket = socket;
        _ownsSocket = ownsSocket;
    }

    /// <summary>The socket.</summary>
    public BusSocket Socket { get; }

    /// <inheritdoc/>
    public override bool CanRead => Volatile.Read(ref _disposed) == 0;

    /// <inheritdoc/>
    public override bool CanWrite => Volatile.Read(ref _disposed) == 0;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanTimeout => true;

    /// <summary>The socket's timeout in milliseconds, −1 for none (blocking); setting it sets <see cref="BusSocket.Timeout"/>.</summary>
    public override int ReadTimeout
    {
        get => Socket.Timeout is { } t ? (int)Math.Min(int.MaxValue, t.TotalMilliseconds) : Timeout.Infinite;
        set => Socket.Timeout = ToTimeout(value);
    }

    /// <summary>The same as <see cref="ReadTimeout"/>: a socket has one timeout for both directions.</summary>
    public override int WriteTimeout
    {
        get => ReadTimeout;
        set => ReadTimeout = value;
    }

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException("A socket stream has no length.");

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException("A socket stream has no position.");
        set => throw new NotSupportedException("A socket stream has no position.");
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        ThrowIfDisposed();
        return buffer.IsEmpty ? 0 : Socket.Receive(buffer);
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc/>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return buffer.IsEmpty ? ValueTask.FromResult(0) : Socket.ReceiveAsync(buffer, MessageFlags.None, cancellationToken);
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfDisposed();
        Socket.SendAll(buffer);
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return Socket.SendAllAsync(buffer, MessageFlags.None, cancellationToken);
    }

    /// <summary>Does nothing: every write has reached the kernel when it returns.</summary>
    public override void Flush()
    {
    }

    /// <summary>Does nothing: every write has reached the kernel when it returns.</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A socket stream cannot seek.");

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException("A socket stream has no length.");

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && disposing && _ownsSocket)
        {
            Socket.Dispose();
        }

        base.Dispose(disposing);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static TimeSpan? ToTimeout(int milliseconds) => milliseconds switch
    {
        Timeout.Infinite => null,
        < 0 => throw new ArgumentOutOfRangeException(nameof(milliseconds), milliseconds, "A stream timeout is −1 (none) or 0 or more milliseconds."),
        _ => TimeSpan.FromMilliseconds(milliseconds),
    };
}
