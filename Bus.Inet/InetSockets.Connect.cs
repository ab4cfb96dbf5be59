using Buses.Inet.Interop;
using System.Net;
using System.Net.Sockets;

namespace Buses.Inet;

public static partial class InetSockets
{
    /// <summary>
    /// Connects a TCP socket to <paramref name="host"/>: resolves it, then tries each address in the
    /// resolver's order until one connects (Python's <c>create_connection</c>).
    /// </summary>
    /// <param name="host">A host name or numeric address.</param>
    /// <param name="port">0 to 65535.</param>
    /// <param name="options">Timeout, source address, family and error reporting; <see langword="null"/> for the defaults.</param>
    /// <returns>The connected socket, in the mode <see cref="ConnectOptions.Timeout"/> says.</returns>
    /// <exception cref="ArgumentException">A bad port, family or source address, before any lookup or syscall.</exception>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    /// <exception cref="BusException">The last attempt's error (<see cref="BusTimeoutException"/> when it timed out).</exception>
    /// <exception cref="AggregateException">Every attempt failed and <see cref="ConnectOptions.AllErrors"/> is set: one inner exception per attempt.</exception>
    public static BusSocket Connect(string host, int port, ConnectOptions? options = null)
    {
        options ??= s_defaultConnectOptions;
        CheckSource(options);
        return Connect(Resolve(host, port, options.Family), options, host);
    }

    /// <summary>Connects a TCP socket to the first of <paramref name="endPoints"/> that accepts, trying them in order.</summary>
    /// <param name="endPoints">IPv4 and IPv6 end points, e.g. from <see cref="Resolve"/>.</param>
    /// <param name="options">Timeout, source address and error reporting (<see cref="ConnectOptions.Family"/> is not used); <see langword="null"/> for the defaults.</param>
    /// <returns>The connected socket, in the mode <see cref="ConnectOptions.Timeout"/> says.</returns>
    /// <exception cref="ArgumentException">No end points, one that is not IPv4 or IPv6, or a bad source address — before any syscall.</exception>
    /// <exception cref="BusException">The last attempt's error (<see cref="BusTimeoutException"/> when it timed out).</exception>
    /// <exception cref="AggregateException">Every attempt failed and <see cref="ConnectOptions.AllErrors"/> is set.</exception>
    public static BusSocket Connect(IReadOnlyList<IPEndPoint> endPoints, ConnectOptions? options = null)
    {
        options ??= s_defaultConnectOptions;
        CheckSource(options);
        CheckEndPoints(endPoints);
        return Connect(endPoints, options, string.Join(", ", endPoints));
    }

    private static BusSocket Connect(IReadOnlyList<IPEndPoint> targets, ConnectOptions options, string host)
    {
        var errors = new List<Exception>();
        foreach (IPEndPoint target in targets)
        {
            BusSocket? socket = null;
            try
            {
                socket = OpenFor(target, options);
                socket.Timeout = options.Timeout;
                ConnectOne(socket, target);
                return socket;
            }
            catch (BusException e)
            {
                socket?.Dispose();
                errors.Add(e);
            }
        }

        throw ConnectFailure(host, errors, options);
    }

