using static Buses.Interop.Constants;

namespace Buses;

public sealed unsafe partial class BusSocket
{
    /// <summary>
    /// Receives up to <paramref name="count"/> messages in one system call (<c>recvmmsg</c>). Waits, in
    /// this socket's mode, for the first; then takes whatever else is already queued.
    /// </summary>
    /// <param name="batch">The slots to fill.</param>
    /// <param name="count">The most messages to take; by default the batch's capacity.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <returns>The number of messages received, 1 or more.</returns>
    /// <exception cref="BusTimeoutException">The timeout elapsed before the first message.</exception>
    public int ReceiveBatch(MessageBatch batch, int count = 0, MessageFlags flags = MessageFlags.None)
    {
        ArgumentNullException.ThrowIfNull(batch);
        count = count == 0 ? batch.Capacity : count;
        batch.CheckCount(count, nameof(count));
        var call = new BatchCall(batch, count, (int)flags, send: false);
        return (int)Run(ref call, POLLIN, "recvmmsg");
    }

    /// <summary>
    /// Sends the first <paramref name="count"/> slots (<c>sendmmsg</c>), as many per system call as the
    /// kernel takes, waiting for room in blocking and timeout modes; the timeout covers the whole call.
    /// </summary>
    /// <param name="batch">The slots, filled with <see cref="MessageBatch.SetData"/>.</param>
    /// <param name="count">How many slots to send.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <returns>The number sent: <paramref name="count"/>, or fewer in non-blocking mode or when the kernel refused a later message (the next call then reports that error).</returns>
    /// <exception cref="BusException">Nothing could be sent: EAGAIN in non-blocking mode, or the kernel refused the first message.</exception>
    public int SendBatch(MessageBatch batch, int count, MessageFlags flags = MessageFlags.None) => SendBatch(batch, 0, count, flags);

    /// <summary>
    /// Sends slots <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1
    /// (<c>sendmmsg</c>) like <see cref="SendBatch(MessageBatch, int, MessageFlags)"/>: a caller that got
    /// a partial count resumes from the first slot not sent, so nothing goes out twice.
    /// </summary>
    /// <param name="batch">The slots.</param>
    /// <param name="start">The first slot to send.</param>
    /// <param name="count">How many slots to send from <paramref name="start"/>.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <returns>The number sent, counted from <paramref name="start"/>.</returns>
    /// <exception cref="BusException">Nothing could be sent.</exception>
    public int SendBatch(MessageBatch batch, int start, int count, MessageFlags flags = MessageFlags.None)
    {
        Errno errno = TrySendBatch(batch, start, count, out int sent, flags);
        return errno == Errno.None || sent > 0 ? sent : throw new BusException((int)errno, "sendmmsg");
    }

    /// <summary>
    /// Sends slots <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1 like
    /// <see cref="SendBatch(MessageBatch, int, int, MessageFlags)"/>, but returns the kernel error that
    /// stopped it instead of throwing, for loops where one is flow (CAN's ENOBUFS): <paramref name="sent"/>
    /// says how many went out before it.
    /// </summary>
    /// <param name="batch">The slots.</param>
    /// <param name="start">The first slot to send.</param>
    /// <param name="count">How many slots to send from <paramref name="start"/>.</param>
    /// <param name="sent">How many were sent, counted from <paramref name="start"/>.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <returns><see cref="Errno.None"/> when all were sent, else the error that stopped the batch.</returns>
    /// <exception cref="BusTimeoutException">The timeout elapsed.</exception>
    public Errno TrySendBatch(MessageBatch batch, int start, int count, out int sent, MessageFlags flags = MessageFlags.None)
    {
        CheckSendBatch(batch, start, count);
        ThrowIfDisposed();
        sent = 0;
        long deadline = 0;
        while (sent < count)
        {
            var call = new BatchCall(batch, count - sent, (int)flags, send: true, start: start + sent);
            int errno = TryRun(ref call, POLLOUT, "sendmmsg", ref deadline, out nint n);
            if (errno != 0)
            {
                // Like sendmmsg itself: what went out is reported, so a caller that retries resends
                // nothing twice; the error is the one the next message met.
                return (Errno)errno;
            }

            sent += (int)n;
        }

        return Errno.None;
    }

    private static void CheckSendBatch(MessageBatch batch, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        batch.CheckCount(start + count, nameof(count));
    }

    internal readonly struct BatchCall(MessageBatch batch, int count, int flags, bool send, int start = 0) : ISocketCall
    {
        public nint Invoke(BusSocketHandle handle) => send
            ? Interop.Libc.sendmmsg(handle, batch.PrepareSend(start), (uint)count, flags | MSG_NOSIGNAL)
            : Interop.Libc.recvmmsg(handle, batch.PrepareReceive(count), (uint)count, flags, null);
    }
}
