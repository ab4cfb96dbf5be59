using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Buses.Can.Interop;
using Buses.Netlink;
using static Buses.Can.Interop.GatewayNetlink;

namespace Buses.Can;

/// <summary>
/// One can-gw routing rule (kernel module <c>can-gw</c>): frames received on <see cref="Source"/> that pass
/// <see cref="Filter"/> are modified, checksummed and sent on <see cref="Destination"/>. Rules from
/// <see cref="CanGateway.List"/> also carry the kernel's counters. <see cref="ToString"/> prints a rule as
/// <c>cangw -L</c> does, and <see cref="Parse"/> reads <c>cangw</c>'s command line.
/// </summary>
/// <remarks>
/// The kernel checks a rule as a whole: <see cref="Validate"/> applies the same limits first so a bad rule
/// fails with a message naming the value, not EINVAL. A delete matches a rule by every attribute.
/// </remarks>
public sealed class CanGatewayRule
{
    private readonly List<ushort> _decodedOrder = [];

    /// <summary>The interface frames come from.</summary>
    public CanAddress Source { get; init; }

    /// <summary>The interface frames go to.</summary>
    public CanAddress Destination { get; init; }

    /// <summary>The rule's flags.</summary>
    public CanGatewayFlags Flags { get; init; }

    /// <summary>Which frames the rule takes; <see langword="null"/> takes every frame.</summary>
    public CanFilter? Filter { get; init; }

    /// <summary>Up to four modifications, applied by the kernel in the order AND, OR, XOR, SET whatever their order here.</summary>
    public IReadOnlyList<CanGatewayModification> Modifications { get; init; } = [];

    /// <summary>An XOR checksum computed after the modifications.</summary>
    public CanGatewayXorChecksum? XorChecksum { get; init; }

    /// <summary>A CRC8 checksum computed after the modifications.</summary>
    public CanGatewayCrc8Checksum? Crc8Checksum { get; init; }

    /// <summary>A user-defined id (<c>CGW_MOD_UID</c>, Linux 4.10+): a rule with one can later be updated in place; 0 = none.</summary>
    public uint Uid { get; init; }

    /// <summary>The most gateway hops a frame of this rule may take (<c>CGW_LIM_HOPS</c>); 0 = the module's max_hops.</summary>
    /// <remarks>The kernel refuses (EINVAL) a limit above the can-gw module's <c>max_hops</c> parameter (default 1, see /sys/module/can_gw/parameters/max_hops).</remarks>
    public byte HopLimit { get; init; }

    /// <summary>Frames routed (<c>CGW_HANDLED</c>), from a listing.</summary>
    public uint Handled { get; init; }

    /// <summary>Frames that could not be sent (<c>CGW_DROPPED</c>), from a listing.</summary>
    public uint Dropped { get; init; }

    /// <summary>Frames removed because they exceeded the hop limit (<c>CGW_DELETED</c>), from a listing.</summary>
    public uint Deleted { get; init; }

    /// <summary>Whether this is an FD rule.</summary>
    public bool IsFd => (Flags & CanGatewayFlags.Fd) != 0;

    private int FrameLength => IsFd ? CanFdFrame.MaxDataLength : CanFrame.MaxDataLength;

    /// <summary>Throws when the kernel would refuse the rule, naming the value and the rule it breaks.</summary>
    /// <exception cref="ArgumentException">A modification of the wrong kind or past the frame length, a checksum index outside the frame, a bad CRC8 profile, more than four modifications.</exception>
    public void Validate()
    {
        if (Modifications.Count > CGW_MOD_FUNCS)
        {
            throw new ArgumentException($"A can-gw rule holds at most {CGW_MOD_FUNCS} modifications (one each of AND, OR, XOR, SET); this one has {Modifications.Count}.");
        }

        if (Modifications.GroupBy(m => m.Operation).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"A can-gw rule holds one {twice.Key.ToString().ToUpperInvariant()} modification; this one has {twice.Count()}: merge their fields into one.");
        }

