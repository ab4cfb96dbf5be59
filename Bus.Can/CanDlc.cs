namespace Buses.Can;

/// <summary>
/// The CAN data length code: the 4-bit DLC on the wire and the payload length it stands for.
/// Classic CAN caps the length at 8 (DLC 9–15 also mean 8 bytes); CAN FD maps DLC 9–15 to
/// 12, 16, 20, 24, 32, 48 and 64 bytes.
/// </summary>
public static class CanDlc
{
    private static ReadOnlySpan<byte> FdLengths => [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64];

    /// <summary>The rule text used when a CAN FD length is rejected.</summary>
    internal const string FdLengthRule = "is not one of 0–8, 12, 16, 20, 24, 32, 48, 64";

    /// <summary>The CAN FD payload length of <paramref name="dlc"/>.</summary>
    /// <param name="dlc">0 to 15.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dlc"/> is not 0 to 15.</exception>
    public static int ToFdLength(int dlc)
    {
        if ((uint)dlc > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(dlc), dlc, $"CAN DLC {dlc} is not in 0–15.");
        }

        return FdLengths[dlc];
    }

    /// <summary>The DLC of a CAN FD payload length, rounding up to the next valid length as the kernel's <c>can_fd_len2dlc</c> does.</summary>
    /// <param name="length">0 to 64.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not 0 to 64.</exception>
    public static int FromFdLength(int length)
    {
        if ((uint)length > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"CAN FD payload length {length} is not in 0–64.");
        }

        int dlc = 0;
        while (FdLengths[dlc] < length)
        {
            dlc++;
        }

        return dlc;
    }

    /// <summary>The smallest valid CAN FD length that holds <paramref name="length"/> bytes (13 → 16).</summary>
    /// <param name="length">0 to 64.</param>
    public static int RoundUpFdLength(int length) => FdLengths[FromFdLength(length)];

    /// <summary>Whether <paramref name="length"/> is a CAN FD payload length: 0–8, 12, 16, 20, 24, 32, 48 or 64.</summary>
    /// <param name="length">The length.</param>
    public static bool IsValidFdLength(int length) => (uint)length <= 64 && FdLengths[FromFdLength(length)] == length;
}
