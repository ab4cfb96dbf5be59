using System.Runtime.CompilerServices;
using static Buses.Can.Interop.GatewayNetlink;

namespace Buses.Can;

/// <summary>The flags of a can-gw rule (<c>struct rtcanmsg.flags</c>).</summary>
[Flags]
public enum CanGatewayFlags : ushort
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>CGW_FLAGS_CAN_ECHO: routed frames are echoed to the destination's local sockets (recommended on vcan); <c>cangw -e</c>.</summary>
    Echo = CGW_FLAGS_CAN_ECHO,
    /// <summary>CGW_FLAGS_CAN_SRC_TSTAMP: keep the source frame's receive timestamp; <c>cangw -t</c>.</summary>
    SourceTimestamp = CGW_FLAGS_CAN_SRC_TSTAMP,
    /// <summary>CGW_FLAGS_CAN_IIF_TX_OK: allow routing back out of the interface the frame came in on; <c>cangw -i</c>.</summary>
    IncomingInterfaceTransmitOk = CGW_FLAGS_CAN_IIF_TX_OK,
    /// <summary>CGW_FLAGS_CAN_FD: the rule routes CAN FD frames and its modifications are FD ones (Linux 5.4+); <c>cangw -X</c>.</summary>
    Fd = CGW_FLAGS_CAN_FD,
}

/// <summary>What a can-gw modification does to the selected fields.</summary>
public enum CanGatewayOperation : byte
{
    /// <summary>Bitwise AND (CGW_MOD_AND / CGW_FDMOD_AND).</summary>
    And = (byte)CGW_MOD_AND,
    /// <summary>Bitwise OR.</summary>
    Or = (byte)CGW_MOD_OR,
    /// <summary>Bitwise XOR.</summary>
    Xor = (byte)CGW_MOD_XOR,
    /// <summary>Set to the given value.</summary>
    Set = (byte)CGW_MOD_SET,
}

/// <summary>Which frame fields a can-gw modification touches (<c>modtype</c>).</summary>
[Flags]
public enum CanGatewayFields : byte
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>CGW_MOD_ID: the identifier.</summary>
    Id = CGW_MOD_ID,
    /// <summary>CGW_MOD_DLC / CGW_MOD_LEN: the DLC of a classic frame, the length of an FD frame.</summary>
    Length = CGW_MOD_DLC,
    /// <summary>CGW_MOD_DATA: the payload.</summary>
    Data = CGW_MOD_DATA,
    /// <summary>CGW_MOD_FLAGS: the FD flags (FD rules only).</summary>
    Flags = CGW_MOD_FLAGS,
}

/// <summary>The extra input of a CRC8 checksum (<c>CGW_CRC8PRF_*</c>).</summary>
public enum CanGatewayCrc8Profile : byte
{
    /// <summary>CGW_CRC8PRF_UNSPEC: none.</summary>
    None = CGW_CRC8PRF_UNSPEC,
    /// <summary>CGW_CRC8PRF_1U8: one extra byte.</summary>
    OneByte = CGW_CRC8PRF_1U8,
    /// <summary>CGW_CRC8PRF_16U8: a byte from a 16-entry table indexed by <c>data[1] &amp; 0xF</c>.</summary>
    SixteenBytes = CGW_CRC8PRF_16U8,
    /// <summary>CGW_CRC8PRF_SFFID_XOR: <c>(can_id &amp; 0xFF) ^ (can_id &gt;&gt; 8 &amp; 0xFF)</c>.</summary>
    StandardIdXor = CGW_CRC8PRF_SFFID_XOR,
}

/// <summary>
/// One can-gw frame modification: <paramref name="Operation"/> applied to <paramref name="Fields"/> with the
/// values of a template frame. Classic modifications carry 8 data bytes; FD ones 64 and the FD flags.
/// </summary>
/// <param name="Operation">AND, OR, XOR or SET.</param>
/// <param name="Fields">The fields it touches.</param>
/// <param name="Id">The identifier value (with EFF/RTR bits as in <c>can_id</c>).</param>
/// <param name="Length">The DLC (classic) or length (FD) value.</param>
/// <param name="FdFlags">The FD flags value (FD only).</param>
/// <param name="Data">The data value: 8 bytes for classic, 64 for FD.</param>
public sealed record CanGatewayModification(CanGatewayOperation Operation, CanGatewayFields Fields, uint Id, byte Length, byte FdFlags, ReadOnlyMemory<byte> Data)
{
    /// <summary>Whether this is an FD modification (64 data bytes).</summary>
    public bool IsFd => Data.Length == CanFdFrame.MaxDataLength;

    /// <inheritdoc/>
    public bool Equals(CanGatewayModification? other) =>
        other is not null && Operation == other.Operation && Fields == other.Fields && Id == other.Id && Length == other.Length
        && FdFlags == other.FdFlags && Data.Span.SequenceEqual(other.Data.Span);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Operation, Fields, Id, Length, FdFlags, Data.Length);
}

/// <summary>A can-gw XOR checksum (<c>struct cgw_csum_xor</c>): XOR of <c>data[From..To]</c> and <paramref name="Initial"/> into <c>data[Result]</c>; negative indexes count from the end.</summary>
/// <param name="From">The first byte.</param>
/// <param name="To">The last byte.</param>
/// <param name="Result">Where the checksum goes.</param>
/// <param name="Initial">The initial XOR value.</param>
public readonly record struct CanGatewayXorChecksum(sbyte From, sbyte To, sbyte Result, byte Initial);

/// <summary>A can-gw CRC8 checksum (<c>struct cgw_csum_crc8</c>) over <c>data[From..To]</c> into <c>data[Result]</c>.</summary>
/// <param name="From">The first byte.</param>
/// <param name="To">The last byte.</param>
/// <param name="Result">Where the checksum goes.</param>
/// <param name="Initial">The initial CRC value.</param>
/// <param name="FinalXor">XORed into the result.</param>
/// <param name="Table">The 256-entry CRC table.</param>
/// <param name="Profile">The extra input.</param>
/// <param name="ProfileData">Its data: 1 byte for <see cref="CanGatewayCrc8Profile.OneByte"/>, 16 for <see cref="CanGatewayCrc8Profile.SixteenBytes"/>; up to 20 bytes kept.</param>
public sealed record CanGatewayCrc8Checksum(sbyte From, sbyte To, sbyte Result, byte Initial, byte FinalXor, ReadOnlyMemory<byte> Table, CanGatewayCrc8Profile Profile, ReadOnlyMemory<byte> ProfileData)
{
    /// <inheritdoc/>
    public bool Equals(CanGatewayCrc8Checksum? other) =>
        other is not null && From == other.From && To == other.To && Result == other.Result && Initial == other.Initial && FinalXor == other.FinalXor
        && Table.Span.SequenceEqual(other.Table.Span) && Profile == other.Profile && ProfileData.Span.SequenceEqual(other.ProfileData.Span);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(From, To, Result, Initial, FinalXor, Profile);
}

/// <summary>What a <c>cangw</c> command line asks for.</summary>
public enum CanGatewayCommand
{
    /// <summary><c>-A</c>: add a rule.</summary>
    Add,
    /// <summary><c>-D</c>: delete the rule equal to this one.</summary>
    Delete,
    /// <summary><c>-F</c>: delete every rule.</summary>
    Flush,
    /// <summary><c>-L</c>: list the rules.</summary>
    List,
}

[InlineArray(256)]
internal struct CanGatewayCrc8TableBytes
{
    private byte _element0;
}

[InlineArray(20)]
internal struct CanGatewayCrc8ProfileBytes
{
    private byte _element0;
}
