using System.Text;
using Mindspace.Runtime.Cluster;
using Mindspace.Runtime.Cluster.Transport;
using Mindspace.Runtime.Messaging;
using Mindspace.Testing;

namespace Mindspace.Runtime.Tests.Cluster.Transport;

public sealed class ConnectionFailureTests : IAsyncLifetime
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
    public async Task Calls_in_flight_when_the_server_dies_fail_as_lost_and_a_call_after_its_restart_succeeds()
    {
        var held = new HeldCalls(20);
        _handler.Answer(held.HoldAsync);
        var inFlight = Enumerable.Range(0, 20)
            .Select(i => _pool.SendAsync(_server.Address, TransportTests.Request($"doomed-{i}"), CancellationToken.None))
            .ToArray();
        await held.AllArrived.WaitAsync(TransportTests.Patience);
        var port = _server.Port;

        await _server.CrashAsync();

        foreach (var call in inFlight)
        {
            var exception = await Assert.ThrowsAsync<SiloConnectionLostException>(() => call.WaitAsync(TransportTests.Patience));
            Assert.Contains(_server.Address.Endpoint, exception.Message);
        }

        Assert.Equal(0, _pool.PendingCount(_server.Address));
        held.ReleaseAll();

        _server = await TransportTestServer.StartAsync(new TestCallHandler(), port: port);
        var response = await _pool.SendAsync(_server.Address, TransportTests.Request("reborn"), CancellationToken.None);
        Assert.Equal("reborn", TransportTests.Text(response));
        Assert.Equal(1, _server.ConnectionCount);
    }

    [Fact]
    public async Task A_graceful_shutdown_answers_the_calls_already_running_and_then_refuses_new_connections()
    {
        var held = new HeldCalls(1);
        _handler.Answer(held.HoldAsync);
        var running = _pool.SendAsync(_server.Address, TransportTests.Request("finishing"), CancellationToken.None);
        await held.AllArrived.WaitAsync(TransportTests.Patience);

        var stopping = _server.StopAsync();
        await Eventually.TrueAsync(() => !_pool.HasOpenConnection(_server.Address), "the client to hear the silo is going away");
        held.ReleaseAll();

        Assert.Equal("finishing", TransportTests.Text(await running.WaitAsync(TransportTests.Patience)));
        await stopping.WaitAsync(TransportTests.Patience);
        await Assert.ThrowsAsync<CallNotSentException>(
            () => _pool.SendAsync(_server.Address, TransportTests.Request("too late"), CancellationToken.None));
    }

    [Fact]
    public async Task Disconnecting_a_silo_fails_its_calls_in_flight_and_the_next_call_opens_a_new_connection()
    {
        var held = new HeldCalls(1);
        _handler.Answer((request, token) => request.Target.Key == "held"
            ? held.HoldAsync(request, token)
            : Task.FromResult(new GrainResponse(request.Arguments, null)));
        var inFlight = _pool.SendAsync(_server.Address, TransportTests.Request("held"), CancellationToken.None);
        await held.AllArrived.WaitAsync(TransportTests.Patience);

        _pool.Disconnect(_server.Address);

        await Assert.ThrowsAsync<SiloConnectionLostException>(() => inFlight.WaitAsync(TransportTests.Patience));
        var response = await _pool.SendAsync(_server.Address, TransportTests.Request("fresh"), CancellationToken.None);
        Assert.Equal("fresh", TransportTests.Text(response));
        Assert.Equal(2, _server.ConnectionCount);
        held.ReleaseAll();
    }

    [Fact]
    public async Task Disposing_the_pool_fails_the_calls_in_flight_and_refuses_new_ones()
    {
        var held = new HeldCalls(3);
        _handler.Answer(held.HoldAsync);
        var inFlight = Enumerable.Range(0, 3)
            .Select(i => _pool.SendAsync(_server.Address, TransportTests.Request($"d{i}"), CancellationToken.None))
            .ToArray();
        await held.AllArrived.WaitAsync(TransportTests.Patience);

        await _pool.DisposeAsync();

        foreach (var call in inFlight)
        {
            await Assert.ThrowsAsync<SiloConnectionLostException>(() => call.WaitAsync(TransportTests.Patience));
        }

        Assert.Throws<ObjectDisposedException>(() => { _ = _pool.SendAsync(_server.Address, TransportTests.Request("after"), CancellationToken.None); });
        held.ReleaseAll();
    }

    [Fact]
    public async Task The_handler_token_is_cancelled_when_the_callers_connection_goes_away()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _handler.Answer(async (request, token) =>
        {
            token.Register(() => cancelled.TrySetResult());
            arrived.TrySetResult();
            await cancelled.Task;
            return GrainResponse.Completed;
        });
        var call = _pool.SendAsync(_server.Address, TransportTests.Request("abandoned"), CancellationToken.None);
        await arrived.Task.WaitAsync(TransportTests.Patience);

        _pool.Disconnect(_server.Address);

        await cancelled.Task.WaitAsync(TransportTests.Patience);
        await Assert.ThrowsAsync<SiloConnectionLostException>(() => call.WaitAsync(TransportTests.Patience));
        Assert.Equal(Encoding.UTF8.GetBytes("abandoned"), Assert.Single(_handler.Received).Arguments);
    }
}
