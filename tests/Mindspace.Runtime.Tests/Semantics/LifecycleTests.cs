using Mindspace.Runtime.Tests.Grains;
using Mindspace.Testing;

namespace Mindspace.Runtime.Tests.Semantics;

public sealed class LifecycleTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(options =>
    {
        options.CollectionAge = TimeSpan.FromMilliseconds(300);
        options.CollectionQuantum = TimeSpan.FromMilliseconds(100);
    });

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task An_idle_activation_is_collected_and_the_next_call_gets_a_new_one()
    {
        var grain = _silo.Grains.GetGrain<ILifecycleGrain>("idle");
        var first = await grain.GetActivationIdAsync();

        await Eventually.TrueAsync(() => _silo.Probe.Events.Contains("deactivate:idle:Idle"), "idle collection");

        Assert.NotEqual(first, await grain.GetActivationIdAsync());
    }

    [Fact]
    public async Task DeactivateOnIdle_ends_the_activation_after_the_current_call()
    {
        var grain = _silo.Grains.GetGrain<ILifecycleGrain>("requested");
        var first = await grain.GetActivationIdAsync();
        await grain.DeactivateSoonAsync();

        // A call that arrives while the old activation is going waits for it to finish, then gets a new one.
        Assert.NotEqual(first, await grain.GetActivationIdAsync());
        Assert.Contains("deactivate:requested:Requested", _silo.Probe.Events);
    }

    [Fact]
    public async Task DeactivateOnIdle_also_ends_a_reentrant_activation()
    {
        var grain = _silo.Grains.GetGrain<IReentrantLifecycleGrain>("reentrant-requested");
        var first = await grain.GetActivationIdAsync();
        await grain.DeactivateSoonAsync();

        await Eventually.TrueAsync(() => _silo.Probe.Events.Contains("deactivate:reentrant-requested:Requested"), "the reentrant activation to deactivate");
        Assert.NotEqual(first, await grain.GetActivationIdAsync());
    }

    [Fact]
    public async Task A_grain_timer_ticks_as_turns_of_its_activation()
    {
        var grain = _silo.Grains.GetGrain<ILifecycleGrain>("timer");
        await grain.StartTimerAsync(20);
        await Eventually.ReturnsAsync(grain.GetTimerTicksAsync, ticks => ticks >= 3, "three timer ticks", seconds: 10);
    }

    [Fact]
    public async Task Shutting_down_runs_OnDeactivateAsync_for_live_activations()
    {
        await _silo.Grains.GetGrain<ILifecycleGrain>("shutdown").GetActivationIdAsync();
        var probe = _silo.Probe;
        _silo = await _silo.RestartAsync();
        Assert.Contains("deactivate:shutdown:ShuttingDown", probe.Events);
    }
}
