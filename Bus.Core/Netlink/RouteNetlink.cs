using System.Runtime.CompilerServices;
using static Buses.Netlink.Interop.NetlinkConstants;

namespace Buses.Netlink;

/// <summary>
/// Route netlink (rtnetlink) link management: list and get links, add and delete them (vcan, vxcan and
/// veth pairs, any kind), set them up or down, change MTU, name and network namespace, and stream link
/// events. What <c>ip link</c> does, from code. Requests are built by <see cref="LinkRequests"/>, so a
/// family can extend them (Bus.Can's bit timing) and tests can compare their bytes.
/// </summary>
/// <remarks>
/// The socket belongs to the network namespace of the thread that created it; <see cref="NetworkNamespace.Run{T}"/>
/// creates one inside another namespace. Not thread-safe: one request at a time per instance.
/// </remarks>
public sealed class RouteNetlink : IDisposable
{
    private const int DumpAttempts = 3;

    private readonly NetlinkSocket _socket = new(NetlinkProtocol.Route);
    private readonly NetlinkMessageBuilder _builder = new();

    /// <summary>The underlying netlink socket.</summary>
    public NetlinkSocket Socket => _socket;

    /// <summary>Every link (<c>ip link show</c>).</summary>
    /// <returns>The links, in the kernel's order.</returns>
    /// <remarks>A dump interrupted by a concurrent change is retried up to 3 times before <see cref="NetlinkDumpInterruptedException"/>.</remarks>
    public IReadOnlyList<LinkInfo> ListLinks()
    {
        for (int attempt = 1; ; attempt++)
        {
            var links = new List<LinkInfo>();
            Prepare(LinkRequests.WriteDumpLinks);
            try
            {
                _socket.Query(_builder, m => links.Add(LinkInfo.Parse(m)), "RTM_GETLINK dump");
                return links;
            }
            catch (NetlinkDumpInterruptedException) when (attempt < DumpAttempts)
            {
            }
        }
    }