        foreach (CanGatewayModification m in Modifications)
        {
            string name = $"{m.Operation.ToString().ToUpperInvariant()} modification";
            if (m.IsFd != IsFd)
            {
                throw new ArgumentException(IsFd
                    ? $"The {name} is a classic one (8 data bytes) in a CAN FD rule: an FD rule takes FD modifications (cangw -M)."
                    : $"The {name} is an FD one (64 data bytes) in a classic rule: set the FD flag (cangw -X) or use a classic modification (cangw -m).");
            }

            if (m.Data.Length != FrameLength)
            {
                throw new ArgumentException($"The {name} has {m.Data.Length} data bytes; a {(IsFd ? "CAN FD" : "classic")} modification has exactly {FrameLength}.");
            }

            if (!IsFd && (m.Fields & CanGatewayFields.Flags) != 0)
            {
                throw new ArgumentException($"The {name} touches the FD flags, which a classic frame does not have.");
            }

            if ((m.Fields & CanGatewayFields.Length) != 0)
            {
                int max = m.Operation == CanGatewayOperation.Set ? FrameLength : IsFd ? byte.MaxValue : CanUapi.CAN_MAX_RAW_DLC;
                if (m.Length > max)
                {
                    throw new ArgumentException(m.Operation == CanGatewayOperation.Set
                        ? $"The {name} sets length {m.Length}, past the {(IsFd ? "CAN FD" : "classic")} frame's {FrameLength} bytes."
                        : $"The {name} has DLC mask 0x{m.Length:X}, past a classic DLC's 4 bits (0–F).");
                }
            }
        }

        if ((XorChecksum is not null || Crc8Checksum is not null) && Modifications.Count == 0)
        {
            throw new ArgumentException("A can-gw checksum (cangw -x or -c) needs at least one modification (cangw -m), as the kernel computes checksums only after modifying.");
        }

        if (XorChecksum is { } x)
        {
            CheckIndexes("XOR checksum", x.From, x.To, x.Result);
        }

