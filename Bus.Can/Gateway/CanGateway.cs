using Buses.Netlink;

namespace Buses.Can;

/// <summary>
/// Manages the kernel's CAN gateway (module <c>can-gw</c>) over rtnetlink, as <c>cangw</c> does: add, delete,
/// flush and list routing rules. Needs CAP_NET_ADMIN for changes.
/// </summary>
/// <remarks>
/// Requests are byte-identical to cangw's for the same options (checked against captured vectors), so
/// rules added here and by cangw are interchangeable: <c>cangw -D</c> deletes a rule added here and
/// <see cref="Delete"/> one added by cangw. Not thread-safe: one request at a time.
/// </remarks>
public sealed class CanGateway : IDisposable
{
    private const int DumpAttempts = 3;
    private readonly NetlinkSocket _socket = new(NetlinkProtocol.Route);
    private readonly NetlinkMessageBuilder _builder = new();

    /// <summary>The underlying netlink socket.</summary>
    public NetlinkSocket Socket => _socket;

    /// <summary>Adds <paramref name="rule"/> (<c>cangw -A</c>).</summary>
    /// <param name="rule">The rule; validated before anything is sent.</param>
    /// <exception cref="ArgumentException">The rule breaks a kernel limit; the message names it.</exception>
    /// <exception cref="BusException">The kernel refused (EPERM without CAP_NET_ADMIN, ENODEV for a non-CAN interface, EOPNOTSUPP without can-gw).</exception>
    public void Add(CanGatewayRule rule) => Run(rule, CanGatewayCommand.Add, "RTM_NEWROUTE (can-gw add)");

    /// <summary>Adds <paramref name="rule"/>, asynchronously.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public ValueTask AddAsync(CanGatewayRule rule, CancellationToken cancellationToken = default) =>
        RunAsync(rule, CanGatewayCommand.Add, "RTM_NEWROUTE (can-gw add)", cancellationToken);

    /// <summary>Deletes the rule equal to <paramref name="rule"/> in every attribute (<c>cangw -D</c>).</summary>
    /// <param name="rule">The rule.</param>
    /// <exception cref="BusException">EINVAL when no rule matches.</exception>
    public void Delete(CanGatewayRule rule) => Run(rule, CanGatewayCommand.Delete, "RTM_DELROUTE (can-gw delete)");

    /// <summary>Deletes a rule, asynchronously.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public ValueTask DeleteAsync(CanGatewayRule rule, CancellationToken cancellationToken = default) =>
        RunAsync(rule, CanGatewayCommand.Delete, "RTM_DELROUTE (can-gw delete)", cancellationToken);

    /// <summary>Deletes every rule (<c>cangw -F</c>).</summary>
    public void Flush() => Run(new CanGatewayRule(), CanGatewayCommand.Flush, "RTM_DELROUTE (can-gw flush)");

    /// <summary>Deletes every rule, asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) =>
        RunAsync(new CanGatewayRule(), CanGatewayCommand.Flush, "RTM_DELROUTE (can-gw flush)", cancellationToken);

    /// <summary>Every rule with its counters (<c>cangw -L</c>), in the kernel's order.</summary>
    /// <returns>The rules.</returns>
    public IReadOnlyList<CanGatewayRule> List()
    {
        for (int attempt = 1; ; attempt++)
        {
            var rules = new List<CanGatewayRule>();
            Prepare(new CanGatewayRule(), CanGatewayCommand.List);
            try
            {
                _socket.Query(_builder, m => rules.Add(CanGatewayRule.Decode(m)), "RTM_GETROUTE (can-gw list)");
                return rules;
            }
            catch (NetlinkDumpInterruptedException) when (attempt < DumpAttempts)
            {
            }
        }
    }

    /// <summary>Every rule with its counters, asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The rules.</returns>
    public async ValueTask<IReadOnlyList<CanGatewayRule>> ListAsync(CancellationToken cancellationToken = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            Prepare(new CanGatewayRule(), CanGatewayCommand.List);
            try
            {
                return await _socket.QueryAsync(_builder, CanGatewayRule.Decode, "RTM_GETROUTE (can-gw list)", null, cancellationToken).ConfigureAwait(false);
            }
            catch (NetlinkDumpInterruptedException) when (attempt < DumpAttempts)
            {
            }
        }
    }

    /// <summary>Runs a parsed <c>cangw</c> command: add, delete or flush; a list returns the rules.</summary>
    /// <param name="command">The command.</param>
    /// <param name="rule">The rule its options describe.</param>
    /// <returns>The rules for a list, else empty.</returns>
    public IReadOnlyList<CanGatewayRule> Execute(CanGatewayCommand command, CanGatewayRule rule)
    {
        switch (command)
        {
            case CanGatewayCommand.List:
                return List();
            case CanGatewayCommand.Flush:
                Run(rule, command, "RTM_DELROUTE (can-gw flush)");
                return [];
            default:
                Run(rule, command, command == CanGatewayCommand.Add ? "RTM_NEWROUTE (can-gw add)" : "RTM_DELROUTE (can-gw delete)");
                return [];
        }
    }

    /// <summary>Runs a parsed <c>cangw</c> command, asynchronously.</summary>
    /// <param name="command">The command.</param>
    /// <param name="rule">The rule.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The rules for a list, else empty.</returns>
    public async ValueTask<IReadOnlyList<CanGatewayRule>> ExecuteAsync(CanGatewayCommand command, CanGatewayRule rule, CancellationToken cancellationToken = default)
    {
        if (command == CanGatewayCommand.List)
        {
            return await ListAsync(cancellationToken).ConfigureAwait(false);
        }

        await RunAsync(rule, command, command switch
        {
            CanGatewayCommand.Add => "RTM_NEWROUTE (can-gw add)",
            CanGatewayCommand.Flush => "RTM_DELROUTE (can-gw flush)",
            _ => "RTM_DELROUTE (can-gw delete)",
        }, cancellationToken).ConfigureAwait(false);
        return [];
    }

    private void Prepare(CanGatewayRule rule, CanGatewayCommand command)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (command is CanGatewayCommand.Add or CanGatewayCommand.Delete)
        {
            if (rule.Source.IsAny || rule.Destination.IsAny)
            {
                throw new ArgumentException($"A can-gw rule to {(command == CanGatewayCommand.Add ? "add" : "delete")} needs a source and a destination interface; this one has {rule.Source} → {rule.Destination}.", nameof(rule));
            }

            rule.Validate();
        }

        _builder.Reset();
        rule.WriteRequest(_builder, command);
    }

    private void Run(CanGatewayRule rule, CanGatewayCommand command, string operation)
    {
        Prepare(rule, command);
        _socket.Execute(_builder, operation, Target(rule, command));
    }

    private async ValueTask RunAsync(CanGatewayRule rule, CanGatewayCommand command, string operation, CancellationToken cancellationToken)
    {
        Prepare(rule, command);
        await _socket.ExecuteAsync(_builder, operation, Target(rule, command), cancellationToken).ConfigureAwait(false);
    }

    private static string? Target(CanGatewayRule rule, CanGatewayCommand command) =>
        command is CanGatewayCommand.Add or CanGatewayCommand.Delete ? $"{rule.Source} → {rule.Destination}" : null;

    /// <summary>Closes the netlink socket.</summary>
    public void Dispose() => _socket.Dispose();
}
