using Orleans.Placement;

namespace Mindspace.ClusterBench;

/// <summary>The bench grain: stateless, answers at once, placed at random like Mindspace's own grains.</summary>
[Alias("bench.IEchoGrain")]
public interface IEchoGrain : IGrainWithStringKey
{
    [Alias("ping")]
    Task<int> PingAsync(int value);

    /// <summary>The silo this activation lives on.</summary>
    [Alias("where")]
    Task<string> WhereAsync();
}

/// <summary>Returns its argument: what is measured is Orleans and the network, not the grain.</summary>
public sealed class EchoGrain : Grain, IEchoGrain
{
    public Task<int> PingAsync(int value) => Task.FromResult(value);

    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity);
}

/// <summary>The same grain, activated in the silo that first calls it: the local-call baseline.</summary>
[Alias("bench.ILocalEchoGrain")]
public interface ILocalEchoGrain : IGrainWithStringKey
{
    [Alias("ping")]
    Task<int> PingAsync(int value);
}

[PreferLocalPlacement]
public sealed class LocalEchoGrain : Grain, ILocalEchoGrain
{
    public Task<int> PingAsync(int value) => Task.FromResult(value);
}
