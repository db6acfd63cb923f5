using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Hosting;

public sealed class PipelineTests : IAsyncLifetime
{
    private MindspaceTestHost _host = null!;

    public async Task InitializeAsync() => _host = await MindspaceTestHost.StartAsync(settings =>
    {
        settings["CORS_ORIGINS"] = "https://app.mindspace.test";
        settings["MAX_REQUEST_BODY_BYTES"] = "4096";
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Liveness_and_readiness_answer_healthy()
    {
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/health/live")).StatusCode);
        var ready = await _host.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_api_and_the_docs_page_serves_it()
    {
        var document = await _host.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/me", "/api/v1/entries", "/api/v1/mood" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI document lacks {path}");
        }

        var docs = await _host.Client.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("swagger-ui", await docs.Content.ReadAsStringAsync());
        Assert.Contains("/openapi/v1.json", await _host.Client.GetStringAsync("/docs/index.js"));
        Assert.Contains("swagger-ui", await _host.Client.GetStringAsync("/docs")); // redirected to the page
    }

    [Fact]
    public async Task Responses_carry_security_headers_and_no_server_banner()
    {
        var response = await _host.Client.GetAsync("/health/live");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Cors_allows_configured_origins_only()
    {
        async Task<HttpResponseMessage> PreflightAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/entries");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            return await _host.Client.SendAsync(request);
        }

        var allowed = await PreflightAsync("https://app.mindspace.test");
        Assert.Equal("https://app.mindspace.test", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var refused = await PreflightAsync("https://evil.example");
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem_document()
    {
        await (await _host.Client.GetAsync("/api/v1/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_document_and_registers_nobody()
    {
        var response = await _host.Client.PostJsonAsync("/api/v1/auth/register", "{\"email\": \"a@b.test\",");
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        await AssertEmailIsFreeAsync("a@b.test");
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_a_400_problem_document_that_names_where()
    {
        var response = await _host.Client.PostAsync(
            "/api/v1/auth/register",
            new StringContent("""{"email":"typed@b.test","password":1234567890123,"displayName":"X"}""", Encoding.UTF8, "application/json"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("password", problem.ToString(), StringComparison.OrdinalIgnoreCase);
        await AssertEmailIsFreeAsync("typed@b.test");
    }

    [Fact]
    public async Task An_oversized_body_is_a_413_problem_document_and_changes_nothing()
    {
        var user = await _host.RegisterAndLoginAsync();
        var huge = JsonSerializer.Serialize(new { text = new string('a', 8_000) });
        var response = await user.Client.PostAsync("/api/v1/entries", new StringContent(huge, Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        var list = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/entries");
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_rejected_with_a_problem_document()
    {
        var response = await _host.Client.PostAsync("/api/v1/auth/login", new StringContent("email=a&password=b", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.True((int)response.StatusCode is 400 or 415, $"got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task AssertEmailIsFreeAsync(string email)
    {
        var register = await _host.Client.RegisterAsync(email);
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
    }
}
