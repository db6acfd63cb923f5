using Mindspace.Runtime.Persistence.Postgres;
using Npgsql;

namespace Mindspace.Runtime.Cluster.Membership;

/// <summary>A member as the silos table shows it in one read.</summary>
/// <param name="Stale">Its heartbeat is older than the eviction age (by the database's clock).</param>
/// <param name="LeaseGone">Its lease session no longer exists: the process died or lost its connection.</param>
internal sealed record SiloRow(SiloAddress Address, string Status, bool Stale, bool LeaseGone)
{
    public bool IsLive => Status == "active" && !Stale && !LeaseGone;

    public bool IsDead => Stale || LeaseGone;
}

/// <summary>Reads and updates the membership tables on pooled connections (the lease session is only for the lease).</summary>
internal sealed class MembershipTable(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<SiloRow>> ReadSilosAsync(TimeSpan evictionAge, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT s.silo_id, s.host, s.port, s.status,
                   now() - s.heartbeat_at > @eviction_age,
                   NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = s.lease_pid AND a.backend_start = s.lease_started)
              FROM ms_silos s
             WHERE s.status <> 'dead'
            """);
        command.With("eviction_age", evictionAge);
        var silos = new List<SiloRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            silos.Add(new SiloRow(
                new SiloAddress(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)),
                reader.GetString(3),
                reader.GetBoolean(4),
                reader.GetBoolean(5)));
        }

        return silos;
    }

    /// <summary>
    /// Declares a silo dead and ends its lease session, which frees its partition locks. A silo
    /// that is merely slow has stopped serving by then (it fences itself at half the eviction age).
    /// </summary>
    /// <returns>Whether this call did it (another peer may have been first).</returns>
    public async Task<bool> EvictAsync(string siloId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH evicted AS (
                UPDATE ms_silos SET status = 'dead' WHERE silo_id = @silo_id AND status <> 'dead'
                RETURNING lease_pid, lease_started)
            SELECT count(*) FROM evicted e
              LEFT JOIN LATERAL (
                  SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a
                   WHERE a.pid = e.lease_pid AND a.backend_start = e.lease_started) t ON true
            """);
        command.With("silo_id", siloId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
    }

    /// <summary>Who holds which partition, skipping holders already declared dead.</summary>
    public async Task<SiloAddress?[]> ReadOwnersAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT p.partition_id, s.silo_id, s.host, s.port
              FROM ms_partitions p JOIN ms_silos s ON s.silo_id = p.silo_id
             WHERE s.status <> 'dead'
            """);
        var owners = new SiloAddress?[Partitioning.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var partition = reader.GetInt32(0);
            if (partition >= 0 && partition < owners.Length)
            {
                owners[partition] = new SiloAddress(reader.GetString(1), reader.GetString(2), reader.GetInt32(3));
            }
        }

        return owners;
    }

    /// <summary>Forgets silos dead for longer than <paramref name="age"/> (their partitions have new owners by then).</summary>
    public async Task PruneDeadAsync(TimeSpan age, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM ms_silos WHERE status = 'dead' AND now() - heartbeat_at > @age");
        command.With("age", age);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
