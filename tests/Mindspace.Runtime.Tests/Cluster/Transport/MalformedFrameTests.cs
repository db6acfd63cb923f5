using System.Buffers;
using Mindspace.Runtime.Cluster.Transport;
using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Tests.Cluster.Transport;

/// <summary>A peer that breaks the protocol loses its own connection; the server and everyone else carry on.</summary>
public sealed class MalformedFrameTests : IAsyncLifetime
{
    private const int MaxFrameBytes = 64 * 1024;
    private readonly TestCallHandler _handler = new();
    private TransportTestServer _server = null!;
    private SiloConnectionPool _pool = null!;

    public async Task InitializeAsync()
    {
        _server = await TransportTestServer.StartAsync(_handler, TransportTests.Options(maxFrameBytes: MaxFrameBytes));
        _pool = new SiloConnectionPool(TransportTests.Options(maxFrameBytes: MaxFrameBytes));
    }

    public async Task DisposeAsync()
    {
        await _pool.DisposeAsync();
        await _server.DisposeAsync();
    }

    public static TheoryData<string, byte[]> BadFrames => new()
    {
        { "over the size limit", RawClusterClient.Frame(FrameKind.Request, MaxFrameBytes + 1, [1, 2, 3]) },
        { "a request cut short", RawClusterClient.Frame(FrameKind.Request, 3, [1, 2, 3]) },
        { "a string longer than its frame", RawClusterClient.Frame(FrameKind.Request, 21, [.. new byte[16], 0xFF, 0xFF, 0xFF, 0x0F, 0x01]) },
        { "a response sent by a client", RawClusterClient.Frame(FrameKind.Response, 10, new byte[10]) },
        { "an unknown kind", RawClusterClient.Frame((FrameKind)99, 1, [0]) },
        { "a second hello", RawClusterClient.Frame(FrameKind.ClientHello, 4, [1, 2, 3, 4]) },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task A_bad_frame_closes_only_its_own_connection(string what, byte[] frame)
    {
        var held = new HeldCalls(1);
        _handler.Answer((request, token) => request.Target.Key == "held"
            ? held.HoldAsync(request, token)
            : Task.FromResult(new GrainResponse(request.Arguments, null)));
        var bystander = _pool.SendAsync(_server.Address, TransportTests.Request("held"), CancellationToken.None);
        await held.AllArrived.WaitAsync(TransportTests.Patience);
        await using var raw = await RawClusterClient.ConnectAsync(_server.Port);
        Assert.Equal(FrameKind.Accept, await raw.HandshakeAsync());

        await raw.SendAsync(frame);

        Assert.True(await raw.ServerClosedAsync(), $"The server kept a connection open after {what}.");
        held.ReleaseAll();
        Assert.Equal("held", TransportTests.Text(await bystander.WaitAsync(TransportTests.Patience)));
        Assert.Equal("next", TransportTests.Text(await _pool.SendAsync(_server.Address, TransportTests.Request("next"), CancellationToken.None)));
        Assert.Equal(2, _handler.CallCount);
    }

    [Fact]
    public async Task Valid_requests_before_a_bad_frame_still_reach_the_handler_but_nothing_after_it()
    {
        await using var raw = await RawClusterClient.ConnectAsync(_server.Port);
        Assert.Equal(FrameKind.Accept, await raw.HandshakeAsync());
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.WriteRequest(buffer, 1, TransportTests.Request("before"));
        buffer.Write(RawClusterClient.Frame((FrameKind)99, 0, []));
        FrameWriter.WriteRequest(buffer, 2, TransportTests.Request("after"));

        await raw.SendAsync(buffer.WrittenMemory.ToArray());

        Assert.True(await raw.ServerClosedAsync());
        Assert.DoesNotContain(_handler.Received, request => request.Target.Key == "after");
    }
}
