using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Buses.Tests.Unit;

public class ControlMessageTests
{
    [Fact]
    public void Space_and_length_follow_the_lp64_abi()
    {
        // x86-64 and arm64: a 16-byte cmsghdr, payload padded to 8.
        Assert.Equal(16 + 4, ControlMessage.Length(4));
        Assert.Equal(16 + 8, ControlMessage.Space(4));
        Assert.Equal(16 + 16, ControlMessage.Space(16));
        Assert.Equal(16, ControlMessage.Space(0));
    }

    [Fact]
    public void Negative_length_is_rejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ControlMessage.Space(-1));
        Assert.Equal("dataLength", e.ParamName);
    }

    [Fact]
    public void Written_messages_parse_back_in_order()
    {
        Span<byte> buffer = stackalloc byte[ControlMessage.Space(4) + ControlMessage.Space(12)];
        var writer = new ControlMessageWriter(buffer);
        writer.AddFileDescriptors([7]);
        writer.Add(SocketLevel.Socket, ControlMessageType.ReceiveQueueOverflow, BitConverter.GetBytes(42u));
        Assert.Equal(buffer.Length - ControlMessage.Space(12) + ControlMessage.Space(4), writer.Written.Length);

        int seen = 0;
        Span<int> fds = stackalloc int[2];
        foreach (ControlMessage message in ControlMessage.Parse(writer.Written))
        {
            if (seen == 0)
            {
                Assert.True(message.TryGetFileDescriptors(fds, out int count));
                Assert.Equal(1, count);
                Assert.Equal(7, fds[0]);
                Assert.False(message.TryGetDropCount(out _));
            }
            else
            {
                Assert.True(message.TryGetDropCount(out uint drops));
                Assert.Equal(42u, drops);
            }

            seen++;
        }

        Assert.Equal(2, seen);
    }

    [Fact]
    public void Writer_rejects_a_message_that_does_not_fit()
    {
        var buffer = new byte[ControlMessage.Space(4)];
        var e = Assert.Throws<ArgumentException>(() =>
        {
            var writer = new ControlMessageWriter(buffer);
            writer.Add(1, 2, new byte[16]);
        });
        Assert.Contains("CMSG_SPACE", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsing_arbitrary_bytes_never_throws_and_stays_in_bounds()
    {
        Prop.ForAll<byte[]>(bytes =>
        {
            int total = 0;
            foreach (ControlMessage m in ControlMessage.Parse(bytes))
            {
                total += m.Data.Length;
            }

            return total <= bytes.Length;
        }).QuickCheckThrowOnFailure();
    }
}
