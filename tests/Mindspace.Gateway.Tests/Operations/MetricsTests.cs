using System.Globalization;
using System.Net;
using Mindspace.Gateway.Tests.Auth;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Operations;

/// <summary>A gateway with <c>METRICS_PORT</c> set.</summary>
public sealed class MetricsHost : SharedHost
{
    public int MetricsPort { get; } = LoopbackPorts.Free();

    public Uri MetricsAddress => new($"http://127.0.0.1:{MetricsPort.ToString(CultureInfo.InvariantCulture)}");

    protected override void Configure(IDictionary<string, string?> settings) => settings["METRICS_PORT"] = MetricsPort.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Prometheus text at <c>/metrics</c>, on the internal metrics port only.</summary>
public sealed class MetricsTests(MetricsHost shared) : IClassFixture<MetricsHost>
{
    private MindspaceTestHost Host => shared.Host;

    [Fact]
    public async Task The_metrics_port_serves_Orleans_and_ASP_NET_Core_metrics_as_Prometheus_text()
    {
        // Requests and grain calls to count.
        var user = await Host.RegisterAndLoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/api/v1/me")).StatusCode);
        using var scraper = new HttpClient { BaseAddress = shared.MetricsAddress };

        var text = await Eventually.ReturnsAsync(
            () => scraper.GetStringAsync("/metrics"),
            body => HasMetric(body, "orleans_") && HasMetric(body, "http_server_request_duration_seconds"),
            "Orleans and ASP.NET Core metrics on /metrics");

        var response = await scraper.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("# TYPE ", text, StringComparison.Ordinal);
        Assert.True(HasMetric(text, "dotnet_") || HasMetric(text, "process_runtime_dotnet_"), "runtime metrics are missing");
    }

    [Fact]
    public async Task The_public_port_has_no_metrics_whatever_host_the_request_names()
    {
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        spoofed.Headers.Host = $"127.0.0.1:{shared.MetricsPort.ToString(CultureInfo.InvariantCulture)}";

        Assert.Equal(HttpStatusCode.NotFound, (await Host.Client.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Client.SendAsync(spoofed)).StatusCode);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/api/v1/me")]
    [InlineData("/openapi/v1.json")]
    public async Task The_metrics_port_serves_nothing_but_metrics(string path)
    {
        using var scraper = new HttpClient { BaseAddress = shared.MetricsAddress };

        Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync(path)).StatusCode);
    }

    /// <summary>A sample line (not a comment) whose metric name starts with <paramref name="prefix"/>.</summary>
    private static bool HasMetric(string body, string prefix)
        => body.Split('\n').Any(line => line.StartsWith(prefix, StringComparison.Ordinal));
}
