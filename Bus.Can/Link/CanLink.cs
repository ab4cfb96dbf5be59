using Buses.Netlink;

namespace Buses.Can;

/// <summary>
/// Live CAN link operations over route netlink, what <c>ip link … type can …</c> does from code:
/// read a CAN interface's state, timing, counters and statistics; apply <see cref="CanLinkSettings"/>;
/// restart a controller after bus-off; set it up or down; switch classic/FD/XL by MTU; create and
/// delete vcan interfaces and vxcan pairs.
/// </summary>
/// <remarks>
/// Each call opens its own route netlink socket, so calls are independent and thread-safe. Kernel
/// refusals are <see cref="BusException"/>s with the errno and, where the kernel gives one, its
/// extended-ACK text in <see cref="BusException.Detail"/>. Changing settings needs CAP_NET_ADMIN (EPERM otherwise).
/// </remarks>
public static class CanLink
{
    /// <summary>The MTU of an interface that carries classic frames only (<c>CAN_MTU</c>).</summary>
    public const int ClassicMtu = 16;

    /// <summary>The MTU of an interface that carries CAN FD frames (<c>CANFD_MTU</c>).</summary>
    public const int FdMtu = 72;

    /// <summary>The MTU of an interface that carries CAN XL frames (<c>CANXL_MTU</c>, Linux 6.2+).</summary>
    public const int XlMtu = 2060;

    private const string CanKind = "can";

    /// <summary>Reads a CAN interface (<c>ip -details -statistics link show NAME</c>).</summary>
    /// <param name="name">The interface name.</param>
    /// <exception cref="ArgumentException">The name breaks the kernel's rules (checked before any syscall).</exception>
    /// <exception cref="BusException">ENODEV when there is no such interface.</exception>
    public static CanLinkStatus Get(string name)
    {
        using var route = new RouteNetlink();
        return new CanLinkStatus(route.GetLink(name));
    }

