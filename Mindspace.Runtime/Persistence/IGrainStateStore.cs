namespace Mindspace.Runtime.Persistence;

/// <summary>One stored grain state: the serialized payload (null after a clear) and its version.</summary>
public sealed record StoredState(byte[]? Payload, long Version);

/// <summary>
/// Durable, versioned state rows: (grain type, grain key, state name) → (payload, version).
/// </summary>
/// <remarks>
/// The version is the etag. Every write names the version it read (<c>null</c> when it read
/// nothing) and succeeds only if the row still has that version; the store then returns the new
/// version. A mismatch throws <see cref="InconsistentStateException"/> and changes nothing: the
/// caller's copy is stale (another activation wrote in between), so the runtime deactivates it
/// and the next call reloads. A clear keeps a tombstone with a higher version, so a stale
/// writer can never resurrect cleared state by reusing an old version number.
/// </remarks>
public interface IGrainStateStore
{
    Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken);

    /// <returns>The new version.</returns>
    /// <exception cref="InconsistentStateException">The stored version is not <paramref name="expectedVersion"/>.</exception>
    Task<long> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, long? expectedVersion, CancellationToken cancellationToken);

    /// <summary>Replaces the payload with a tombstone (payload null, version + 1).</summary>
    /// <returns>The new version.</returns>
    /// <exception cref="InconsistentStateException">The stored version is not <paramref name="expectedVersion"/>.</exception>
    Task<long> ClearAsync(GrainId grainId, string stateName, long? expectedVersion, CancellationToken cancellationToken);
}
