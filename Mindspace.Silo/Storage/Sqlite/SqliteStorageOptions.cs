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

    /// <summary>
    /// Frames (pages) in the write-ahead log from which the writer copies what is left of it before
    /// its next commit, so that the log starts again (<see cref="SqliteWalCheckpointer"/>). The
    /// default, 10,000 pages of 4 KiB, is about 40 MiB of log.
    /// </summary>
    public int LongLogFrames { get; init; } = 10_000;

    /// <summary>
    /// The shortest time between two checkpoints of the write-ahead log, which copy it back into the
    /// database file beside the writer (<see cref="SqliteWalCheckpointer"/>); a commit wakes the
    /// checkpointer, which waits this long for more before it copies. Shorter means smaller
    /// checkpoints: in bench/sqlite, 25 ms gave a write p99 at half of peak of 14–17 ms, 100 ms
    /// 17–20 ms and 1 s 71–74 ms, at the same peak.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMilliseconds(25);
}
