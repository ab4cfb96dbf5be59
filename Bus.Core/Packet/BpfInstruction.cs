using System.Runtime.InteropServices;

namespace Buses.Packet;

/// <summary>
/// One classic BPF instruction (<c>struct sock_filter</c>, 8 bytes) for socket filters
/// (<c>SO_ATTACH_FILTER</c>). Build programs with <see cref="Statement"/> and <see cref="Jump"/> and the
/// opcode constants, as <c>tcpdump -dd</c> prints them.
/// </summary>
/// <param name="Code">The opcode (class | size | mode, or class | op | source).</param>
/// <param name="JumpIfTrue">Instructions to skip when a conditional jump is taken.</param>
/// <param name="JumpIfFalse">Instructions to skip when it is not.</param>
/// <param name="Constant">The constant operand <c>k</c>.</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct BpfInstruction(ushort Code, byte JumpIfTrue, byte JumpIfFalse, uint Constant)
{
    /// <summary>BPF_LD: load into A.</summary>
    public const ushort Load = 0x00;
    /// <summary>BPF_LDX: load into X.</summary>
    public const ushort LoadX = 0x01;
    /// <summary>BPF_ALU: arithmetic on A.</summary>
    public const ushort Alu = 0x04;
    /// <summary>BPF_JMP: jumps.</summary>
    public const ushort Jmp = 0x05;
    /// <summary>BPF_RET: return (accept up to k bytes; 0 drops).</summary>
    public const ushort Ret = 0x06;
    /// <summary>BPF_W: 32-bit load.</summary>
    public const ushort Word = 0x00;
    /// <summary>BPF_H: 16-bit load.</summary>
    public const ushort Half = 0x08;
    /// <summary>BPF_B: 8-bit load.</summary>
    public const ushort Byte = 0x10;
    /// <summary>BPF_IMM: the constant.</summary>
    public const ushort Immediate = 0x00;
    /// <summary>BPF_ABS: the packet at offset k.</summary>
    public const ushort Absolute = 0x20;
    /// <summary>BPF_IND: the packet at offset X + k.</summary>
    public const ushort Indirect = 0x40;
    /// <summary>BPF_LEN: the packet length.</summary>
    public const ushort Length = 0x80;
    /// <summary>BPF_JA: jump always.</summary>
    public const ushort JumpAlways = 0x00;
    /// <summary>BPF_JEQ.</summary>
    public const ushort JumpEqual = 0x10;
    /// <summary>BPF_JGT.</summary>
    public const ushort JumpGreater = 0x20;
    /// <summary>BPF_JGE.</summary>
    public const ushort JumpGreaterOrEqual = 0x30;
    /// <summary>BPF_JSET: jump if A &amp; k.</summary>
    public const ushort JumpSet = 0x40;
    /// <summary>BPF_K: the operand is the constant.</summary>
    public const ushort SourceConstant = 0x00;
    /// <summary>BPF_A: return A.</summary>
    public const ushort SourceA = 0x10;

    /// <summary>The longest program the kernel accepts (<c>BPF_MAXINSNS</c>).</summary>
    public const int MaxProgramLength = 4096;

    /// <summary>A non-jump instruction.</summary>
    /// <param name="code">The opcode.</param>
    /// <param name="constant">k.</param>
    public static BpfInstruction Statement(ushort code, uint constant) => new(code, 0, 0, constant);

    /// <summary>A jump instruction.</summary>
    /// <param name="code">The opcode.</param>
    /// <param name="constant">k.</param>
    /// <param name="jumpIfTrue">Skip when true.</param>
    /// <param name="jumpIfFalse">Skip when false.</param>
    public static BpfInstruction Jump(ushort code, uint constant, byte jumpIfTrue, byte jumpIfFalse) => new(code, jumpIfTrue, jumpIfFalse, constant);

    /// <summary>A two-instruction-tail helper: a program accepting only frames whose 16-bit field at <paramref name="offset"/> equals <paramref name="value"/>.</summary>
    /// <param name="offset">The byte offset (12 = the EtherType of an Ethernet frame).</param>
    /// <param name="value">The value in host order (BPF loads are big-endian).</param>
    public static BpfInstruction[] MatchHalfWord(uint offset, ushort value) =>
    [
        Statement(Load | Half | Absolute, offset),
        Jump(Jmp | JumpEqual | SourceConstant, value, 0, 1),
        Statement(Ret | SourceConstant, 0x40000),
        Statement(Ret | SourceConstant, 0),
    ];
}