        if (Crc8Checksum is { } c)
        {
            CheckIndexes("CRC8 checksum", c.From, c.To, c.Result);
            if ((byte)c.Profile > CGW_CRC8PRF_MAX)
            {
                throw new ArgumentException($"CRC8 profile {(byte)c.Profile} is not one of 0 (none), 1 (1U8), 2 (16U8), 3 (SFFID_XOR).");
            }

            if (c.Table.Length != 256)
            {
                throw new ArgumentException($"A CRC8 table has 256 entries; this one has {c.Table.Length}.");
            }

            if (c.ProfileData.Length > 20)
            {
                throw new ArgumentException($"CRC8 profile data holds at most 20 bytes; this has {c.ProfileData.Length}.");
            }
        }
    }

    private void CheckIndexes(string what, sbyte from, sbyte to, sbyte result)
    {
        // net/can/gw.c cgw_chk_csum_parms: each index in -len..len-1, negative ones counting from the end.
        int len = FrameLength;
        foreach ((string role, sbyte value) in new[] { ("from", from), ("to", to), ("result", result) })
        {
            if (value < -len || value >= len)
            {
                throw new ArgumentException($"{what} {role} index {value} is past the {len}-byte {(IsFd ? "CAN FD" : "classic")} frame ({-len}…{len - 1}).");
            }
        }
    }

    /// <summary>
    /// Writes the request <c>cangw</c> sends for <paramref name="command"/> with this rule's options, attribute
    /// for attribute (source and destination index, filter, CRC8, XOR, UID, hop limit, modifications).
    /// </summary>
    /// <param name="builder">The builder; one message is added.</param>
    /// <param name="command">Add, delete, flush (indexes sent as 0) or list (a dump).</param>
    /// <param name="resolve">Turns an interface into its index; by default <see cref="CanAddress.ResolveIndex"/>.</param>
    public void WriteRequest(NetlinkMessageBuilder builder, CanGatewayCommand command, Func<CanAddress, int>? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        resolve ??= static a => a.ResolveIndex();
        (ushort type, NetlinkMessageFlags flags) = command switch
        {
            CanGatewayCommand.Add => (RTM_NEWROUTE, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack),
            CanGatewayCommand.Delete or CanGatewayCommand.Flush => (RTM_DELROUTE, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack),
            _ => (RTM_GETROUTE, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump),
        };
        builder.BeginMessage(type, flags);
        builder.WriteFamilyHeader(new rtcanmsg { can_family = CanUapi.AF_CAN, gwtype = CGW_TYPE_CAN_CAN, flags = (ushort)Flags });
        bool flush = command == CanGatewayCommand.Flush;
        builder.AddU32(CGW_SRC_IF, flush || Source.IsAny ? 0u : (uint)resolve(Source));
        builder.AddU32(CGW_DST_IF, flush || Destination.IsAny ? 0u : (uint)resolve(Destination));
        if (Filter is { } filter)
        {
            builder.AddStruct(CGW_FILTER, filter);
        }

        if (Crc8Checksum is { } c)
        {
            builder.AddStruct(CGW_CS_CRC8, ToKernel(c));
        }

        if (XorChecksum is { } x)
        {
            builder.AddStruct(CGW_CS_XOR, new cgw_csum_xor { from_idx = x.From, to_idx = x.To, result_idx = x.Result, init_xor_val = x.Initial });
        }

        if (Uid != 0)
        {
            builder.AddU32(CGW_MOD_UID, Uid);
        }

        if (HopLimit != 0)
        {
            builder.AddU8(CGW_LIM_HOPS, HopLimit);
        }

        Span<byte> mod = stackalloc byte[CGW_FDMODATTR_LEN];
        foreach (CanGatewayModification m in Modifications)
        {
            mod.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(mod, m.Id);
            mod[4] = m.Length;
            if (m.IsFd)
            {
                mod[5] = m.FdFlags;
                m.Data.Span.CopyTo(mod[8..]);
                mod[CGW_FDMODATTR_LEN - 1] = (byte)m.Fields;
                builder.AddBytes((ushort)(CGW_FDMOD_AND - 1 + (int)m.Operation), mod[..CGW_FDMODATTR_LEN]);
            }
            else
            {
                m.Data.Span.CopyTo(mod[8..]);
                mod[CGW_MODATTR_LEN - 1] = (byte)m.Fields;
                builder.AddBytes((ushort)m.Operation, mod[..CGW_MODATTR_LEN]);
            }
        }

        builder.EndMessage();
    }

    private static cgw_csum_crc8 ToKernel(CanGatewayCrc8Checksum c)
    {
        var raw = new cgw_csum_crc8
        {
            from_idx = c.From,
            to_idx = c.To,
            result_idx = c.Result,
            init_crc_val = c.Initial,
            final_xor_val = c.FinalXor,
            profile = (byte)c.Profile,
        };
        c.Table.Span.CopyTo(raw.crctab);
        c.ProfileData.Span.CopyTo(raw.profile_data);
        return raw;
    }

    /// <summary>Decodes one message of the kernel's rule dump (<c>RTM_NEWROUTE</c> with <c>struct rtcanmsg</c>).</summary>
    /// <param name="message">The message.</param>
    /// <returns>The rule, with its counters.</returns>
    /// <exception cref="InvalidDataException">Not a CAN-to-CAN gateway rule.</exception>
    public static CanGatewayRule Decode(NetlinkMessage message)
    {
        ReadOnlySpan<byte> payload = message.Payload;
        if (payload.Length < 4 || payload[0] != CanUapi.AF_CAN || payload[1] != CGW_TYPE_CAN_CAN)
        {
            throw new InvalidDataException($"A can-gw dump message of {payload.Length} bytes is not an AF_CAN CAN-to-CAN rule (family {(payload.Length > 0 ? payload[0] : -1)}, type {(payload.Length > 1 ? payload[1] : -1)}).");
        }

        var flags = (CanGatewayFlags)BinaryPrimitives.ReadUInt16LittleEndian(payload[2..]);
        int source = 0, destination = 0;
        uint handled = 0, dropped = 0, deleted = 0, uid = 0;
        byte hops = 0;
        CanFilter? filter = null;
        CanGatewayXorChecksum? xor = null;
        CanGatewayCrc8Checksum? crc8 = null;
        var mods = new List<CanGatewayModification>();
        var order = new List<ushort>();
        foreach (NetlinkAttribute a in message.GetAttributes(4))
        {
            order.Add(a.Type);
            switch (a.Type)
            {
                case CGW_SRC_IF: source = (int)a.GetU32(); break;
                case CGW_DST_IF: destination = (int)a.GetU32(); break;
                case CGW_HANDLED: handled = a.GetU32(); break;
                case CGW_DROPPED: dropped = a.GetU32(); break;
                case CGW_DELETED: deleted = a.GetU32(); break;
                case CGW_MOD_UID: uid = a.GetU32(); break;
                case CGW_LIM_HOPS: hops = a.GetU8(); break;
                case CGW_FILTER:
                    uint id = BinaryPrimitives.ReadUInt32LittleEndian(a.Payload);
                    filter = new CanFilter(id & ~CanUapi.CAN_INV_FILTER, BinaryPrimitives.ReadUInt32LittleEndian(a.Payload[4..]), (id & CanUapi.CAN_INV_FILTER) != 0);
                    break;
                case CGW_CS_XOR:
                    cgw_csum_xor x = a.GetStruct<cgw_csum_xor>();
                    xor = new CanGatewayXorChecksum(x.from_idx, x.to_idx, x.result_idx, x.init_xor_val);
                    break;
                case CGW_CS_CRC8:
                    cgw_csum_crc8 c = a.GetStruct<cgw_csum_crc8>();
                    crc8 = new CanGatewayCrc8Checksum(c.from_idx, c.to_idx, c.result_idx, c.init_crc_val, c.final_xor_val,
                        ((ReadOnlySpan<byte>)c.crctab).ToArray(), (CanGatewayCrc8Profile)c.profile, ((ReadOnlySpan<byte>)c.profile_data).ToArray());
                    break;
                case >= CGW_MOD_AND and <= CGW_MOD_SET when a.Payload.Length >= CGW_MODATTR_LEN:
                    mods.Add(new CanGatewayModification((CanGatewayOperation)a.Type, (CanGatewayFields)a.Payload[CGW_MODATTR_LEN - 1],
                        BinaryPrimitives.ReadUInt32LittleEndian(a.Payload), a.Payload[4], 0, a.Payload.Slice(8, 8).ToArray()));
                    break;
                case >= CGW_FDMOD_AND and <= CGW_FDMOD_SET when a.Payload.Length >= CGW_FDMODATTR_LEN:
                    mods.Add(new CanGatewayModification((CanGatewayOperation)(a.Type - CGW_FDMOD_AND + 1), (CanGatewayFields)a.Payload[CGW_FDMODATTR_LEN - 1],
                        BinaryPrimitives.ReadUInt32LittleEndian(a.Payload), a.Payload[4], a.Payload[5], a.Payload.Slice(8, 64).ToArray()));
                    break;
            }
        }

        var rule = new CanGatewayRule
        {
            Source = CanAddress.FromIndex(source),
            Destination = CanAddress.FromIndex(destination),
            Flags = flags,
            Filter = filter,
            Modifications = mods,
            XorChecksum = xor,
            Crc8Checksum = crc8,
            Uid = uid,
            HopLimit = hops,
            Handled = handled,
            Dropped = dropped,
            Deleted = deleted,
        };
        rule._decodedOrder.AddRange(order);
        return rule;
    }

    /// <summary>
    /// The rule as <c>cangw -L</c> prints it, after the program name: <c>-A -s vcan0 -d vcan1 -e -f 123:7FF
    /// -m SET:IL:333.4.1122334455667788 # 0 handled 0 dropped 0 deleted</c>; options in the kernel's
    /// attribute order for a listed rule, in <c>cangw</c>'s request order for one built here.
    /// </summary>
    public override string ToString() => Format(static a => a.InterfaceName ?? NameOrIndex(a.InterfaceIndex));

    private static string NameOrIndex(int index)
    {
        try
        {
            return Interfaces.NameOf(index);
        }
        catch (BusException)
        {
            // cangw prints if_indextoname's NULL as "(null)"; an index says more.
            return "#" + index.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Like <see cref="ToString"/>, with interface names from <paramref name="nameOf"/>.</summary>
    /// <param name="nameOf">Names an interface.</param>
    public string Format(Func<CanAddress, string> nameOf)
    {
        ArgumentNullException.ThrowIfNull(nameOf);
        var s = new StringBuilder("-A ");
        s.Append(CultureInfo.InvariantCulture, $"-s {nameOf(Source)} -d {nameOf(Destination)} ");
        if (IsFd)
        {
            s.Append("-X ");
        }

        if ((Flags & CanGatewayFlags.Echo) != 0)
        {
            s.Append("-e ");
        }

        if ((Flags & CanGatewayFlags.SourceTimestamp) != 0)
        {
            s.Append("-t ");
        }

        if ((Flags & CanGatewayFlags.IncomingInterfaceTransmitOk) != 0)
        {
            s.Append("-i ");
        }

        IEnumerable<ushort> order = _decodedOrder.Count > 0
            ? _decodedOrder
            : new[] { CGW_FILTER, CGW_CS_CRC8, CGW_CS_XOR, CGW_MOD_UID, CGW_LIM_HOPS }.Concat(Modifications.Select(m => (ushort)m.Operation));
        int modIndex = 0;
        foreach (ushort type in order)
        {
            switch (type)
            {
                case CGW_FILTER when Filter is { } f:
                    s.Append(CultureInfo.InvariantCulture, $"-f {f.Id:X3}{(f.IsInverted ? '~' : ':')}{f.Mask:X} ");
                    break;
                case CGW_CS_CRC8 when Crc8Checksum is { } c:
                    s.Append(CultureInfo.InvariantCulture, $"-c {c.From}:{c.To}:{c.Result}:{c.Initial:X2}:{c.FinalXor:X2}:{Convert.ToHexString(c.Table.Span)} ");
                    if (c.Profile != CanGatewayCrc8Profile.None)
                    {
                        s.Append(CultureInfo.InvariantCulture, $"-p {(byte)c.Profile}:");
                        s.Append(c.Profile switch
                        {
                            CanGatewayCrc8Profile.OneByte => Convert.ToHexString(c.ProfileData.Span[..Math.Min(1, c.ProfileData.Length)]),
                            CanGatewayCrc8Profile.SixteenBytes => Convert.ToHexString(c.ProfileData.Span[..Math.Min(16, c.ProfileData.Length)]),
                            CanGatewayCrc8Profile.StandardIdXor => "",
                            _ => $"<unknown profile #{(byte)c.Profile}>",
                        });
                        s.Append(' ');
                    }

                    break;
                case CGW_CS_XOR when XorChecksum is { } x:
                    s.Append(CultureInfo.InvariantCulture, $"-x {x.From}:{x.To}:{x.Result}:{x.Initial:X2} ");
                    break;
                case CGW_MOD_UID when Uid != 0:
                    s.Append(CultureInfo.InvariantCulture, $"-u {Uid:X} ");
                    break;
                case CGW_LIM_HOPS when HopLimit != 0:
                    s.Append(CultureInfo.InvariantCulture, $"-l {HopLimit} ");
                    break;
                case (>= CGW_MOD_AND and <= CGW_MOD_SET) or (>= CGW_FDMOD_AND and <= CGW_FDMOD_SET) when modIndex < Modifications.Count:
                    AppendModification(s, Modifications[modIndex++]);
                    break;
            }
        }

        s.Append(CultureInfo.InvariantCulture, $"# {Handled} handled {Dropped} dropped {Deleted} deleted");
        return s.ToString();
    }

    private static void AppendModification(StringBuilder s, CanGatewayModification m)
    {
        s.Append(m.IsFd ? "-M " : "-m ").Append(m.Operation.ToString().ToUpperInvariant()).Append(':');
        if ((m.Fields & CanGatewayFields.Id) != 0)
        {
            s.Append('I');
        }

        if (m.IsFd && (m.Fields & CanGatewayFields.Flags) != 0)
        {
            s.Append('F');
        }

        if ((m.Fields & CanGatewayFields.Length) != 0)
        {
            s.Append('L');
        }

        if ((m.Fields & CanGatewayFields.Data) != 0)
        {
            s.Append('D');
        }

        s.Append(m.IsFd ? string.Create(CultureInfo.InvariantCulture, $":{m.Id:X3}.{m.FdFlags:X}.{m.Length:X}.") : string.Create(CultureInfo.InvariantCulture, $":{m.Id:X3}.{m.Length:X}."));
        s.Append(Convert.ToHexString(m.Data.Span)).Append(' ');
    }

    /// <summary>
    /// Parses <c>cangw</c>'s command line as it is (<c>-A -s vcan0 -d vcan1 -e -f 123:7FF -m SET:IL:333.4.1122334455667788</c>):
    /// options <c>-A -D -F -L -s -d -X -t -e -i -u -l -f -m -M -x -c -p</c>, values in hex as cangw reads them.
    /// </summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="command">The command (-A, -D, -F or -L; the first one given wins, as in cangw).</param>
    /// <returns>The rule the options describe, validated for add and delete.</returns>
    /// <exception cref="FormatException">An option or value cangw would refuse, named.</exception>
    public static CanGatewayRule Parse(IReadOnlyList<string> args, out CanGatewayCommand command)
    {
        ArgumentNullException.ThrowIfNull(args);
        CanGatewayCommand? cmd = null;
        CanAddress source = default, destination = default;
        var flags = CanGatewayFlags.None;
        uint uid = 0;
        byte hops = 0;
        CanFilter? filter = null;
        CanGatewayXorChecksum? xor = null;
        sbyte[]? crcIndexes = null;
        byte crcInit = 0, crcFinal = 0;
        byte[]? crcTable = null;
        var profile = CanGatewayCrc8Profile.None;
        byte[] profileData = new byte[20];
        var mods = new List<CanGatewayModification>();
        bool fdMods = false, classicMods = false;

        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg.Length < 2 || arg[0] != '-')
            {
                throw new FormatException($"cangw takes no operands; '{arg}' is not an option.");
            }

            for (int j = 1; j < arg.Length; j++)
            {
                char letter = arg[j];
                string Value()
                {
                    if (j + 1 < arg.Length)
                    {
                        string inline = arg[(j + 1)..];
                        j = arg.Length;
                        return inline;
                    }

                    if (i + 1 >= args.Count)
                    {
                        throw new FormatException($"cangw option -{letter} needs a value.");
                    }

                    j = arg.Length;
                    return args[++i];
                }

                switch (letter)
                {
                    case 'A': cmd ??= CanGatewayCommand.Add; break;
                    case 'D': cmd ??= CanGatewayCommand.Delete; break;
                    case 'F': cmd ??= CanGatewayCommand.Flush; break;
                    case 'L': cmd ??= CanGatewayCommand.List; break;
                    case 'X': flags |= CanGatewayFlags.Fd; break;
                    case 't': flags |= CanGatewayFlags.SourceTimestamp; break;
                    case 'e': flags |= CanGatewayFlags.Echo; break;
                    case 'i': flags |= CanGatewayFlags.IncomingInterfaceTransmitOk; break;
                    case 's': source = Interface(Value(), "-s"); break;
                    case 'd': destination = Interface(Value(), "-d"); break;
                    case 'u':
                        string u = Value();
                        uid = (uint)Hex(u, 0xFFFFFFFF, $"-u '{u}' is not a hex UID (up to FFFFFFFF)");
                        break;
                    case 'l':
                        string l = Value();
                        if (!byte.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out hops) || hops == 0 || hops > 127)
                        {
                            throw new FormatException($"Bad hop limit definition '{l}': a hop limit is 1–127.");
                        }

                        break;
                    case 'f': filter = ParseFilter(Value()); break;
                    case 'x': xor = ParseXor(Value()); break;
                    case 'c': (crcIndexes, crcInit, crcFinal, crcTable) = ParseCrc8(Value()); break;
                    case 'p': (profile, profileData) = ParseProfile(Value()); break;
                    case 'm':
                        classicMods = true;
                        mods.Add(ParseModification(Value(), fd: false));
                        break;
                    case 'M':
                        fdMods = true;
                        mods.Add(ParseModification(Value(), fd: true));
                        break;
                    default:
                        throw new FormatException($"cangw has no option -{letter}.");
                }
            }
        }

        command = cmd ?? throw new FormatException("cangw needs one of -A (add), -D (delete), -F (flush) or -L (list).");
        if (command is CanGatewayCommand.Add or CanGatewayCommand.Delete && (source.IsAny || destination.IsAny))
        {
            throw new FormatException($"cangw {(command == CanGatewayCommand.Add ? "-A" : "-D")} needs both -s <src_dev> and -d <dst_dev>.");
        }

        if (classicMods && (flags & CanGatewayFlags.Fd) != 0)
        {
            throw new FormatException("No -m modifications allowed in CAN FD mode (-X): use -M.");
        }

        if (fdMods && (flags & CanGatewayFlags.Fd) == 0)
        {
            throw new FormatException("-M modifications are CAN FD ones: add -X.");
        }

        if (crcIndexes is null && profile != CanGatewayCrc8Profile.None)
        {
            throw new FormatException("A CRC8 profile (-p) needs a CRC8 checksum (-c).");
        }

        var rule = new CanGatewayRule
        {
            Source = source,
            Destination = destination,
            Flags = flags,
            Filter = filter,
            Modifications = mods,
            XorChecksum = xor,
            Crc8Checksum = crcIndexes is null ? null : new CanGatewayCrc8Checksum(crcIndexes[0], crcIndexes[1], crcIndexes[2], crcInit, crcFinal, crcTable!, profile, profileData),
            Uid = uid,
            HopLimit = hops,
        };
        if (command is CanGatewayCommand.Add or CanGatewayCommand.Delete)
        {
            try
            {
                rule.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new FormatException(ex.Message, ex);
            }
        }

        return rule;
    }

    private static CanAddress Interface(string name, string option)
    {
        try
        {
            return new CanAddress(name);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"cangw {option} '{name}' is not an interface name: {ex.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    private static ulong Hex(string text, ulong max, string error)
    {
        string digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (digits.Length is 0 or > 16 || !ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value) || value > max)
        {
            throw new FormatException(error + ".");
        }

        return value;
    }

    private static sbyte Index(string text, string what)
    {
        if (!sbyte.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out sbyte value))
        {
            throw new FormatException($"{what} '{text}' is not a byte index (-128…127).");
        }

        return value;
    }

    private static byte[] HexBytes(string text, int count, string what)
    {
        if (text.Length != 2 * count)
        {
            throw new FormatException($"{what} has {text.Length} hex digits; it needs exactly {2 * count} ({count} bytes).");
        }

        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new FormatException($"{what} '{text}' is not hex.");
        }
    }

    private static CanFilter ParseFilter(string text)
    {
        int at = text.IndexOfAny([':', '~']);
        if (at <= 0)
        {
            throw new FormatException($"Bad filter definition '{text}': expected <can_id>:<can_mask> or <can_id>~<can_mask> in hex.");
        }

        uint id = (uint)Hex(text[..at], 0xFFFFFFFF, $"Bad filter definition '{text}': '{text[..at]}' is not a hex CAN id");
        uint mask = (uint)Hex(text[(at + 1)..], 0xFFFFFFFF, $"Bad filter definition '{text}': '{text[(at + 1)..]}' is not a hex mask");
        bool inverted = text[at] == '~' || (id & CanUapi.CAN_INV_FILTER) != 0;
        return new CanFilter(id & ~CanUapi.CAN_INV_FILTER, mask, inverted);
    }

    private static CanGatewayXorChecksum ParseXor(string text)
    {
        string[] p = text.Split(':');
        if (p.Length != 4)
        {
            throw new FormatException($"Bad XOR checksum definition '{text}': expected <from_idx>:<to_idx>:<result_idx>:<init_xor_val>.");
        }

        return new CanGatewayXorChecksum(Index(p[0], "XOR from"), Index(p[1], "XOR to"), Index(p[2], "XOR result"),
            (byte)Hex(p[3], 0xFF, $"Bad XOR checksum definition '{text}': '{p[3]}' is not a hex byte"));
    }

    private static (sbyte[], byte, byte, byte[]) ParseCrc8(string text)
    {
        string[] p = text.Split(':');
        if (p.Length != 6)
        {
            throw new FormatException($"Bad CRC8 checksum definition '{text[..Math.Min(40, text.Length)]}…': expected <from>:<to>:<result>:<init_val>:<xor_val>:<crctab[256]>.");
        }

        return ([Index(p[0], "CRC8 from"), Index(p[1], "CRC8 to"), Index(p[2], "CRC8 result")],
            (byte)Hex(p[3], 0xFF, $"Bad CRC8 checksum definition: '{p[3]}' is not a hex byte"),
            (byte)Hex(p[4], 0xFF, $"Bad CRC8 checksum definition: '{p[4]}' is not a hex byte"),
            HexBytes(p[5], 256, "The CRC8 table"));
    }

    private static (CanGatewayCrc8Profile, byte[]) ParseProfile(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !byte.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out byte number))
        {
            throw new FormatException($"Bad CRC8 profile definition '{text}': expected <profile>:[<profile_data>].");
        }

        if (number is 0 or > CGW_CRC8PRF_MAX)
        {
            throw new FormatException($"Bad CRC8 profile definition '{text}': profile {number} is not one of 1 (1U8), 2 (16U8), 3 (SFFID_XOR).");
        }

        byte[] data = new byte[20];
        string rest = text[(colon + 1)..];
        var profile = (CanGatewayCrc8Profile)number;
        switch (profile)
        {
            case CanGatewayCrc8Profile.OneByte:
                HexBytes(rest, 1, "CRC8 profile 1 data").CopyTo(data, 0);
                break;
            case CanGatewayCrc8Profile.SixteenBytes:
                HexBytes(rest, 16, "CRC8 profile 2 data").CopyTo(data, 0);
                break;
        }

        return (profile, data);
    }

    private static CanGatewayModification ParseModification(string text, bool fd)
    {
        string option = fd ? "-M" : "-m";
        string[] p = text.Split(':');
        if (p.Length != 3)
        {
            throw new FormatException($"Problem with modification definition '{text}': expected {(fd ? "<instruction>:<canfd_frame-elements>:<can_id>.<flags>.<len>.<can_data>" : "<instruction>:<can_frame-elements>:<can_id>.<can_dlc>.<can_data>")}.");
        }

        CanGatewayOperation operation = p[0] switch
        {
            "AND" => CanGatewayOperation.And,
            "OR" => CanGatewayOperation.Or,
            "XOR" => CanGatewayOperation.Xor,
            "SET" => CanGatewayOperation.Set,
            _ => throw new FormatException($"{option} '{text}': '{p[0]}' is not AND, OR, XOR or SET."),
        };
        var fields = CanGatewayFields.None;
        if (p[1].Length is 0 or > 4)
        {
            throw new FormatException($"{option} '{text}': '{p[1]}' is not one to {(fd ? 4 : 3)} of the letters {(fd ? "I, F, L, D" : "I, L, D")}.");
        }

        foreach (char c in p[1])
        {
            fields |= c switch
            {
                'I' => CanGatewayFields.Id,
                'L' => CanGatewayFields.Length,
                'D' => CanGatewayFields.Data,
                'F' when fd => CanGatewayFields.Flags,
                _ => throw new FormatException($"{option} '{text}': '{c}' is not a frame element ({(fd ? "I, F, L, D" : "I, L, D")})."),
            };
        }

        string[] v = p[2].Split('.');
        if (v.Length != (fd ? 4 : 3))
        {
            throw new FormatException($"{option} '{text}': '{p[2]}' is not {(fd ? "<can_id>.<flags>.<len>.<64 data bytes>" : "<can_id>.<can_dlc>.<8 data bytes>")}.");
        }

        uint id = (uint)Hex(v[0], 0xFFFFFFFF, $"{option} '{text}': '{v[0]}' is not a hex CAN id");
        byte flagsValue = fd ? (byte)Hex(v[1], 0xFF, $"{option} '{text}': '{v[1]}' is not hex flags") : (byte)0;
        string lengthText = fd ? v[2] : v[1];
        byte length = (byte)Hex(lengthText, 0xFF, $"{option} '{text}': '{lengthText}' is not a hex {(fd ? "length" : "DLC")}");
        byte[] data = HexBytes(v[^1], fd ? 64 : 8, $"{option} '{text[..Math.Min(text.Length, 40)]}' data");
        return new CanGatewayModification(operation, fields, id, length, flagsValue, data);
    }
}
