using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>One gateway with no model: the deterministic engine answers everything.</summary>
public sealed class TherapistFixture : IAsyncLifetime
{
    public MindspaceTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await MindspaceTestHost.StartAsync(settings => settings["THERAPIST_MESSAGES_PER_MINUTE"] = "1000");

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>One gateway whose model is <see cref="FakeOllama"/>.</summary>
public sealed class ModelFixture : IAsyncLifetime
{
    public MindspaceTestHost Host { get; private set; } = null!;

    public FakeOllama Ollama { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Ollama = await FakeOllama.StartAsync();
        Host = await Ollama.StartGatewayAsync(settings =>
        {
            settings["OLLAMA_FIRST_TOKEN_TIMEOUT"] = "5s";
            settings["OLLAMA_IDLE_TIMEOUT"] = "5s";
            settings["THERAPIST_MESSAGES_PER_MINUTE"] = "1000";
        });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Ollama.DisposeAsync();
    }
}

internal static class TherapistHttp
{
    /// <summary>Starts a gateway whose model is <paramref name="ollama"/>, with the test's own settings on top.</summary>
    public static Task<MindspaceTestHost> StartGatewayAsync(this FakeOllama ollama, Action<IDictionary<string, string?>> configure, TimeProvider? clock = null)
        => MindspaceTestHost.StartAsync(
            settings =>
            {
                settings["OLLAMA_URL"] = ollama.Url.ToString();
                settings["OLLAMA_MODEL"] = FakeOllama.Model;
                settings["THERAPIST_MODEL_REPLIES_FOR"] = "everyone"; // the plan gate has its own tests (Shop/PlanEntitlementTests)
                configure(settings);
            },
            clock);

    /// <summary>Acknowledges the escalation notice and starts a conversation; returns its id.</summary>
    public static async Task<string> StartConversationAsync(this TestUser user, string? title = null)
    {
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PostAsync("/api/v1/therapist/notice", null)).StatusCode);
        var response = await user.Client.PostAsJsonAsync("/api/v1/therapist/conversations", new { title });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<TherapistHubClient> HubAsync(this MindspaceTestHost host, TestUser user)
        => await TherapistHubClient.ConnectAsync(host.BaseAddress, user.AccessToken);

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
