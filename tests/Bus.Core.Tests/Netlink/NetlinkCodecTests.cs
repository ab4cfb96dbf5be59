using System.Buffers.Binary;
using Buses.Netlink;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Netlink;

public class NetlinkCodecTests
{
    private static byte[] Message(Action<NetlinkMessageBuilder> write)
    {
        var b = new NetlinkMessageBuilder(16);
        write(b);
        return b.WrittenSpan.ToArray();
    }

    [Fact]
    public void Attributes_round_trip_with_nesting_and_padding()
    {
        byte[] bytes = Message(b =>
        {
            b.BeginMessage(100, NetlinkMessageFlags.Request);
            b.WriteFamilyHeader([1, 2, 3]);
            b.AddU8(1, 0xAB);
            b.AddU16(2, 0x1234);
            b.AddU32(3, 0xDEADBEEF);
            b.AddU64(4, 0x0102030405060708);
            b.AddString(5, "héllo");
            NetlinkMessageBuilder.NestToken nest = b.BeginNested(6, setNestedFlag: true);
            b.AddS32(1, -5);
            b.AddFlag(2);
            b.EndNested(nest);
            b.AddU16BigEndian(7, 0x0800);
            b.EndMessage();
        });

        Assert.Equal(0, bytes.Length % 4);
        int count = 0;
        foreach (NetlinkMessage m in NetlinkMessage.Enumerate(bytes))
        {
            count++;
            Assert.Equal((uint)bytes.Length, m.Header.Length);
            Assert.Equal(100, m.Type);
            NetlinkAttributeReader attributes = m.GetAttributes(3);
            Assert.Equal(7, attributes.Validate());
            Assert.True(attributes.TryFind(1, out NetlinkAttribute a1));
            Assert.Equal(0xAB, a1.GetU8());
            Assert.True(attributes.TryFind(2, out NetlinkAttribute a2));
            Assert.Equal(0x1234, a2.GetU16());
            Assert.True(attributes.TryFind(3, out NetlinkAttribute a3));
            Assert.Equal(0xDEADBEEFu, a3.GetU32());
            Assert.True(attributes.TryFind(4, out NetlinkAttribute a4));
            Assert.Equal(0x0102030405060708ul, a4.GetU64());
            Assert.True(attributes.TryFind(5, out NetlinkAttribute a5));
            Assert.Equal("héllo", a5.GetString());
            Assert.True(attributes.TryFind(6, out NetlinkAttribute a6));
            Assert.True(a6.HasNestedFlag);
            Assert.True(a6.GetNested().TryFind(1, out NetlinkAttribute inner));
            Assert.Equal(-5, inner.GetS32());
            Assert.True(a6.GetNested().TryFind(2, out NetlinkAttribute flag));
            Assert.True(flag.Payload.IsEmpty);
            Assert.True(attributes.TryFind(7, out NetlinkAttribute a7));
            Assert.True(a7.IsNetworkByteOrder);
            Assert.Equal(0x0800, a7.GetU16());
        }

        Assert.Equal(1, count);
    }

