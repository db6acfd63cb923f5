using Mindspace.Runtime.Persistence.Postgres;
using Npgsql;

namespace Mindspace.Runtime.Cluster.Membership;

/// <summary>
/// The silo's lease: one dedicated, unpooled PostgreSQL session that holds a session advisory lock
/// per owned partition and carries the heartbeat. When the session ends — the silo crashed, the
/// network broke, or a peer evicted it with <c>pg_terminate_backend</c> — PostgreSQL drops every lock
/// at once, which is what lets another silo take the partitions. Not thread-safe: the membership
/// loop is its only user.
/// </summary>
internal sealed class LeaseConnection : IAsyncDisposable
{
    /// <summary>The first key of every partition lock ("MS"), so they cannot collide with other advisory locks of the database.</summary>
    private const int LockSpace = 0x4D53;

    private readonly NpgsqlConnection _connection;

    private LeaseConnection(NpgsqlConnection connection) => _connection = connection;

    /// <summary>Opens the lease session and registers (or re-registers) the silo on it as active.</summary>
    public static async Task<LeaseConnection> OpenAsync(string connectionString, SiloAddress silo, TimeSpan commandTimeout, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = $"mindspace-lease:{silo.SiloId}",
            CommandTimeout = Math.Max(1, (int)Math.Ceiling(commandTimeout.TotalSeconds)),
            Timeout = Math.Max(1, (int)Math.Ceiling(commandTimeout.TotalSeconds)),
            TcpKeepAlive = true,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var lease = new LeaseConnection(connection);
            await lease.RegisterAsync(silo, cancellationToken).ConfigureAwait(false);
            return lease;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Records this session as the silo's lease. A session this silo held before (it lost its
    /// connection and came back) is terminated first, so its locks cannot linger behind a dead socket.
    /// </summary>
    private async Task RegisterAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT pg_terminate_backend(a.pid)
              FROM ms_silos s JOIN pg_stat_activity a ON a.pid = s.lease_pid AND a.backend_start = s.lease_started
             WHERE s.silo_id = @silo_id AND a.pid <> pg_backend_pid();

            INSERT INTO ms_silos (silo_id, host, port, status, lease_pid, lease_started, joined_at, heartbeat_at)
            SELECT @silo_id, @host, @port, 'active', a.pid, a.backend_start, now(), now()
              FROM pg_stat_activity a WHERE a.pid = pg_backend_pid()
            ON CONFLICT (silo_id) DO UPDATE
               SET host = excluded.host, port = excluded.port, status = 'active',
                   lease_pid = excluded.lease_pid, lease_started = excluded.lease_started, heartbeat_at = now();
            """, _connection);
        command.With("silo_id", silo.SiloId).With("host", silo.Host).With("port", silo.Port);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <returns>False when the silo is no longer a member (peers evicted it).</returns>
    public async Task<bool> HeartbeatAsync(string siloId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE ms_silos SET heartbeat_at = now() WHERE silo_id = @silo_id AND status <> 'dead' AND lease_pid = pg_backend_pid()",
            _connection);
        command.With("silo_id", siloId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task MarkLeavingAsync(string siloId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("UPDATE ms_silos SET status = 'leaving' WHERE silo_id = @silo_id AND status = 'active'", _connection);
        command.With("silo_id", siloId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the lock of each partition nobody holds, and records the new owner with the next epoch.
    /// </summary>
    /// <returns>The partitions taken.</returns>
    public async Task<IReadOnlyList<int>> TryAcquireAsync(IReadOnlyCollection<int> partitions, string siloId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            WITH taken AS MATERIALIZED (
                SELECT p FROM unnest(@partitions) AS p WHERE pg_try_advisory_lock(@space, p))
            INSERT INTO ms_partitions (partition_id, silo_id, epoch, acquired_at)
            SELECT p, @silo_id, 1, now() FROM taken
            ON CONFLICT (partition_id) DO UPDATE
               SET silo_id = excluded.silo_id, epoch = ms_partitions.epoch + 1, acquired_at = now()
            RETURNING partition_id
            """, _connection);
        command.With("partitions", partitions.ToArray()).With("space", LockSpace).With("silo_id", siloId);
        var taken = new List<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            taken.Add(reader.GetInt32(0));
        }

        return taken;
    }

    /// <summary>Forgets the ownership records and gives the locks up, so the partitions' new owners can take them.</summary>
    public async Task ReleaseAsync(IReadOnlyCollection<int> partitions, string siloId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            DELETE FROM ms_partitions WHERE partition_id = ANY(@partitions) AND silo_id = @silo_id;
            SELECT count(pg_advisory_unlock(@space, p)) FROM unnest(@partitions) AS p;
            """, _connection);
        command.With("partitions", partitions.ToArray()).With("space", LockSpace).With("silo_id", siloId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Leaves the cluster: the silo's row goes, and closing the session frees any lock left.</summary>
    public async Task UnregisterAsync(string siloId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("DELETE FROM ms_silos WHERE silo_id = @silo_id", _connection);
        command.With("silo_id", siloId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
