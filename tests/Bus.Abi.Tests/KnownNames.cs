namespace Buses.Abi.Tests;

/// <summary>
/// What reflection cannot guess: which public .NET-named types are kernel layouts or Linux
/// constants and what their C names are, C members whose C# field is spelled differently, and
/// the few C#-side names with no C macro of the same name (a C expression, or "-" and the reason
/// the library owns the value).
/// </summary>
internal sealed class KnownNames
{
    internal sealed record Layout(string? CType, string? Reason, Dictionary<string, string> Fields);

    internal sealed record ConstantMap(bool SameNames, Dictionary<string, string> Members);

    public Dictionary<string, Layout> Layouts { get; } = [];

    public HashSet<string> NotKernelLayouts { get; } = [];

    public Dictionary<string, ConstantMap> TypeConstants { get; } = [];

    public Dictionary<string, string> Constants { get; } = [];

    /// <summary>C names newer than the oldest headers the test runs with: checked where the headers have them.</summary>
    public HashSet<string> NewerUapi { get; } = [];

    // Sections: "[struct CSharpType = C type]" (or "= - reason" for a library-own layout) with
    // "csField = c.member" lines; "[constants CSharpType]" with "Member = C expression" lines, where
    // every member must be listed, or "[constants CSharpType *]" where unlisted members keep their
    // own name as the C name; "[constants]" with "Full.Name.MEMBER = C expression" lines.
    private const string Table = """
        [struct Buses.Can.CanFrame = struct can_frame]
        _canId = can_id
        _len = len
        _pad = __pad
        _res0 = __res0
        _len8Dlc = len8_dlc
        _data = data

        [struct Buses.Can.CanFdFrame = struct canfd_frame]
        _canId = can_id
        _len = len
        _flags = flags
        _res0 = __res0
        _res1 = __res1
        _data = data

        [struct Buses.Can.CanXlFrame = struct canxl_frame]
        _prio = prio
        _flags = flags
        _sdt = sdt
        _len = len
        _af = af
        _data = data

        [struct Buses.Can.CanFilter = struct can_filter]
        _canId = can_id
        _canMask = can_mask

        [struct Buses.Can.CanBitTiming = struct can_bittiming]
        Bitrate = bitrate
        SamplePoint = sample_point
        TimeQuantum = tq
        PropagationSegment = prop_seg
        PhaseSegment1 = phase_seg1
        PhaseSegment2 = phase_seg2
        SynchronizationJumpWidth = sjw
        BitratePrescaler = brp

        [struct Buses.Can.CanBitTimingConstant = struct can_bittiming_const]
        _name = name
        _tseg1Min = tseg1_min
        _tseg1Max = tseg1_max
        _tseg2Min = tseg2_min
        _tseg2Max = tseg2_max
        _sjwMax = sjw_max
        _brpMin = brp_min
        _brpMax = brp_max
        _brpInc = brp_inc

        [struct Buses.Can.CanBusErrorCounters = struct can_berr_counter]
        TransmitErrors = txerr
        ReceiveErrors = rxerr

        [struct Buses.Can.CanDeviceStatistics = struct can_device_stats]
        BusErrors = bus_error
        ErrorWarnings = error_warning
        ErrorPassives = error_passive
        BusOffs = bus_off
        ArbitrationLost = arbitration_lost
        Restarts = restarts

        [struct Buses.Netlink.NetlinkHeader = struct nlmsghdr]
        Length = nlmsg_len
        Type = nlmsg_type
        Flags = nlmsg_flags
        Sequence = nlmsg_seq
        PortId = nlmsg_pid

        [struct Buses.Packet.BpfInstruction = struct sock_filter]
        Code = code
        JumpIfTrue = jt
        JumpIfFalse = jf
        Constant = k

        [struct Buses.Inet.PeerCredentials = struct ucred]
        _processId = pid
        _userId = uid
        _groupId = gid

        # sockaddr_can's union can_addr is flattened into explicit offsets.
        [struct Buses.Can.Interop.sockaddr_can]
        tp_rx_id = can_addr.tp.rx_id
        tp_tx_id = can_addr.tp.tx_id
        j1939_name = can_addr.j1939.name
        j1939_pgn = can_addr.j1939.pgn
        j1939_addr = can_addr.j1939.addr

        [constants]
        Interop.Libraries.Libc = - the library name LibraryImport resolves, not a kernel value
        # The header's mask is an int (~0xC000); the library applies it to the u16 nla_type.
        Buses.Netlink.Interop.NetlinkConstants.NLA_TYPE_MASK = (__u16)NLA_TYPE_MASK
        Buses.Netlink.Interop.NetlinkConstants.IFINFOMSG_LEN = sizeof(struct ifinfomsg)
        Buses.Can.Interop.CanNetlink.CAN_CTRLMODE_SIZE = sizeof(struct can_ctrlmode)
        Buses.Can.Interop.CanNetlink.CAN_BITTIMING_SIZE = sizeof(struct can_bittiming)
        Buses.Can.Interop.CanNetlink.CAN_BITTIMING_CONST_SIZE = sizeof(struct can_bittiming_const)
        Buses.Can.Interop.CanNetlink.CAN_DEVICE_STATS_SIZE = sizeof(struct can_device_stats)
        # net/can/raw.c: RAW_MIN_NAMELEN = CAN_REQUIRED_SIZE(struct sockaddr_can, can_ifindex).
        Buses.Can.Interop.sockaddr_can.RAW_MIN_NAMELEN = offsetof(struct sockaddr_can, can_ifindex) + sizeof(int)
        Buses.Inet.InetConstants.SCM_MAX_FD = - kernel-internal (include/net/scm.h), not exported to userspace headers; unix(7) documents 253

        # CAN XL RRS and VCID (socket option, struct and masks) arrived in the UAPI after Linux 6.1.
        [newer-uapi]
        CANXL_RRS
        CANXL_VCID_OFFSET
        CANXL_VCID_VAL_MASK
        CANXL_VCID_MASK
        CAN_RAW_XL_VCID_OPTS
        CAN_RAW_XL_VCID_TX_SET
        CAN_RAW_XL_VCID_TX_PASS
        CAN_RAW_XL_VCID_RX_FILTER
        struct can_raw_vcid_options
        """;

