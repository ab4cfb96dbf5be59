using System.Globalization;

namespace Buses.Abi.Tests;

/// <summary>The outcome of comparing one side with the C headers: every mismatch, and what these headers cannot check.</summary>
internal sealed record Comparison(List<string> Problems, List<string> NotChecked, int Checked, int Fields);

/// <summary>Compares C# layouts and constant values with what the C probe printed, collecting every mismatch.</summary>
internal static class AbiComparison
{
    public static Comparison Structs(IEnumerable<StructCheck> structs, ProbeResult c, Func<Type, TypeLayout> layoutOf, IReadOnlySet<string> newerUapi)
    {
        var result = new Comparison([], [], 0, 0);
        int count = 0, fields = 0;
        foreach (StructCheck s in structs)
        {
            if (!c.TryGet(CProbe.SizeKey(s), out ulong size))
            {
                if (newerUapi.Contains(s.CType))
                {
                    result.NotChecked.Add(s.CType);
                }
                else
                {
                    result.Problems.Add($"{s.Name}: C has no {s.CType} ({c.Why(CProbe.SizeKey(s))})");
                }

                continue;
            }

            count++;
            TypeLayout cs = layoutOf(s.Type);
            if ((ulong)cs.Size != size)
            {
                result.Problems.Add($"{s.Name}: sizeof C# {cs.Size} vs C {size} ({s.CType})");
            }

            if (c.TryGet(CProbe.AlignKey(s), out ulong align) && (ulong)cs.Align != align)
            {
                result.Problems.Add($"{s.Name}: alignment C# {cs.Align} vs C {align} ({s.CType})");
            }

            foreach (FieldCheck f in s.Fields)
            {
                fields++;
                FieldPlace place = cs.Fields.Single(p => p.Field == f.Field);
                string label = f.CMember == f.Name ? $"{s.Name}.{f.Name}" : $"{s.Name}.{f.Name} (C {f.CMember})";
                if (!c.TryGet(CProbe.OffsetKey(s, f), out ulong offset))
                {
                    result.Problems.Add($"{label}: C has no such member ({c.Why(CProbe.OffsetKey(s, f))})");
                    continue;
                }

                if ((ulong)place.Offset != offset)
                {
                    result.Problems.Add($"{label}: C# offset {place.Offset} vs C {offset}");
                }

                // Flexible array members have no sizeof; their offset is still checked above.
                if (c.TryGet(CProbe.FieldSizeKey(s, f), out ulong fieldSize) && (ulong)place.Size != fieldSize)
                {
                    result.Problems.Add($"{label}: C# size {place.Size} vs C {fieldSize}");
                }
            }
        }

        return result with { Checked = count, Fields = fields };
    }

    public static Comparison Constants(IEnumerable<ConstantCheck> constants, ProbeResult c, IReadOnlySet<string> newerUapi)
    {
        var result = new Comparison([], [], 0, 0);
        int count = 0;
        foreach (ConstantCheck constant in constants)
        {
            string key = CProbe.ConstantKey(constant);
            string label = constant.CExpression == constant.Name[(constant.Name.LastIndexOf('.') + 1)..]
                ? constant.Name
                : $"{constant.Name} (C {constant.CExpression})";
            if (!c.Values.TryGetValue(key, out string? text))
            {
                if (newerUapi.Contains(constant.CExpression))
                {
                    result.NotChecked.Add(constant.CExpression);
                }
                else
                {
                    result.Problems.Add($"{label}: C has no such name ({c.Why(key)}); if the library owns this value, list it in KnownNames with the reason");
                }

                continue;
            }

            count++;
            if (constant.Value is string s)
            {
                if (s != text)
                {
                    result.Problems.Add($"{label}: C# \"{s}\" vs C \"{text}\"");
                }

                continue;
            }

            ulong value = ulong.Parse(text, CultureInfo.InvariantCulture);
            if (!SameValue(constant.Value, value))
            {
                result.Problems.Add($"{label}: C# {constant.Value} (0x{Bits(constant.Value).Bits:X}) vs C {(long)value} (0x{value:X})");
            }
        }

        return result with { Checked = count };
    }

    /// <summary>Equal, and the C value fits the C# type (zero- or sign-extended from its width).</summary>
    public static bool SameValue(object csharp, ulong c)
    {
        (ulong bits, int width) = Bits(csharp);
        if (width == 64)
        {
            return bits == c;
        }

        ulong mask = (1UL << width) - 1;
        ulong upper = c >> width;
        bool signBit = (c & (1UL << (width - 1))) != 0;
        return (c & mask) == (bits & mask) && (upper == 0 || (signBit && upper == ulong.MaxValue >> width));
    }

    private static (ulong Bits, int Width) Bits(object value) => value switch
    {
        bool b => (b ? 1UL : 0UL, 8),
        byte b => (b, 8),
        sbyte b => ((ulong)(long)b, 8),
        char ch => (ch, 16),
        short s => ((ulong)(long)s, 16),
        ushort s => (s, 16),
        int i => ((ulong)(long)i, 32),
        uint i => (i, 32),
        long l => ((ulong)l, 64),
        ulong l => (l, 64),
        _ => throw new NotSupportedException($"constant of type {value.GetType()}"),
    };
}