    /// <summary>Reads a CAN interface asynchronously.</summary>
    /// <param name="name">The interface name.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static async ValueTask<CanLinkStatus> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        using var route = new RouteNetlink();
        return new CanLinkStatus(await route.GetLinkAsync(name, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Applies settings (<c>ip link set NAME type can …</c>); the request is the one <c>ip</c> sends.</summary>
    /// <param name="name">The interface name.</param>
    /// <param name="settings">Bit timing, data bit timing, control modes, restart-ms, termination, restart.</param>
    /// <exception cref="ArgumentException">The settings are empty or break a rule of <see cref="CanLinkSettings.Validate"/> (checked before any syscall).</exception>
    /// <exception cref="BusException">
    /// EOPNOTSUPP when the interface has no controller (vcan, vxcan); EBUSY when bit timing is changed
    /// while the interface is up; EINVAL (with the kernel's text) for timing the controller cannot do.
    /// </exception>
    /// <remarks>Bit timing and control modes can only be changed while the interface is down.</remarks>
    public static void Set(string name, CanLinkSettings settings)
    {
        Check(name, settings);
        using var route = new RouteNetlink();
        route.SetLinkKindData(name, CanKind, settings.WriteKindData);
    }

    /// <summary>Applies settings asynchronously.</summary>
    /// <param name="name">The interface name.</param>
    /// <param name="settings">The settings.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static ValueTask SetAsync(string name, CanLinkSettings settings, CancellationToken cancellationToken = default)
    {
        Check(name, settings);
        return RunAsync(name, (b, index) => LinkRequests.WriteSetLinkKindData(b, index, CanKind, settings.WriteKindData), cancellationToken);
    }

    /// <summary>Restarts a controller now (<c>ip link set NAME type can restart</c>), e.g. after bus-off.</summary>
    /// <param name="name">The interface name.</param>
    /// <exception cref="BusException">EINVAL when the controller is not in bus-off; EOPNOTSUPP on vcan/vxcan.</exception>
    public static void Restart(string name) => Set(name, new CanLinkSettings { Restart = true });

    /// <summary>Restarts a controller asynchronously.</summary>
    /// <param name="name">The interface name.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static ValueTask RestartAsync(string name, CancellationToken cancellationToken = default) =>
        SetAsync(name, new CanLinkSettings { Restart = true }, cancellationToken);

    /// <summary>Sets the interface up or down (<c>ip link set NAME up|down</c>).</summary>
    /// <param name="name">The interface name.</param>
    /// <param name="up">Up or down.</param>
    public static void SetUp(string name, bool up = true)
    {
        using var route = new RouteNetlink();
        route.SetUp(name, up);
    }

    /// <summary>Sets the interface up or down asynchronously.</summary>
    /// <param name="name">The interface name.</param>
    /// <param name="up">Up or down.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static ValueTask SetUpAsync(string name, bool up = true, CancellationToken cancellationToken = default) =>
        RunAsync(name, (b, index) => LinkRequests.WriteSetUp(b, index, up), cancellationToken);

    /// <summary>
    /// Switches the frames the interface carries by its MTU: 16 classic, 72 CAN FD, 2060 CAN XL
    /// (<c>ip link set NAME mtu N</c>).
    /// </summary>
    /// <param name="name">The interface name.</param>
    /// <param name="mtu">16, 72 or 2060.</param>
    /// <exception cref="ArgumentOutOfRangeException">Any other MTU (checked before any syscall).</exception>
    /// <exception cref="BusException">
    /// EBUSY when the interface is up (vcan refuses MTU changes while up); EINVAL when the driver cannot
    /// carry the frames (a controller without FD, or 2060 before Linux 6.2).
    /// </exception>
    public static void SetMtu(string name, int mtu)
    {
        ValidateMtu(mtu);
        using var route = new RouteNetlink();
        route.SetMtu(name, (uint)mtu);
    }

    /// <summary>Switches the interface's MTU asynchronously.</summary>
    /// <param name="name">The interface name.</param>
    /// <param name="mtu">16, 72 or 2060.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static ValueTask SetMtuAsync(string name, int mtu, CancellationToken cancellationToken = default)
    {
        ValidateMtu(mtu);
        return RunAsync(name, (b, index) => LinkRequests.WriteSetMtu(b, index, (uint)mtu), cancellationToken);
    }

    /// <summary>Sets the MTU that carries <paramref name="kind"/> frames (and the smaller kinds).</summary>
    /// <param name="name">The interface name.</param>
    /// <param name="kind">Classic, FD or XL.</param>
    public static void SetFrameKind(string name, CanFrameKind kind) => SetMtu(name, MtuOf(kind));

    /// <summary>The MTU that carries <paramref name="kind"/> frames.</summary>
    /// <param name="kind">Classic, FD or XL.</param>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined kind.</exception>
    public static int MtuOf(CanFrameKind kind) => kind switch
    {
        CanFrameKind.Classic => ClassicMtu,
        CanFrameKind.Fd => FdMtu,
        CanFrameKind.Xl => XlMtu,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"CAN frame kind {kind} is not Classic, Fd or Xl."),
    };

    /// <summary>The largest frame kind an MTU carries, or <see langword="null"/> when it is not 16, 72 or 2060.</summary>
    /// <param name="mtu">An interface MTU.</param>
    public static CanFrameKind? FrameKindOf(uint mtu) => mtu switch
    {
        ClassicMtu => CanFrameKind.Classic,
        FdMtu => CanFrameKind.Fd,
        XlMtu => CanFrameKind.Xl,
        _ => null,
    };

    /// <summary>Creates a vcan interface, down, with the CAN FD MTU (<c>ip link add NAME type vcan</c>).</summary>
    /// <param name="name">The new interface's name.</param>
    /// <exception cref="BusException">EEXIST when the name is taken; EOPNOTSUPP ("Unknown device type") without the vcan module.</exception>
    public static void CreateVcan(string name)
    {
        using var route = new RouteNetlink();
        route.AddLink(name, "vcan");
    }

    /// <summary>Creates a vcan interface asynchronously.</summary>
    /// <param name="name">The new interface's name.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static async ValueTask CreateVcanAsync(string name, CancellationToken cancellationToken = default)
    {
        using var route = new RouteNetlink();
        await route.AddLinkAsync(name, "vcan", null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a vxcan pair: two CAN interfaces wired to each other (<c>ip link add NAME type vxcan peer name PEER</c>).</summary>
    /// <param name="name">The first end.</param>
    /// <param name="peerName">The second end.</param>
    /// <exception cref="BusException">EEXIST when a name is taken; EOPNOTSUPP without the vxcan module.</exception>
    public static void CreateVxcanPair(string name, string peerName)
    {
        using var route = new RouteNetlink();
        route.AddVxcanPair(name, peerName);
    }

    /// <summary>Creates a vxcan pair asynchronously.</summary>
    /// <param name="name">The first end.</param>
    /// <param name="peerName">The second end.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static async ValueTask CreateVxcanPairAsync(string name, string peerName, CancellationToken cancellationToken = default)
    {
        Interfaces.ValidateName(name, nameof(name));
        Interfaces.ValidateName(peerName, nameof(peerName));
        using var route = new RouteNetlink();
        var builder = new NetlinkMessageBuilder();
        LinkRequests.WriteAddPair(builder, name, "vxcan", peerName);
        await route.Socket.ExecuteAsync(builder, "RTM_NEWLINK", name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes an interface (<c>ip link del NAME</c>); deleting one end of a vxcan pair deletes both.</summary>
    /// <param name="name">The interface name.</param>
    /// <exception cref="BusException">ENODEV when there is no such interface; EOPNOTSUPP for a physical controller.</exception>
    public static void Delete(string name)
    {
        using var route = new RouteNetlink();
        route.DeleteLink(name);
    }

    /// <summary>Deletes an interface asynchronously.</summary>
    /// <param name="name">The interface name.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static ValueTask DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        RunAsync(name, LinkRequests.WriteDeleteLink, cancellationToken, "RTM_DELLINK");

    private static void Check(string name, CanLinkSettings settings)
    {
        Interfaces.ValidateName(name, nameof(name));
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.IsEmpty)
        {
            throw new ArgumentException("The CAN link settings are empty: give at least one of bit timing, data bit timing, modes, restart-ms, termination or restart.", nameof(settings));
        }

        settings.Validate();
    }

    private static void ValidateMtu(int mtu)
    {
        if (mtu is not (ClassicMtu or FdMtu or XlMtu))
        {
            throw new ArgumentOutOfRangeException(nameof(mtu), mtu, $"CAN MTU {mtu} is not one of 16 (classic), 72 (CAN FD), 2060 (CAN XL).");
        }
    }

    private static async ValueTask RunAsync(string name, Action<NetlinkMessageBuilder, int> write, CancellationToken cancellationToken, string operation = "RTM_NEWLINK")
    {
        Interfaces.ValidateName(name, nameof(name));
        using var route = new RouteNetlink();
        // Resolve the index on the same socket, so the request and the lookup see the same namespace.
        int index = (await route.GetLinkAsync(name, cancellationToken).ConfigureAwait(false)).Index;
        var builder = new NetlinkMessageBuilder();
        write(builder, index);
        await route.Socket.ExecuteAsync(builder, operation, name, cancellationToken).ConfigureAwait(false);
    }
}
