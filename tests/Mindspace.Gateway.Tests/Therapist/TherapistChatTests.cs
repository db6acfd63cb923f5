using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>The companion with no model: conversations over HTTP, chat over the real SignalR client.</summary>
public sealed class TherapistChatTests(TherapistFixture fixture) : IClassFixture<TherapistFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task A_conversation_starts_only_after_the_escalation_notice_is_acknowledged()
    {
        var user = await Host.RegisterAndLoginAsync();
        var notice = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/therapist/notice");
        Assert.Contains("care team", notice.Str("text"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, notice.GetProperty("acknowledgedAt").ValueKind);

        var refused = await user.Client.PostAsJsonAsync("/api/v1/therapist/conversations", new { title = "First" });
        await ProblemAssertions.AssertProblemAsync(refused, HttpStatusCode.Conflict);

        var id = await user.StartConversationAsync("First");
        var list = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/therapist/conversations");
        Assert.Equal(id, list.GetProperty("items")[0].Str("id"));
        Assert.Equal("First", list.GetProperty("items")[0].Str("title"));
    }

    [Fact]
    public async Task Send_streams_tokens_then_the_whole_message_with_its_id_and_safety_level()
    {
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);

        var result = await hub.SendAsync(conversation, "I had a long day at work and I feel a bit flat.", "m-1");
        var events = await hub.EventsUntilMessageAsync();

        var tokens = events.Where(e => e.Kind == "token").Select(e => e.Payload).ToList();
        Assert.NotEmpty(tokens);
        Assert.Equal(Enumerable.Range(0, tokens.Count), tokens.Select(t => t.GetProperty("index").GetInt32()));
        var message = events[^1].Payload;
        Assert.Equal(string.Concat(tokens.Select(t => t.Str("text"))), message.Str("text"));
        Assert.Equal(result.Str("id"), message.Str("id"));
        Assert.Equal("companion", message.Str("role"));
        Assert.Equal("none", message.Str("safetyLevel"));
        Assert.Equal("engine", message.Str("source"));
        Assert.Equal("m-1", message.Str("clientMessageId"));
        Assert.Equal(2, message.GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task Sending_the_same_clientMessageId_again_returns_the_first_reply_and_stores_nothing_new()
    {
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);

        var first = await hub.SendAsync(conversation, "Hello there", "same-id");
        var again = await hub.SendAsync(conversation, "Hello there", "same-id");

        Assert.Equal(first.Str("id"), again.Str("id"));
        Assert.Equal(first.Str("text"), again.Str("text"));
        var history = await user.Client.GetFromJsonAsync<JsonElement>($"/api/v1/therapist/conversations/{conversation}/messages");
        Assert.Equal(2, history.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_client_that_reconnects_gets_what_it_missed()
    {
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var phone = await Host.HubAsync(user);
        var seen = await phone.SendAsync(conversation, "First message");
        var lastSeen = seen.GetProperty("sequence").GetInt64();
        await phone.DisposeAsync();

        // The phone is gone; the same user writes from another device.
        await using var laptop = await Host.HubAsync(user);
        await laptop.SendAsync(conversation, "Second message from the laptop");

        await using var phoneAgain = await Host.HubAsync(user);
        var missed = await phoneAgain.ResumeAsync(conversation, lastSeen);
        Assert.Equal(2, missed.GetArrayLength());
        Assert.Equal("Second message from the laptop", missed[0].Str("text"));
        Assert.Equal("companion", missed[1].Str("role"));
        Assert.Equal(lastSeen + 1, missed[0].GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task Another_users_conversation_is_not_found_anywhere()
    {
        var owner = await Host.RegisterAndLoginAsync();
        var other = await Host.RegisterAndLoginAsync();
        var conversation = await owner.StartConversationAsync();
        await using (var ownerHub = await Host.HubAsync(owner))
        {
            await ownerHub.SendAsync(conversation, "private words");
        }

        await ProblemAssertions.AssertProblemAsync(await other.Client.GetAsync($"/api/v1/therapist/conversations/{conversation}/messages"), HttpStatusCode.NotFound);
        await ProblemAssertions.AssertProblemAsync(await other.Client.DeleteAsync($"/api/v1/therapist/conversations/{conversation}"), HttpStatusCode.NotFound);
        await ProblemAssertions.AssertProblemAsync(await other.Client.GetAsync("/api/v1/therapist/conversations/not-a-guid/messages"), HttpStatusCode.NotFound);
        await using var otherHub = await Host.HubAsync(other);
        await Assert.ThrowsAsync<HubException>(() => otherHub.SendAsync(conversation, "hello?"));
        Assert.Equal(0, (await otherHub.ResumeAsync(conversation, 0)).GetArrayLength());
        var history = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/v1/therapist/conversations/{conversation}/messages");
        Assert.Equal(2, history.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Bad_input_is_refused_and_changes_nothing()
    {
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);
        await Assert.ThrowsAsync<HubException>(() => hub.SendAsync(conversation, "   "));
        await Assert.ThrowsAsync<HubException>(() => hub.SendAsync(conversation, new string('a', 4_001)));
        await Assert.ThrowsAsync<HubException>(() => hub.SendAsync(conversation, "hi", new string('x', 101)));
        await ProblemAssertions.AssertProblemAsync(await user.Client.GetAsync($"/api/v1/therapist/conversations/{conversation}/messages?limit=0"), HttpStatusCode.BadRequest);
        await ProblemAssertions.AssertProblemAsync(await user.Client.GetAsync($"/api/v1/therapist/conversations/{conversation}/messages?cursor=abc"), HttpStatusCode.BadRequest);
        await ProblemAssertions.AssertProblemAsync(await user.Client.PostAsJsonAsync("/api/v1/therapist/conversations", new { title = new string('t', 121) }), HttpStatusCode.BadRequest);
        var history = await user.Client.GetFromJsonAsync<JsonElement>($"/api/v1/therapist/conversations/{conversation}/messages");
        Assert.Equal(0, history.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.GetAsync("/api/v1/therapist/conversations")).StatusCode);
    }

    [Fact]
    public async Task History_pages_back_with_a_cursor_and_delete_removes_the_conversation()
    {
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using (var hub = await Host.HubAsync(user))
        {
            for (var i = 1; i <= 3; i++)
            {
                await hub.SendAsync(conversation, $"message {i}");
            }
        }

        var newest = await user.Client.GetFromJsonAsync<JsonElement>($"/api/v1/therapist/conversations/{conversation}/messages?limit=4");
        Assert.Equal([3L, 4, 5, 6], newest.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("sequence").GetInt64()));
        var older = await user.Client.GetFromJsonAsync<JsonElement>($"/api/v1/therapist/conversations/{conversation}/messages?limit=4&cursor={newest.Str("nextCursor")}");
        Assert.Equal([1L, 2], older.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("sequence").GetInt64()));
        Assert.Equal(JsonValueKind.Null, older.GetProperty("nextCursor").ValueKind);
        Assert.Equal("message 1", older.GetProperty("items")[0].Str("text"));

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync($"/api/v1/therapist/conversations/{conversation}")).StatusCode);
        await ProblemAssertions.AssertProblemAsync(await user.Client.GetAsync($"/api/v1/therapist/conversations/{conversation}/messages"), HttpStatusCode.NotFound);
        var list = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/therapist/conversations");
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_breathing_flow_can_be_asked_for_and_walked_through_to_the_end()
    {
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);

        var start = await hub.SendAsync(conversation, "Can we do a breathing exercise?");
        Assert.Equal("breathing", start.Str("flow"));
        Assert.Contains("ready", start.Str("text"), StringComparison.Ordinal);
        var guided = await hub.SendAsync(conversation, "ready");
        Assert.Contains("Breathe in", guided.Str("text"), StringComparison.Ordinal);
        var done = await hub.SendAsync(conversation, "calmer, thanks");
        Assert.Contains("come back to this breath", done.Str("text"), StringComparison.Ordinal);
        var after = await hub.SendAsync(conversation, "ok");
        Assert.Equal(JsonValueKind.Null, after.GetProperty("flow").ValueKind);
    }

    [Fact]
    public async Task An_offered_thought_record_is_accepted_with_yes_and_ends_with_a_summary_of_the_answers()
    {
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);

        var offer = await hub.SendAsync(conversation, "I'm such a failure, it's all my fault");
        Assert.Contains("a thought record", offer.Str("text"), StringComparison.Ordinal);
        var first = await hub.SendAsync(conversation, "yes");
        Assert.Equal("thought-record", first.Str("flow"));
        string[] answers = ["I got feedback at work", "I'm useless", "shame, 80", "my boss frowned", "she also praised one part", "I made one mistake, that's human", "50"];
        JsonElement last = default;
        foreach (var answer in answers)
        {
            last = await hub.SendAsync(conversation, answer);
        }

        var summary = last.Str("text");
        Assert.Contains("I got feedback at work", summary, StringComparison.Ordinal);
        Assert.Contains("I made one mistake, that's human", summary, StringComparison.Ordinal);
        Assert.Contains("Feeling now: 50", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_leaves_a_flow_at_any_step()
    {
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);
        await hub.SendAsync(conversation, "let's do 5-4-3-2-1 grounding");
        var stopped = await hub.SendAsync(conversation, "stop");
        Assert.Contains("stop here", stopped.Str("text"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, stopped.GetProperty("flow").ValueKind);
    }
}
