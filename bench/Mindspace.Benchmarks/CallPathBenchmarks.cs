using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces.CheckIns;
using Orleans.Serialization;

namespace Mindspace.Benchmarks;

/// <summary>
/// What Mindspace adds to a grain call apart from Orleans itself: making a grain reference (every
/// gateway request does it once), and our contracts through Orleans' serializer — what a call
/// between processes carries for a check-in write (<see cref="NewEntry"/> in, <see cref="EntryView"/>
/// out) and a first page of 20 entries.
/// </summary>
public class CallPathBenchmarks
{
    private const int Calls = LocalCallBenchmarks.CallsPerInvoke;

    private Silo? _silo;
    private Serializer? _serializer;
    private NewEntry _newEntry = null!;
    private EntryView _entry = null!;
    private EntryPage _page = null!;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _silo = Silo.StartAsync().GetAwaiter().GetResult();
        _serializer = _silo.Services.GetRequiredService<Serializer>();
        _silo.Grains.GetGrain<IPingGrain>("path").PingAsync(0).GetAwaiter().GetResult();
        var created = new DateTimeOffset(2026, 11, 1, 8, 30, 0, TimeSpan.Zero);
        _newEntry = new NewEntry("Slept badly, better after coffee and a walk by the river.", 4, ["bench", "morning"]);
        _entry = new EntryView(Guid.CreateVersion7(created), _newEntry.Text, 4, ["bench", "morning"], created, null);
        _page = new EntryPage([.. Enumerable.Range(0, 20).Select(i => _entry with { Id = Guid.CreateVersion7(created.AddMinutes(i)) })], Guid.CreateVersion7(created));
    }

    [GlobalCleanup]
    public void Cleanup() => _silo?.StopAsync(deactivate: false).GetAwaiter().GetResult();

    /// <summary>What a gateway endpoint does before each call: a reference from the factory.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int GetGrainReference()
    {
        var grains = _silo!.Grains;
        var hash = 0;
        for (var i = 0; i < Calls; i++)
        {
            hash ^= grains.GetGrain<IPingGrain>("path").GetHashCode();
        }

        return hash;
    }

    /// <summary>A check-in write's argument and answer, serialized and read back.</summary>
    [Benchmark]
    public EntryView CheckInWriteContracts()
    {
        RoundTrip(_newEntry);
        return RoundTrip(_entry);
    }

    /// <summary>A first page of 20 entries, serialized and read back.</summary>
    [Benchmark]
    public EntryPage EntryPageContract() => RoundTrip(_page);

    private T RoundTrip<T>(T value)
    {
        _buffer.ResetWrittenCount();
        _serializer!.Serialize(value, _buffer);
        return _serializer.Deserialize<T>(_buffer.WrittenMemory)!;
    }
}
