using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Therapist;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>Export, erasure and restarts (SQLite and PostgreSQL) of the companion's data.</summary>
public sealed class TherapistDataTests(TherapistFixture fixture) : IClassFixture<TherapistFixture>
{
    [Fact]
    public async Task Export_holds_the_conversations_and_safety_plan_and_deleting_the_account_erases_them()
    {
        var host = fixture.Host;
        var user = await host.RegisterAndLoginAsync();
        await user.Client.PutAsJsonAsync("/api/v1/safety-plan", new { reasonsForLiving = new[] { "The sea" } });
        var conversation = await user.StartConversationAsync("Export me");
        await using (var hub = await host.HubAsync(user))
        {
            await hub.SendAsync(conversation, "Hello, it's been a strange week");
            await hub.SendAsync(conversation, "I want to die");
        }

        var export = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/me/export");
        var therapist = export.GetProperty("therapist");
        var exported = therapist.GetProperty("conversations")[0];
        Assert.Equal("Export me", exported.GetProperty("conversation").Str("title"));
        Assert.Equal(4, exported.GetProperty("messages").GetArrayLength());
        Assert.Equal("The sea", therapist.GetProperty("safetyPlan").GetProperty("plan").GetProperty("reasonsForLiving")[0].GetString());

        var delete = await user.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = user.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        var id = Guid.Parse(conversation);
        Assert.Null(await host.Grains.GetGrain<IConversationGrain>(TherapistRules.ConversationKey(user.UserId, id)).GetAsync());
        Assert.Empty(await host.Grains.GetGrain<ITherapistGrain>(user.UserId).ListConversationsAsync());
        Assert.Empty(await host.Grains.GetGrain<ITherapistGrain>(user.UserId).RecallAsync("strange week", Guid.Empty, 5));
        Assert.True((await host.Grains.GetGrain<Grains.Interfaces.Safety.ISafetyPlanGrain>(user.UserId).GetAsync()).Plan.IsEmpty);
        var queue = await host.Grains.GetGrain<ICareQueueGrain>(0).ListAsync(Guid.NewGuid(), includeClosed: true);
        Assert.DoesNotContain(queue, item => item.UserId == user.UserId);
    }

    [Fact]
    public Task Conversations_survive_a_restart() => SurvivesRestartAsync(MindspaceTestHost.StartAsync());

    [Fact]
    public Task Conversations_survive_a_restart_on_postgres() => SurvivesRestartAsync(MindspaceTestHost.StartOnPostgresAsync());

    private static async Task SurvivesRestartAsync(Task<MindspaceTestHost> start)
    {
        var host = await start;
        try
        {
            var user = await host.RegisterAndLoginAsync();
            var conversation = await user.StartConversationAsync();
            string firstReply;
            await using (var hub = await host.HubAsync(user))
            {
                firstReply = (await hub.SendAsync(conversation, "Can we do a breathing exercise?", "before-restart")).Str("text");
            }

            host = await host.RestartAsync();
            var (access, _) = await host.LoginAsync(user.Email, user.Password);
            user = user with { AccessToken = access, Client = host.CreateClient(access) };
            await using var again = await host.HubAsync(user);

            // The same clientMessageId finds the stored reply; the flow state survived too.
            Assert.Equal(firstReply, (await again.SendAsync(conversation, "Can we do a breathing exercise?", "before-restart")).Str("text"));
            var next = await again.SendAsync(conversation, "ready");
            Assert.Contains("Breathe in", next.Str("text"), StringComparison.Ordinal);
            var history = await user.Client.GetFromJsonAsync<JsonElement>($"/api/v1/therapist/conversations/{conversation}/messages");
            Assert.Equal(4, history.GetProperty("items").GetArrayLength());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
