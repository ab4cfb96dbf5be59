using System.Text;
using static Buses.Can.Interop.CanUapi;

namespace Buses.Can;

/// <summary>The error classes of an error frame (the low bits of its identifier, linux/can/error.h). Several can be set at once.</summary>
[Flags]
public enum CanErrorClasses : uint
{
    /// <summary>No class.</summary>
    None = 0,
    /// <summary>CAN_ERR_TX_TIMEOUT: transmission timed out (driver-specific).</summary>
    TransmitTimeout = CAN_ERR_TX_TIMEOUT,
    /// <summary>CAN_ERR_LOSTARB: arbitration lost; the bit is in <see cref="CanErrorFrame.ArbitrationLostBit"/>.</summary>
    LostArbitration = CAN_ERR_LOSTARB,
    /// <summary>CAN_ERR_CRTL: controller problem; details in <see cref="CanErrorFrame.Controller"/>.</summary>
    Controller = CAN_ERR_CRTL,
    /// <summary>CAN_ERR_PROT: protocol violation; details in <see cref="CanErrorFrame.Protocol"/> and <see cref="CanErrorFrame.ProtocolLocation"/>.</summary>
    Protocol = CAN_ERR_PROT,
    /// <summary>CAN_ERR_TRX: transceiver status; details in <see cref="CanErrorFrame.CanHigh"/> and <see cref="CanErrorFrame.CanLow"/>.</summary>
    Transceiver = CAN_ERR_TRX,
    /// <summary>CAN_ERR_ACK: no acknowledgement received on transmission.</summary>
    NoAcknowledge = CAN_ERR_ACK,
    /// <summary>CAN_ERR_BUSOFF: the controller went bus-off.</summary>
    BusOff = CAN_ERR_BUSOFF,
    /// <summary>CAN_ERR_BUSERROR: a bus error (may flood; enable <c>berr-reporting</c> to get them).</summary>
    BusError = CAN_ERR_BUSERROR,
    /// <summary>CAN_ERR_RESTARTED: the controller restarted after bus-off.</summary>
    Restarted = CAN_ERR_RESTARTED,
    /// <summary>CAN_ERR_CNT: <see cref="CanErrorFrame.TransmitErrorCount"/> and <see cref="CanErrorFrame.ReceiveErrorCount"/> are valid.</summary>
    Counters = CAN_ERR_CNT,
    /// <summary>Every class: the mask that receives all error frames (<c>CAN_ERR_MASK</c>).</summary>
    All = CAN_ERR_MASK,
}

/// <summary>Controller problems (<c>data[1]</c> of an error frame).</summary>
[Flags]
public enum CanControllerErrors : byte
{
    /// <summary>Unspecified.</summary>
    None = 0,
    /// <summary>RX buffer overflow.</summary>
    ReceiveOverflow = 0x01,
    /// <summary>TX buffer overflow.</summary>
    TransmitOverflow = 0x02,
    /// <summary>Receive error counter reached the warning level (96).</summary>
    ReceiveWarning = 0x04,
    /// <summary>Transmit error counter reached the warning level (96).</summary>
    TransmitWarning = 0x08,
    /// <summary>Receive error counter reached error-passive (128).</summary>
    ReceivePassive = 0x10,
    /// <summary>Transmit error counter reached error-passive (128).</summary>
    TransmitPassive = 0x20,
    /// <summary>Recovered to error-active.</summary>
    Active = 0x40,
}

/// <summary>Protocol violation types (<c>data[2]</c> of an error frame).</summary>
[Flags]
public enum CanProtocolViolations : byte
{
    /// <summary>Unspecified.</summary>
    None = 0,
    /// <summary>Single bit error.</summary>
    Bit = 0x01,
    /// <summary>Frame format error.</summary>
    Form = 0x02,
    /// <summary>Bit stuffing error.</summary>
    Stuff = 0x04,
    /// <summary>Unable to send a dominant bit.</summary>
    Bit0 = 0x08,
    /// <summary>Unable to send a recessive bit.</summary>
    Bit1 = 0x10,
    /// <summary>Bus overload.</summary>
    Overload = 0x20,
    /// <summary>Active error announcement.</summary>
    Active = 0x40,
    /// <summary>The error occurred on transmission.</summary>
    Transmit = 0x80,
}

