using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mindspace.Gateway.Tests.Operations;

/// <summary>
/// A stand-in OpenTelemetry collector on loopback: accepts OTLP over HTTP (protobuf) on
/// <c>/v1/traces</c>, <c>/v1/metrics</c> and <c>/v1/logs</c> and keeps each request's bytes.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _received = new(StringComparer.Ordinal);

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver._received.GetOrAdd(signal, _ => new ConcurrentQueue<byte[]>()).Enqueue(body.ToArray());

            // An empty Export*ServiceResponse: everything accepted.
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        receiver.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return receiver;
    }

    /// <summary>The export requests received for <paramref name="signal"/> (traces, metrics, logs).</summary>
    public IReadOnlyList<byte[]> Received(string signal) => _received.TryGetValue(signal, out var requests) ? [.. requests] : [];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
