using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Buses.Abi.Tests;

/// <summary>A C# struct the kernel reads or writes, and the C struct it must equal.</summary>
internal sealed record StructCheck(Type Type, string CType, IReadOnlyList<FieldCheck> Fields)
{
    public string Name => AbiCatalog.DisplayName(Type);
}

/// <summary>A C# field and the C member designator it stands for (<c>can_addr.tp.rx_id</c>).</summary>
internal sealed record FieldCheck(FieldInfo Field, string CMember)
{
    public string Name => AbiCatalog.FieldName(Field);
}

/// <summary>A C# constant and the C expression (usually the macro or enumerator of that name) it must equal.</summary>
internal sealed record ConstantCheck(string Name, string CExpression, object Value);

/// <summary>
/// Everything the library hands to the kernel with a fixed binary meaning, found by reflection so a
/// struct or constant added tomorrow is checked without anyone remembering to list it:
/// <list type="bullet">
/// <item>structs inside interop code (a <c>*.Interop</c> namespace or the <c>Interop</c> class) or carrying
/// a C name (<c>sockaddr_can</c>), and public structs that are kernel layouts (table in <see cref="KnownNames"/>);</item>
/// <item>constants inside interop code, constants and enum members with C names (<c>CAN_RAW_FILTER</c>),
/// and the public .NET-named constants mapped in <see cref="KnownNames"/>.</item>
/// </list>
/// </summary>
internal static partial class AbiCatalog
{
    public static readonly Assembly[] Assemblies =
    [
        typeof(BusSocket).Assembly,
        typeof(Inet.PeerCredentials).Assembly,
        typeof(Can.CanFrame).Assembly,
        typeof(Tipc.TipcAddress).Assembly,
        typeof(Bluetooth.BluetoothAddress).Assembly,
    ];

    private static readonly Lazy<Catalog> s_catalog = new(Build);

    public static Catalog Current => s_catalog.Value;

    internal sealed record Catalog(
        IReadOnlyList<StructCheck> Structs,
        IReadOnlyList<ConstantCheck> Constants,
        IReadOnlyList<string> LibraryOwn,
        IReadOnlySet<string> NewerUapi,
        IReadOnlyList<string> Problems);

    public static string DisplayName(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    public static string FieldName(FieldInfo field) => BackingFieldProperty().Match(field.Name) is { Success: true } m ? m.Groups[1].Value : field.Name;

    private static Catalog Build()
    {
        var problems = new List<string>();
        var libraryOwn = new List<string>();
        KnownNames names = KnownNames.Parse(problems);
        var types = Assemblies.SelectMany(a => a.GetTypes()).Where(t => !IsCompilerGenerated(t)).ToList();

        var structs = new List<StructCheck>();
        foreach (Type type in types.Where(t => t.IsValueType && !t.IsEnum && !t.IsPrimitive))
        {
            string name = DisplayName(type);
            names.Layouts.TryGetValue(name, out KnownNames.Layout? known);
            bool isInterop = IsInterop(type) || CStructName().IsMatch(type.Name);
            if (known is null && !isInterop)
            {
                // Empty structs (call descriptors, markers) get Size = 1 from the compiler; nothing to check.
                bool fixedLayout = (type.IsExplicitLayout || type.StructLayoutAttribute is { Size: > 0 } or { Pack: > 0 })
                    && LayoutModel.InstanceFields(type).Any();
                if (fixedLayout && !names.NotKernelLayouts.Contains(name))
                {
                    problems.Add($"{name} fixes its layout (explicit, Size or Pack) but is neither a known kernel layout nor listed as library-own in KnownNames");
                }

                continue;
            }

            if (known is not null && known.CType == "-")
            {
                libraryOwn.Add($"struct {name}: {known.Reason}");
                continue;
            }

            string cType = known?.CType ?? "struct " + type.Name;
            var fields = new List<FieldCheck>();
            var unused = new HashSet<string>(known?.Fields.Keys ?? Enumerable.Empty<string>());
            foreach (FieldInfo field in LayoutModel.InstanceFields(type))
            {
                string fieldName = FieldName(field);
                unused.Remove(fieldName);
                string? member = known?.Fields.GetValueOrDefault(fieldName);
                if (member is null && !isInterop)
                {
                    // A public type's fields carry .NET names; each needs its C member spelled out.
                    problems.Add($"{name}.{fieldName}: no C member mapped for this field in KnownNames");
                    continue;
                }

                if (member is not null && member.StartsWith('-'))
                {
                    libraryOwn.Add($"{name}.{fieldName}: {member.TrimStart('-', ' ')}");
                    continue;
                }

                fields.Add(new FieldCheck(field, member ?? fieldName));
            }

            problems.AddRange(unused.Select(f => $"{name}: KnownNames maps field {f}, which the struct no longer has"));
            structs.Add(new StructCheck(type, cType, fields));
        }

        problems.AddRange(names.Layouts.Keys.Where(k => types.All(t => DisplayName(t) != k)).Select(k => $"KnownNames names struct {k}, which no longer exists"));

        var constants = new List<ConstantCheck>();
        var seenMapped = new HashSet<string>();
        foreach (Type type in types)
        {
            string owner = DisplayName(type);
            names.TypeConstants.TryGetValue(owner, out KnownNames.ConstantMap? map);
            foreach (FieldInfo field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Where(f => f.IsLiteral))
            {
                string full = owner + "." + field.Name;
                string? expression = names.Constants.GetValueOrDefault(full);
                if (expression is null && map is not null)
                {
                    if (type.IsEnum && field.Name == "None" && Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture) == 0)
                    {
                        continue;
                    }

                    expression = map.Members.GetValueOrDefault(field.Name) ?? (map.SameNames ? field.Name : null);
                    if (expression is null)
                    {
                        problems.Add($"{full}: {owner} is mapped in KnownNames but this member is not; map it to its C name or list it as library-own");
                        continue;
                    }
                }

                if (expression is null && (IsInterop(type) || CConstantName().IsMatch(field.Name)))
                {
                    expression = field.Name;
                }

                if (expression is null)
                {
                    continue;
                }

                seenMapped.Add(full);
                if (expression.StartsWith('-'))
                {
                    libraryOwn.Add($"{full}: {expression.TrimStart('-', ' ')}");
                    continue;
                }

                object value = field.GetRawConstantValue()!;
                if (type.IsEnum)
                {
                    value = Convert.ChangeType(value, Enum.GetUnderlyingType(type), System.Globalization.CultureInfo.InvariantCulture);
                }

                constants.Add(new ConstantCheck(full, expression, value));
            }
        }

        AddOptionDescriptors(types, constants, problems);
        problems.AddRange(names.Constants.Keys.Where(k => !seenMapped.Contains(k)).Select(k => $"KnownNames maps constant {k}, which no longer exists"));
        problems.AddRange(names.TypeConstants.Keys.Where(k => types.All(t => DisplayName(t) != k)).Select(k => $"KnownNames maps the constants of {k}, which no longer exists"));
        return new Catalog(structs, constants, libraryOwn, names.NewerUapi, problems);
    }

