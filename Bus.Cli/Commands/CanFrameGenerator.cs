using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Buses.Can;

namespace Buses.Cli.Commands;

/// <summary>How cangen picks a value: a fixed one, a random one, or one more than last time.</summary>
internal enum GenMode
{
    Fixed,
    Random,
    Increment,
}

/// <summary>
/// Makes the frames <c>buses can gen</c> sends, with cangen's modes for ID (<c>-I</c>), length
/// (<c>-L</c>) and data (<c>-D</c>), as kernel wire images written into a caller's buffer so the
/// send loop allocates nothing.
/// </summary>
internal sealed class CanFrameGenerator
{
    private readonly Random _random;
    private byte[] _fixedData = [];
    private readonly byte[] _data = new byte[CanXlFrame.MaxDataLength];
    private uint _nextId;
    private int _nextLengthIndex;
    private ulong _counter;

    public CanFrameGenerator(Options options, Random random)
    {
        _random = random;
        Fd = options.Has('f') || options.Has('b') || options.Has('E');
        Xl = options.Has('X');
        Extended = options.Has('e');
        Remote = options.Has('R');
        Mixed = options.Has('m');
        Flags = (byte)((options.Has('b') ? 1 : 0) | (options.Has('E') ? 2 : 0));
        if (Xl && (Fd || Remote || Extended))
        {
            throw new UsageException("-X (CAN XL) cannot be combined with -f/-b/-E (FD), -R (remote) or -e (extended)");
        }

        if (Remote && Fd)
        {
            throw new UsageException("-R (remote frames) is classic CAN only; CAN FD has no remote frames");
        }

        uint maxId = Xl ? CanXlFrame.MaxPriority : Extended ? CanId.MaxExtended : CanId.MaxStandard;
        (IdMode, FixedId) = ParseMode(options.Value('I'), text =>
        {
            if (!uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint id) || id > maxId)
            {
                throw new UsageException($"-I '{text}' is not 'r', 'i' or a hex {(Xl ? "CAN XL priority" : "CAN ID")} up to {maxId:X}{(Extended || Xl ? "" : " (add -e for extended IDs)")}");
            }

            return id;
        });

        int maxLength = Xl ? CanXlFrame.MaxDataLength : Fd ? CanFdFrame.MaxDataLength : CanFrame.MaxDataLength;
        (LengthMode, uint fixedLength) = ParseMode(options.Value('L'), text =>
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length > maxLength || (Xl && length == 0) || (Fd && !CanDlc.IsValidFdLength(length)))
            {
                throw new UsageException($"-L '{text}' is not 'r', 'i' or a payload length {(Xl ? "1–2048" : Fd ? "of 0–8, 12, 16, 20, 24, 32, 48, 64" : "0–8")}");
            }

            return (uint)length;
        });
        FixedLength = (int)fixedLength;

        (DataMode, _) = ParseMode(options.Value('D'), text =>
        {
            try
            {
                _fixedData = Convert.FromHexString(text);
            }
            catch (FormatException)
            {
                throw new UsageException($"-D '{text}' is not 'r', 'i' or hex data bytes (pairs of hex digits)");
            }

            if (_fixedData.Length > maxLength || _fixedData.Length == 0)
            {
                throw new UsageException($"-D '{text}' has {_fixedData.Length} bytes; {(Xl ? "CAN XL" : Fd ? "CAN FD" : "classic CAN")} carries 1–{maxLength}");
            }

            return 0;
        });

        if (DataMode == GenMode.Fixed && LengthMode != GenMode.Fixed)
        {
            // Fixed data and no -L: the data says how long the frame is.
            LengthMode = GenMode.Fixed;
            FixedLength = Fd ? CanDlc.RoundUpFdLength(_fixedData.Length) : _fixedData.Length;
        }
    }

    public bool Fd { get; }

    public bool Xl { get; }

    public bool Extended { get; }

    public bool Remote { get; }

    public bool Mixed { get; }

    public byte Flags { get; }

    public GenMode IdMode { get; }

    public uint FixedId { get; }

    public GenMode LengthMode { get; }

    public int FixedLength { get; }

    public GenMode DataMode { get; }

    /// <summary>Writes the next frame's wire image into <paramref name="wire"/> (at least <see cref="CanXlFrame.Size"/>) and returns its size.</summary>
    public int Next(Span<byte> wire)
    {
        bool xl = Xl, fd = Fd, remote = Remote, extended = Extended;
        if (Mixed)
        {
            // cangen -m: a random mix of classic, remote, extended and FD frames.
            int pick = _random.Next(4);
            fd = pick == 3;
            remote = pick == 1;
            extended = _random.Next(2) == 1;
        }

        uint maxId = xl ? CanXlFrame.MaxPriority : extended ? CanId.MaxExtended : CanId.MaxStandard;
        uint id = IdMode switch
        {
            GenMode.Fixed => FixedId,
            GenMode.Increment => _nextId++ & maxId,
            _ => (uint)_random.NextInt64(maxId + 1L),
        };

        int length = NextLength(xl, fd);
        Span<byte> data = _data.AsSpan(0, remote ? 0 : length);
        FillData(data);
        if (xl)
        {
            var frame = new CanXlFrame((int)id, data);
            MemoryMarshal.Write(wire, in frame);
            return frame.WireLength;
        }

        CanId canId = extended ? CanId.Extended(id) : CanId.Standard(id);
        if (fd)
        {
            var frame = new CanFdFrame(canId, data, (CanFdFlags)Flags);
            MemoryMarshal.Write(wire, in frame);
            return CanFdFrame.Size;
        }

        CanFrame classic = remote ? CanFrame.Remote(canId, length) : new CanFrame(canId, data);
        MemoryMarshal.Write(wire, in classic);
        return CanFrame.Size;
    }

    private int NextLength(bool xl, bool fd)
    {
        if (LengthMode == GenMode.Fixed && (xl == Xl) && (fd == Fd))
        {
            return FixedLength;
        }

        if (xl)
        {
            return LengthMode == GenMode.Increment ? (_nextLengthIndex++ % CanXlFrame.MaxDataLength) + 1 : _random.Next(1, CanXlFrame.MaxDataLength + 1);
        }

        // FD lengths go by DLC (0–15), as cangen does, so every valid FD length is covered.
        int dlc = LengthMode == GenMode.Increment ? _nextLengthIndex++ % (fd ? 16 : 9) : _random.Next(fd ? 16 : 9);
        return fd ? CanDlc.ToFdLength(dlc) : dlc;
    }

    private void FillData(Span<byte> data)
    {
        switch (DataMode)
        {
            case GenMode.Fixed:
                data.Clear();
                _fixedData.AsSpan(0, Math.Min(_fixedData.Length, data.Length)).CopyTo(data);
                break;
            case GenMode.Increment:
                // cangen -D i: the payload counts up as a little-endian 64-bit number.
                Span<byte> counter = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(counter, _counter++);
                data.Clear();
                counter[..Math.Min(8, data.Length)].CopyTo(data);
                break;
            default:
                _random.NextBytes(data);
                break;
        }
    }

    private static (GenMode Mode, uint Value) ParseMode(string? text, Func<string, uint> parseFixed) => text switch
    {
        null or "r" => (GenMode.Random, 0),
        "i" => (GenMode.Increment, 0),
        _ => (GenMode.Fixed, parseFixed(text)),
    };
}
