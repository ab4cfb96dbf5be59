namespace Buses.Abi.Tests;

/// <summary>
/// A Linux ABI the library must match: how to compile a C probe for it, how to run that probe, and
/// the two facts the C# layout model needs (pointer size; 8-byte alignment of 64-bit integers holds
/// on all three: x86-64 SysV, AAPCS64 and ARM EABI — only i386 differs, and it is not a target).
/// </summary>
internal sealed record TargetAbi(string Name, int PointerSize, string Compiler, string[] Runner)
{
    public static readonly TargetAbi X64 = new("x86-64", 8, "gcc", []);

    public static readonly TargetAbi Arm64 = new(
        "arm64", 8, "aarch64-linux-gnu-gcc", ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"]);

    public static readonly TargetAbi Armhf = new(
        "armhf", 4, "arm-linux-gnueabihf-gcc", ["qemu-arm", "-L", "/usr/arm-linux-gnueabihf"]);

    public static TargetAbi ByName(string name) => name switch
    {
        "x86-64" => X64,
        "arm64" => Arm64,
        "armhf" => Armhf,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown ABI"),
    };

    public override string ToString() => Name;
}
