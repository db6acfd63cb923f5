using Mindspace.Runtime.Persistence.Postgres;
using Npgsql;

namespace Mindspace.Runtime.Cluster.Membership;

/// <summary>
/// The membership tables: the cluster's fixed partition count, the silos with their heartbeats and
/// lease sessions, and which silo holds which partition (the advisory lock is the truth; this table
/// tells callers where to send calls).
/// </summary>
internal static class MembershipSchema
{
    public const string Component = "cluster";

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS ms_cluster (
            singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            partition_count integer NOT NULL,
            created_at      timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE IF NOT EXISTS ms_silos (
            silo_id       text COLLATE "C" PRIMARY KEY,
            host          text NOT NULL,
            port          integer NOT NULL,
            status        text NOT NULL CHECK (status IN ('active', 'leaving', 'dead')),
            lease_pid     integer NOT NULL,
            lease_started timestamptz NOT NULL,
            joined_at     timestamptz NOT NULL,
            heartbeat_at  timestamptz NOT NULL
        );

        CREATE TABLE IF NOT EXISTS ms_partitions (
            partition_id integer PRIMARY KEY,
            silo_id      text COLLATE "C" NOT NULL,
            epoch        bigint NOT NULL,
            acquired_at  timestamptz NOT NULL
        );
        """,
    ];

    public static async Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await PostgresSchema.ApplyAsync(dataSource, Component, Migrations, cancellationToken).ConfigureAwait(false);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO ms_cluster (partition_count) VALUES (@count) ON CONFLICT (singleton) DO NOTHING;
            SELECT partition_count FROM ms_cluster;
            """);
        command.Parameters.Add(new NpgsqlParameter<int>("count", Partitioning.Count));
        var stored = (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        if (stored != Partitioning.Count)
        {
            throw new InvalidOperationException(
                $"This cluster's database was created with {stored} partitions, but this build uses {Partitioning.Count}. Members of one cluster must agree.");
        }
    }
}
