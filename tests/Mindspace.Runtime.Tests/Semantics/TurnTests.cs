using Mindspace.Runtime.Tests.Grains;

namespace Mindspace.Runtime.Tests.Semantics;

public sealed class TurnTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(o => o.CallTimeout = TimeSpan.FromSeconds(3));

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task A_non_reentrant_grain_runs_one_call_at_a_time_even_across_awaits()
    {
        var grain = _silo.Grains.GetGrain<ITurnProbeGrain>("turns");
        var overlaps = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => grain.OverlapAsync(30)));
        Assert.All(overlaps, overlap => Assert.Equal(1, overlap));
    }

    [Fact]
    public async Task A_reentrant_grain_interleaves_calls_at_awaits()
    {
        var grain = _silo.Grains.GetGrain<IReentrantProbeGrain>("interleaving");
        var overlaps = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => grain.OverlapAsync(800)));
        Assert.True(overlaps.Max() > 1, $"Expected interleaving, saw at most {overlaps.Max()} calls at once.");
    }

    [Fact]
    public async Task A_call_past_its_deadline_fails_with_a_timeout_that_names_the_call()
    {
        var grain = _silo.Grains.GetGrain<ITurnProbeGrain>("slow");
        var exception = await Assert.ThrowsAsync<TimeoutException>(() => grain.SleepAsync(10_000));
        Assert.Contains("ITurnProbeGrain.SleepAsync", exception.Message);
        Assert.Contains("turnprobe/slow", exception.Message);
    }

    [Fact]
    public async Task A_grain_method_s_cancellation_token_fires_when_its_call_times_out()
    {
        var grain = _silo.Grains.GetGrain<ITurnProbeGrain>("waits-for-deadline");
        await Assert.ThrowsAsync<TimeoutException>(() => grain.WaitForDeadlineAsync(CancellationToken.None));

        // The caller has its timeout; the method still running in the grain is told too, so it stops.
        Assert.Equal("waits-for-deadline", await TurnProbeGrain.DeadlineTokenCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("still here", await grain.EchoAsync("still here"));
    }

    [Fact]
    public async Task Calls_queued_behind_a_call_that_timed_out_still_run()
    {
        var grain = _silo.Grains.GetGrain<ITurnProbeGrain>("after-timeout");
        var slow = Assert.ThrowsAsync<TimeoutException>(() => grain.SleepAsync(4_000));
        await slow;
        Assert.Equal("still here", await grain.EchoAsync("still here"));
    }

    [Fact]
    public async Task A_grain_calling_itself_through_another_grain_fails_at_once_instead_of_hanging()
    {
        var grain = _silo.Grains.GetGrain<ITurnProbeGrain>("loop-a");
        var exception = await Assert.ThrowsAsync<DeadlockException>(() => grain.CallBackThroughAsync("loop-b"));
        Assert.Contains("turnprobe/loop-a", exception.Message);
    }

    [Fact]
    public async Task A_reentrant_grain_may_be_called_back_through_another_grain()
    {
        var grain = _silo.Grains.GetGrain<IReentrantProbeGrain>("reentrant-loop");
        Assert.Equal("pong", await grain.CallBackThroughAsync("bouncer"));
    }

    [Fact]
    public async Task An_exception_thrown_by_a_grain_reaches_the_caller_with_its_type_and_message()
    {
        var grain = _silo.Grains.GetGrain<ITurnProbeGrain>("thrower");
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => grain.ThrowAsync("no good"));
        Assert.Equal("no good", exception.Message);
        Assert.Equal("ok", await grain.EchoAsync("ok"));
    }

    [Fact]
    public async Task A_failed_activation_fails_the_call_and_the_next_call_activates_afresh()
    {
        var grain = _silo.Grains.GetGrain<IFailingActivationGrain>("flaky");
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.PingAsync());
        Assert.Equal("first activation fails", exception.Message);
        Assert.Equal("alive", await grain.PingAsync());
    }
}
