using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Buses.Abi.Tests;

internal readonly record struct FieldPlace(FieldInfo Field, int Offset, int Size);

internal sealed record TypeLayout(int Size, int Align, IReadOnlyList<FieldPlace> Fields);

/// <summary>
/// The layout the .NET runtime gives a blittable struct on a target ABI, computed from its field
/// types: the C# side of the ABI test for targets this process cannot run as (armhf is 32-bit).
/// The same model is checked against the live runtime on the host, so a model bug shows as such
/// instead of as a false ABI mismatch.
/// </summary>
internal static class LayoutModel
{
    public static TypeLayout Of(Type type, TargetAbi abi)
    {
        if (!type.IsValueType || type.IsPrimitive || type.IsEnum)
        {
            throw new ArgumentException($"{type} is not a struct", nameof(type));
        }

        if (type.GetCustomAttribute<InlineArrayAttribute>() is { } inline)
        {
            // An inline array repeats its single field; alignment is the element's.
            FieldInfo element = InstanceFields(type).Single();
            (int size, int align) = Scalar(element, abi);
            return new TypeLayout(size * inline.Length, align, [new FieldPlace(element, 0, size)]);
        }

        StructLayoutAttribute layout = type.StructLayoutAttribute!;
        if (layout.Value == LayoutKind.Auto)
        {
            throw new NotSupportedException($"{type} has auto layout: the kernel cannot rely on it");
        }

        int pack = layout.Pack;
        int offsetEnd = 0;
        int maxAlign = 1;
        var places = new List<FieldPlace>();
        foreach (FieldInfo field in InstanceFields(type))
        {
            (int size, int align) = Scalar(field, abi);
            if (pack > 0)
            {
                align = Math.Min(align, pack);
            }

            int offset = type.IsExplicitLayout
                ? field.GetCustomAttribute<FieldOffsetAttribute>()!.Value
                : AlignUp(offsetEnd, align);
            offsetEnd = Math.Max(offsetEnd, offset + size);
            maxAlign = Math.Max(maxAlign, align);
            places.Add(new FieldPlace(field, offset, size));
        }

        int total = Math.Max(AlignUp(Math.Max(offsetEnd, 1), maxAlign), layout.Size);
        return new TypeLayout(total, maxAlign, places);
    }

    /// <summary>Size and alignment of what one field occupies (fixed buffers included).</summary>
    public static (int Size, int Align) Scalar(FieldInfo field, TargetAbi abi)
    {
        if (field.GetCustomAttribute<FixedBufferAttribute>() is { } buffer)
        {
            (int size, int align) = Scalar(buffer.ElementType, abi);
            return (size * buffer.Length, align);
        }

        return Scalar(field.FieldType, abi);
    }

    public static (int Size, int Align) Scalar(Type type, TargetAbi abi)
    {
        if (type.IsPointer || type.IsFunctionPointer || type == typeof(nint) || type == typeof(nuint))
        {
            return (abi.PointerSize, abi.PointerSize);
        }

        if (type.IsEnum)
        {
            return Scalar(Enum.GetUnderlyingType(type), abi);
        }

        switch (Type.GetTypeCode(type))
        {
            case TypeCode.Boolean:
            case TypeCode.Byte:
            case TypeCode.SByte:
                return (1, 1);
            case TypeCode.Char:
            case TypeCode.Int16:
            case TypeCode.UInt16:
                return (2, 2);
            case TypeCode.Int32:
            case TypeCode.UInt32:
            case TypeCode.Single:
                return (4, 4);
            case TypeCode.Int64:
            case TypeCode.UInt64:
            case TypeCode.Double:
                return (8, 8);
        }

        if (type.IsValueType && !type.IsPrimitive)
        {
            TypeLayout nested = Of(type, abi);
            return (nested.Size, nested.Align);
        }

        throw new NotSupportedException($"{type} is not blittable: it has no fixed C layout");
    }

    public static IEnumerable<FieldInfo> InstanceFields(Type type) =>
        type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .OrderBy(f => f.MetadataToken);

    private static int AlignUp(int value, int align) => (value + align - 1) / align * align;
}

/// <summary>The layout the running .NET runtime actually uses, measured rather than computed.</summary>
internal static class RuntimeLayout
{
    public static TypeLayout Of(Type type)
    {
        int size = RuntimeHelpers.SizeOf(type.TypeHandle);
        var places = LayoutModel.InstanceFields(type)
            .Select(f => new FieldPlace(f, OffsetOf(f), FieldSize(f)))
            .ToList();
        return new TypeLayout(size, AlignOf(type), places);
    }

    private static int FieldSize(FieldInfo field) =>
        field.FieldType.IsPointer || field.FieldType.IsFunctionPointer
            ? IntPtr.Size
            : RuntimeHelpers.SizeOf(field.FieldType.TypeHandle);

    // Where the runtime puts a T after one byte is T's alignment as the runtime sees it.
    private static int AlignOf(Type type)
    {
        Type probe = typeof(AlignProbe<>).MakeGenericType(type);
        return OffsetOf(probe.GetField(nameof(AlignProbe<int>.Value))!);
    }

    private static int OffsetOf(FieldInfo field)
    {
        Type owner = field.DeclaringType!;
        var method = new DynamicMethod("offsetof", typeof(int), [owner.MakeByRefType()], typeof(RuntimeLayout).Module, skipVisibility: true);
        ILGenerator il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldflda, field);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Conv_I4);
        il.Emit(OpCodes.Ret);
        return (int)method.Invoke(null, [Activator.CreateInstance(owner)])!;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct AlignProbe<T>
        where T : struct
    {
        public byte Pad;
        public T Value;
    }
}