    // Option descriptors (BoolOption, IntOption, StructOption<T>) carry their C name: the option number
    // is checked against that macro, and the level must be one of SocketLevel's checked constants.
    private static void AddOptionDescriptors(List<Type> types, List<ConstantCheck> constants, List<string> problems)
    {
        var levels = typeof(SocketLevel).GetFields(BindingFlags.Static | BindingFlags.Public).Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!).ToHashSet();
        foreach (Type type in types)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Where(f => f.IsInitOnly && IsOptionDescriptor(f.FieldType)))
            {
                string full = DisplayName(type) + "." + field.Name;
                object descriptor = field.GetValue(null)!;
                int level = (int)field.FieldType.GetProperty("Level")!.GetValue(descriptor)!;
                int name = (int)field.FieldType.GetProperty("Name")!.GetValue(descriptor)!;
                string cName = (string)field.FieldType.GetProperty("CName")!.GetValue(descriptor)!;
                if (!levels.Contains(level))
                {
                    problems.Add($"{full} ({cName}) has level {level}, which is no SocketLevel constant");
                }

                constants.Add(new ConstantCheck(full, cName, name));
            }
        }
    }

    internal static bool IsOptionDescriptor(Type type) =>
        type == typeof(BoolOption) || type == typeof(IntOption) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(StructOption<>));

    private static bool IsInterop(Type type)
    {
        for (Type? t = type; t is not null; t = t.DeclaringType)
        {
            if (t.Name == "Interop" || (t.Namespace is { } ns && (ns == "Interop" || ns.EndsWith(".Interop", StringComparison.Ordinal))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCompilerGenerated(Type type)
    {
        for (Type? t = type; t is not null; t = t.DeclaringType)
        {
            if (t.Name.Contains('<', StringComparison.Ordinal) || t.IsDefined(typeof(CompilerGeneratedAttribute)))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^<(\w+)>k__BackingField$")]
    private static partial Regex BackingFieldProperty();

    // C struct tags are lower case (sockaddr_can, ifinfomsg); .NET type names never are.
    [GeneratedRegex(@"^[a-z_][a-z0-9_]*$")]
    private static partial Regex CStructName();

    // C macro and enumerator names: upper case with at least one underscore (CAN_RAW_FILTER).
    [GeneratedRegex(@"^_*[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$")]
    private static partial Regex CConstantName();
}
