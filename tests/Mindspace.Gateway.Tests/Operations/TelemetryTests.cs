using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Operations;

/// <summary>
/// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, traces and metrics leave over OTLP, and one trace
/// follows a request from HTTP through grain calls to PostgreSQL.
/// </summary>
public sealed class TelemetryTests
{
    private const string AspNetCore = "Microsoft.AspNetCore";
    private const string OrleansGrainCalls = "Microsoft.Orleans.Application";
    private const string OrleansGrainState = "Microsoft.Orleans.Storage";
    private const string Npgsql = "Npgsql";

    [Fact]
    public async Task A_request_that_calls_grains_on_PostgreSQL_is_one_trace_exported_over_OTLP()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var activities = new ActivityRecorder(AspNetCore, OrleansGrainCalls, OrleansGrainState, Npgsql);
        await using var host = await MindspaceTestHost.StartOnPostgresAsync(settings =>
        {
            settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString().TrimEnd('/');
            settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";

            // Export soon after the request instead of after the default 5 s and 60 s.
            settings["OTEL_BSP_SCHEDULE_DELAY"] = "200";
            settings["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        });

        // Registering calls the email index and user grains, which write their state to PostgreSQL. The
        // request names its trace, so this test finds its own among other tests' in this process.
        var trace = ActivityTraceId.CreateRandom();
        using var register = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/register")
        {
            Content = JsonContent.Create(new { email = TestUsers.NewEmail(), password = TestUsers.DefaultPassword, displayName = "Traced Person" }),
        };
        register.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        Assert.Equal(HttpStatusCode.Created, (await host.Client.SendAsync(register)).StatusCode);

        await Eventually.ReturnsAsync(
            () => Task.FromResult(Describe(activities.Stopped.Where(activity => activity.TraceId == trace))),
            spans => spans.Contains($"{AspNetCore}/Server", StringComparison.Ordinal)
                && spans.Contains($"{OrleansGrainCalls}/Client", StringComparison.Ordinal)
                && spans.Contains($"{OrleansGrainCalls}/Server", StringComparison.Ordinal)
                && spans.Contains($"{Npgsql} under {OrleansGrainState}", StringComparison.Ordinal),
            "the request, the gateway's grain call, the grain's turn, and a state write's PostgreSQL command in one trace");

        // What left the process: export requests carrying this trace id and each source's name.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(MissingFromExport(receiver.Received("traces"), trace, [AspNetCore, OrleansGrainCalls, OrleansGrainState, Npgsql])),
            missing => missing.Length == 0,
            "the trace exported over OTLP");
        await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Received("metrics").Count), count => count > 0, "metrics exported over OTLP");
    }

    /// <summary>What the exported bytes lack (no protobuf parsing: ids and scope names travel as raw bytes).</summary>
    private static string MissingFromExport(IReadOnlyList<byte[]> requests, ActivityTraceId trace, string[] sources)
    {
        var bytes = requests.SelectMany(request => request).ToArray();
        var missing = sources.Where(source => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(source)) < 0).ToList();
        if (bytes.AsSpan().IndexOf(Convert.FromHexString(trace.ToHexString())) < 0)
        {
            missing.Add($"trace {trace}");
        }

        return missing.Count == 0 ? string.Empty : $"{string.Join(", ", missing)} (in {requests.Count} requests, {bytes.Length} bytes)";
    }

    /// <summary>One line per span: source/kind, and what it ran under.</summary>
    private static string Describe(IEnumerable<Activity> spans)
        => string.Join(Environment.NewLine, spans.Select(span => $"{span.Source.Name}/{span.Kind} {span.DisplayName}" + (span.Parent is { } parent ? $" ({span.Source.Name} under {parent.Source.Name})" : string.Empty)));

    /// <summary>Every activity of the named sources that stops in this process while it listens (other tests' too: filter by trace).</summary>
    private sealed class ActivityRecorder : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _stopped = new();

        public ActivityRecorder(params string[] sources)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => sources.Contains(source.Name),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyCollection<Activity> Stopped => _stopped;

        public void Dispose() => _listener.Dispose();
    }
}
