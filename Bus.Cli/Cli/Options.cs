using System.Globalization;

namespace Buses.Cli;

/// <summary>
/// getopt-style short options, as can-utils parses them: <c>"n:Llx"</c> means <c>-n</c> takes a
/// value (<c>-n 5</c> or <c>-n5</c>), the others are flags that may be clustered (<c>-Lx</c>).
/// Options and operands may be mixed (GNU order); <c>--</c> ends the options; <c>-</c> alone is an
/// operand. A repeated option keeps every value (<see cref="All"/>); <see cref="Value"/> is the last.
/// </summary>
internal sealed class Options
{
    private readonly Dictionary<char, List<string>> _values = [];

    private Options()
    {
    }

    /// <summary>The operands, in order.</summary>
    public List<string> Operands { get; } = [];

    public static Options Parse(IReadOnlyList<string> args, string spec)
    {
        var result = new Options();
        bool optionsEnded = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (optionsEnded || arg.Length < 2 || arg[0] != '-')
            {
                result.Operands.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unknown option '{arg}'");
            }

            for (int j = 1; j < arg.Length; j++)
            {
                char letter = arg[j];
                int at = spec.IndexOf(letter, StringComparison.Ordinal);
                if (at < 0 || letter == ':')
                {
                    throw new UsageException($"unknown option '-{letter}'");
                }

                bool takesValue = at + 1 < spec.Length && spec[at + 1] == ':';
                if (!takesValue)
                {
                    result.Add(letter, "");
                    continue;
                }

                string value;
                if (j + 1 < arg.Length)
                {
                    value = arg[(j + 1)..];
                }
                else if (i + 1 < args.Count)
                {
                    value = args[++i];
                }
                else
                {
                    throw new UsageException($"option '-{letter}' needs a value");
                }

                result.Add(letter, value);
                break;
            }
        }

        return result;
    }

    public bool Has(char letter) => _values.ContainsKey(letter);

    public string? Value(char letter) => _values.TryGetValue(letter, out List<string>? list) ? list[^1] : null;

    public IReadOnlyList<string> All(char letter) => _values.TryGetValue(letter, out List<string>? list) ? list : [];

    /// <summary>The value of <paramref name="letter"/> as a decimal integer in [min, max], or <paramref name="fallback"/> when absent.</summary>
    public long Integer(char letter, long fallback, long min, long max)
    {
        string? text = Value(letter);
        if (text is null)
        {
            return fallback;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value < min || value > max)
        {
            throw new UsageException($"-{letter} '{text}' is not a whole number from {min} to {max}");
        }

        return value;
    }

    /// <summary>The value of <paramref name="letter"/> as a non-negative decimal number (fractions allowed), or <paramref name="fallback"/>.</summary>
    public double Number(char letter, double fallback, double max)
    {
        string? text = Value(letter);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || value < 0 || value > max)
        {
            throw new UsageException($"-{letter} '{text}' is not a number from 0 to {max}");
        }

        return value;
    }

    /// <summary>Requires exactly <paramref name="count"/> operands, naming them in the error.</summary>
    public void RequireOperands(params string[] names)
    {
        if (Operands.Count < names.Length)
        {
            throw new UsageException($"missing {names[Operands.Count]}");
        }

        if (Operands.Count > names.Length)
        {
            throw new UsageException($"unexpected argument '{Operands[names.Length]}'");
        }
    }

    private void Add(char letter, string value)
    {
        if (!_values.TryGetValue(letter, out List<string>? list))
        {
            _values[letter] = list = [];
        }

        list.Add(value);
    }
}