    public static KnownNames Parse(List<string> problems)
    {
        var names = new KnownNames();
        Layout? layout = null;
        ConstantMap? map = null;
        bool loose = false;
        bool newer = false;
        foreach (string raw in Table.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                (layout, map, loose, newer) = (null, null, false, false);
                string header = line.Trim('[', ']');
                if (header.StartsWith("struct ", StringComparison.Ordinal))
                {
                    (string type, string? target) = Split(header["struct ".Length..]);
                    bool own = target?.StartsWith('-') == true;
                    layout = new Layout(own ? "-" : target, own ? target!.TrimStart('-', ' ') : null, []);
                    if (own)
                    {
                        names.NotKernelLayouts.Add(type);
                    }

                    names.Layouts[type] = layout;
                }
                else if (header == "newer-uapi")
                {
                    newer = true;
                }
                else if (header == "constants")
                {
                    loose = true;
                }
                else if (header.StartsWith("constants ", StringComparison.Ordinal))
                {
                    string type = header["constants ".Length..].Trim();
                    bool same = type.EndsWith(" *", StringComparison.Ordinal);
                    map = new ConstantMap(same, []);
                    names.TypeConstants[type.TrimEnd('*', ' ')] = map;
                }
                else
                {
                    problems.Add($"KnownNames: unknown section [{header}]");
                }

                continue;
            }

            if (newer)
            {
                names.NewerUapi.Add(line);
                continue;
            }

            (string key, string? value) = Split(line);
            if (value is null)
            {
                problems.Add($"KnownNames: line '{line}' has no '='");
            }
            else if (layout is not null)
            {
                layout.Fields[key] = value;
            }
            else if (map is not null)
            {
                map.Members[key] = value;
            }
            else if (loose)
            {
                names.Constants[key] = value;
            }
            else
            {
                problems.Add($"KnownNames: line '{line}' is outside any section");
            }
        }

        return names;
    }

    private static (string Key, string? Value) Split(string text)
    {
        int eq = text.IndexOf(" = ", StringComparison.Ordinal);
        return eq < 0 ? (text.Trim(), null) : (text[..eq].Trim(), text[(eq + 3)..].Trim());
    }
}
