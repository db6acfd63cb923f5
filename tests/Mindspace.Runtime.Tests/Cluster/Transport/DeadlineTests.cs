using System.Buffers;
using Mindspace.Runtime.Cluster.Transport;
using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Tests.Cluster.Transport;

public sealed class DeadlineTests : IAsyncLifetime
{
    private readonly TestCallHandler _handler = new();
    private TransportTestServer _server = null!;
    private SiloConnectionPool _pool = null!;

    public async Task InitializeAsync()
    {
        _server = await TransportTestServer.StartAsync(_handler);
        _pool = new SiloConnectionPool(TransportTests.Options());
    }

    public async Task DisposeAsync()
    {
        await _pool.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_call_without_an_answer_by_its_deadline_times_out_and_leaves_no_pending_entry()
    {
        var never = new TaskCompletionSource<GrainResponse>();
        _handler.Answer((request, _) => request.Target.Key == "stuck" ? never.Task : Task.FromResult(new GrainResponse(request.Arguments, null)));
        await _pool.SendAsync(_server.Address, TransportTests.Request("warm-up"), CancellationToken.None);

        var exception = await Assert.ThrowsAsync<TimeoutException>(() => _pool
            .SendAsync(_server.Address, TransportTests.Request("stuck", timeout: TimeSpan.FromMilliseconds(300)), CancellationToken.None)
            .WaitAsync(TransportTests.Patience));

        Assert.Contains("stuck", exception.Message);
        Assert.Equal(0, _pool.PendingCount(_server.Address));
        Assert.Equal("still fine", TransportTests.Text(await _pool.SendAsync(
            _server.Address, TransportTests.Request("still fine"), CancellationToken.None)));
    }

    [Fact]
    public async Task A_call_whose_deadline_already_passed_is_not_sent()
    {
        var request = TransportTests.Request("expired") with { Deadline = DateTimeOffset.UtcNow.AddSeconds(-1) };

        await Assert.ThrowsAsync<TimeoutException>(() => _pool.SendAsync(_server.Address, request, CancellationToken.None));

        Assert.Equal(0, _handler.CallCount);
        Assert.Equal(0, _server.ConnectionCount);
    }

    [Fact]
    public async Task A_request_that_reaches_the_server_after_its_deadline_is_answered_with_a_timeout_without_running()
    {
        await using var raw = await RawClusterClient.ConnectAsync(_server.Port);
        Assert.Equal(FrameKind.Accept, await raw.HandshakeAsync());
        var stale = TransportTests.Request("stale") with { Deadline = DateTimeOffset.UtcNow.AddSeconds(-5) };
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.WriteRequest(buffer, 77, stale);

        await raw.SendAsync(buffer.WrittenMemory.ToArray());
        var answer = await raw.ReadFrameAsync();

        Assert.NotNull(answer);
        Assert.Equal(FrameKind.Response, answer.Value.Kind);
        Assert.Equal(77, FrameDecoder.ReadCallId(answer.Value.Payload));
        var response = FrameDecoder.ReadResponse(answer.Value.Payload);
        Assert.IsType<TimeoutException>(ExceptionCodec.Decode(response.Exception!));
        Assert.Equal(0, _handler.CallCount);
    }

    [Fact]
    public async Task Cancelling_stops_the_wait_and_removes_the_pending_entry()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource<GrainResponse>();
        _handler.Answer((_, _) =>
        {
            arrived.TrySetResult();
            return never.Task;
        });
        using var cancellation = new CancellationTokenSource();
        var call = _pool.SendAsync(_server.Address, TransportTests.Request("cancel-me"), cancellation.Token);
        await arrived.Task.WaitAsync(TransportTests.Patience);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TransportTests.Patience));
        Assert.Equal(0, _pool.PendingCount(_server.Address));
    }
}
