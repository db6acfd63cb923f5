using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>The model through OllamaSharp against a fake Ollama on loopback: every failure still gets a reply in the same turn.</summary>
public sealed class ModelRepliesTests(ModelFixture fixture) : IClassFixture<ModelFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Theory]
    [InlineData("I had a rough day and I keep replaying it")]
    [InlineData("I had a rough day and I keep replaying it [slow]")]
    public async Task A_healthy_model_answers_streamed_a_sentence_at_a_time(string text)
    {
        var (reply, events) = await SendAsync(text);
        Assert.Equal("model", reply.Str("source"));
        Assert.Equal(FakeOllama.KindAnswer, reply.Str("text"));
        var tokens = events.Where(e => e.Kind == "token").Select(e => e.Payload.Str("text")).ToList();
        Assert.Equal(FakeOllama.KindAnswer, string.Concat(tokens));
        Assert.True(tokens.Count >= 2);
    }

    [Theory]
    [InlineData("[hang] are you there")]
    [InlineData("[broken] tell me something")]
    [InlineData("[garbage] tell me something")]
    public async Task A_model_that_times_out_breaks_or_talks_nonsense_is_replaced_by_the_engine_in_the_same_turn(string text)
    {
        var (reply, events) = await SendAsync(text);
        Assert.Equal("engine", reply.Str("source"));
        Assert.NotEmpty(reply.Str("text"));
        var afterRetract = events.SkipWhile(e => e.Kind != "retract").Where(e => e.Kind == "token").Select(e => e.Payload.Str("text"));
        var streamed = events.Any(e => e.Kind == "retract") ? string.Concat(afterRetract) : string.Concat(events.Where(e => e.Kind == "token").Select(e => e.Payload.Str("text")));
        Assert.Equal(reply.Str("text"), streamed);
    }

    [Theory]
    [InlineData("[unsafe] what should I do", "lethal")]
    [InlineData("[dismiss] nobody listens to me", "overreacting")]
    public async Task An_unsafe_model_reply_is_never_sent(string text, string unsafeWord)
    {
        var (reply, events) = await SendAsync(text);
        Assert.Equal("engine", reply.Str("source"));
        Assert.DoesNotContain(unsafeWord, reply.Str("text"), StringComparison.OrdinalIgnoreCase);
        Assert.All(events.Where(e => e.Kind == "token"), e => Assert.DoesNotContain(unsafeWord, e.Payload.Str("text"), StringComparison.OrdinalIgnoreCase));
        if (text.StartsWith("[unsafe]", StringComparison.Ordinal))
        {
            // The safe first sentence went out before the unsafe one arrived: the client is told to drop it.
            Assert.Contains(events, e => e.Kind == "retract");
        }
    }

    [Fact]
    public async Task High_risk_is_answered_by_the_engine_without_asking_the_model()
    {
        var before = fixture.Ollama.Requests.Count;
        var (reply, _) = await SendAsync("I want to end my life");
        Assert.Equal("high", reply.Str("safetyLevel"));
        Assert.Equal("engine", reply.Str("source"));
        Assert.Contains("are you thinking about ending your life?", reply.Str("text"), StringComparison.Ordinal);
        Assert.Equal(before, fixture.Ollama.Requests.Count);
    }

    [Fact]
    public async Task Memory_brings_back_the_users_own_words_from_another_conversation_and_never_another_users()
    {
        var alice = await Host.RegisterAndLoginAsync();
        var bob = await Host.RegisterAndLoginAsync();
        var first = await alice.StartConversationAsync();
        await using (var hub = await Host.HubAsync(alice))
        {
            await hub.SendAsync(first, "My cat Pumpernickel is the only one who gets me up in the morning");
        }

        var second = await alice.StartConversationAsync();
        var alicePrompt = await PromptForAsync(alice, second, "I keep thinking about Pumpernickel today");
        Assert.Contains("My cat Pumpernickel is the only one", alicePrompt, StringComparison.Ordinal);

        var bobConversation = await bob.StartConversationAsync();
        var bobPrompt = await PromptForAsync(bob, bobConversation, "Does Pumpernickel get you up in the morning too?");
        Assert.DoesNotContain("only one who gets me up", bobPrompt, StringComparison.Ordinal);
    }

    private async Task<string> PromptForAsync(TestUser user, string conversation, string text)
    {
        await using var hub = await Host.HubAsync(user);
        await hub.SendAsync(conversation, text);
        var request = fixture.Ollama.Requests.Last(r => r.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString() == text);
        return request.GetProperty("messages")[0].GetProperty("content").GetString()!;
    }

    private async Task<(JsonElement Reply, List<(string Kind, JsonElement Payload)> Events)> SendAsync(string text)
    {
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);
        var reply = await hub.SendAsync(conversation, text);
        var events = await hub.EventsUntilMessageAsync();
        Assert.Equal(reply.Str("id"), events[^1].Payload.Str("id"));
        return (reply, events);
    }
}
