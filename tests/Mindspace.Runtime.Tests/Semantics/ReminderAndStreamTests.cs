using Mindspace.Runtime.Streams;
using Mindspace.Runtime.Tests.Grains;
using Mindspace.Testing;

namespace Mindspace.Runtime.Tests.Semantics;

public sealed class ReminderAndStreamTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync();

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task A_reminder_fires_and_keeps_firing_after_the_silo_restarts()
    {
        await _silo.Grains.GetGrain<IReminderProbeGrain>("durable").StartAsync(TimeSpan.FromMilliseconds(200));
        await Eventually.ReturnsAsync(() => _silo.Grains.GetGrain<IReminderProbeGrain>("durable").GetTicksAsync(), t => t >= 1, "first tick");

        _silo = await _silo.CrashAndRestartAsync();
        var before = await _silo.Grains.GetGrain<IReminderProbeGrain>("durable").GetTicksAsync();
        await Eventually.ReturnsAsync(() => _silo.Grains.GetGrain<IReminderProbeGrain>("durable").GetTicksAsync(), t => t >= before + 2, "ticks after restart");
        await _silo.Grains.GetGrain<IReminderProbeGrain>("durable").StopAsync();
    }

    [Fact]
    public async Task An_unregistered_reminder_stops_firing()
    {
        var grain = _silo.Grains.GetGrain<IReminderProbeGrain>("stopped");
        await grain.StartAsync(TimeSpan.FromMilliseconds(100));
        await Eventually.ReturnsAsync(grain.GetTicksAsync, t => t >= 1, "first tick");
        await grain.StopAsync();
        Assert.Empty(await _silo.Storage.Reminders.GetForGrainAsync(Messaging.GrainReference.IdOf(grain), CancellationToken.None));
    }

    [Fact]
    public async Task A_subscriber_that_resumes_from_its_last_sequence_gets_what_it_missed_in_order_once_each()
    {
        var stream = _silo.Streams.GetStream<string>(new StreamId("test", Guid.NewGuid().ToString()));
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(i, (await stream.OnNextAsync($"event-{i}")).SequenceNumber);
        }

        var received = new List<(string Item, long Sequence)>();
        var gate = new object();
        await using (await stream.SubscribeAsync((item, token) =>
        {
            lock (gate)
            {
                received.Add((item, token.SequenceNumber));
            }

            return Task.CompletedTask;
        }, after: new StreamSequenceToken(2)))
        {
            await stream.OnNextAsync("event-6");
            await stream.OnNextAsync("event-7");
            await Eventually.TrueAsync(() => { lock (gate) { return received.Count >= 5; } }, "five deliveries");
        }

        Assert.Equal([3L, 4, 5, 6, 7], received.Select(r => r.Sequence));
        Assert.Equal(["event-3", "event-4", "event-5", "event-6", "event-7"], received.Select(r => r.Item));
    }

    [Fact]
    public async Task A_subscription_whose_handler_throws_ends_with_that_error()
    {
        var stream = _silo.Streams.GetStream<int>(new StreamId("test", Guid.NewGuid().ToString()));
        await stream.OnNextAsync(1);
        var handle = await stream.SubscribeAsync((_, _) => throw new InvalidOperationException("handler broke"));
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => handle.Completion);
        Assert.Equal("handler broke", exception.Message);
        await handle.DisposeAsync();
    }
}
