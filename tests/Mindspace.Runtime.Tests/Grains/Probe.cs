using System.Collections.Concurrent;

namespace Mindspace.Runtime.Tests.Grains;

/// <summary>A singleton the test grains report to, so tests can see what happened inside them.</summary>
public sealed class Probe
{
    public ConcurrentQueue<string> Events { get; } = new();

    public ConcurrentDictionary<string, int> Failures { get; } = new();

    public void Record(string what) => Events.Enqueue(what);
}
