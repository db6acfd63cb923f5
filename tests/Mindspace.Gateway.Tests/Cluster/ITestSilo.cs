using Orleans.Runtime;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>A silo of a test cluster on PostgreSQL, however it is hosted, that a test can kill.</summary>
public interface ITestSilo : IAsyncDisposable
{
    /// <summary>Whether <paramref name="address"/> (from the cluster's directory) is this silo.</summary>
    bool Is(SiloAddress address);

    /// <summary>Ends the silo without a graceful hand-over; see each implementation for how abruptly.</summary>
    Task KillAsync();
}
