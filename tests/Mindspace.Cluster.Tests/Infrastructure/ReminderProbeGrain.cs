namespace Mindspace.Cluster.Tests.Infrastructure;

/// <summary>A test grain that registers a reminder and counts its ticks in durable state.</summary>
[Alias("ms.tests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    /// <summary>Registers (or re-registers) the reminder: first tick after <paramref name="dueTime"/>, then every <paramref name="period"/>.</summary>
    [Alias("start")]
    Task StartAsync(TimeSpan dueTime, TimeSpan period);

    [Alias("status")]
    Task<ReminderProbeStatus> GetStatusAsync();

    [Alias("stop")]
    Task StopAsync();
}

/// <param name="Ticks">Ticks received so far, across activations.</param>
/// <param name="LastSilo">The silo that received the last tick.</param>
[GenerateSerializer, Immutable, Alias("ms.tests.ReminderProbeStatus")]
public sealed record ReminderProbeStatus(int Ticks, string? LastSilo);

/// <summary>What <see cref="ReminderProbeGrain"/> stores (as JSON, in PostgreSQL).</summary>
public sealed class ReminderProbeState
{
    public int Ticks { get; set; }

    public string? LastSilo { get; set; }
}

/// <summary>
/// Counts reminder ticks and where they arrived. The count is written on every tick, so a tick
/// delivered before a silo died is still counted when the grain comes back on another.
/// </summary>
public sealed class ReminderProbeGrain(
    [PersistentState("reminder-probe")] IPersistentState<ReminderProbeState> state,
    ILocalSiloDetails silo) : Grain, IReminderProbeGrain, IRemindable
{
    public const string ReminderName = "probe";

    public async Task StartAsync(TimeSpan dueTime, TimeSpan period)
        => await this.RegisterOrUpdateReminder(ReminderName, dueTime, period);

    public Task<ReminderProbeStatus> GetStatusAsync() => Task.FromResult(new ReminderProbeStatus(state.State.Ticks, state.State.LastSilo));

    public async Task StopAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Ticks++;
        state.State.LastSilo = silo.SiloAddress.ToString();
        await state.WriteStateAsync();
    }
}
