using Buses.Can;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Can;

public class CanErrorFrameTests
{
    [Fact]
    public void Several_classes_decode_together()
    {
        // A protocol violation (bit0 on transmit, in the ACK slot) reported together with the counters.
        var frame = new CanFrame(CanId.FromRaw(0x20000208), [0, 0, 0x88, 0x19, 0, 0, 128, 5]);
        CanErrorFrame error = CanErrorFrame.Decode(frame);
        Assert.Equal(CanErrorClasses.Protocol | CanErrorClasses.Counters, error.Classes);
        Assert.Equal(CanProtocolViolations.Bit0 | CanProtocolViolations.Transmit, error.Protocol);
        Assert.Equal(CanProtocolLocation.Ack, error.ProtocolLocation);
        Assert.Equal(128, error.TransmitErrorCount);
        Assert.Equal(5, error.ReceiveErrorCount);
        Assert.Equal("Protocol, Counters (protocol Bit0, Transmit at Ack; tx 128 rx 5)", error.ToString());
    }

    [Fact]
    public void Arbitration_controller_and_transceiver_details()
    {
        var frame = new CanFrame(CanId.FromRaw(0x20000016), [7, 0x30, 0, 0, 0x54, 0, 0, 0]);
        CanErrorFrame error = CanErrorFrame.Decode(frame);
        Assert.Equal(CanErrorClasses.LostArbitration | CanErrorClasses.Controller | CanErrorClasses.Transceiver, error.Classes);
        Assert.Equal(7, error.ArbitrationLostBit);
        Assert.Equal(CanControllerErrors.ReceivePassive | CanControllerErrors.TransmitPassive, error.Controller);
        Assert.Equal(CanWireStatus.NoWire, error.CanHigh);
        Assert.Equal(CanWireStatus.ShortToBattery, error.CanLow);
    }

    [Fact]
    public void Non_error_frame_is_refused()
    {
        Assert.False(CanErrorFrame.TryDecode(new CanFrame(CanId.Standard(0x80), []), out _));
        Assert.Contains("0x20000000", Assert.Throws<ArgumentException>(() => CanErrorFrame.Decode(new CanFrame(CanId.Standard(0x80), []))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_decode_round_trip() =>
        Prop.ForAll(
            Gen.Choose(0, 0x3FF).ToArbitrary(),
            Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 8).ToArbitrary(),
            (classes, d) =>
            {
                var error = new CanErrorFrame
                {
                    Classes = (CanErrorClasses)classes,
                    ArbitrationLostBit = d[0],
                    Controller = (CanControllerErrors)d[1],
                    Protocol = (CanProtocolViolations)d[2],
                    ProtocolLocation = (CanProtocolLocation)d[3],
                    TransceiverStatus = d[4],
                    ControllerSpecific = d[5],
                    TransmitErrorCount = d[6],
                    ReceiveErrorCount = d[7],
                };
                CanFrame frame = error.ToFrame();
                return frame.IsError && frame.Length == 8 && CanErrorFrame.Decode(frame) == error && frame.Data.SequenceEqual(d);
            }).QuickCheckThrowOnFailure();
}
