using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>A thought record finished with the companion goes to the journal only when the person saves it.</summary>
public sealed class ThoughtRecordToJournalTests(TherapistFixture fixture) : IClassFixture<TherapistFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task A_finished_thought_record_is_saved_to_the_journal_only_when_asked_and_only_once()
    {
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        JsonElement last;
        await using (var hub = await Host.HubAsync(user))
        {
            last = await FinishThoughtRecordAsync(hub, conversation);
        }

        var save = last.Str("saveToJournal");
        Assert.Equal($"/api/v1/therapist/conversations/{conversation}/messages/{last.Str("id")}/save-to-journal", save);
        Assert.Contains("save it to your journal", last.Str("text"), StringComparison.Ordinal);
        Assert.Empty(await JournalAsync(user)); // never automatic

        var response = await user.Client.PostAsync(save, null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var entry = JsonDocument.Parse(body).RootElement;
        Assert.Equal("thought-record", entry.Str("kind"));
        Assert.Equal($"/api/v1/journal/{entry.Str("id")}", response.Headers.Location?.ToString());
        var record = entry.GetProperty("thoughtRecord");
        Assert.Equal("I got feedback at work", record.Str("situation"));
        Assert.Equal("I'm useless", record.Str("automaticThought"));
        Assert.Equal("shame", record.Str("emotion"));
        Assert.Equal(80, record.GetProperty("intensity").GetInt32());
        Assert.Equal("my boss frowned", record.Str("evidenceFor"));
        Assert.Equal("she also praised one part", record.Str("evidenceAgainst"));
        Assert.Equal("I made one mistake, that's human", record.Str("balancedThought"));
        Assert.Equal(50, record.GetProperty("reratedIntensity").GetInt32());

        var again = await user.Client.PostAsync(save, null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(entry.Str("id"), (await again.Content.ReadFromJsonAsync<JsonElement>()).Str("id"));
        Assert.Single(await JournalAsync(user));

        var export = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/me/export");
        var kept = export.GetProperty("therapist").GetProperty("conversations")[0].GetProperty("thoughtRecords")[0];
        Assert.Equal(entry.Str("id"), kept.Str("journalEntryId"));
    }

    [Fact]
    public async Task Someone_else_or_a_message_that_ended_no_thought_record_gets_404()
    {
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        JsonElement last;
        JsonElement ordinary;
        await using (var hub = await Host.HubAsync(user))
        {
            ordinary = await hub.SendAsync(conversation, "Hello there");
            last = await FinishThoughtRecordAsync(hub, conversation);
        }

        Assert.Equal(JsonValueKind.Null, ordinary.GetProperty("saveToJournal").ValueKind);
        await ProblemAssertions.AssertProblemAsync(await user.Client.PostAsync($"/api/v1/therapist/conversations/{conversation}/messages/{ordinary.Str("id")}/save-to-journal", null), HttpStatusCode.NotFound);
        await ProblemAssertions.AssertProblemAsync(await user.Client.PostAsync($"/api/v1/therapist/conversations/{conversation}/messages/not-an-id/save-to-journal", null), HttpStatusCode.NotFound);

        var other = await Host.RegisterAndLoginAsync();
        await ProblemAssertions.AssertProblemAsync(await other.Client.PostAsync(last.Str("saveToJournal"), null), HttpStatusCode.NotFound);
        Assert.Empty(await JournalAsync(other));
        Assert.Empty(await JournalAsync(user));
    }

    private static async Task<JsonElement> FinishThoughtRecordAsync(TherapistHubClient hub, string conversation)
    {
        var first = await hub.SendAsync(conversation, "can we do a thought record?");
        Assert.Equal("thought-record", first.Str("flow"));
        string[] answers = ["I got feedback at work", "I'm useless", "shame, 80", "my boss frowned", "she also praised one part", "I made one mistake, that's human", "50"];
        JsonElement last = default;
        foreach (var answer in answers)
        {
            last = await hub.SendAsync(conversation, answer);
        }

        return last;
    }

    private static async Task<List<JsonElement>> JournalAsync(TestUser user)
        => [.. (await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/journal?limit=100")).GetProperty("items").EnumerateArray()];
}
