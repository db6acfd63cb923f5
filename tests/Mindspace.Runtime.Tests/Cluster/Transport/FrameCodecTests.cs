using System.Buffers;
using System.IO.Pipelines;
using Mindspace.Runtime.Cluster.Transport;
using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Tests.Cluster.Transport;

public sealed class FrameCodecTests
{
    private static readonly GrainRequest Sample = new(
        new GrainId("type", "kéy"),
        "Some.IInterface",
        "Method(Int32)",
        [1, 2, 3],
        new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero),
        [new GrainId("a", "1"), new GrainId("b", "2")]);

    [Fact]
    public void A_request_encodes_to_its_announced_size_and_decodes_to_an_equal_request()
    {
        var buffer = new ArrayBufferWriter<byte>();

        var written = FrameWriter.WriteRequest(buffer, 42, Sample);
        var payload = buffer.WrittenSpan[FrameWriter.HeaderSize..];
        var decoded = FrameDecoder.ReadRequest(payload, out var callId);

        Assert.Equal(buffer.WrittenCount, written);
        Assert.Equal(FrameWriter.RequestPayloadSize(Sample), payload.Length);
        Assert.True(FrameWriter.RequestPayloadUpperBound(Sample) >= payload.Length);
        Assert.Equal(42, callId);
        Assert.Equal(Sample.Target, decoded.Target);
        Assert.Equal(Sample.InterfaceName, decoded.InterfaceName);
        Assert.Equal(Sample.MethodKey, decoded.MethodKey);
        Assert.Equal(Sample.Arguments, decoded.Arguments);
        Assert.Equal(Sample.Deadline, decoded.Deadline);
        Assert.Equal(Sample.CallChain, decoded.CallChain);
    }

    [Fact]
    public void Every_truncation_of_a_request_is_rejected_as_a_format_error()
    {
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.WriteRequest(buffer, 1, Sample with { Arguments = [] });
        var payload = buffer.WrittenSpan[FrameWriter.HeaderSize..].ToArray();

        for (var length = 0; length < payload.Length; length++)
        {
            var cut = payload[..length];
            Assert.Throws<FrameFormatException>(() => FrameDecoder.ReadRequest(cut, out _));
        }
    }

    [Fact]
    public void Random_bytes_never_decode_into_anything_but_a_request_or_a_format_error()
    {
        var random = new Random(99);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            try
            {
                FrameDecoder.ReadRequest(bytes, out _);
            }
            catch (FrameFormatException)
            {
            }

            try
            {
                FrameDecoder.ReadResponse(bytes);
            }
            catch (FrameFormatException)
            {
            }
        }
    }

    public static TheoryData<string> Responses => ["completed", "result", "empty", "failed", "not-owner"];

    [Theory]
    [MemberData(nameof(Responses))]
    public void Every_kind_of_response_survives_a_round_trip(string kind)
    {
        var response = kind switch
        {
            "completed" => GrainResponse.Completed,
            "result" => new GrainResponse([5, 6, 7], null),
            "empty" => new GrainResponse([], null),
            "failed" => new GrainResponse(null, new ExceptionInfo("Some.Type, Assembly", "méssage")),
            _ => GrainResponse.NotOwner,
        };
        var buffer = new ArrayBufferWriter<byte>();

        FrameWriter.WriteResponse(buffer, -3, response);
        var payload = buffer.WrittenSpan[FrameWriter.HeaderSize..];
        var decoded = FrameDecoder.ReadResponse(payload);

        Assert.Equal(FrameWriter.ResponsePayloadSize(response), payload.Length);
        Assert.Equal(-3, FrameDecoder.ReadCallId(payload));
        Assert.Equal(response.IsNotOwner, decoded.IsNotOwner);
        Assert.Equal(response.Exception, decoded.Exception);
        Assert.Equal(response.Result, decoded.Result);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task Frames_split_at_any_point_of_the_stream_are_reassembled(int chunk)
    {
        var buffer = new ArrayBufferWriter<byte>();
        for (var i = 0; i < 20; i++)
        {
            FrameWriter.WriteRequest(buffer, i, Sample with { Arguments = new byte[i * 1000] });
        }

        FrameWriter.WriteRequest(buffer, 20, Sample with { Arguments = new byte[200_000] }); // gathered, not buffered whole
        var bytes = buffer.WrittenMemory.ToArray();
        var pipe = new Pipe();
        var sink = new CollectingSink();
        var reader = new FrameReader(pipe.Reader, 1024 * 1024);

        var writing = Task.Run(async () =>
        {
            for (var at = 0; at < bytes.Length; at += chunk)
            {
                await pipe.Writer.WriteAsync(bytes.AsMemory(at, Math.Min(chunk, bytes.Length - at)));
            }

            await pipe.Writer.CompleteAsync();
        });
        while (await reader.ReadBatchAsync(sink, CancellationToken.None))
        {
        }

        await writing;
        Assert.Equal(Enumerable.Range(0, 21).Select(i => (long)i), sink.CallIds);
        Assert.Equal(200_000, sink.LastArgumentLength);
    }

    [Fact]
    public async Task A_stream_ending_inside_a_frame_is_a_format_error()
    {
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.WriteRequest(buffer, 1, Sample);
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(buffer.WrittenMemory[..^1]);
        await pipe.Writer.CompleteAsync();
        var reader = new FrameReader(pipe.Reader, 1024);

        await Assert.ThrowsAsync<FrameFormatException>(async () =>
        {
            while (await reader.ReadBatchAsync(new CollectingSink(), CancellationToken.None))
            {
            }
        });
    }

    private sealed class CollectingSink : IFrameSink
    {
        public List<long> CallIds { get; } = [];

        public int LastArgumentLength { get; private set; }

        public void OnFrame(FrameKind kind, ReadOnlySpan<byte> payload)
        {
            Assert.Equal(FrameKind.Request, kind);
            var request = FrameDecoder.ReadRequest(payload, out var callId);
            CallIds.Add(callId);
            LastArgumentLength = request.Arguments.Length;
        }
    }
}
