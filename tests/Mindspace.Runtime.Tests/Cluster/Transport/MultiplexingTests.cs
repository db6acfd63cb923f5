using System.Text;
using Mindspace.Runtime.Cluster.Transport;
using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Tests.Cluster.Transport;

public sealed class MultiplexingTests : IAsyncLifetime
{
    private readonly TestCallHandler _handler = new();
    private TransportTestServer _server = null!;

    public async Task InitializeAsync() => _server = await TransportTestServer.StartAsync(_handler);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Ten_thousand_concurrent_calls_share_one_connection_and_each_gets_its_own_answer_in_reverse_order()
    {
        const int calls = 10_000;
        var held = new HeldCalls(calls);
        _handler.Answer(held.HoldAsync);
        await using var pool = new SiloConnectionPool(TransportTests.Options());

        var sent = Enumerable.Range(0, calls)
            .Select(i => pool.SendAsync(_server.Address, TransportTests.Request($"grain-{i}", Encoding.UTF8.GetBytes($"argument-{i}")), CancellationToken.None))
            .ToArray();
        await held.AllArrived.WaitAsync(TransportTests.Patience); // all 10,000 are inside the handler at once: none waits for another

        foreach (var (request, answer) in held.Calls.Reverse())
        {
            answer.SetResult(new GrainResponse(Encoding.UTF8.GetBytes($"{request.Target.Key}:{Encoding.UTF8.GetString(request.Arguments)}"), null));
        }

        var responses = await Task.WhenAll(sent).WaitAsync(TransportTests.Patience);
        for (var i = 0; i < calls; i++)
        {
            Assert.Equal($"grain-{i}:argument-{i}", TransportTests.Text(responses[i]));
        }

        Assert.Equal(1, _server.ConnectionCount);
        Assert.Equal(0, pool.PendingCount(_server.Address));
    }

    [Fact]
    public async Task Calls_answered_in_random_order_complete_with_their_own_answers()
    {
        const int calls = 2_000;
        var random = new Random(1234);
        _handler.Answer(async (request, _) =>
        {
            int delay;
            lock (random)
            {
                delay = random.Next(0, 20);
            }

            await Task.Delay(delay);
            return new GrainResponse(request.Arguments, null);
        });
        await using var pool = new SiloConnectionPool(TransportTests.Options());

        var responses = await Task.WhenAll(Enumerable.Range(0, calls)
            .Select(i => pool.SendAsync(_server.Address, TransportTests.Request($"k{i}"), CancellationToken.None)))
            .WaitAsync(TransportTests.Patience);

        Assert.Equal(Enumerable.Range(0, calls).Select(i => $"k{i}"), responses.Select(TransportTests.Text));
        Assert.Equal(1, _server.ConnectionCount);
    }

    [Fact]
    public async Task Concurrent_first_calls_open_a_single_connection()
    {
        await using var pool = new SiloConnectionPool(TransportTests.Options());
        using var start = new ManualResetEventSlim();

        var racing = Enumerable.Range(0, 16).Select(i => Task.Run(() =>
        {
            start.Wait();
            return pool.SendAsync(_server.Address, TransportTests.Request($"race-{i}"), CancellationToken.None);
        })).ToArray();
        start.Set();
        await Task.WhenAll(racing).WaitAsync(TransportTests.Patience);

        Assert.Equal(1, _server.ConnectionCount);
    }

    [Fact]
    public async Task Calls_are_spread_over_the_configured_number_of_connections()
    {
        await using var pool = new SiloConnectionPool(TransportTests.Options(connectionsPerSilo: 3));

        var responses = await Task.WhenAll(Enumerable.Range(0, 30)
            .Select(i => pool.SendAsync(_server.Address, TransportTests.Request($"spread-{i}"), CancellationToken.None)))
            .WaitAsync(TransportTests.Patience);

        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"spread-{i}"), responses.Select(TransportTests.Text));
        Assert.Equal(3, _server.ConnectionCount);
    }

    [Fact]
    public async Task A_slow_call_does_not_hold_up_other_calls_on_the_same_connection()
    {
        var slow = new TaskCompletionSource<GrainResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _handler.Answer((request, _) => request.Target.Key == "slow" ? slow.Task : Task.FromResult(new GrainResponse(request.Arguments, null)));
        await using var pool = new SiloConnectionPool(TransportTests.Options());

        var slowCall = pool.SendAsync(_server.Address, TransportTests.Request("slow"), CancellationToken.None);
        var fast = await pool.SendAsync(_server.Address, TransportTests.Request("fast"), CancellationToken.None).WaitAsync(TransportTests.Patience);

        Assert.Equal("fast", TransportTests.Text(fast));
        Assert.False(slowCall.IsCompleted);
        slow.SetResult(new GrainResponse(Encoding.UTF8.GetBytes("finally"), null));
        Assert.Equal("finally", TransportTests.Text(await slowCall.WaitAsync(TransportTests.Patience)));
    }
}