    /// <summary>Connects a TCP socket to <paramref name="host"/> asynchronously, trying each resolved address in turn.</summary>
    /// <param name="host">A host name or numeric address.</param>
    /// <param name="port">0 to 65535.</param>
    /// <param name="options">Timeout (per attempt), source address, family and error reporting; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the lookup and the attempts.</param>
    /// <returns>The connected socket, in the mode <see cref="ConnectOptions.Timeout"/> says.</returns>
    /// <exception cref="ArgumentException">A bad port, family or source address, before any lookup or syscall.</exception>
    /// <exception cref="BusException">The last attempt's error (<see cref="BusTimeoutException"/> when it timed out).</exception>
    /// <exception cref="AggregateException">Every attempt failed and <see cref="ConnectOptions.AllErrors"/> is set.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async ValueTask<BusSocket> ConnectAsync(string host, int port, ConnectOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= s_defaultConnectOptions;
        CheckSource(options);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<IPEndPoint> targets = await ResolveAsync(host, port, options.Family, cancellationToken).ConfigureAwait(false);
        return await ConnectAsync(targets, options, host, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Connects a TCP socket asynchronously to the first of <paramref name="endPoints"/> that accepts, trying them in order.</summary>
    /// <param name="endPoints">IPv4 and IPv6 end points.</param>
    /// <param name="options">Timeout (per attempt), source address and error reporting; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the attempts.</param>
    /// <returns>The connected socket, in the mode <see cref="ConnectOptions.Timeout"/> says.</returns>
    /// <exception cref="ArgumentException">No end points, one that is not IPv4 or IPv6, or a bad source address — before any syscall.</exception>
    /// <exception cref="BusException">The last attempt's error (<see cref="BusTimeoutException"/> when it timed out).</exception>
    /// <exception cref="AggregateException">Every attempt failed and <see cref="ConnectOptions.AllErrors"/> is set.</exception>
    public static ValueTask<BusSocket> ConnectAsync(IReadOnlyList<IPEndPoint> endPoints, ConnectOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= s_defaultConnectOptions;
        CheckSource(options);
        CheckEndPoints(endPoints);
        return ConnectAsync(endPoints, options, string.Join(", ", endPoints), cancellationToken);
    }

    private static async ValueTask<BusSocket> ConnectAsync(IReadOnlyList<IPEndPoint> targets, ConnectOptions options, string host, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var errors = new List<Exception>();
        foreach (IPEndPoint target in targets)
        {
            BusSocket? socket = null;
            try
            {
                socket = OpenFor(target, options);
                await ConnectOneAsync(socket, target, options.Timeout, cancellationToken).ConfigureAwait(false);
                socket.Timeout = options.Timeout;
                return socket;
            }
            catch (BusException e)
            {
                socket?.Dispose();
                errors.Add(e);
            }
            catch
            {
                socket?.Dispose();
                throw;
            }
        }

        throw ConnectFailure(host, errors, options);
    }

    private static readonly ConnectOptions s_defaultConnectOptions = new();

    private static async ValueTask ConnectOneAsync(BusSocket socket, IPEndPoint target, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        // Async operations ignore the socket's timeout, so the per-attempt timeout Python applies
        // becomes a cancellation here and is reported as the timeout it is.
        using var timeoutSource = timeout is { } t && t > TimeSpan.Zero ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        timeoutSource?.CancelAfter(timeout!.Value);
        CancellationToken token = timeoutSource?.Token ?? cancellationToken;
        try
        {
            if (target.AddressFamily == AddressFamily.InterNetwork)
            {
                await socket.ConnectAsync(InetAddress.FromIPEndPoint(target), token).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(Inet6Address.FromIPEndPoint(target), token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeoutSource is not null)
        {
            throw new BusTimeoutException("connect", timeout!.Value, AddressText(target));
        }
    }

    private static void CheckEndPoints(IReadOnlyList<IPEndPoint> endPoints)
    {
        ArgumentNullException.ThrowIfNull(endPoints);
        if (endPoints.Count == 0)
        {
            throw new ArgumentException("There is no end point to connect to.", nameof(endPoints));
        }

        for (int i = 0; i < endPoints.Count; i++)
        {
            if (endPoints[i] is not { AddressFamily: AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 })
            {
                throw new ArgumentException($"End point {i} ({endPoints[i]}) is not an IPv4 or IPv6 end point.", nameof(endPoints));
            }
        }
    }

    private static void CheckSource(ConnectOptions options)
    {
        if (options.SourceAddress is { } source && source.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"Source address {source} is not IPv4 or IPv6.", nameof(options));
        }
    }

    private static BusSocket OpenFor(IPEndPoint target, ConnectOptions options)
    {
        var socket = new BusSocket(FamilyOf(target), SocketType.Stream, InetConstants.IPPROTO_TCP);
        try
        {
            if (options.SourceAddress is { } source)
            {
                Bind(socket, source);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Exception ConnectFailure(string host, List<Exception> errors, ConnectOptions options) => errors.Count switch
    {
        0 => new BusException((int)Errno.EADDRNOTAVAIL, "connect", host, "the resolver returned no addresses"),
        _ when options.AllErrors => new AggregateException($"Every connection attempt to '{host}' failed.", errors),
        _ => errors[^1],
    };

    internal static SocketFamily FamilyOf(IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetwork ? SocketFamily.Inet : SocketFamily.Inet6;

    internal static string AddressText(IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetwork
            ? InetAddress.FromIPEndPoint(endPoint).ToString()
            : Inet6Address.FromIPEndPoint(endPoint).ToString();

    /// <summary>Binds <paramref name="socket"/> to an IPv4 or IPv6 end point.</summary>
    internal static void Bind(BusSocket socket, IPEndPoint endPoint)
    {
        if (endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            socket.Bind(InetAddress.FromIPEndPoint(endPoint));
        }
        else
        {
            socket.Bind(Inet6Address.FromIPEndPoint(endPoint));
        }
    }

    private static void ConnectOne(BusSocket socket, IPEndPoint endPoint)
    {
        if (endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            socket.Connect(InetAddress.FromIPEndPoint(endPoint));
        }
        else
        {
            socket.Connect(Inet6Address.FromIPEndPoint(endPoint));
        }
    }
}
