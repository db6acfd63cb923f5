using Mindspace.Runtime.Streams;

namespace Mindspace.Runtime;

/// <summary>Why an activation is going away.</summary>
public enum DeactivationReason
{
    /// <summary>Unused for longer than the collection age.</summary>
    Idle,

    /// <summary>The grain asked for it (<see cref="Grain.DeactivateOnIdle"/>).</summary>
    Requested,

    /// <summary>A state write found the stored version changed: this copy is stale.</summary>
    InconsistentState,

    /// <summary>The silo is shutting down or handing the grain's partition over.</summary>
    ShuttingDown,
}

/// <summary>
/// Base class of every grain. The runtime creates it, reads its persistent states, calls
/// <see cref="OnActivateAsync"/>, then delivers calls one turn at a time (unless the class is
/// <see cref="ReentrantAttribute">[Reentrant]</see>).
/// </summary>
public abstract class Grain : IAddressable
{
    private IGrainContext? _context;

    internal IGrainContext Context
    {
        get => _context ?? throw new InvalidOperationException("This grain was not created by the grain runtime.");
        set => _context = value;
    }

    public GrainId GrainId => Context.GrainId;

    protected IGrainFactory GrainFactory => Context.GrainFactory;

    protected IServiceProvider ServiceProvider => Context.Services;

    /// <summary>The key of a grain addressed by a <see cref="Guid"/>.</summary>
    public Guid GetPrimaryKey() => Guid.Parse(GrainId.Key);

    /// <summary>The key of a grain addressed by a string.</summary>
    public string GetPrimaryKeyString() => GrainId.Key;

    /// <summary>Runs once, after persistent states are read and before the first call.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs once when the activation goes away (best effort: not on a crash).</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation once the current call completes.</summary>
    protected void DeactivateOnIdle() => Context.RequestDeactivation(DeactivationReason.Requested);

    /// <summary>
    /// Calls <paramref name="callback"/> after <paramref name="dueTime"/> and then every
    /// <paramref name="period"/> (<see cref="Timeout.InfiniteTimeSpan"/> for once), as a turn of this
    /// activation: never at the same time as a call. Timers end with the activation and do not keep it alive.
    /// </summary>
    protected IDisposable RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
        => Context.RegisterTimer(callback, dueTime, period);

    /// <summary>Registers (or moves) a durable reminder; it survives deactivation and restarts.</summary>
    protected Task<IGrainReminder> RegisterOrUpdateReminder(string reminderName, TimeSpan dueTime, TimeSpan period)
        => Context.Reminders.RegisterOrUpdateAsync(GrainId, reminderName, dueTime, period, CancellationToken.None);

    protected Task UnregisterReminder(IGrainReminder reminder)
        => Context.Reminders.UnregisterAsync(GrainId, reminder.ReminderName, CancellationToken.None);

    protected Task<IGrainReminder?> GetReminder(string reminderName)
        => Context.Reminders.GetAsync(GrainId, reminderName, CancellationToken.None);

    /// <summary>The durable stream provider.</summary>
    protected IStreamProvider GetStreamProvider() => Context.Streams;
}
