using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Buses.Bluetooth.Interop;

namespace Buses.Bluetooth;

/// <summary>
/// An L2CAP socket address (<c>struct sockaddr_l2</c>, 14 bytes): a device, a PSM or a fixed channel id
/// (CID), and the address type. Text form <c>l2cap:ADDRESS,PSM[,CID[,TYPE]]</c>, the order of
/// Python's <c>(bdaddr, psm[, cid[, bdaddr_type]])</c> tuples: <c>l2cap:00:AA:01:01:00:01,4097</c>,
/// <c>l2cap:C0:00:00:00:00:01,0,4,le-random</c>. Numbers are decimal (as Python and l2test print them);
/// parsing also takes <c>0x</c> hex.
/// </summary>
/// <remarks>
/// <para>Checked before any system call, by <see cref="Validate"/> (connect and bind call it):
/// a BR/EDR PSM must be odd with bit 8 clear (<c>(psm &amp; 0x0101) == 0x0001</c>, as the kernel's
/// <c>l2cap_validate_bredr_psm</c> demands); an LE PSM is 0x0001–0x00FF; PSM and CID are not both set;
/// a CID below 0x0040 must be the ATT fixed channel (4) on an LE address.</para>
/// <para>BR/EDR PSMs below 0x1001 are assigned by the Bluetooth SIG; binding one needs
/// CAP_NET_BIND_SERVICE (EACCES otherwise).</para>
/// </remarks>
public readonly struct L2capAddress : ISocketAddress<L2capAddress>
{
    /// <summary>The first dynamic BR/EDR PSM.</summary>
    public const int FirstDynamicPsm = 0x1001;

    /// <summary>The highest LE PSM (LE credit-based channels take 0x0001–0x00FF; 0x0080–0x00FF are dynamic).</summary>
    public const int MaxLePsm = 0x00FF;

    /// <summary>The first dynamically allocated CID; fixed channels lie below it.</summary>
    public const int FirstDynamicCid = 0x0040;

    /// <summary>The ATT fixed channel (GATT over LE).</summary>
    public const int AttCid = 0x0004;

    private readonly byte _type;

    /// <summary>An address; see the type's remarks for the rules <see cref="Validate"/> checks.</summary>
    /// <param name="device">The device (<see cref="BluetoothAddress.Any"/> to bind to any controller).</param>
    /// <param name="psm">The PSM, 0 for none (a fixed channel, or any when binding).</param>
    /// <param name="cid">The channel id, 0 for none.</param>
    /// <param name="addressType">BR/EDR, LE public or LE random.</param>
    /// <exception cref="ArgumentOutOfRangeException">A PSM or CID over 0xFFFF, or an unknown address type.</exception>
    public L2capAddress(BluetoothAddress device, int psm, int cid = 0, BluetoothAddressType addressType = BluetoothAddressType.BrEdr)
    {
        if (psm is < 0 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(psm), psm, $"L2CAP PSM {psm} is outside 0–65535.");
        }

        if (cid is < 0 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(cid), cid, $"L2CAP CID {cid} is outside 0–65535.");
        }

        if (addressType is < BluetoothAddressType.BrEdr or > BluetoothAddressType.LeRandom)
        {
            throw new ArgumentOutOfRangeException(nameof(addressType), addressType, "The address type is BrEdr (0), LePublic (1) or LeRandom (2).");
        }

        Device = device;
        Psm = (ushort)psm;
        Cid = (ushort)cid;
        _type = (byte)addressType;
    }

    /// <inheritdoc/>
    public static string Scheme => "l2cap";

    /// <summary>The device address.</summary>
    public BluetoothAddress Device { get; }

    /// <summary>The PSM (0 = none).</summary>
    public ushort Psm { get; }

    /// <summary>The channel id (0 = none).</summary>
    public ushort Cid { get; }

    /// <summary>The address type.</summary>
    public BluetoothAddressType AddressType => (BluetoothAddressType)_type;

    /// <summary>Whether the address is an LE one.</summary>
    public bool IsLowEnergy => AddressType != BluetoothAddressType.BrEdr;

    /// <inheritdoc/>
    public SocketFamily Family => SocketFamily.Bluetooth;

    /// <inheritdoc/>
    public int EncodedSize => Unsafe.SizeOf<sockaddr_l2>();

    /// <summary>Throws when the PSM and CID break the rules of the address type (see the remarks of <see cref="L2capAddress"/>).</summary>
    /// <exception cref="ArgumentException">The message names the value and the rule it broke.</exception>
    public void Validate()
    {
        if (Psm != 0 && Cid != 0)
        {
            throw new ArgumentException($"L2CAP address {this} sets both PSM {Psm} and CID {Cid}: a socket uses one or the other.");
        }

        if (Psm != 0)
        {
            if (IsLowEnergy && Psm > MaxLePsm)
            {
                throw new ArgumentException($"LE PSM 0x{Psm:X4} is outside 0x0001–0x{MaxLePsm:X4}.");
            }

            if (!IsLowEnergy && (Psm & 0x0101) != 0x0001)
            {
                throw new ArgumentException($"BR/EDR PSM 0x{Psm:X4} is invalid: a BR/EDR PSM is odd with bit 8 clear ((psm & 0x0101) == 0x0001; dynamic ones from 0x{FirstDynamicPsm:X4}).");
            }
        }

        if (Cid is > 0 and < FirstDynamicCid && !(Cid == AttCid && IsLowEnergy))
        {
            throw new ArgumentException($"L2CAP CID 0x{Cid:X4} is below 0x{FirstDynamicCid:X4} and not a fixed channel sockets may use: only ATT (0x{AttCid:X4}) on an LE address.");
        }
    }

    /// <inheritdoc/>
    public int Encode(Span<byte> destination)
    {
        Span<byte> bytes = SocketAddressCodec.BeginEncode(destination, SocketFamily.Bluetooth, EncodedSize, "sockaddr_l2");

        // PSM and CID are __le16 (htobs in BlueZ): little-endian whatever the host.
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[Offset(nameof(sockaddr_l2.l2_psm))..], Psm);
        Device.Write(bytes[Offset(nameof(sockaddr_l2.l2_bdaddr))..]);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[Offset(nameof(sockaddr_l2.l2_cid))..], Cid);
        bytes[Offset(nameof(sockaddr_l2.l2_bdaddr_type))] = _type;
        return bytes.Length;
    }

    /// <inheritdoc/>
    /// <remarks>An address without the CID and type fields (10 bytes, as pre-3.x kernels returned) decodes with both 0.</remarks>
    public static L2capAddress Decode(ReadOnlySpan<byte> sockaddr)
    {
        int cidAt = Offset(nameof(sockaddr_l2.l2_cid));
        int typeAt = Offset(nameof(sockaddr_l2.l2_bdaddr_type));
        SocketAddressCodec.CheckDecode(sockaddr, SocketFamily.Bluetooth, cidAt, "sockaddr_l2");
        ushort psm = BinaryPrimitives.ReadUInt16LittleEndian(sockaddr[Offset(nameof(sockaddr_l2.l2_psm))..]);
        ushort cid = sockaddr.Length >= cidAt + 2 ? BinaryPrimitives.ReadUInt16LittleEndian(sockaddr[cidAt..]) : (ushort)0;
        byte type = sockaddr.Length > typeAt ? sockaddr[typeAt] : (byte)0;
        if (type > (byte)BluetoothAddressType.LeRandom)
        {
            throw new FormatException($"A sockaddr_l2 with l2_bdaddr_type {type} is none of BDADDR_BREDR, BDADDR_LE_PUBLIC, BDADDR_LE_RANDOM.");
        }

        return new L2capAddress(BluetoothAddress.Read(sockaddr[Offset(nameof(sockaddr_l2.l2_bdaddr))..]), psm, cid, (BluetoothAddressType)type);
    }

    private static int Offset(string field) => (int)Marshal.OffsetOf<sockaddr_l2>(field);

    /// <inheritdoc/>
    public static L2capAddress ParseBody(string text)
    {
        string[] parts = BluetoothText.Split(Scheme, text, 2, 4, "'ADDRESS,PSM[,CID[,TYPE]]'");
        BluetoothAddress device = BluetoothText.Device(Scheme, text, parts[0]);
        int psm = BluetoothText.Number(Scheme, text, parts[1], ushort.MaxValue, "a PSM");
        int cid = parts.Length > 2 ? BluetoothText.Number(Scheme, text, parts[2], ushort.MaxValue, "a CID") : 0;
        BluetoothAddressType type = parts.Length > 3 ? ParseType(text, parts[3]) : BluetoothAddressType.BrEdr;
        return new L2capAddress(device, psm, cid, type);
    }

    private static BluetoothAddressType ParseType(string body, string part) => part switch
    {
        "bredr" or "0" => BluetoothAddressType.BrEdr,
        "le-public" or "1" => BluetoothAddressType.LePublic,
        "le-random" or "2" => BluetoothAddressType.LeRandom,
        _ => throw SocketAddressParser.Malformed(Scheme, body, part, "is not an address type: bredr, le-public or le-random (or 0, 1, 2)"),
    };

    /// <summary>The text of an address type in this form: <c>bredr</c>, <c>le-public</c>, <c>le-random</c>.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The text.</returns>
    public static string TypeText(BluetoothAddressType type) => type switch
    {
        BluetoothAddressType.BrEdr => "bredr",
        BluetoothAddressType.LePublic => "le-public",
        _ => "le-random",
    };

    /// <summary>Parses <c>l2cap:00:AA:01:01:00:01,4097</c> and the longer forms.</summary>
    /// <param name="text">The text, with the scheme.</param>
    /// <returns>The address.</returns>
    public static L2capAddress Parse(string text) => SocketAddressParser.Parse<L2capAddress>(text);

    /// <inheritdoc/>
    public bool Equals(L2capAddress other) => Device == other.Device && Psm == other.Psm && Cid == other.Cid && _type == other._type;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is L2capAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Device, Psm, Cid, _type);

    /// <summary>The canonical text: the CID when it or the type is set, the type when it is not BR/EDR.</summary>
    public override string ToString() =>
        IsLowEnergy ? $"l2cap:{Device},{BluetoothText.Decimal(Psm)},{BluetoothText.Decimal(Cid)},{TypeText(AddressType)}"
        : Cid != 0 ? $"l2cap:{Device},{BluetoothText.Decimal(Psm)},{BluetoothText.Decimal(Cid)}"
        : $"l2cap:{Device},{BluetoothText.Decimal(Psm)}";

    /// <summary>Equality.</summary>
    public static bool operator ==(L2capAddress left, L2capAddress right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(L2capAddress left, L2capAddress right) => !left.Equals(right);
}
