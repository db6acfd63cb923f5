namespace Mindspace.Benchmarks;

/// <summary>The smallest useful grain call: an int in, an int out, no state.</summary>
[Alias("bench.IPingGrain")]
public interface IPingGrain : IGrainWithStringKey
{
    [Alias("ping")]
    Task<int> PingAsync(int value);
}

/// <summary>Stateless; also called directly (not through Orleans) as the floor baseline.</summary>
public sealed class PingGrain : Grain, IPingGrain
{
    public Task<int> PingAsync(int value) => Task.FromResult(value + 1);
}
