namespace Mindspace.Runtime;

/// <summary>
/// A grain's named, durable state. Read on activation; written when the grain says so.
/// </summary>
/// <remarks>
/// <see cref="Etag"/> is the stored version this copy was read at or last wrote. A write succeeds
/// only if the stored version is still that one; otherwise it throws
/// <see cref="InconsistentStateException"/>, nothing is written and the activation is
/// deactivated after the current call, so the next call starts from fresh state.
/// </remarks>
public interface IPersistentState<TState>
    where TState : new()
{
    TState State { get; set; }

    /// <summary>The stored version, or null when nothing was ever stored.</summary>
    string? Etag { get; }

    /// <summary>Whether state is stored (false before the first write and after a clear).</summary>
    bool RecordExists { get; }

    Task ReadStateAsync(CancellationToken cancellationToken = default);

    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes the stored state and resets <see cref="State"/> to a new instance.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
