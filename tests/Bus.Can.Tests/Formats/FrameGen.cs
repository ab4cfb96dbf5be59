using System.Runtime.InteropServices;
using Buses.Can;
using FsCheck;
using FsCheck.Fluent;

namespace Buses.Tests.Can.Formats;

/// <summary>Generators of valid frames of every kind, as their kernel wire images.</summary>
internal static class FrameGen
{
    private static readonly int[] s_fdLengths = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64];

    public static Gen<byte[]> Bytes(int min, int max) =>
        from length in Gen.Choose(min, max)
        from data in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), length)
        select data;

    public static Gen<CanId> DataId =>
        Gen.OneOf(
            Gen.Choose(0, 0x7FF).Select(i => CanId.Standard((uint)i)),
            Gen.Choose(0, int.MaxValue).Select(i => CanId.Extended((uint)i & 0x1FFFFFFF)));

    public static Gen<CanFrame> Classic =>
        Gen.OneOf(
            from id in DataId
            from data in Bytes(0, 8)
            from dlc in Gen.Choose(8, 15)
            select data.Length == 8 && dlc > 8 ? new CanFrame(id, data, dlc) : new CanFrame(id, data),
            from id in DataId
            from length in Gen.Choose(0, 8)
            from dlc in Gen.Choose(8, 15)
            select CanFrame.Remote(id, length, length == 8 && dlc > 8 ? dlc : null),
            from classes in Gen.Choose(0, 0x3FF)
            from data in Bytes(0, 8)
            select new CanFrame(CanId.Error((CanErrorClasses)classes), data));

    public static Gen<CanFdFrame> Fd =>
        from id in DataId
        from length in Gen.Elements(s_fdLengths)
        from data in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), length)
        from flags in Gen.Choose(0, 7)
        select new CanFdFrame(id, data, (CanFdFlags)flags);

    public static Gen<byte[]> Xl =>
        from prio in Gen.Choose(0, 0x7FF)
        from vcid in Gen.Choose(0, 255)
        from sdt in Gen.Choose(0, 255)
        from af in ArbMap.Default.GeneratorFor<uint>()
        from flags in Gen.Choose(0, 3)
        from data in Bytes(1, 80)
        select Wire(new CanXlFrame(prio, data, (byte)sdt, af, (CanXlFlags)flags, (byte)vcid));

    /// <summary>Any frame, as the bytes a CAN_RAW socket would carry.</summary>
    public static Gen<byte[]> AnyWire =>
        Gen.OneOf(Classic.Select(f => Wire(f)), Fd.Select(f => Wire(f)), Xl);

    public static byte[] Wire(CanFrame frame) => MemoryMarshal.AsBytes(new ReadOnlySpan<CanFrame>(in frame)).ToArray();

    public static byte[] Wire(CanFdFrame frame) => MemoryMarshal.AsBytes(new ReadOnlySpan<CanFdFrame>(in frame)).ToArray();

    public static byte[] Wire(CanXlFrame frame) => MemoryMarshal.AsBytes(new ReadOnlySpan<CanXlFrame>(in frame))[..frame.WireLength].ToArray();

    public static string Text(ReadOnlySpan<byte> wire, bool separators = false)
    {
        char[] text = new char[CanFrameText.MaxLength];
        return new string(text, 0, CanFrameText.Format(wire, text, separators));
    }

    public static byte[] ParseWire(string text)
    {
        byte[] wire = new byte[CanFrameText.MaxWireSize];
        return wire[..CanFrameText.Parse(text, wire)];
    }
}
