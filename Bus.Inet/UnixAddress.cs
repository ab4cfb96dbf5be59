using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Buses.Inet;

/// <summary>What a <see cref="UnixAddress"/> names.</summary>
public enum UnixAddressKind
{
    /// <summary>No name: a socket that was never bound, or a socketpair end. Binding it autobinds an abstract name.</summary>
    Unnamed,
    /// <summary>A filesystem path.</summary>
    Path,
    /// <summary>A Linux abstract name (<c>sun_path</c> starts with a NUL byte; no file is created).</summary>
    Abstract,
}

/// <summary>
/// A UNIX-domain socket address (<c>sockaddr_un</c>): canonical text <c>unix:/run/x.sock</c> for a path,
/// <c>unix:@name</c> for a Linux abstract name and <c>unix:</c> for an unnamed socket.
/// </summary>
/// <remarks>
/// Names are bytes to the kernel. The text form shows them as UTF-8 and writes every byte that is not
/// printable UTF-8, and every <c>\</c>, as <c>\xHH</c>, so any name the kernel returns prints and parses
/// back unchanged; a path that really starts with <c>@</c> prints as <c>\x40…</c>. A path is at most 108
/// bytes (the whole <c>sun_path</c>; the kernel does not need the terminating NUL) and cannot contain NUL;
/// an abstract name is at most 107 bytes after its leading NUL and may contain any byte.
/// </remarks>
public readonly struct UnixAddress : ISocketAddress<UnixAddress>
{
    /// <summary><c>sizeof(sun_path)</c>.</summary>
    public const int MaxPathBytes = 108;

    /// <summary>The longest abstract name: <c>sun_path</c> less its leading NUL.</summary>
    public const int MaxAbstractNameBytes = MaxPathBytes - 1;

    private const int SunPathOffset = 2;

    [InlineArray(MaxPathBytes)]
    private struct NameBytes
    {
        private byte _element0;
    }

    private readonly NameBytes _name;
    private readonly byte _length;
    private readonly UnixAddressKind _kind;

    private UnixAddress(UnixAddressKind kind, ReadOnlySpan<byte> name)
    {
        _kind = kind;
        _length = (byte)name.Length;
        name.CopyTo(_name);
    }

    /// <summary>The unnamed address (<c>unix:</c>).</summary>
    public static UnixAddress Unnamed => default;

    /// <summary>A filesystem path address.</summary>
    /// <param name="path">A non-empty path of at most 108 UTF-8 bytes without NUL.</param>
    /// <exception cref="ArgumentException">The path is empty, too long or contains NUL.</exception>
    public static UnixAddress FromPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Span<byte> bytes = stackalloc byte[MaxPathBytes];
        if (path.Length == 0)
        {
            throw new ArgumentException("A UNIX socket path cannot be empty; use UnixAddress.Unnamed to autobind.", nameof(path));
        }

        if (!Encoding.UTF8.TryGetBytes(path, bytes, out int length))
        {
            throw new ArgumentException($"UNIX socket path '{path}' is {Encoding.UTF8.GetByteCount(path)} bytes in UTF-8, more than {MaxPathBytes}.", nameof(path));
        }

        return FromPath(bytes[..length]);
    }

    /// <summary>A filesystem path address from its bytes.</summary>
    /// <param name="path">1 to 108 bytes without NUL.</param>
    /// <exception cref="ArgumentException">The path is empty, too long or contains NUL.</exception>
    public static UnixAddress FromPath(ReadOnlySpan<byte> path)
    {
        string? problem = PathProblem(path);
        return problem is null ? new UnixAddress(UnixAddressKind.Path, path) : throw new ArgumentException($"UNIX socket path {problem}.", nameof(path));
    }

    /// <summary>A Linux abstract address; <paramref name="name"/> excludes the leading NUL.</summary>
    /// <param name="name">At most 107 UTF-8 bytes.</param>
    /// <exception cref="ArgumentException">The name is too long.</exception>
    public static UnixAddress FromAbstractName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<byte> bytes = stackalloc byte[MaxAbstractNameBytes];
        return Encoding.UTF8.TryGetBytes(name, bytes, out int length)
            ? FromAbstractName(bytes[..length])
            : throw new ArgumentException($"Abstract UNIX name '{name}' is {Encoding.UTF8.GetByteCount(name)} bytes in UTF-8, more than {MaxAbstractNameBytes}.", nameof(name));
    }

    /// <summary>A Linux abstract address from the name's bytes (without the leading NUL).</summary>
    /// <param name="name">At most 107 bytes, any values.</param>
    /// <exception cref="ArgumentException">The name is too long.</exception>
    public static UnixAddress FromAbstractName(ReadOnlySpan<byte> name) =>
        name.Length <= MaxAbstractNameBytes
            ? new UnixAddress(UnixAddressKind.Abstract, name)
            : throw new ArgumentException($"Abstract UNIX name of {name.Length} bytes is longer than {MaxAbstractNameBytes} bytes.", nameof(name));

    /// <inheritdoc/>
    public static string Scheme => "unix";

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Unix;

    /// <summary>Whether this is a path, an abstract name or unnamed.</summary>
    public UnixAddressKind Kind => _kind;

    /// <summary>The path or abstract name bytes (without an abstract name's leading NUL); empty when unnamed.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Name => ((ReadOnlySpan<byte>)_name)[.._length];

    /// <summary>The path as a string, or <see langword="null"/> when this is not a path address.</summary>
    public string? Path => _kind == UnixAddressKind.Path ? Encoding.UTF8.GetString(Name) : null;

    /// <inheritdoc/>
    public int EncodedSize => _kind switch
    {
        UnixAddressKind.Path => SunPathOffset + _length + (_length < MaxPathBytes ? 1 : 0),
        UnixAddressKind.Abstract => SunPathOffset + 1 + _length,
        _ => SunPathOffset,
    };

    /// <inheritdoc/>
    /// <remarks>
    /// A path is written with its terminating NUL when it fits, the length <c>getsockname</c> reports
    /// back; an abstract name's length is exact, because every byte after the leading NUL is part of it.
    /// </remarks>
    public int Encode(Span<byte> destination)
    {
        Span<byte> sunPath = SocketAddressCodec.BeginEncode(destination, SocketFamily.Unix, EncodedSize, "sockaddr_un")[SunPathOffset..];
        Name.CopyTo(_kind == UnixAddressKind.Abstract ? sunPath[1..] : sunPath);
        return EncodedSize;
    }

    /// <inheritdoc/>
    public static UnixAddress Decode(ReadOnlySpan<byte> sockaddr)
    {
        SocketAddressCodec.CheckDecode(sockaddr, SocketFamily.Unix, SunPathOffset, "sockaddr_un");

        ReadOnlySpan<byte> sunPath = sockaddr[SunPathOffset..Math.Min(sockaddr.Length, SunPathOffset + MaxPathBytes)];
        if (sunPath.IsEmpty)
        {
            return Unnamed;
        }

        if (sunPath[0] == 0)
        {
            return new UnixAddress(UnixAddressKind.Abstract, sunPath[1..]);
        }

        int nul = sunPath.IndexOf((byte)0);
        return new UnixAddress(UnixAddressKind.Path, nul < 0 ? sunPath : sunPath[..nul]);
    }

    /// <inheritdoc/>
    public static UnixAddress ParseBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return Unnamed;
        }

        bool isAbstract = text[0] == '@';
        string nameText = isAbstract ? text[1..] : text;
        Span<byte> bytes = stackalloc byte[MaxPathBytes * 4];
        int length = Unescape(text, nameText, bytes);
        ReadOnlySpan<byte> name = bytes[..length];
        if (isAbstract)
        {
            return name.Length <= MaxAbstractNameBytes
                ? new UnixAddress(UnixAddressKind.Abstract, name)
                : throw SocketAddressParser.Malformed(Scheme, text, nameText, $"is {name.Length} bytes, more than the {MaxAbstractNameBytes} an abstract name may have");
        }

        string? problem = PathProblem(name);
        return problem is null ? new UnixAddress(UnixAddressKind.Path, name) : throw SocketAddressParser.Malformed(Scheme, text, text, problem);
    }

    /// <summary>Parses <c>unix:/path</c>, <c>unix:@abstract</c> or <c>unix:</c>.</summary>
    /// <param name="text">The whole text, scheme included.</param>
    /// <exception cref="FormatException">The text is malformed; the message names the bad part.</exception>
    public static UnixAddress Parse(string text) => SocketAddressParser.Parse<UnixAddress>(text);

    /// <inheritdoc/>
    public bool Equals(UnixAddress other) => _kind == other._kind && Name.SequenceEqual(other.Name);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is UnixAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_kind);
        hash.AddBytes(Name);
        return hash.ToHashCode();
    }

    /// <summary>The canonical text: <c>unix:/path</c>, <c>unix:@name</c> or <c>unix:</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Scheme.Length + 2 + _length);
        text.Append(Scheme).Append(':');
        if (_kind == UnixAddressKind.Abstract)
        {
            text.Append('@');
        }

        ReadOnlySpan<byte> rest = Name;
        bool first = _kind == UnixAddressKind.Path;
        while (!rest.IsEmpty)
        {
            OperationStatus status = Rune.DecodeFromUtf8(rest, out Rune rune, out int consumed);
            bool plain = status == OperationStatus.Done && !Rune.IsControl(rune) && rune.Value != '\\' && !(first && rune.Value == '@');
            if (plain)
            {
                text.Append(rune.ToString());
            }
            else
            {
                foreach (byte b in rest[..consumed])
                {
                    text.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
                }
            }

            first = false;
            rest = rest[consumed..];
        }

        return text.ToString();
    }

    /// <summary>Equality of kind and name bytes.</summary>
    public static bool operator ==(UnixAddress left, UnixAddress right) => left.Equals(right);

    /// <summary>Inequality of kind or name bytes.</summary>
    public static bool operator !=(UnixAddress left, UnixAddress right) => !left.Equals(right);

    private static string? PathProblem(ReadOnlySpan<byte> path) =>
        path.IsEmpty ? "is empty (unix: alone is the unnamed address)"
        : path.Length > MaxPathBytes ? $"is {path.Length} bytes, more than the {MaxPathBytes} of sun_path"
        : path.Contains((byte)0) ? "contains a NUL byte, which would end the path early (write an abstract name as @name)"
        : null;

    private static int Unescape(string body, string text, Span<byte> destination)
    {
        int length = 0;
        for (int i = 0; i < text.Length;)
        {
            if (length > destination.Length - 4)
            {
                throw SocketAddressParser.Malformed(Scheme, body, text, $"is longer than the {MaxPathBytes} bytes of sun_path");
            }

            if (text[i] == '\\')
            {
                string escape = text.Substring(i, Math.Min(4, text.Length - i));
                if (escape.Length < 4 || escape[1] != 'x' || !byte.TryParse(escape.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte value))
                {
                    throw SocketAddressParser.Malformed(Scheme, body, escape, "is not an escape of the form \\xHH (write '\\' itself as \\x5c)");
                }

                destination[length++] = value;
                i += 4;
                continue;
            }

            if (Rune.DecodeFromUtf16(text.AsSpan(i), out Rune rune, out int used) != OperationStatus.Done)
            {
                throw SocketAddressParser.Malformed(Scheme, body, text.Substring(i, 1), "is a lone UTF-16 surrogate, which has no UTF-8 form");
            }

            length += rune.EncodeToUtf8(destination[length..]);
            i += used;
        }

        return length;
    }
}
