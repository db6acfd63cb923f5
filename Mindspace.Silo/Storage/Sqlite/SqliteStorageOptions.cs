namespace Mindspace.Silo.Storage.Sqlite;

/// <summary>Tuning for <see cref="SqliteDatabase"/>; the defaults suit the embedded mode.</summary>
public sealed record SqliteStorageOptions
{
    /// <summary>How long an operation waits for another process's lock on the file before failing.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When true, every commit is flushed to disk (<c>synchronous = FULL</c>). The default
    /// (<c>NORMAL</c>, safe with WAL) survives a process crash and never corrupts the file, but the
    /// last commits can be lost if the machine itself loses power.
    /// </summary>
    public bool FlushEveryCommit { get; init; }

    /// <summary>
    /// Most writes one group commit takes (<see cref="SqliteDatabase.MaxBatchSize"/> by default).
    /// 1 commits every write alone, as before group commit: the benchmark's same-run baseline.
    /// </summary>
    public int MaxWritesPerCommit { get; init; } = SqliteDatabase.MaxBatchSize;
}
