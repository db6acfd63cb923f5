using Mindspace.Runtime;

namespace Mindspace.ClusterBench;

/// <summary>The bench grain: stateless, answers at once. Grain type name <c>echo</c>.</summary>
public interface IEchoGrain : IGrainWithStringKey
{
    Task<int> PingAsync(int value);
}

/// <summary>Returns its argument: what is measured is the runtime and the transport, not the grain.</summary>
public sealed class EchoGrain : Grain, IEchoGrain
{
    public Task<int> PingAsync(int value) => Task.FromResult(value);
}
