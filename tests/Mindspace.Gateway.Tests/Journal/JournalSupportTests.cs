using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Safety;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Tests.Journal;

/// <summary>An entry whose words read as high or imminent risk is kept as written and comes back with support.</summary>
public sealed class JournalSupportTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task A_high_risk_entry_is_saved_as_written_and_comes_back_with_the_countrys_lines_and_the_safety_plan()
    {
        var user = await Host.RegisterAndLoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PatchAsJsonAsync("/api/v1/me", new { preferences = new { country = "GB" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutAsJsonAsync("/api/v1/safety-plan", new { copingSteps = new[] { "Walk the dog around the block" }, reasonsForLiving = new[] { "My little sister" } })).StatusCode);
        const string body = "Another night awake. I want to kill myself and I don't see the point of anything.";

        var created = await user.Client.WriteAsync(new { title = "Tuesday", body, mood = 1 });

        Assert.Equal(body, created.Str("body"));
        Assert.Equal(1, created.GetProperty("mood").GetInt32());
        var support = created.GetProperty("support");
        Assert.Equal("high", support.Str("level"));
        Assert.Contains("suicidal-desire", support.GetProperty("signals").EnumerateArray().Select(s => s.GetString()));
        var message = support.Str("message")!;
        Assert.StartsWith("Your entry is saved just as you wrote it, and it stays private.", message, StringComparison.Ordinal);
        Assert.Contains("Samaritans: call 116 123", message, StringComparison.Ordinal);
        Assert.Contains("Walk the dog around the block", message, StringComparison.Ordinal);
        Assert.Contains("My little sister", message, StringComparison.Ordinal);
        Assert.Contains("the companion is here at any hour", message, StringComparison.Ordinal);
        Assert.Equal("GB", support.GetProperty("resources").Str("country"));
        Assert.Contains(support.GetProperty("resources").GetProperty("lines").EnumerateArray(), l => l.Str("name") == "Samaritans");
        Assert.Equal("My little sister", support.GetProperty("safetyPlan").GetProperty("reasonsForLiving")[0].GetString());
        Assert.Equal("/api/v1/therapist/conversations", support.Str("companion"));
        Assert.False(support.GetProperty("careTeamNotified").GetBoolean());

        // Nothing is hidden: reading it back gives the entry as written, without the support block.
        var read = await user.Client.GetJsonAsync($"/api/v1/journal/{created.Id()}");
        Assert.Equal(body, read.Str("body"));
        Assert.Equal(JsonValueKind.Null, read.GetProperty("support").ValueKind);
    }

    [Fact]
    public async Task An_imminent_entry_names_the_emergency_number_and_without_a_plan_or_country_points_to_the_international_directory()
    {
        var user = await Host.RegisterAndLoginAsync();

        var created = await user.Client.WriteAsync(new { body = "I took all my pills." });

        var support = created.GetProperty("support");
        Assert.Equal("imminent", support.Str("level"));
        Assert.Equal(CrisisDirectory.International, support.GetProperty("resources").Str("country"));
        Assert.Equal(JsonValueKind.Null, support.GetProperty("safetyPlan").ValueKind);
        var message = support.Str("message")!;
        Assert.Contains("please call your local emergency number now", message, StringComparison.Ordinal);
        Assert.Contains("https://findahelpline.com", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Danger_from_someone_at_home_puts_the_domestic_violence_line_first()
    {
        var user = await Host.RegisterAndLoginAsync();
        await user.Client.PatchAsJsonAsync("/api/v1/me", new { preferences = new { country = "US" } });

        var created = await user.Client.WriteAsync(new { body = "My husband hits me when he drinks." });

        var message = created.GetProperty("support").Str("message")!;
        Assert.Contains("It is not your fault", message, StringComparison.Ordinal);
        Assert.True(
            message.IndexOf("National Domestic Violence Hotline", StringComparison.Ordinal) < message.IndexOf("988 Suicide", StringComparison.Ordinal),
            message);
    }

    [Fact]
    public async Task Editing_an_entry_into_crisis_words_brings_support_and_ordinary_or_idiomatic_entries_bring_none()
    {
        var user = await Host.RegisterAndLoginAsync();
        var ordinary = await user.Client.WriteAsync(new { body = "This homework is killing me, but the walk helped." });
        Assert.Equal(JsonValueKind.Null, ordinary.GetProperty("support").ValueKind);

        var patched = await user.Client.PatchAsync($"/api/v1/journal/{ordinary.Id()}", HttpJson.Json("""{"body":"I have a plan to kill myself tonight."}"""));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var edited = JsonDocument.Parse(await patched.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("imminent", edited.GetProperty("support").Str("level"));

        var thoughtRecord = await user.Client.WriteAsync(new
        {
            kind = "thought-record",
            thoughtRecord = new { situation = "Exam results", automaticThought = "I'll never be good enough", emotion = "sad", intensity = 70 },
        });
        Assert.Equal(JsonValueKind.Null, thoughtRecord.GetProperty("support").ValueKind);
    }

    [Fact]
    public async Task Crisis_words_in_a_thought_record_or_past_the_classifiers_window_are_still_noticed()
    {
        var user = await Host.RegisterAndLoginAsync();
        var record = await user.Client.WriteAsync(new
        {
            kind = "thought-record",
            thoughtRecord = new { situation = "Alone at home", automaticThought = "I want to kill myself", emotion = "despair", intensity = 95 },
        });
        Assert.Equal("high", record.GetProperty("support").Str("level"));

        var longBody = string.Concat(Enumerable.Repeat("Today was long and grey. ", 1_000)) + "\n\nI want to end my life.";
        Assert.True(longBody.Length > SafetyText.MaxLength);
        var late = await user.Client.WriteAsync(new { body = longBody });
        Assert.Equal("high", late.GetProperty("support").Str("level"));
    }

    [Fact]
    public async Task The_care_team_is_not_told_and_the_words_never_reach_the_logs()
    {
        var user = await Host.RegisterAndLoginAsync();
        const string marker = "zebracrossing";
        await user.Client.WriteAsync(new { title = marker, body = $"I want to kill myself {marker}" });

        var carer = await Host.RegisterAndLoginAsync();
        Assert.True((await Host.Grains.GetGrain<IUserGrain>(carer.UserId).GrantRoleAsync(new RoleChange(UserRoles.CareTeam, "test", null))).Changed);
        var (access, _) = await Host.LoginAsync(carer.Email, carer.Password);
        var queue = await Host.CreateClient(access).GetFromJsonAsync<JsonElement>("/api/v1/care/queue");
        Assert.DoesNotContain(queue.GetProperty("items").EnumerateArray(), i => i.GetProperty("userId").GetString() == user.UserId.ToString());
        Assert.DoesNotContain(Host.Logs.Lines, line => line.Contains(marker, StringComparison.OrdinalIgnoreCase));
    }
}
