using System.Net;

namespace Buses.Inet;

/// <summary>Options of <see cref="InetSockets.Connect(string, int, ConnectOptions?)"/>: Python's <c>create_connection</c> arguments.</summary>
public sealed record ConnectOptions
{
    private readonly TimeSpan? _timeout;
    private readonly bool _timeoutSet;

    /// <summary>
    /// The timeout of each connection attempt, which the returned socket keeps. When not set, the
    /// socket's <see cref="BusSocket.DefaultTimeout"/> at the time of the call (Python's global default);
    /// <see langword="null"/> when set means blocking.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative timeout.</exception>
    public TimeSpan? Timeout
    {
        get => _timeoutSet ? _timeout : BusSocket.DefaultTimeout;
        init
        {
            if (value is { } t && t < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(value), t, "A socket timeout must be zero (non-blocking), positive, or null (blocking).");
            }

            _timeout = value;
            _timeoutSet = true;
        }
    }

    /// <summary>A local address to bind each socket to before connecting (Python's <c>source_address</c>), or <see langword="null"/>.</summary>
    public IPEndPoint? SourceAddress { get; init; }

    /// <summary>
    /// When every attempt fails: <see langword="false"/> throws the last attempt's exception,
    /// <see langword="true"/> an <see cref="AggregateException"/> of all of them (Python's <c>all_errors</c>).
    /// </summary>
    public bool AllErrors { get; init; }

    /// <summary><see cref="SocketFamily.Unspecified"/> (the default) tries IPv6 and IPv4 addresses; Inet or Inet6 restricts the lookup.</summary>
    public SocketFamily Family { get; init; }
}
