using System.Globalization;
using System.Text;
using Buses.Netlink;

namespace Buses.Can;

/// <summary>
/// A CAN interface as <see cref="CanLink.Get"/> reads it: the generic link facts (index, kind, MTU,
/// flags, operational state, queue length) with the CAN controller's own (<see cref="Can"/>: state,
/// bit timing, limits, clock, error counters, device statistics).
/// </summary>
public sealed class CanLinkStatus
{
    /// <summary>Combines a link and its decoded CAN attributes.</summary>
    /// <param name="link">The link as route netlink reported it.</param>
    /// <exception cref="FormatException">An <c>IFLA_CAN_*</c> attribute is malformed.</exception>
    public CanLinkStatus(LinkInfo link)
    {
        ArgumentNullException.ThrowIfNull(link);
        Link = link;
        Can = CanLinkInfo.Parse(link.KindData.Span, link.KindStatistics.Span);
    }

    /// <summary>The generic link information.</summary>
    public LinkInfo Link { get; }

    /// <summary>The CAN controller information (empty for vcan and vxcan, which have no controller).</summary>
    public CanLinkInfo Can { get; }

    /// <summary>The interface name.</summary>
    public string Name => Link.Name;

    /// <summary>The interface index.</summary>
    public int Index => Link.Index;

    /// <summary>The link kind: <c>can</c> (a controller), <c>vcan</c>, <c>vxcan</c>, or <see langword="null"/>.</summary>
    public string? Kind => Link.Kind;

    /// <summary>The MTU: 16 classic, 72 CAN FD, 2060 CAN XL.</summary>
    public uint Mtu => Link.Mtu;

    /// <summary>The largest frame the interface carries, from its MTU; <see langword="null"/> for an MTU that is none of the three.</summary>
    public CanFrameKind? FrameKind => CanLink.FrameKindOf(Link.Mtu);

    /// <summary>Whether the interface is administratively up.</summary>
    public bool IsUp => Link.IsUp;

    /// <summary>The operational state (<c>IFLA_OPERSTATE</c>).</summary>
    public LinkOperationalState OperationalState => Link.OperationalState;

    /// <summary>The controller state, or <see langword="null"/> for a device without a controller.</summary>
    public CanState? State => Can.State;

    /// <summary>
    /// As <c>ip -details -statistics link show</c> shows a CAN link: the generic line, then the CAN part.
    /// </summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Index}: {Name}: <{Link.Flags}> mtu {Mtu} state {OperationalState.ToString().ToUpperInvariant()} qlen {Link.TransmitQueueLength}");
        text.Append("\n    link/can");
        if (Kind is not null)
        {
            text.Append("\n    ").Append(Kind).Append(' ');
            string can = Can.Format();
            if (can.Length > 0)
            {
                text.Append(can.Replace("\n  ", "\n      ", StringComparison.Ordinal));
            }
        }

        return text.ToString().TrimEnd();
    }

    /// <inheritdoc/>
    public override string ToString() => Format();
}