    /// <summary>Every link, asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async ValueTask<IReadOnlyList<LinkInfo>> ListLinksAsync(CancellationToken cancellationToken = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            Prepare(LinkRequests.WriteDumpLinks);
            try
            {
                return await _socket.QueryAsync(_builder, LinkInfo.Parse, "RTM_GETLINK dump", null, cancellationToken).ConfigureAwait(false);
            }
            catch (NetlinkDumpInterruptedException) when (attempt < DumpAttempts)
            {
            }
        }
    }

    /// <summary>One link by name (<c>ip link show NAME</c>).</summary>
    /// <param name="name">The interface name.</param>
    /// <exception cref="ArgumentException">The name breaks the kernel's rules (checked before any syscall).</exception>
    /// <exception cref="BusException"><see cref="Errno.ENODEV"/> when there is no such link.</exception>
    public LinkInfo GetLink(string name)
    {
        Interfaces.ValidateName(name, nameof(name));
        _builder.Reset();
        LinkRequests.WriteGetLink(_builder, name);
        return QueryOne(name);
    }

    /// <summary>One link by index.</summary>
    /// <param name="index">The interface index.</param>
    /// <exception cref="BusException"><see cref="Errno.ENODEV"/> when there is no such link.</exception>
    public LinkInfo GetLink(int index)
    {
        _builder.Reset();
        LinkRequests.WriteGetLink(_builder, index);
        return QueryOne("#" + index.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>One link by name, asynchronously.</summary>
    /// <param name="name">The interface name.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async ValueTask<LinkInfo> GetLinkAsync(string name, CancellationToken cancellationToken = default)
    {
        Interfaces.ValidateName(name, nameof(name));
        _builder.Reset();
        LinkRequests.WriteGetLink(_builder, name);
        List<LinkInfo> links = await _socket.QueryAsync(_builder, LinkInfo.Parse, "RTM_GETLINK", name, cancellationToken).ConfigureAwait(false);
        return links.Count == 1 ? links[0] : throw new BusException((int)Errno.ENODEV, "RTM_GETLINK", name, $"expected one link, got {links.Count}");
    }

    /// <summary>The index of the link named <paramref name="name"/>, asked of this socket's namespace.</summary>
    /// <param name="name">The interface name.</param>
    public int IndexOf(string name) => GetLink(name).Index;

    /// <summary>Adds a link of <paramref name="kind"/> (<c>ip link add dev NAME type KIND</c>).</summary>
    /// <param name="name">The new link's name.</param>
    /// <param name="kind">The kind: <c>vcan</c>, <c>dummy</c>, <c>veth</c> (unpaired peer gets a kernel name), …</param>
    /// <param name="kindData">Writes the kind's <c>IFLA_INFO_DATA</c> attributes, or <see langword="null"/>.</param>
    /// <exception cref="BusException">
    /// <see cref="Errno.EOPNOTSUPP"/> with detail "Unknown device type" when the kernel lacks the kind;
    /// <see cref="Errno.EEXIST"/> when the name is taken; <see cref="Errno.EPERM"/> without CAP_NET_ADMIN.
    /// </exception>
    public void AddLink(string name, string kind, LinkKindDataWriter? kindData = null)
    {
        _builder.Reset();
        LinkRequests.WriteAddLink(_builder, name, kind, kindData);
        _socket.Execute(_builder, "RTM_NEWLINK", name);
    }

    /// <summary>Adds a link asynchronously.</summary>
    /// <param name="name">The new link's name.</param>
    /// <param name="kind">The kind.</param>
    /// <param name="kindData">The kind's attributes, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public ValueTask AddLinkAsync(string name, string kind, LinkKindDataWriter? kindData = null, CancellationToken cancellationToken = default)
    {
        _builder.Reset();
        LinkRequests.WriteAddLink(_builder, name, kind, kindData);
        return _socket.ExecuteAsync(_builder, "RTM_NEWLINK", name, cancellationToken);
    }

    /// <summary>Adds a veth pair (<c>ip link add NAME type veth peer name PEER</c>).</summary>
    /// <param name="name">The first end.</param>
    /// <param name="peerName">The second end.</param>
    public void AddVethPair(string name, string peerName) => AddPair(name, "veth", peerName);

    /// <summary>Adds a vxcan pair (<c>ip link add NAME type vxcan peer name PEER</c>): two CAN interfaces wired together.</summary>
    /// <param name="name">The first end.</param>
    /// <param name="peerName">The second end.</param>
    public void AddVxcanPair(string name, string peerName) => AddPair(name, "vxcan", peerName);

    /// <summary>Adds a pair of a kind whose peer is described by a nested <c>ifinfomsg</c> (veth, vxcan).</summary>
    /// <param name="name">The first end.</param>
    /// <param name="kind">The kind.</param>
    /// <param name="peerName">The second end.</param>
    public void AddPair(string name, string kind, string peerName)
    {
        _builder.Reset();
        LinkRequests.WriteAddPair(_builder, name, kind, peerName);
        _socket.Execute(_builder, "RTM_NEWLINK", name);
    }

    /// <summary>Deletes a link (<c>ip link del NAME</c>); deleting one end of a pair deletes both.</summary>
    /// <param name="name">The link's name.</param>
    /// <exception cref="BusException"><see cref="Errno.ENODEV"/> when there is no such link.</exception>
    public void DeleteLink(string name) => DeleteLink(IndexOf(name), name);

    /// <summary>Deletes a link by index.</summary>
    /// <param name="index">The index.</param>
    public void DeleteLink(int index) => DeleteLink(index, null);

    /// <summary>Sets a link up or down (<c>ip link set NAME up|down</c>).</summary>
    /// <param name="name">The link's name.</param>
    /// <param name="up">Up or down.</param>
    public void SetUp(string name, bool up = true) => SetUp(IndexOf(name), up, name);

    /// <summary>Sets a link up or down by index.</summary>
    /// <param name="index">The index.</param>
    /// <param name="up">Up or down.</param>
    public void SetUp(int index, bool up = true) => SetUp(index, up, null);

    /// <summary>Sets the MTU (<c>ip link set NAME mtu N</c>).</summary>
    /// <param name="name">The link's name.</param>
    /// <param name="mtu">The MTU; the driver's range applies (EINVAL with the kernel's text otherwise).</param>
    public void SetMtu(string name, uint mtu) => Run(name, (b, index) => LinkRequests.WriteSetMtu(b, index, mtu));

    /// <summary>Renames a link (<c>ip link set NAME name NEW</c>); the link must be down.</summary>
    /// <param name="name">The current name.</param>
    /// <param name="newName">The new name.</param>
    public void SetName(string name, string newName)
    {
        Interfaces.ValidateName(newName, nameof(newName));
        Run(name, (b, index) => LinkRequests.WriteSetName(b, index, newName));
    }

    /// <summary>Moves a link into the network namespace a file refers to (<c>ip link set NAME netns NS</c>).</summary>
    /// <param name="name">The link's name.</param>
    /// <param name="namespacePath">A namespace file: <c>/run/netns/NAME</c> or <c>/proc/PID/ns/net</c>.</param>
    public void SetNamespace(string name, string namespacePath)
    {
        using Microsoft.Win32.SafeHandles.SafeFileHandle ns = File.OpenHandle(namespacePath);
        bool added = false;
        try
        {
            ns.DangerousAddRef(ref added);
            int fd = (int)ns.DangerousGetHandle();
            Run(name, (b, index) => LinkRequests.WriteSetNamespaceByFd(b, index, fd));
        }
        finally
        {
            if (added)
            {
                ns.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Changes kind-specific settings (<c>ip link set NAME type KIND …</c>); Bus.Can uses it for bit timing.
    /// </summary>
    /// <param name="name">The link's name.</param>
    /// <param name="kind">The link's kind.</param>
    /// <param name="kindData">Writes the <c>IFLA_INFO_DATA</c> attributes.</param>
    public void SetLinkKindData(string name, string kind, LinkKindDataWriter kindData) =>
        Run(name, (b, index) => LinkRequests.WriteSetLinkKindData(b, index, kind, kindData));

    /// <summary>Sends a request written by the caller and waits for its ACK: the extension point for link requests this class has no method for.</summary>
    /// <param name="write">Writes exactly one message with <see cref="NetlinkMessageFlags.Ack"/>.</param>
    /// <param name="operation">The operation name for errors.</param>
    /// <param name="target">What the request is about, for errors.</param>
    public void Execute(Action<NetlinkMessageBuilder> write, string operation, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        var builder = new NetlinkMessageBuilder();
        write(builder);
        _socket.Execute(builder, operation, target);
    }

    /// <summary>Sends a request written by the caller and waits for its ACK asynchronously.</summary>
    /// <param name="write">Writes exactly one message with <see cref="NetlinkMessageFlags.Ack"/>.</param>
    /// <param name="operation">The operation name for errors.</param>
    /// <param name="target">What the request is about, for errors.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes with the ACK.</returns>
    public ValueTask ExecuteAsync(Action<NetlinkMessageBuilder> write, string operation, string? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var builder = new NetlinkMessageBuilder();
        write(builder);
        return _socket.ExecuteAsync(builder, operation, target, cancellationToken);
    }

    /// <summary>Adds a pair (veth, vxcan) asynchronously.</summary>
    /// <param name="name">The first end.</param>
    /// <param name="kind">The kind.</param>
    /// <param name="peerName">The second end.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public ValueTask AddPairAsync(string name, string kind, string peerName, CancellationToken cancellationToken = default)
    {
        _builder.Reset();
        LinkRequests.WriteAddPair(_builder, name, kind, peerName);
        return _socket.ExecuteAsync(_builder, "RTM_NEWLINK", name, cancellationToken);
    }

    /// <summary>Deletes a link asynchronously.</summary>
    /// <param name="name">The link's name.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public ValueTask DeleteLinkAsync(string name, CancellationToken cancellationToken = default) =>
        RunAsync(name, "RTM_DELLINK", LinkRequests.WriteDeleteLink, cancellationToken);

    /// <summary>Sets a link up or down asynchronously.</summary>
    /// <param name="name">The link's name.</param>
    /// <param name="up">Up or down.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public ValueTask SetUpAsync(string name, bool up = true, CancellationToken cancellationToken = default) =>
        RunAsync(name, "RTM_NEWLINK", (b, index) => LinkRequests.WriteSetUp(b, index, up), cancellationToken);

    /// <summary>Sets the MTU asynchronously.</summary>
    /// <param name="name">The link's name.</param>
    /// <param name="mtu">The MTU.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public ValueTask SetMtuAsync(string name, uint mtu, CancellationToken cancellationToken = default) =>
        RunAsync(name, "RTM_NEWLINK", (b, index) => LinkRequests.WriteSetMtu(b, index, mtu), cancellationToken);

    /// <summary>Renames a link asynchronously; the link must be down.</summary>
    /// <param name="name">The current name.</param>
    /// <param name="newName">The new name.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public ValueTask SetNameAsync(string name, string newName, CancellationToken cancellationToken = default)
    {
        Interfaces.ValidateName(newName, nameof(newName));
        return RunAsync(name, "RTM_NEWLINK", (b, index) => LinkRequests.WriteSetName(b, index, newName), cancellationToken);
    }

    /// <summary>Changes kind-specific settings asynchronously (<c>ip link set NAME type KIND …</c>).</summary>
    /// <param name="name">The link's name.</param>
    /// <param name="kind">The link's kind.</param>
    /// <param name="kindData">Writes the <c>IFLA_INFO_DATA</c> attributes.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public ValueTask SetLinkKindDataAsync(string name, string kind, LinkKindDataWriter kindData, CancellationToken cancellationToken = default) =>
        RunAsync(name, "RTM_NEWLINK", (b, index) => LinkRequests.WriteSetLinkKindData(b, index, kind, kindData), cancellationToken);

    /// <summary>
    /// Streams link events (<c>ip monitor link</c>) from a dedicated socket joined to <c>RTNLGRP_LINK</c>.
    /// </summary>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>New/changed and deleted links as the kernel reports them.</returns>
    /// <exception cref="BusException"><see cref="Errno.ENOBUFS"/> when events were lost (overrun): re-read with <see cref="ListLinks"/> and subscribe again.</exception>
    public static async IAsyncEnumerable<LinkEvent> MonitorLinksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var monitor = new LinkMonitor();
        while (true)
        {
            LinkEvent[] events = await monitor.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            foreach (LinkEvent e in events)
            {
                yield return e;
            }
        }
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => _socket.Dispose();

    private void DeleteLink(int index, string? name)
    {
        _builder.Reset();
        LinkRequests.WriteDeleteLink(_builder, index);
        _socket.Execute(_builder, "RTM_DELLINK", name);
    }

    private void SetUp(int index, bool up, string? name)
    {
        _builder.Reset();
        LinkRequests.WriteSetUp(_builder, index, up);
        _socket.Execute(_builder, "RTM_NEWLINK", name);
    }

    private void Run(string name, Action<NetlinkMessageBuilder, int> write)
    {
        // Resolve the index first: the lookup reuses the builder.
        int index = IndexOf(name);
        _builder.Reset();
        write(_builder, index);
        _socket.Execute(_builder, "RTM_NEWLINK", name);
    }

    private async ValueTask RunAsync(string name, string operation, Action<NetlinkMessageBuilder, int> write, CancellationToken cancellationToken)
    {
        int index = (await GetLinkAsync(name, cancellationToken).ConfigureAwait(false)).Index;
        _builder.Reset();
        write(_builder, index);
        await _socket.ExecuteAsync(_builder, operation, name, cancellationToken).ConfigureAwait(false);
    }

    private void Prepare(Action<NetlinkMessageBuilder> write)
    {
        _builder.Reset();
        write(_builder);
    }

    private LinkInfo QueryOne(string target)
    {
        LinkInfo? link = null;
        _socket.Query(_builder, m => link = LinkInfo.Parse(m), "RTM_GETLINK", target);
        return link ?? throw new BusException((int)Errno.ENODEV, "RTM_GETLINK", target, "the kernel sent no link");
    }
}

/// <summary>
/// A subscription to link events (<c>RTNLGRP_LINK</c>): join first, then act, then read, so no event
/// between the two is missed. <see cref="RouteNetlink.MonitorLinksAsync"/> wraps it as a stream.
/// </summary>
public sealed class LinkMonitor : IDisposable
{
    private readonly NetlinkSocket _socket = new(NetlinkProtocol.Route);

    /// <summary>Opens a socket and joins <c>RTNLGRP_LINK</c>.</summary>
    public LinkMonitor() => _socket.JoinGroup(RTNLGRP_LINK);

    /// <summary>The underlying socket.</summary>
    public NetlinkSocket Socket => _socket;

    /// <summary>Waits for the next datagram of events and decodes it.</summary>
    /// <returns>The events it held (one or more).</returns>
    /// <exception cref="BusException"><see cref="Errno.ENOBUFS"/> on overrun: events were lost.</exception>
    public LinkEvent[] Receive() => Decode(_socket.Receive());

    /// <summary>Waits for the next datagram of events asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async ValueTask<LinkEvent[]> ReceiveAsync(CancellationToken cancellationToken = default) =>
        Decode((await _socket.ReceiveAsync(cancellationToken).ConfigureAwait(false)).Span);

    /// <summary>Closes the subscription.</summary>
    public void Dispose() => _socket.Dispose();

    /// <summary>Decodes a datagram of link notifications.</summary>
    /// <param name="datagram">The bytes received.</param>
    public static LinkEvent[] Decode(ReadOnlySpan<byte> datagram)
    {
        var events = new List<LinkEvent>(1);
        foreach (NetlinkMessage message in NetlinkMessage.Enumerate(datagram))
        {
            if (message.Type is RTM_NEWLINK or RTM_DELLINK)
            {
                events.Add(new LinkEvent(message.Type == RTM_NEWLINK ? LinkEventKind.NewOrChanged : LinkEventKind.Deleted, LinkInfo.Parse(message)));
            }
        }

        return [.. events];
    }
}
