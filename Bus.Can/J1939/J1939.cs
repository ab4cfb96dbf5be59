using static Buses.Can.Interop.J1939Uapi;

namespace Buses.Can;

/// <summary>SAE J1939 constants and the parameter-group-number (PGN) rules the kernel applies.</summary>
/// <remarks>
/// A PGN is 18 bits: PS (PDU specific) in bits 0–7, PF (PDU format) in 8–15, DP in 16 and R in 17.
/// With PF below 0xF0 the message is PDU1: destination-specific, PS carries the destination address, so
/// the PGN itself has PS = 0 (the kernel rejects a PDU1 PGN with a non-zero low byte with EINVAL).
/// With PF 0xF0 and above it is PDU2: broadcast, PS is a group extension and part of the PGN.
/// </remarks>
public static class J1939
{
    /// <summary>The highest unicast address, 0xFD (253).</summary>
    public const byte MaxUnicastAddress = J1939_MAX_UNICAST_ADDR;

    /// <summary>The null address 0xFE (254): a node that could not claim an address sends from it.</summary>
    public const byte IdleAddress = J1939_IDLE_ADDR;

    /// <summary>0xFF (255): as a destination, broadcast; as a source, no address (the socket then needs a NAME).</summary>
    public const byte NoAddress = J1939_NO_ADDR;

    /// <summary>No NAME (0).</summary>
    public const ulong NoName = J1939_NO_NAME;

    /// <summary>No PGN (0x40000): a socket bound with it receives every PGN, and a send must name one.</summary>
    public const uint NoPgn = J1939_NO_PGN;

    /// <summary>The largest PGN, 0x3FFFF (18 bits).</summary>
    public const uint MaxPgn = J1939_PGN_MAX;

    /// <summary>The largest PDU1 PGN, 0x3FF00.</summary>
    public const uint MaxPdu1Pgn = J1939_PGN_PDU1_MAX;

    /// <summary>The Request PGN, 0x0EA00.</summary>
    public const uint RequestPgn = J1939_PGN_REQUEST;

    /// <summary>The Address Claimed PGN, 0x0EE00.</summary>
    public const uint AddressClaimedPgn = J1939_PGN_ADDRESS_CLAIMED;

    /// <summary>The Commanded Address PGN, 0x0FED8.</summary>
    public const uint AddressCommandedPgn = J1939_PGN_ADDRESS_COMMANDED;

    /// <summary>The largest payload one CAN frame carries, 8 bytes.</summary>
    public const int MaxSingleFrameLength = 8;

    /// <summary>The largest payload of the transport protocol (TP, BAM or RTS/CTS): 255 packets of 7 bytes, 1785 bytes.</summary>
    public const int MaxTransportLength = 1785;

    /// <summary>The largest payload of the extended transport protocol (ETP): 16777215 packets of 7 bytes, 117440505 bytes.</summary>
    public const int MaxExtendedTransportLength = 117440505;

    /// <summary>The lowest priority a process without CAP_NET_ADMIN may set, 2.</summary>
    public const int MinUnprivilegedPriority = 2;

    /// <summary>The default priority, 6.</summary>
    public const int DefaultPriority = 6;

    /// <summary>Whether <paramref name="pgn"/> is PDU1 (destination-specific): PF below 0xF0.</summary>
    /// <param name="pgn">A PGN of up to 18 bits.</param>
    public static bool IsPdu1(uint pgn) => ((pgn >> 8) & 0xFF) < 0xF0;

    /// <summary>Throws unless <paramref name="pgn"/> is <see cref="NoPgn"/> or an 18-bit PGN that, if PDU1, has a zero low byte.</summary>
    /// <param name="pgn">The PGN.</param>
    /// <param name="paramName">The parameter, for the exception.</param>
    /// <exception cref="ArgumentOutOfRangeException">The PGN breaks a rule; the message names the PGN and the rule.</exception>
    public static void ValidatePgn(uint pgn, string paramName)
    {
        if (pgn == NoPgn)
        {
            return;
        }

        if (pgn > MaxPgn)
        {
            throw new ArgumentOutOfRangeException(paramName, pgn, $"J1939 PGN 0x{pgn:X} is over 18 bits (0–0x3FFFF, or 0x40000 for none).");
        }

        if (IsPdu1(pgn) && (pgn & 0xFF) != 0)
        {
            throw new ArgumentOutOfRangeException(paramName, pgn, $"J1939 PGN 0x{pgn:X5} is PDU1 (PF 0x{(pgn >> 8) & 0xFF:X2} < 0xF0), so its low byte must be 0: the destination goes in the address, not the PGN (0x{pgn & ~0xFFu:X5}).");
        }
    }

    /// <summary>Throws unless <paramref name="priority"/> is 0–7.</summary>
    /// <param name="priority">The priority.</param>
    /// <param name="paramName">The parameter, for the exception.</param>
    /// <exception cref="ArgumentOutOfRangeException">A priority over 7 or below 0.</exception>
    public static void ValidatePriority(int priority, string paramName)
    {
        if (priority is < 0 or > 7)
        {
            throw new ArgumentOutOfRangeException(paramName, priority, $"J1939 priority {priority} is outside 0–7.");
        }
    }
}
