using System.Globalization;
using static Buses.Tipc.Interop.TipcUapi;

namespace Buses.Tipc;

/// <summary>
/// A TIPC node address: the 32-bit number sockets carry (<c>tipc_socket_addr.node</c>, a lookup
/// domain). Text form <c>&lt;zone.cluster.node&gt;</c>, the legacy <c>tipc_addr(z, c, n)</c> split of the
/// 32 bits (8, 12 and 12 bits), which every 32-bit value has exactly once.
/// </summary>
/// <remarks>
/// Since Linux 4.17 a node whose identity is set gets as its address a hash of the 128-bit
/// <see cref="TipcNodeIdentity"/> (<see cref="TipcNodeIdentity.Hash"/>); its split into zone, cluster and
/// node has no meaning then, but the text still reads back to the same number. Zero is "no node" (this
/// node, or any node as a lookup domain).
/// </remarks>
/// <param name="Value">The 32-bit address.</param>
public readonly record struct TipcNodeAddress(uint Value)
{
    /// <summary>The largest zone (8 bits).</summary>
    public const int MaxZone = (int)TIPC_ZONE_SIZE;

    /// <summary>The largest cluster (12 bits).</summary>
    public const int MaxCluster = (int)TIPC_CLUSTER_SIZE;

    /// <summary>The largest node number in a cluster (12 bits).</summary>
    public const int MaxNode = (int)TIPC_NODE_SIZE;

    /// <summary>No node: as a lookup domain, any node; in a socket address, this node.</summary>
    public static TipcNodeAddress None => default;

    /// <summary>The address <c>&lt;zone.cluster.node&gt;</c>, as <c>tipc_addr()</c> packs it.</summary>
    /// <param name="zone">0–255.</param>
    /// <param name="cluster">0–4095.</param>
    /// <param name="node">0–4095.</param>
    /// <exception cref="ArgumentOutOfRangeException">A part is out of its range; the message names it.</exception>
    public TipcNodeAddress(int zone, int cluster, int node)
        : this(Pack(zone, cluster, node))
    {
    }

    /// <summary>The zone: the top 8 bits.</summary>
    public int Zone => (int)(Value >> TIPC_ZONE_OFFSET);

    /// <summary>The cluster: the middle 12 bits.</summary>
    public int Cluster => (int)((Value & TIPC_CLUSTER_MASK) >> TIPC_CLUSTER_OFFSET);

    /// <summary>The node: the low 12 bits.</summary>
    public int Node => (int)(Value & TIPC_NODE_MASK);

    /// <summary>Whether this is <see cref="None"/>.</summary>
    public bool IsNone => Value == 0;

    /// <summary>Parses <c>&lt;z.c.n&gt;</c>, <c>z.c.n</c>, a decimal number or <c>0x</c> and hex digits.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">Not one of those forms, or a part out of range.</exception>
    public static TipcNodeAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out TipcNodeAddress address, out string? error))
        {
            throw new FormatException($"TIPC node address '{text}' {error}.");
        }

        return address;
    }

    internal static bool TryParse(ReadOnlySpan<char> text, out TipcNodeAddress address, out string? error)
    {
        address = default;
        error = null;
        ReadOnlySpan<char> body = text.Length >= 2 && text[0] == '<' && text[^1] == '>' ? text[1..^1] : text;
        if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (uint.TryParse(body[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint hex))
            {
                address = new TipcNodeAddress(hex);
                return true;
            }

            error = "is not 0x and 1 to 8 hex digits";
            return false;
        }

        Span<Range> parts = stackalloc Range[4];
        int count = body.Split(parts, '.');
        if (count == 1 && body.Length > 0)
        {
            if (uint.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out uint plain))
            {
                address = new TipcNodeAddress(plain);
                return true;
            }

            error = "is not <zone.cluster.node> or a number 0–4294967295";
            return false;
        }

        if (count != 3)
        {
            error = "is not <zone.cluster.node>";
            return false;
        }

        (string Name, int Max)[] limits = [("zone", MaxZone), ("cluster", MaxCluster), ("node", MaxNode)];
        Span<int> values = stackalloc int[3];
        for (int i = 0; i < 3; i++)
        {
            ReadOnlySpan<char> part = body[parts[i]];
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] > limits[i].Max)
            {
                error = $"has {limits[i].Name} '{part}', which is not a number 0–{limits[i].Max}";
                return false;
            }
        }

        address = new TipcNodeAddress(values[0], values[1], values[2]);
        return true;
    }

    /// <summary>The canonical text, <c>&lt;z.c.n&gt;</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"<{Zone}.{Cluster}.{Node}>");

    internal string ToInnerString() => string.Create(CultureInfo.InvariantCulture, $"{Zone}.{Cluster}.{Node}");

    /// <summary>The 32-bit value.</summary>
    /// <param name="address">The address.</param>
    public static implicit operator uint(TipcNodeAddress address) => address.Value;

    private static uint Pack(int zone, int cluster, int node)
    {
        Check(zone, MaxZone, "zone", nameof(zone));
        Check(cluster, MaxCluster, "cluster", nameof(cluster));
        Check(node, MaxNode, "node", nameof(node));
        return ((uint)zone << TIPC_ZONE_OFFSET) | ((uint)cluster << TIPC_CLUSTER_OFFSET) | (uint)node;
    }

    private static void Check(int value, int max, string what, string paramName)
    {
        if (value < 0 || value > max)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"TIPC {what} {value} is outside 0–{max} (a node address is 8 bits of zone, 12 of cluster, 12 of node).");
        }
    }
}
