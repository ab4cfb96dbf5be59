using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Buses.Can;

/// <summary>A change of the address an <see cref="AddressClaimer"/> holds.</summary>
/// <param name="Previous">The address held before (<see cref="J1939.IdleAddress"/> for none).</param>
/// <param name="Current">The address held now (<see cref="J1939.IdleAddress"/> when none could be kept).</param>
/// <param name="Reason">Why it changed: claimed, lost to a lower NAME, commanded, given up.</param>
public readonly record struct AddressClaimChange(byte Previous, byte Current, string Reason)
{
    /// <summary>One line, as a log would have it.</summary>
    public override string ToString() => $"0x{Previous:X2} -> 0x{Current:X2}: {Reason}";
}

/// <summary>
/// Claims a J1939 source address for a NAME from a range and defends it, as can-utils' <c>j1939acd</c> does
/// (ISO 11783-5 / J1939-81): it asks the bus for Address Claimed, waits 1250 ms for the answers, claims the
/// first free address of the range (or one held by a higher NAME), answers requests with its claim, and
/// when a lower NAME claims its address, moves to another one of the range. The kernel tracks the claims
/// and lets a socket bound to the NAME send from the address once it is held.
/// </summary>
/// <remarks>
/// The NAME with the lower value wins a contest. <see cref="Address"/> is the address held;
/// <see cref="AddressChanged"/> and <see cref="ReadChangesAsync"/> report every change. On stop the claimer
/// claims the idle address (0xFE), as j1939acd does, so the address is released.
/// </remarks>
public sealed class AddressClaimer : IDisposable
{
    private readonly ClaimPolicy _policy;
    private readonly CanAddress _interface;
    private readonly J1939Socket _tx;
    private readonly J1939Socket _rx;
    private readonly Channel<AddressClaimChange> _changes = Channel.CreateUnbounded<AddressClaimChange>();
    private long _timerDeadline = long.MaxValue;

    /// <summary>Prepares a claimer; nothing is sent until <see cref="Run"/> or <see cref="RunAsync"/>.</summary>
    /// <param name="interfaceName">The CAN interface.</param>
    /// <param name="name">The 64-bit NAME; not 0.</param>
    /// <param name="addresses">The addresses it may use, each 0–253.</param>
    /// <param name="preferred">The address to try first (j1939acd's <c>-a</c> or cache), if in range.</param>
    /// <exception cref="ArgumentException">NAME 0, an empty range, or an address outside 0–253: refused before anything is sent.</exception>
    public AddressClaimer(string interfaceName, ulong name, IEnumerable<byte> addresses, byte preferred = J1939.IdleAddress)
    {
        _policy = new ClaimPolicy(name, addresses, preferred);
        _interface = new CanAddress(interfaceName);
        _tx = Open();
        try
        {
            _rx = Open();
        }
        catch
        {
            _tx.Dispose();
            throw;
        }
    }

    /// <summary>The NAME claiming.</summary>
    public ulong Name => _policy.Name;

    /// <summary>The address held, or <see cref="J1939.IdleAddress"/> while none is.</summary>
    public byte Address => _policy.Current;

    /// <summary>Raised on the running thread for every change of <see cref="Address"/>.</summary>
    public event EventHandler<AddressClaimChange>? AddressChanged;

    /// <summary>
    /// Parses j1939acd's <c>-r</c> range: comma- or semicolon-separated addresses and <c>lo-hi</c> ranges, each
    /// number as C reads it (<c>0x80</c> hex, <c>128</c> decimal): <c>80,50-100</c>, <c>0x80-0xfd</c>.
    /// </summary>
    /// <param name="text">The range text.</param>
    /// <returns>The addresses, in order, without repeats.</returns>
    /// <exception cref="FormatException">Not a number, or an address outside 0–253; the message names it.</exception>
    public static IReadOnlyList<byte> ParseRange(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<byte>();
        foreach (string token in text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            string[] ends = token.Split('-');
            if (ends.Length > 2)
            {
                throw new FormatException($"Claim range part '{token}' is not an address or lo-hi.");
            }

            int lo = RangeNumber(token, ends[0]);
            int hi = ends.Length == 2 ? RangeNumber(token, ends[1]) : lo;
            for (int a = lo; a <= Math.Max(lo, hi); a++)
            {
                if (!result.Contains((byte)a))
                {
                    result.Add((byte)a);
                }
            }
        }

        if (result.Count == 0)
        {
            throw new FormatException($"Claim range '{text}' holds no address.");
        }

        return result;
    }

