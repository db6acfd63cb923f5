using Mindspace.Runtime.Reminders;
using Mindspace.Runtime.Streams;

namespace Mindspace.Runtime.Persistence;

/// <summary>
/// One backing database for everything the runtime keeps durably: grain state, record
/// collections, reminders and stream events. SQLite (embedded) and PostgreSQL (cluster) implement it
/// and pass the same contract tests.
/// </summary>
public interface IStorageProvider : IAsyncDisposable
{
    /// <summary>A short name for logs and health reports ("sqlite", "postgres").</summary>
    string Name { get; }

    IGrainStateStore States { get; }

    IGrainRecordStore Records { get; }

    IReminderStore Reminders { get; }

    IStreamEventStore Streams { get; }

    /// <summary>Applies the schema (idempotently: safe on every start and from several processes at once).</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Cheap round trip to the database, for readiness checks.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}
