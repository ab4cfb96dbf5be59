using System.Globalization;
using System.Text;

namespace Buses.Can;

/// <summary>The one human-readable frame description all frame types share (not a can-utils format).</summary>
internal static class FrameText
{
    public static string Describe(string head, string length, ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder(head.Length + length.Length + 4 + (3 * data.Length));
        text.Append(head).Append(" [").Append(length).Append(']');
        foreach (byte b in data)
        {
            text.Append(' ').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