    [Fact]
    public void Too_short_payload_for_typed_getter_names_attribute_and_offset()
    {
        byte[] bytes = Message(b =>
        {
            b.BeginMessage(100, NetlinkMessageFlags.None);
            b.AddU16(9, 1);
            b.EndMessage();
        });
        FormatException e = Assert.Throws<FormatException>(() =>
        {
            var reader = new NetlinkAttributeReader(bytes.AsSpan(16), 16);
            Assert.True(reader.MoveNext());
            return reader.Current.GetU32();
        });
        Assert.Contains("type 9 at offset 16", e.Message, StringComparison.Ordinal);
        Assert.Contains("2-byte payload; 4 bytes are needed", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0400", "truncated: 2 byte(s) remain")]
    [InlineData("02000100", "has length 2, below the 4-byte header")]
    [InlineData("0c000100 00000000", "has length 12 but only 8 byte(s) remain")]
    public void Malformed_attributes_throw_format_exception_naming_offset(string hex, string expected)
    {
        byte[] bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        FormatException e = Assert.Throws<FormatException>(() => new NetlinkAttributeReader(bytes, 40).Validate());
        Assert.Contains("offset 40", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10000000 0300", "truncated")]
    [InlineData("08000000 03000000 00000000 00000000", "nlmsg_len 8, below the 16-byte header")]
    [InlineData("40000000 03000000 00000000 00000000", "nlmsg_len 64 but only 16 byte(s) remain")]
    public void Malformed_messages_throw_format_exception(string hex, string expected)
    {
        byte[] bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        FormatException e = Assert.Throws<FormatException>(() =>
        {
            foreach (NetlinkMessage m in NetlinkMessage.Enumerate(bytes))
            {
                _ = m.Type;
            }
        });
        Assert.Contains("offset 0", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Property_attributes_round_trip()
    {
        // Any list of (type, payload) written by the builder reads back identically, in order.
        Prop.ForAll(
            Gen.ListOf(Gen.Zip(Gen.Choose(0, 0x3fff), ArbMap.Default.GeneratorFor<byte[]>())).Select(l => l.ToList()).ToArbitrary(),
            (List<(int Type, byte[] Payload)> attributes) =>
            {
                var b = new NetlinkMessageBuilder(16);
                b.BeginMessage(42, NetlinkMessageFlags.Request);
                foreach ((int type, byte[] payload) in attributes)
                {
                    b.AddBytes((ushort)type, payload);
                }

                b.EndMessage();
                var read = new List<(int, byte[])>();
                foreach (NetlinkMessage m in NetlinkMessage.Enumerate(b.WrittenSpan))
                {
                    foreach (NetlinkAttribute a in m.GetAttributes(0))
                    {
                        read.Add((a.Type, a.Payload.ToArray()));
                    }
                }

                return read.Count == attributes.Count && read.Zip(attributes).All(p => p.First.Item1 == p.Second.Type && p.First.Item2.SequenceEqual(p.Second.Payload));
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Property_arbitrary_bytes_never_crash_the_parser()
    {
        // Random input either parses or throws FormatException; never anything else, never out of bounds.
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            try
            {
                foreach (NetlinkMessage m in NetlinkMessage.Enumerate(bytes))
                {
                    if (m.Payload.Length >= 16)
                    {
                        LinkInfo.Parse(m);
                    }

                    m.GetAttributes(0).Validate();
                }

                new NetlinkAttributeReader(bytes).Validate();
            }
            catch (FormatException)
            {
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Property_mutated_link_messages_fail_only_with_format_exception()
    {
        byte[] valid = Message(b =>
        {
            b.BeginMessage(16, NetlinkMessageFlags.Multi);
            b.WriteFamilyHeader(new byte[16]);
            b.AddString(3, "veth0");
            b.AddU32(4, 1500);
            NetlinkMessageBuilder.NestToken info = b.BeginNested(18);
            b.AddString(1, "veth");
            NetlinkMessageBuilder.NestToken data = b.BeginNested(2);
            b.AddU32(1, 7);
            b.EndNested(data);
            b.EndNested(info);
            b.EndMessage();
        });
        Prop.ForAll(Gen.Choose(0, valid.Length - 1).ToArbitrary(), ArbMap.Default.ArbFor<byte>(), Gen.Choose(0, valid.Length).ToArbitrary(), (position, value, cut) =>
        {
            byte[] mutated = valid[..cut];
            if (position < cut)
            {
                mutated[position] = value;
            }

            try
            {
                foreach (NetlinkMessage m in NetlinkMessage.Enumerate(mutated))
                {
                    if (m.Type == 16)
                    {
                        LinkInfo.Parse(m);
                    }
                }
            }
            catch (FormatException)
            {
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    private static byte[] ErrorReply(int error, NetlinkMessageFlags flags, uint sequence, string? text, uint? offset)
    {
        return Message(b =>
        {
            b.BeginMessage(NetlinkMessageType.Error, flags, sequence, 77);
            Span<byte> err = stackalloc byte[20];
            BinaryPrimitives.WriteInt32LittleEndian(err, error);
            new NetlinkHeader(56, 16, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence, 77).Write(err[4..]);
            b.WriteFamilyHeader(err);
            if (text is not null)
            {
                b.AddString(1, text);
            }

            if (offset is not null)
            {
                b.AddU32(2, offset.Value);
            }

            b.EndMessage();
        });
    }

    [Fact]
    public void Extended_ack_text_and_offset_are_decoded()
    {
        // As the kernel answers `ip link add … type vcan` without the vcan module.
        byte[] reply = ErrorReply(-95, NetlinkMessageFlags.Capped | NetlinkMessageFlags.AckTlvs, 5, "Unknown device type", 36);
        foreach (NetlinkMessage m in NetlinkMessage.Enumerate(reply))
        {
            NetlinkAck ack = m.GetAck();
            Assert.Equal(95, ack.ErrorNumber);
            Assert.Equal(5u, ack.Sequence);
            Assert.Equal("Unknown device type", ack.Message);
            Assert.Equal(36u, ack.AttributeOffset);
            BusException e = ack.ToException("RTM_NEWLINK", "vcan0");
            Assert.Equal(Errno.EOPNOTSUPP, e.Errno);
            Assert.Equal("Unknown device type", e.Detail);
            Assert.Contains("RTM_NEWLINK(vcan0): EOPNOTSUPP (95)", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Exchange_matches_sequence_and_port_and_skips_others()
    {
        var exchange = new NetlinkSocket.Exchange(5, 77, NetlinkSocket.ReplyKind.Ack, "RTM_NEWLINK", "x", null);
        byte[] stale = ErrorReply(0, NetlinkMessageFlags.Capped, 4, null, null);
        exchange.Process(null, stale);
        Assert.False(exchange.Done);
        Assert.Equal(1, exchange.Unmatched);
        exchange.Process(null, ErrorReply(0, NetlinkMessageFlags.Capped, 5, null, null));
        Assert.True(exchange.Done);
    }

    [Fact]
    public void Exchange_throws_kernel_error_with_text()
    {
        var exchange = new NetlinkSocket.Exchange(5, 77, NetlinkSocket.ReplyKind.Ack, "RTM_NEWLINK", "vcan0", null);
        BusException e = Assert.Throws<BusException>(() => exchange.Process(null, ErrorReply(-95, NetlinkMessageFlags.Capped | NetlinkMessageFlags.AckTlvs, 5, "Unknown device type", null)));
        Assert.Equal(Errno.EOPNOTSUPP, e.Errno);
        Assert.Equal("Unknown device type", e.Detail);
    }

    private static byte[] DumpPart(uint sequence, NetlinkMessageFlags extra, ushort type = 16) => Message(b =>
    {
        b.BeginMessage(type, NetlinkMessageFlags.Multi | extra, sequence, 77);
        b.WriteFamilyHeader(new byte[16]);
        b.AddString(3, "x");
        b.EndMessage();
    });

    private static byte[] Done(uint sequence, NetlinkMessageFlags extra, int error = 0) => Message(b =>
    {
        b.BeginMessage(NetlinkMessageType.Done, NetlinkMessageFlags.Multi | extra, sequence, 77);
        b.WriteFamilyHeader(BitConverter.GetBytes(error));
        b.EndMessage();
    });

    [Fact]
    public void Dump_interrupted_is_reported_after_every_part_is_delivered()
    {
        int delivered = 0;
        var exchange = new NetlinkSocket.Exchange(9, 77, NetlinkSocket.ReplyKind.Data, "RTM_GETLINK dump", null, _ => delivered++);
        exchange.Process(null, [.. DumpPart(9, 0), .. DumpPart(9, 0)]);
        Assert.False(exchange.Done);
        exchange.Process(null, [.. DumpPart(9, NetlinkMessageFlags.DumpInterrupted), .. Done(9, NetlinkMessageFlags.DumpInterrupted)]);
        Assert.True(exchange.Done);
        NetlinkDumpInterruptedException e = Assert.Throws<NetlinkDumpInterruptedException>(() => exchange.Finish());
        Assert.Equal(3, delivered);
        Assert.Equal(3, e.DeliveredMessages);
        Assert.Contains("NLM_F_DUMP_INTR", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_dump_counts_messages()
    {
        var exchange = new NetlinkSocket.Exchange(9, 77, NetlinkSocket.ReplyKind.Data, "dump", null, _ => { });
        exchange.Process(null, [.. DumpPart(9, 0), .. Done(9, 0)]);
        Assert.Equal(1, exchange.Finish());
    }

    [Fact]
    public void Single_reply_with_ack_waits_for_the_ack()
    {
        var exchange = new NetlinkSocket.Exchange(9, 77, NetlinkSocket.ReplyKind.Data, "get", null, _ => { }, expectAck: true);
        exchange.Process(null, Message(b =>
        {
            b.BeginMessage(16, NetlinkMessageFlags.None, 9, 77);
            b.WriteFamilyHeader(new byte[16]);
            b.EndMessage();
        }));
        Assert.False(exchange.Done);
        exchange.Process(null, ErrorReply(0, NetlinkMessageFlags.Capped, 9, null, null));
        Assert.True(exchange.Done);
        Assert.Equal(1, exchange.Finish());
    }

    [Fact]
    public void Dump_ending_in_error_throws()
    {
        var exchange = new NetlinkSocket.Exchange(9, 77, NetlinkSocket.ReplyKind.Data, "dump", null, _ => { });
        BusException e = Assert.Throws<BusException>(() => exchange.Process(null, Done(9, 0, -22)));
        Assert.Equal(Errno.EINVAL, e.Errno);
    }

    [Fact]
    public void Link_info_parses_kind_data_raw()
    {
        byte[] bytes = Message(b =>
        {
            b.BeginMessage(16, NetlinkMessageFlags.None);
            byte[] ifi = new byte[16];
            BinaryPrimitives.WriteUInt16LittleEndian(ifi.AsSpan(2), 280);
            BinaryPrimitives.WriteInt32LittleEndian(ifi.AsSpan(4), 7);
            BinaryPrimitives.WriteUInt32LittleEndian(ifi.AsSpan(8), 0x10041);
            b.WriteFamilyHeader(ifi);
            b.AddString(3, "can0");
            b.AddU32(4, 16);
            b.AddU8(16, 6);
            NetlinkMessageBuilder.NestToken info = b.BeginNested(18);
            b.AddString(1, "can");
            NetlinkMessageBuilder.NestToken data = b.BeginNested(2);
            b.AddBytes(1, new byte[32]); // IFLA_CAN_BITTIMING
            b.AddU32(6, 100); // IFLA_CAN_RESTART_MS
            b.EndNested(data);
            b.EndNested(info);
            b.EndMessage();
        });
        LinkInfo? link = null;
        foreach (NetlinkMessage m in NetlinkMessage.Enumerate(bytes))
        {
            link = LinkInfo.Parse(m);
        }

        Assert.NotNull(link);
        Assert.Equal(7, link.Index);
        Assert.Equal("can0", link.Name);
        Assert.Equal("can", link.Kind);
        Assert.Equal(280, link.HardwareType);
        Assert.True(link.IsUp);
        Assert.Equal(LinkFlags.Up | LinkFlags.Running | LinkFlags.LowerUp, link.Flags);
        Assert.Equal(16u, link.Mtu);
        Assert.Equal(LinkOperationalState.Up, link.OperationalState);
        Assert.True(link.KindDataAttributes.TryFind(6, out NetlinkAttribute restart));
        Assert.Equal(100u, restart.GetU32());
        Assert.Equal(2, link.KindDataAttributes.Validate());
    }

    [Fact]
    public void Builder_misuse_is_reported()
    {
        var b = new NetlinkMessageBuilder();
        Assert.Throws<InvalidOperationException>(() => b.AddU8(1, 1));
        b.BeginMessage(1, 0);
        b.BeginNested(1);
        Assert.Throws<InvalidOperationException>(() => b.EndMessage());
        Assert.Throws<ArgumentException>(() => b.AddString(1, "a\0b"));
        Assert.Throws<ArgumentException>(() => b.AddBytes(1, new byte[65532]));
    }

    [Fact]
    public void Generic_family_reply_is_decoded()
    {
        byte[] bytes = Message(b =>
        {
            b.BeginMessage(16, NetlinkMessageFlags.None);
            b.WriteFamilyHeader([1, 2, 0, 0]);
            b.AddString(2, "TIPCv2");
            b.AddU16(1, 29);
            b.AddU32(3, 1);
            NetlinkMessageBuilder.NestToken groups = b.BeginNested(7);
            NetlinkMessageBuilder.NestToken g1 = b.BeginNested(1);
            b.AddU32(2, 9);
            b.AddString(1, "events");
            b.EndNested(g1);
            b.EndNested(groups);
            b.EndMessage();
        });
        foreach (NetlinkMessage m in NetlinkMessage.Enumerate(bytes))
        {
            GenericNetlinkFamily f = GenericNetlinkFamily.Parse(m);
            Assert.Equal("TIPCv2", f.Name);
            Assert.Equal(29, f.Id);
            Assert.Equal(9u, f.MulticastGroups["events"]);
        }
    }
}