/// <summary>Where in the frame a protocol violation happened (<c>data[3]</c> of an error frame).</summary>
public enum CanProtocolLocation : byte
{
    /// <summary>Unspecified.</summary>
    Unspecified = 0x00,
    /// <summary>Start of frame.</summary>
    StartOfFrame = 0x03,
    /// <summary>ID bits 28–21 (SFF: 10–3).</summary>
    Id28To21 = 0x02,
    /// <summary>ID bits 20–18 (SFF: 2–0).</summary>
    Id20To18 = 0x06,
    /// <summary>Substitute RTR (SFF: RTR).</summary>
    SubstituteRtr = 0x04,
    /// <summary>Identifier extension.</summary>
    IdentifierExtension = 0x05,
    /// <summary>ID bits 17–13.</summary>
    Id17To13 = 0x07,
    /// <summary>ID bits 12–5.</summary>
    Id12To05 = 0x0F,
    /// <summary>ID bits 4–0.</summary>
    Id04To00 = 0x0E,
    /// <summary>RTR.</summary>
    Rtr = 0x0C,
    /// <summary>Reserved bit 1.</summary>
    Reserved1 = 0x0D,
    /// <summary>Reserved bit 0.</summary>
    Reserved0 = 0x09,
    /// <summary>Data length code.</summary>
    Dlc = 0x0B,
    /// <summary>Data section.</summary>
    Data = 0x0A,
    /// <summary>CRC sequence.</summary>
    CrcSequence = 0x08,
    /// <summary>CRC delimiter.</summary>
    CrcDelimiter = 0x18,
    /// <summary>ACK slot.</summary>
    Ack = 0x19,
    /// <summary>ACK delimiter.</summary>
    AckDelimiter = 0x1B,
    /// <summary>End of frame.</summary>
    EndOfFrame = 0x1A,
    /// <summary>Intermission.</summary>
    Intermission = 0x12,
}

/// <summary>The state of one bus wire as a transceiver reports it (<c>data[4]</c>: CAN-H in the low nibble, CAN-L in the high nibble).</summary>
public enum CanWireStatus : byte
{
    /// <summary>Unspecified (no problem reported).</summary>
    Unspecified = 0,
    /// <summary>No wire.</summary>
    NoWire = 4,
    /// <summary>Short to battery.</summary>
    ShortToBattery = 5,
    /// <summary>Short to VCC.</summary>
    ShortToVcc = 6,
    /// <summary>Short to ground.</summary>
    ShortToGround = 7,
    /// <summary>CAN-L shorted to CAN-H (reported on CAN-L only).</summary>
    ShortToCanHigh = 8,
}

