using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Safety;

namespace Mindspace.Grains.Safety;

/// <summary>Stored state of <see cref="SafetyPlanGrain"/>.</summary>
[GenerateSerializer, Alias("ms.state.SafetyPlanState")]
public sealed class SafetyPlanState
{
    [Id(0)]
    public SafetyPlan? Plan { get; set; }

    [Id(1)]
    public DateTimeOffset? UpdatedAt { get; set; }
}

/// <inheritdoc cref="ISafetyPlanGrain"/>
public sealed class SafetyPlanGrain(
    [PersistentState("safetyplan")] IPersistentState<SafetyPlanState> state,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, ISafetyPlanGrain
{
    public Task<SafetyPlanView> GetAsync() => Task.FromResult(View());

    public async Task<SafetyPlanView> SaveAsync(SafetyPlan plan)
    {
        state.State.Plan = SafetyPlanRules.Normalize(plan);
        state.State.UpdatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        return View();
    }

    public async Task EraseAsync()
    {
        await state.ClearStateAsync();
        state.State = new SafetyPlanState();
    }

    private SafetyPlanView View() => new(state.State.Plan ?? SafetyPlan.Empty, state.State.UpdatedAt);
}