    private static int RangeNumber(string token, string text)
    {
        string digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        NumberStyles style = digits.Length != text.Length ? NumberStyles.AllowHexSpecifier : NumberStyles.None;
        if (!int.TryParse(digits, style, CultureInfo.InvariantCulture, out int value))
        {
            throw new FormatException($"Claim range part '{token}': '{text}' is not a number.");
        }

        if (value is < 0 or > J1939.MaxUnicastAddress)
        {
            throw new FormatException($"Claim range address {value} (0x{value:X}) is outside 0–253: 254 is the idle address and 255 broadcast.");
        }

        return value;
    }

    private J1939Socket Open()
    {
        var socket = new J1939Socket();
        try
        {
            socket.SetFilters([
                new J1939Filter(Pgn: J1939.AddressClaimedPgn, PgnMask: J1939.MaxPdu1Pgn),
                new J1939Filter(Pgn: J1939.RequestPgn, PgnMask: J1939.MaxPdu1Pgn),
                new J1939Filter(Pgn: J1939.AddressCommandedPgn, PgnMask: J1939.MaxPgn),
            ]);
            socket.Broadcast = true;
            socket.Bind(new J1939Address(_interface, J1939.IdleAddress, J1939.NoPgn, _policy.Name));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Claims and defends until <paramref name="cancellationToken"/> is cancelled, then releases the address.</summary>
    /// <param name="cancellationToken">Stops the claimer (no exception: cancellation is the normal end).</param>
    /// <exception cref="InvalidOperationException">No address of the range can be held against the NAMEs on the bus.</exception>
    public void Run(CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[16];
        Execute(_policy.Start());
        using CancellationTokenRegistration stop = cancellationToken.Register(() => _rx.Socket.Dispose());
        try
        {
            while (!cancellationToken.IsCancellationRequested && !_policy.GaveUp)
            {
                long now = Environment.TickCount64;
                if (now >= _timerDeadline)
                {
                    _timerDeadline = long.MaxValue;
                    Execute(_policy.OnTimer());
                    continue;
                }

                _rx.Timeout = _timerDeadline == long.MaxValue ? null : TimeSpan.FromMilliseconds(_timerDeadline - now);
                J1939MessageInfo info;
                try
                {
                    info = _rx.Receive(buffer);
                }
                catch (BusTimeoutException)
                {
                    continue;
                }

                Execute(_policy.OnMessage(info.Source.Pgn, info.Source.Address, info.Source.Name, buffer.AsSpan(0, Math.Min(info.Length, buffer.Length))));
            }
        }
        catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
        {
        }

        Release();
    }

    /// <summary>Claims and defends asynchronously until <paramref name="cancellationToken"/> is cancelled, then releases the address.</summary>
    /// <param name="cancellationToken">Stops the claimer (the task completes normally).</param>
    public async ValueTask RunAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[16];
        Execute(_policy.Start());
        try
        {
            while (!cancellationToken.IsCancellationRequested && !_policy.GaveUp)
            {
                long now = Environment.TickCount64;
                if (now >= _timerDeadline)
                {
                    _timerDeadline = long.MaxValue;
                    Execute(_policy.OnTimer());
                    continue;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                if (_timerDeadline != long.MaxValue)
                {
                    wait.CancelAfter(TimeSpan.FromMilliseconds(_timerDeadline - now));
                }

                J1939MessageInfo info;
                try
                {
                    info = await _rx.ReceiveAsync(buffer, wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    continue;
                }

                Execute(_policy.OnMessage(info.Source.Pgn, info.Source.Address, info.Source.Name, buffer.AsSpan(0, Math.Min(info.Length, buffer.Length))));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        Release();
    }

    /// <summary>Every change of the held address, as it happens, until the claimer is disposed.</summary>
    /// <param name="cancellationToken">Ends the stream.</param>
    public async IAsyncEnumerable<AddressClaimChange> ReadChangesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (AddressClaimChange change in _changes.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    private void Release()
    {
        try
        {
            Claim(J1939.IdleAddress);
        }
        catch (BusException)
        {
            // The interface may be gone; there is nothing left to release then.
        }

        if (_policy.Current != J1939.IdleAddress)
        {
            Report(_policy.Release());
        }
    }

    private void Execute(ClaimPolicy.Actions actions)
    {
        if (actions.Request)
        {
            Span<byte> request = [(byte)(J1939.AddressClaimedPgn & 0xFF), (byte)((J1939.AddressClaimedPgn >> 8) & 0xFF), (byte)((J1939.AddressClaimedPgn >> 16) & 0x03)];
            _tx.SendTo(request, new J1939Address(CanAddress.Any, J1939.NoAddress, J1939.RequestPgn));
        }

        if (actions.ClaimAddress is { } address)
        {
            try
            {
                Claim(address);
            }
            catch (BusException e) when (e.Errno is Errno.ENOBUFS or Errno.EINTR)
            {
                // j1939acd retries a claim the queue had no room for after 50 ms.
                actions = actions with { TimerMilliseconds = 50 };
            }
        }

        if (actions.TimerMilliseconds is { } ms)
        {
            _timerDeadline = Environment.TickCount64 + ms;
        }

        if (actions.Change is { } change)
        {
            Report(change);
        }
    }

    private void Report(AddressClaimChange change)
    {
        _changes.Writer.TryWrite(change);
        AddressChanged?.Invoke(this, change);
    }

    private void Claim(byte address)
    {
        // j1939acd rebinds the sending socket to the address, then broadcasts Address Claimed with the NAME.
        _tx.Bind(new J1939Address(_interface, address, J1939.NoPgn, _policy.Name));
        Span<byte> claim = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(claim, _policy.Name);
        _tx.SendTo(claim, new J1939Address(CanAddress.Any, J1939.NoAddress, J1939.AddressClaimedPgn));
    }

    /// <summary>Closes both sockets and ends <see cref="ReadChangesAsync"/>.</summary>
    public void Dispose()
    {
        _changes.Writer.TryComplete();
        _rx.Dispose();
        _tx.Dispose();
    }
}

/// <summary>j1939acd's claiming policy as a pure state machine, so its rules are tested without a bus.</summary>
internal sealed class ClaimPolicy
{
    private enum State
    {
        Initial,
        RequestSent,
        RequestPending,
        Operational,
    }

    private readonly bool[] _usable = new bool[J1939.IdleAddress];
    private readonly ulong[] _names = new ulong[J1939.IdleAddress];
    private State _state;

    public ClaimPolicy(ulong name, IEnumerable<byte> addresses, byte preferred = J1939.IdleAddress)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (name == J1939.NoName)
        {
            throw new ArgumentException("NAME 0 is J1939_NO_NAME: an address claim needs a non-zero 64-bit NAME.", nameof(name));
        }

        int count = 0;
        foreach (byte a in addresses)
        {
            if (a > J1939.MaxUnicastAddress)
            {
                throw new ArgumentException($"Claim range address {a} (0x{a:X2}) is outside 0–253: 254 is the idle address and 255 broadcast.", nameof(addresses));
            }

            _usable[a] = true;
            count++;
        }

        if (count == 0)
        {
            throw new ArgumentException("The claim range holds no address.", nameof(addresses));
        }

        Name = name;
        Current = preferred < J1939.IdleAddress && _usable[preferred] ? preferred : J1939.IdleAddress;
        Candidate = Current;
    }

    public ulong Name { get; }

    /// <summary>The address confirmed held: our own claim seen on the bus.</summary>
    public byte Current { get; private set; }

    /// <summary>The address last claimed (held once the claim is seen).</summary>
    public byte Candidate { get; private set; }

    public bool GaveUp { get; private set; }

    internal readonly record struct Actions(bool Request = false, byte? ClaimAddress = null, int? TimerMilliseconds = null, AddressClaimChange? Change = null);

    public Actions Start()
    {
        _state = State.RequestSent;
        return new Actions(Request: true);
    }

    public Actions OnTimer()
    {
        if (_state != State.RequestPending)
        {
            // A retry after a full queue: claim again what was being claimed.
            return Candidate < J1939.IdleAddress ? new Actions(ClaimAddress: Candidate) : default;
        }

        _state = State.Operational;
        byte sa = ChooseNew(Candidate);
        if (sa == J1939.IdleAddress)
        {
            GaveUp = true;
            return new Actions(Change: new AddressClaimChange(Current, J1939.IdleAddress, "no address of the range is free of lower NAMEs"));
        }

        Candidate = sa;
        return new Actions(ClaimAddress: sa);
    }

    public Actions OnMessage(uint pgn, byte sa, ulong name, ReadOnlySpan<byte> data)
    {
        switch (pgn)
        {
            case J1939.RequestPgn when data.Length >= 3:
                uint requested = data[0] | ((uint)data[1] << 8) | ((uint)(data[2] & 0x03) << 16);
                if (requested != J1939.AddressClaimedPgn)
                {
                    return default;
                }

                if (_state == State.RequestSent)
                {
                    // ISO 11783-5: the answers to our request arrive within 1250 ms.
                    _state = State.RequestPending;
                    return new Actions(TimerMilliseconds: 1250);
                }

                return _state == State.Operational && Candidate < J1939.IdleAddress ? new Actions(ClaimAddress: Candidate) : default;

            case J1939.AddressClaimedPgn:
                return OnClaim(sa, name);

            case J1939.AddressCommandedPgn when data.Length >= 9:
                ulong commanded = BinaryPrimitives.ReadUInt64LittleEndian(data);
                if (commanded == Name && data[8] <= J1939.MaxUnicastAddress)
                {
                    Candidate = data[8];
                    return new Actions(ClaimAddress: data[8]);
                }

                return default;
        }

        return default;
    }

    private Actions OnClaim(byte sa, ulong name)
    {
        if (sa >= J1939.IdleAddress)
        {
            // Cannot claim: the NAME holds no address any more.
            int held = Lookup(name);
            if (held < J1939.IdleAddress)
            {
                _names[held] = 0;
            }

            return default;
        }

        int previous = Lookup(name);
        if (previous != sa && previous < J1939.IdleAddress)
        {
            _names[previous] = 0;
        }

        _names[sa] = name;
        if (name == Name)
        {
            // Our own claims come back through the loopback; one for an address we have since left is stale.
            if (Current == sa || sa != Candidate)
            {
                return default;
            }

            var change = new AddressClaimChange(Current, sa, "claimed");
            Current = sa;
            Candidate = sa;
            return new Actions(Change: change);
        }

        if (sa != Candidate)
        {
            return default;
        }

        // A contest for our address: the lower NAME wins.
        if (Name > name)
        {
            byte next = ChooseNew(sa);
            if (next == J1939.IdleAddress)
            {
                GaveUp = true;
                var lost = new AddressClaimChange(Current, J1939.IdleAddress, $"lost 0x{sa:X2} to NAME {name:X16} and no address of the range is left");
                Current = J1939.IdleAddress;
                Candidate = J1939.IdleAddress;
                return new Actions(ClaimAddress: J1939.IdleAddress, Change: lost);
            }

            var moved = new AddressClaimChange(Current, J1939.IdleAddress, $"lost 0x{sa:X2} to the lower NAME {name:X16}; claiming 0x{next:X2}");
            Current = J1939.IdleAddress;
            Candidate = next;
            return new Actions(ClaimAddress: next, Change: moved.Previous == moved.Current ? null : moved);
        }

        // We win: claim again so the other side sees our lower NAME.
        return new Actions(ClaimAddress: sa);
    }

    public AddressClaimChange Release()
    {
        var change = new AddressClaimChange(Current, J1939.IdleAddress, "released");
        Current = J1939.IdleAddress;
        Candidate = J1939.IdleAddress;
        return change;
    }

    private int Lookup(ulong name)
    {
        for (int j = 0; j < _names.Length; j++)
        {
            if (_names[j] == name)
            {
                return j;
            }
        }

        return J1939.IdleAddress;
    }

    // j1939acd's choose_new_sa: the current address if no lower NAME holds it, else the first free one of the
    // range, else the next one (after sa) whose holder has a higher NAME.
    private byte ChooseNew(int sa)
    {
        if (sa < J1939.IdleAddress && _usable[sa] && (_names[sa] == 0 || _names[sa] == Name || _names[sa] > Name))
        {
            return (byte)sa;
        }

        for (int j = 0; j < J1939.IdleAddress; j++)
        {
            if (_usable[j] && (_names[j] == 0 || _names[j] == Name))
            {
                return (byte)j;
            }
        }

        int k = sa + 1;
        for (int count = 0; count < J1939.IdleAddress; count++, k++)
        {
            if (k >= J1939.IdleAddress)
            {
                k = 0;
            }

            if (_usable[k] && Name < _names[k])
            {
                return (byte)k;
            }
        }

        return J1939.IdleAddress;
    }
}
