using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindspace.Runtime.Cluster.Membership;
using Npgsql;

namespace Mindspace.Runtime.Cluster;

/// <summary>Applies the membership tables before any member reads them.</summary>
internal sealed class ClusterSchemaInitializer([FromKeyedServices(ClusterServiceCollectionExtensions.DataSourceKey)] NpgsqlDataSource dataSource) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => MembershipSchema.ApplyAsync(dataSource, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
