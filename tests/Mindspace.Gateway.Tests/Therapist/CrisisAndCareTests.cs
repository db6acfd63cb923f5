using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>High and imminent risk: the reply in the same turn, and the care team's audited queue.</summary>
public sealed class CrisisAndCareTests(TherapistFixture fixture) : IClassFixture<TherapistFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task A_high_risk_message_gets_a_present_reply_with_a_direct_question_the_safety_plan_and_the_countrys_lines()
    {
        var user = await Host.RegisterAndLoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PatchAsJsonAsync("/api/v1/me", new { preferences = new { country = "GB" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutAsJsonAsync("/api/v1/safety-plan", new { copingSteps = new[] { "Walk the dog around the block" }, reasonsForLiving = new[] { "My little sister" } })).StatusCode);
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);

        await hub.SendAsync(conversation, "I want to kill myself");
        var events = await hub.EventsUntilMessageAsync();
        var reply = events[^1].Payload;

        Assert.Equal("high", reply.Str("safetyLevel"));
        Assert.Contains("suicidal-desire", reply.GetProperty("signals").EnumerateArray().Select(s => s.GetString()));
        var text = reply.Str("text");
        Assert.Contains("staying right here with you", text, StringComparison.Ordinal);
        Assert.Contains("are you thinking about ending your life?", text, StringComparison.Ordinal);
        Assert.Contains("Samaritans: call 116 123", text, StringComparison.Ordinal);
        Assert.Contains("Walk the dog around the block", text, StringComparison.Ordinal);
        Assert.Contains("My little sister", text, StringComparison.Ordinal);
        Assert.EndsWith("?", text, StringComparison.Ordinal);
        Assert.Equal("GB", reply.GetProperty("crisis").GetProperty("resources").Str("country"));
        Assert.Equal("My little sister", reply.GetProperty("crisis").GetProperty("safetyPlan").GetProperty("plan").GetProperty("reasonsForLiving")[0].GetString());

        // The conversation goes on: the next ordinary message gets an ordinary reply.
        var next = await hub.SendAsync(conversation, "I'm at home, I'm safe for now.");
        Assert.Equal("none", next.Str("safetyLevel"));
    }

    [Fact]
    public async Task Imminent_danger_from_someone_at_home_names_the_emergency_number_and_the_domestic_violence_line()
    {
        var user = await Host.RegisterAndLoginAsync();
        await user.Client.PatchAsJsonAsync("/api/v1/me", new { preferences = new { country = "US" } });
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);

        var reply = await hub.SendAsync(conversation, "my husband is hitting me right now");

        Assert.Equal("imminent", reply.Str("safetyLevel"));
        var text = reply.Str("text");
        Assert.Contains("not your fault", text, StringComparison.Ordinal);
        Assert.Contains("are you safe right now?", text, StringComparison.Ordinal);
        Assert.Contains("please call 911 now", text, StringComparison.Ordinal);
        Assert.Contains("National Domestic Violence Hotline", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_country_the_reply_points_to_the_international_directory()
    {
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);
        var reply = await hub.SendAsync(conversation, "im gonna kms tonight");
        Assert.Equal("imminent", reply.Str("safetyLevel"));
        Assert.Contains("https://findahelpline.com", reply.Str("text"), StringComparison.Ordinal);
        Assert.Contains("we can make a safety plan together", reply.Str("text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_care_team_sees_who_when_level_and_an_excerpt_acknowledges_and_closes_and_every_step_is_audited()
    {
        var person = await Host.RegisterAndLoginAsync();
        var conversation = await person.StartConversationAsync();
        await using (var hub = await Host.HubAsync(person))
        {
            await hub.SendAsync(conversation, "I have a plan to kill myself and I've picked the day. " + new string('x', 300));
        }

        var member = await Host.RegisterAndLoginAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Client.GetAsync("/api/v1/care/queue")).StatusCode);

        var carer = await CareTeamMemberAsync();
        var queue = await carer.Client.GetFromJsonAsync<JsonElement>("/api/v1/care/queue");
        var item = queue.GetProperty("items").EnumerateArray().Single(i => i.Str("userId") == person.UserId.ToString());
        Assert.Equal("imminent", item.Str("level"));
        Assert.Equal("Test Person", item.Str("displayName"));
        Assert.Equal(conversation, item.Str("conversationId"));
        Assert.StartsWith("I have a plan to kill myself", item.Str("excerpt"), StringComparison.Ordinal);
        Assert.True(item.Str("excerpt").Length <= 161);
        Assert.Equal("open", item.Str("status"));
        var itemId = item.Str("id");

        var acknowledged = await carer.Client.PostAsync($"/api/v1/care/queue/{itemId}/acknowledge", null);
        Assert.Equal("acknowledged", (await acknowledged.Content.ReadFromJsonAsync<JsonElement>()).Str("status"));
        var closed = await carer.Client.PostAsJsonAsync($"/api/v1/care/queue/{itemId}/close", new { note = "Reached out; safe with family." });
        var closedItem = await closed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("closed", closedItem.Str("status"));
        Assert.Equal(carer.UserId.ToString(), closedItem.Str("closedBy"));
        var open = await carer.Client.GetFromJsonAsync<JsonElement>("/api/v1/care/queue");
        Assert.DoesNotContain(open.GetProperty("items").EnumerateArray(), i => i.Str("id") == itemId);
        await ProblemAssertions.AssertProblemAsync(await carer.Client.PostAsync($"/api/v1/care/queue/{Guid.NewGuid()}/acknowledge", null), HttpStatusCode.NotFound);

        var audit = await carer.Client.GetFromJsonAsync<JsonElement>("/api/v1/care/audit?limit=500");
        var mine = audit.GetProperty("items").EnumerateArray().Where(a => a.Str("actor") == carer.UserId.ToString()).Select(a => (a.Str("action"), a.GetProperty("itemId").ValueKind == JsonValueKind.Null ? null : a.Str("itemId"))).ToList();
        Assert.Equal(
            [("view-audit", null), ("view-queue", null), ("close", itemId), ("acknowledge", itemId), ("view-queue", null)],
            mine);
    }

    [Fact]
    public async Task Idioms_and_ordinary_sadness_raise_nothing_for_the_care_team()
    {
        var person = await Host.RegisterAndLoginAsync();
        var conversation = await person.StartConversationAsync();
        await using (var hub = await Host.HubAsync(person))
        {
            var reply = await hub.SendAsync(conversation, "This homework is killing me and I'm a bit sad");
            Assert.Equal("none", reply.Str("safetyLevel"));
        }

        var carer = await CareTeamMemberAsync();
        var queue = await carer.Client.GetFromJsonAsync<JsonElement>("/api/v1/care/queue");
        Assert.DoesNotContain(queue.GetProperty("items").EnumerateArray(), i => i.Str("userId") == person.UserId.ToString());
    }

    private async Task<TestUser> CareTeamMemberAsync()
    {
        var carer = await Host.RegisterAndLoginAsync();
        var granted = await Host.Grains.GetGrain<IUserGrain>(carer.UserId).GrantRoleAsync(new RoleChange(UserRoles.CareTeam, "test", null));
        Assert.True(granted.Changed);
        var (access, refresh) = await Host.LoginAsync(carer.Email, carer.Password);
        return carer with { AccessToken = access, RefreshToken = refresh, Client = Host.CreateClient(access) };
    }
}
