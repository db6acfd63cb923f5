using Mindspace.Runtime.Persistence.Postgres;
using Npgsql;

namespace Mindspace.Runtime.Cluster.Signals;

/// <summary>Tells every member to look at the membership tables now rather than at its next heartbeat.</summary>
internal sealed class MembershipNotifier(NpgsqlDataSource dataSource)
{
    public async Task NotifyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT pg_notify(@channel, '')");
            command.With("channel", ClusterChannels.Membership);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // Only a hint: members look at the tables every heartbeat anyway.
        }
    }
}
