using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>The companion draws on journal signals only after the person opts in, and never on another person's.</summary>
public sealed class JournalMemoryTests(ModelFixture fixture) : IClassFixture<ModelFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task Journal_memory_is_off_by_default_and_once_turned_on_the_model_hears_signals_never_words()
    {
        var user = await Host.RegisterAndLoginAsync();
        await WriteAsync(user, "The quarterly-review meeting with Priya went badly", 2, "overtime");
        var conversation = await user.StartConversationAsync();
        var settings = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/therapist/settings");
        Assert.False(settings.GetProperty("journalMemory").GetBoolean());

        await using var hub = await Host.HubAsync(user);
        var before = $"Before consent {Guid.NewGuid():N}";
        Assert.Equal("model", (await hub.SendAsync(conversation, before)).Str("source"));
        Assert.DoesNotContain("journal", SystemPromptFor(before), StringComparison.OrdinalIgnoreCase);

        var put = await user.Client.PutAsJsonAsync("/api/v1/therapist/settings", new { journalMemory = true });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var on = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(on.GetProperty("journalMemory").GetBoolean());
        Assert.Equal(JsonValueKind.String, on.GetProperty("journalMemorySince").ValueKind);

        var after = $"After consent {Guid.NewGuid():N}";
        await hub.SendAsync(conversation, after);
        var prompt = SystemPromptFor(after);
        Assert.Contains("1 journal entry on 1 day", prompt, StringComparison.Ordinal);
        Assert.Contains("averaged 2.0 of 5", prompt, StringComparison.Ordinal);
        Assert.Contains("tags they used: overtime", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("Priya", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("quarterly-review", prompt, StringComparison.Ordinal);

        var export = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/me/export");
        Assert.True(export.GetProperty("therapist").GetProperty("settings").GetProperty("journalMemory").GetBoolean());

        Assert.False((await (await user.Client.PutAsJsonAsync("/api/v1/therapist/settings", new { journalMemory = false })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("journalMemory").GetBoolean());
        var offAgain = $"Off again {Guid.NewGuid():N}";
        await hub.SendAsync(conversation, offAgain);
        Assert.DoesNotContain("journal", SystemPromptFor(offAgain), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task One_persons_journal_never_reaches_another_persons_companion()
    {
        var writer = await Host.RegisterAndLoginAsync();
        await WriteAsync(writer, "Only mine", 1, "secret-garden");
        Assert.Equal(HttpStatusCode.OK, (await writer.Client.PutAsJsonAsync("/api/v1/therapist/settings", new { journalMemory = true })).StatusCode);

        var other = await Host.RegisterAndLoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await other.Client.PutAsJsonAsync("/api/v1/therapist/settings", new { journalMemory = true })).StatusCode);
        var conversation = await other.StartConversationAsync();
        await using var hub = await Host.HubAsync(other);
        var text = $"Hello from the other one {Guid.NewGuid():N}";
        await hub.SendAsync(conversation, text);
        var prompt = SystemPromptFor(text);
        Assert.DoesNotContain("secret-garden", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("journal entr", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_that_is_not_true_or_false_is_a_problem_and_changes_nothing()
    {
        var user = await Host.RegisterAndLoginAsync();
        var response = await user.Client.PutAsync("/api/v1/therapist/settings", new StringContent("{\"journalMemory\":\"yes\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var empty = await user.Client.PutAsync("/api/v1/therapist/settings", new StringContent("{}", Encoding.UTF8, "application/json"));
        await empty.AssertValidationProblemAsync("journalMemory");
        Assert.False((await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/therapist/settings")).GetProperty("journalMemory").GetBoolean());
    }

    private static async Task WriteAsync(TestUser user, string body, int mood, string tag)
    {
        var response = await user.Client.PostAsJsonAsync("/api/v1/journal", new { body, mood, tags = new[] { tag } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private string SystemPromptFor(string userText)
    {
        var request = fixture.Ollama.Requests.Last(r => r.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString() == userText);
        return request.GetProperty("messages")[0].GetProperty("content").GetString()!;
    }
}
