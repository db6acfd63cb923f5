using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Runtime;
using Mindspace.Runtime.Activation;
using Mindspace.Runtime.Messaging;
using Mindspace.Runtime.Persistence.Sqlite;
using Mindspace.Runtime.Serialization;

namespace Mindspace.Benchmarks;

/// <summary>
/// Where the time of one sequential local call goes: the caller's half (proxy, arguments to JSON,
/// deadline, result from JSON) against a transport that answers at once, and the silo's half
/// (catalog lookup, mailbox, turn on the activation's scheduler, result to JSON) fed a ready request;
/// and the cost of making a grain reference, which every gateway request does.
/// </summary>
public class CallPathBenchmarks
{
    private const int Calls = LocalCallBenchmarks.CallsPerInvoke;

    private Silo? _silo;
    private Catalog? _catalog;
    private GrainRequest? _request;
    private IPingGrain? _callerOnly;

    [GlobalSetup]
    public void Setup()
    {
        _silo = Silo.StartAsync().GetAwaiter().GetResult();
        _catalog = _silo.Catalog;
        var serializer = _silo.Services.GetRequiredService<GrainSerializer>();
        _silo.Grains.GetGrain<IPingGrain>("path").PingAsync(0).GetAwaiter().GetResult();
        var registry = new GrainTypeRegistry([typeof(PingGrain).Assembly]);
        var ping = registry.GetMethod(typeof(IPingGrain), typeof(IPingGrain).GetMethod(nameof(IPingGrain.PingAsync))!);
        _request = new GrainRequest(
            new GrainId(GrainTypeRegistry.GrainTypeName(typeof(IPingGrain)), "path"),
            typeof(IPingGrain).FullName!,
            ping.Key,
            serializer.SerializeArguments(new object?[] { 1 }, [typeof(int)]),
            DateTimeOffset.UtcNow.AddDays(1),
            []);

        var options = new RuntimeOptions { StorageProviderFactory = _ => throw new NotSupportedException() };
        var client = new GrainClient(
            registry,
            serializer,
            new AnswerAtOnceTransport(new GrainResponse(serializer.Serialize(2), null)),
            options);
        _callerOnly = client.GetGrain<IPingGrain>("caller-only");
    }

    [GlobalCleanup]
    public void Cleanup() => _silo?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task CallerSideOnly()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _callerOnly!.PingAsync(i).ConfigureAwait(false);
        }
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task SiloSideOnly()
    {
        for (var i = 0; i < Calls; i++)
        {
            var response = await _catalog!.InvokeAsync(_request!, CancellationToken.None).ConfigureAwait(false);
            if (response.Exception is { } failure)
            {
                throw new InvalidOperationException(failure.Message);
            }
        }
    }

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

    private sealed class AnswerAtOnceTransport(GrainResponse response) : IGrainCallTransport
    {
        private readonly Task<GrainResponse> _answer = Task.FromResult(response);

        public Task<GrainResponse> SendAsync(GrainRequest request, CancellationToken cancellationToken) => _answer;
    }
}
