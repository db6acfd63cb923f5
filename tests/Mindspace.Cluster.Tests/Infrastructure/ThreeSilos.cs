namespace Mindspace.Cluster.Tests.Infrastructure;

/// <summary>
/// One <see cref="MindspaceCluster"/> shared by the failover tests. They run one after another
/// (one xunit collection), each starting with three active silos, so starting the cluster and its
/// database once is enough, and no two clusters compete for this machine's cores mid-measurement.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ThreeSilos : ICollectionFixture<ThreeSilosFixture>
{
    public const string Name = "three silos";
}

/// <summary>Starts the shared cluster before the first test of <see cref="ThreeSilos"/> and stops it after the last.</summary>
public sealed class ThreeSilosFixture : IAsyncLifetime
{
    private MindspaceCluster? _cluster;

    public MindspaceCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync() => _cluster = await MindspaceCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