/// <summary>
/// A decoded error frame: every class set in the identifier, with the details each class carries
/// in the payload. Several classes at once are normal (a protocol violation with a counter update,
/// <c>0x208</c>), so <see cref="Classes"/> is a set and every detail is always decoded.
/// </summary>
/// <remarks>
/// Error frames arrive only on RAW sockets whose error mask (<c>CanRawSocket.ErrorMask</c>)
/// selects their classes. The details are as the driver filled them: a field the driver did not
/// set is 0 (unspecified).
/// </remarks>
public readonly record struct CanErrorFrame
{
    /// <summary>The classes set in the identifier.</summary>
    public CanErrorClasses Classes { get; init; }

    /// <summary>The bit where arbitration was lost (<c>data[0]</c>; 0 = unspecified).</summary>
    public byte ArbitrationLostBit { get; init; }

    /// <summary>Controller problems (<c>data[1]</c>).</summary>
    public CanControllerErrors Controller { get; init; }

    /// <summary>Protocol violation types (<c>data[2]</c>).</summary>
    public CanProtocolViolations Protocol { get; init; }

    /// <summary>Protocol violation location (<c>data[3]</c>).</summary>
    public CanProtocolLocation ProtocolLocation { get; init; }

    /// <summary>The raw transceiver status byte (<c>data[4]</c>).</summary>
    public byte TransceiverStatus { get; init; }

    /// <summary>The CAN-H wire status (low nibble of <c>data[4]</c>).</summary>
    public CanWireStatus CanHigh => (CanWireStatus)(TransceiverStatus & 0x0F);

    /// <summary>The CAN-L wire status (high nibble of <c>data[4]</c>).</summary>
    public CanWireStatus CanLow => (CanWireStatus)(TransceiverStatus >> 4);

    /// <summary>Controller-specific additional information (<c>data[5]</c>).</summary>
    public byte ControllerSpecific { get; init; }

    /// <summary>The transmit error counter (<c>data[6]</c>; valid with <see cref="CanErrorClasses.Counters"/>).</summary>
    public byte TransmitErrorCount { get; init; }

    /// <summary>The receive error counter (<c>data[7]</c>; valid with <see cref="CanErrorClasses.Counters"/>).</summary>
    public byte ReceiveErrorCount { get; init; }

    /// <summary>Decodes an error frame.</summary>
    /// <param name="frame">A frame whose identifier has the error flag.</param>
    /// <exception cref="ArgumentException">The frame is not an error frame.</exception>
    public static CanErrorFrame Decode(in CanFrame frame)
    {
        if (!TryDecode(frame, out CanErrorFrame error))
        {
            throw new ArgumentException($"CAN frame {frame.Id} is not an error frame: its identifier lacks the error flag 0x20000000.", nameof(frame));
        }

        return error;
    }

    /// <summary>Decodes <paramref name="frame"/> if it is an error frame.</summary>
    /// <param name="frame">Any classic frame.</param>
    /// <param name="error">The decoded error frame.</param>
    /// <returns>Whether the frame is an error frame.</returns>
    public static bool TryDecode(in CanFrame frame, out CanErrorFrame error)
    {
        if (!frame.IsError)
        {
            error = default;
            return false;
        }

        // Drivers always send CAN_ERR_DLC bytes, but a peer on vcan may send fewer: missing bytes are unspecified.
        Span<byte> d = stackalloc byte[CAN_ERR_DLC];
        frame.Data.CopyTo(d);
        error = new CanErrorFrame
        {
            Classes = (CanErrorClasses)frame.Id.Value,
            ArbitrationLostBit = d[0],
            Controller = (CanControllerErrors)d[1],
            Protocol = (CanProtocolViolations)d[2],
            ProtocolLocation = (CanProtocolLocation)d[3],
            TransceiverStatus = d[4],
            ControllerSpecific = d[5],
            TransmitErrorCount = d[6],
            ReceiveErrorCount = d[7],
        };
        return true;
    }

    /// <summary>Encodes this error as an 8-byte error frame, as a driver would send it (useful to test handlers on vcan).</summary>
    public CanFrame ToFrame()
    {
        ReadOnlySpan<byte> data =
        [
            ArbitrationLostBit, (byte)Controller, (byte)Protocol, (byte)ProtocolLocation,
            TransceiverStatus, ControllerSpecific, TransmitErrorCount, ReceiveErrorCount,
        ];
        return new CanFrame(CanId.Error(Classes), data);
    }

    /// <summary>The classes and their details, e.g. <c>Protocol, Counters (protocol Bit0, Transmit at Ack; tx 128 rx 0)</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Classes == CanErrorClasses.None ? "None" : Classes.ToString());
        var details = new List<string>();
        if ((Classes & CanErrorClasses.LostArbitration) != 0)
        {
            details.Add(ArbitrationLostBit == 0 ? "arbitration lost" : $"arbitration lost at bit {ArbitrationLostBit}");
        }

        if ((Classes & CanErrorClasses.Controller) != 0)
        {
            details.Add($"controller {Controller}");
        }

        if ((Classes & CanErrorClasses.Protocol) != 0)
        {
            details.Add($"protocol {Protocol} at {ProtocolLocation}");
        }

        if ((Classes & CanErrorClasses.Transceiver) != 0)
        {
            details.Add($"CAN-H {CanHigh}, CAN-L {CanLow}");
        }

        if ((Classes & CanErrorClasses.Counters) != 0)
        {
            details.Add($"tx {TransmitErrorCount} rx {ReceiveErrorCount}");
        }

        if (details.Count > 0)
        {
            text.Append(" (").AppendJoin("; ", details).Append(')');
        }

        return text.ToString();
    }
}
