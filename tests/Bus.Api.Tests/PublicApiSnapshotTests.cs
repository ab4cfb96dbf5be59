using System.Reflection;
using System.Text;
using Xunit;

namespace Buses.Api.Tests;

// The public API of each shipped assembly, one line per type and member, kept in api/<Assembly>.txt:
// a change to the API must change that file too, so it is seen in review and made on purpose. After a
// deliberate change, run this project once with BUSES_API_SNAPSHOT=update and commit the new files.
public sealed class PublicApiSnapshotTests
{
    public static TheoryData<string> AssemblyNames()
    {
        var data = new TheoryData<string>();
        foreach (Assembly a in ShippedAssemblies.All)
        {
            data.Add(a.GetName().Name!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AssemblyNames))]
    public void The_public_API_matches_its_snapshot(string assemblyName)
    {
        Assembly assembly = ShippedAssemblies.All.Single(a => a.GetName().Name == assemblyName);
        string actual = ApiListing.Of(assembly);
        string snapshot = Path.Combine(AppContext.BaseDirectory, "api", assemblyName + ".txt");
        if (Environment.GetEnvironmentVariable("BUSES_API_SNAPSHOT") == "update")
        {
            string source = Path.Combine(SourceDirectory(), "api", assemblyName + ".txt");
            File.WriteAllText(source, actual);
            Assert.Skip($"wrote {source}; run again without BUSES_API_SNAPSHOT=update");
        }

        Assert.True(File.Exists(snapshot), $"no snapshot {snapshot}: run with BUSES_API_SNAPSHOT=update once");
        string[] expected = File.ReadAllLines(snapshot);
        string[] lines = actual.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var added = lines.Except(expected, StringComparer.Ordinal).Take(20).ToList();
        var removed = expected.Except(lines, StringComparer.Ordinal).Take(20).ToList();
        Assert.True(added.Count == 0 && removed.Count == 0,
            $"The public API of {assemblyName} differs from api/{assemblyName}.txt (update it with BUSES_API_SNAPSHOT=update if the change is deliberate):\n"
            + string.Concat(added.Select(l => "+ " + l + "\n")) + string.Concat(removed.Select(l => "- " + l + "\n")));
    }

    [Fact]
    public void The_listing_sees_members_and_their_signatures()
    {
        string listing = ApiListing.Of(typeof(BusSocket).Assembly);
        Assert.Contains("method Buses.BusSocket.Send(System.ReadOnlySpan<System.Byte>, Buses.MessageFlags = None) : System.Int32", listing, StringComparison.Ordinal);
        Assert.Contains("type Buses.BusSocket : System.Object, System.IDisposable", listing, StringComparison.Ordinal);
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

internal static class ApiListing
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string Of(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (Type type in assembly.GetExportedTypes())
        {
            lines.Add(TypeLine(type));
            foreach (MemberInfo member in type.GetMembers(Declared).Where(IsVisible))
            {
                if (Line(type, member) is { } line)
                {
                    lines.Add(line);
                }
            }
        }

        lines.Sort(StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (string line in lines)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    private static bool IsVisible(MemberInfo member) => member switch
    {
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => p.GetMethod is { } g && IsVisible(g) || p.SetMethod is { } s && IsVisible(s),
        EventInfo e => e.AddMethod is { } a && IsVisible(a),
        _ => false,
    };

    private static string TypeLine(Type type)
    {
        string kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : typeof(Delegate).IsAssignableFrom(type) ? "delegate" : "class";
        var bases = new List<string>();
        if (type.BaseType is { } b && b != typeof(ValueType) && b != typeof(Enum))
        {
            bases.Add(Name(b));
        }

        bases.AddRange(type.GetInterfaces().Select(Name).Order(StringComparer.Ordinal));
        return $"type {Name(type)}" + (bases.Count > 0 ? " : " + string.Join(", ", bases) : "") + (kind == "class" || kind == "struct" ? "" : $" ({kind})");
    }

    private static string? Line(Type type, MemberInfo member) => member switch
    {
        ConstructorInfo c => $"ctor {Name(type)}({Parameters(c)})",
        MethodInfo m when m.IsSpecialName => null,
        MethodInfo m => $"method {Name(type)}.{m.Name}{GenericArguments(m)}({Parameters(m)}) : {Name(m.ReturnType)}{(m.IsStatic ? " static" : "")}",
        PropertyInfo p => $"property {Name(type)}.{p.Name} : {Name(p.PropertyType)}{(p.GetMethod is { } g && IsVisible(g) ? " get" : "")}{(p.SetMethod is { } s && IsVisible(s) ? " set" : "")}",
        FieldInfo f when type.IsEnum && f.IsStatic => $"enum {Name(type)}.{f.Name} = {Convert.ToInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}",
        FieldInfo f when f.IsLiteral => $"const {Name(type)}.{f.Name} : {Name(f.FieldType)} = {f.GetRawConstantValue()}",
        FieldInfo f => $"field {Name(type)}.{f.Name} : {Name(f.FieldType)}{(f.IsStatic ? " static" : "")}{(f.IsInitOnly ? " readonly" : "")}",
        EventInfo e => $"event {Name(type)}.{e.Name} : {Name(e.EventHandlerType!)}",
        _ => null,
    };

    private static string GenericArguments(MethodInfo m) =>
        m.IsGenericMethodDefinition ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : "";

    private static string Parameters(MethodBase m) => string.Join(", ", m.GetParameters().Select(p =>
    {
        string prefix = p.IsOut ? "out " : p.ParameterType.IsByRef ? (p.IsIn ? "in " : "ref ") : "";
        Type t = p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType;
        string value = p.HasDefaultValue ? " = " + (p.DefaultValue?.ToString() ?? "null") : "";
        return prefix + Name(t) + value;
    }));

    private static string Name(Type type)
    {
        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        if (type.IsPointer)
        {
            return Name(type.GetElementType()!) + "*";
        }

        string name = (type.IsNested ? Name(type.DeclaringType!) + "." + type.Name : type.Namespace + "." + type.Name);
        if (!type.IsGenericType)
        {
            return name;
        }

        int tick = name.IndexOf('`', StringComparison.Ordinal);
        string bare = tick < 0 ? name : name[..tick];
        Type[] arguments = type.GetGenericArguments();
        if (type.IsNested && type.DeclaringType!.IsGenericType)
        {
            arguments = arguments[type.DeclaringType.GetGenericArguments().Length..];
        }

        return arguments.Length == 0 ? bare : bare + "<" + string.Join(", ", arguments.Select(Name)) + ">";
    }
}
