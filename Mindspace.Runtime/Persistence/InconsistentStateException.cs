namespace Mindspace.Runtime;

/// <summary>
/// A state write named a version (etag) that is no longer the stored one: another activation
/// wrote in between. Nothing was written. The runtime deactivates the activation that saw it so
/// that the next call reloads fresh state.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException(string message)
        : base(message)
    {
    }

    public InconsistentStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InconsistentStateException(GrainId grainId, string stateName, long? expectedVersion, long? storedVersion)
        : base($"State '{stateName}' of {grainId} was changed by someone else: expected version {Describe(expectedVersion)}, stored version is {Describe(storedVersion)}.")
    {
        StoredVersion = storedVersion;
        ExpectedVersion = expectedVersion;
    }

    public long? StoredVersion { get; }

    public long? ExpectedVersion { get; }

    private static string Describe(long? version) => version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
}
