using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Gateway.Therapist;
using Mindspace.Gateway.Therapist.Languages;
using Mindspace.Grains.Interfaces.Safety;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>Someone who writes Hindi in Devanagari is answered in Devanagari (issue 11), over the real hub.</summary>
public sealed class HindiDevanagariTests(TherapistFixture fixture) : IClassFixture<TherapistFixture>
{
    internal const string Lonely = "मैं आजकल बहुत अकेला महसूस करता हूँ";

    /// <summary>Written only in Devanagari: the classifier reads it through its transliteration (SafetyText.Devanagari).</summary>
    internal const string Crisis = "मैं बहुत थक गया हूँ, अब कुछ भी ठीक नहीं लगता, सच कहूँ तो मैं मरना चाहता हूँ";

    private static CompanionCatalog Words => CompanionCatalogs.Scripts[CompanionCatalogs.HindiDevanagari];

    private MindspaceTestHost Host => fixture.Host;

    [Theory]
    [InlineData("मैं बहुत अकेला महसूस कर रहा हूँ")]
    [InlineData("आज मन बहुत उदास है")]
    [InlineData(Crisis)]
    [InlineData("मैं ठीक हूँ, बस थोड़ा थका हुआ हूँ, thanks")]
    public void Text_that_is_mostly_Devanagari_is_Hindi_and_is_answered_in_Devanagari(string text)
    {
        Assert.Equal(SafetyLanguages.Hindi, SafetyLanguages.Detect(text));
        Assert.Equal(CompanionCatalogs.HindiDevanagari, CompanionCatalogs.LanguageOf(text, []));
    }

    [Theory]
    [InlineData("I feel so lonely today, मन उदास है", "en")]
    [InlineData("aaj main bahut udaas hoon yaar", "hi")]
    [InlineData("Me siento muy sola y no sé qué hacer", "es")]
    public void Text_that_is_mostly_Latin_keeps_its_word_based_language(string text, string expected)
    {
        Assert.Equal(expected, SafetyLanguages.Detect(text));
        Assert.Equal(expected, CompanionCatalogs.LanguageOf(text, []));
    }

    [Fact]
    public void A_message_without_evidence_keeps_the_script_of_the_persons_recent_messages()
    {
        Assert.Equal(CompanionCatalogs.HindiDevanagari, CompanionCatalogs.LanguageOf("70", [(true, Lonely), (false, "ok")]));
        Assert.Equal(SafetyLanguages.Hindi, CompanionCatalogs.LanguageOf("70", [(true, "main bahut akela hoon")]));
        Assert.Equal(SafetyLanguages.English, CompanionCatalogs.LanguageOf("70", [(false, Lonely)]));
    }

    [Fact]
    public void The_Devanagari_catalogue_has_everything_the_Latin_Hindi_one_has_and_reads_as_Devanagari_Hindi()
    {
        var latin = CompanionCatalogs.All[SafetyLanguages.Hindi];
        var words = Words;
        Assert.Same(words, CompanionCatalogs.For(CompanionCatalogs.HindiDevanagari));
        Assert.Equal(CompanionCatalogs.HindiDevanagari, words.Language);
        foreach (var property in typeof(CompanionCatalog).GetProperties().Where(p => p.PropertyType == typeof(string)))
        {
            var value = (string)property.GetValue(words)!;
            Assert.False(string.IsNullOrWhiteSpace(value), property.Name);
            Assert.NotEqual(property.GetValue(latin), value);
        }

        Assert.Equal(latin.Openers.Length, words.Openers.Length);
        Assert.Equal(latin.Questions.Length, words.Questions.Length);
        Assert.Equal(latin.Feelings.Select(f => f.Offer), words.Feelings.Select(f => f.Offer));
        Assert.Equal(latin.Traps.Length, words.Traps.Length);
        foreach (var flow in TherapistFlows.All)
        {
            Assert.Equal(FlowMachine.AnswerKeys[flow].Length, words.FlowPrompts[flow].Length);
            Assert.NotEqual(flow, words.Title(flow));
            Assert.Contains(words.FlowRequests, r => r.Flow == flow);
            Assert.True(CompanionCatalogs.MostlyDevanagari(words.Finish(flow, FlowMachine.AnswerKeys[flow].ToDictionary(k => k, k => "x"))), flow);
            Assert.All(words.FlowPrompts[flow].Where(p => p.Length > 0), p => Assert.True(CompanionCatalogs.MostlyDevanagari(p), p));
        }

        var crisis = string.Join(' ', words.CrisisOpening, words.CrisisQuestion, words.FromOthersOpening, words.FromOthersQuestion, words.ResourcesIntro, words.MakePlanOffer, words.StayingWithYou, words.EmergencyCall("112"));
        Assert.Equal(CompanionCatalogs.HindiDevanagari, CompanionCatalogs.LanguageOf(crisis, []));
        Assert.Equal(CompanionCatalogs.HindiDevanagari, CompanionCatalogs.LanguageOf(words.EscalationNotice, []));
        Assert.Contains("Devanagari", ModelReplies.LanguageInstruction(words), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("हाँ", true)]
    [InlineData("हां, ठीक है", true)]
    [InlineData("जीना नहीं चाहता", false)]
    [InlineData("ok", true)]
    public void Yes_is_heard_in_Devanagari_and_not_inside_another_word(string text, bool yes)
        => Assert.Equal(yes, TherapistFlows.IsYes(text, Words));

    [Fact]
    public void Patterns_match_with_or_without_the_nukta()
    {
        var stress = Words.Feelings.Single(f => f.Offer == TherapistFlows.Distortions);
        Assert.Matches(stress.Pattern, CompanionCatalogs.Fold("आज बहुत ज़्यादा काम है"));
        Assert.Matches(stress.Pattern, CompanionCatalogs.Fold("आज बहुत ज्यादा काम है"));
        Assert.Equal("cafe", CompanionCatalogs.Fold("Café"));
    }

    [Fact]
    public void The_crisis_reply_to_danger_from_someone_else_is_in_Devanagari_with_the_emergency_number_first()
    {
        var resources = new CrisisDirectory().For("ES");
        var plan = new SafetyPlanView(new SafetyPlan([], [], [], [], [], []), null);
        var text = CrisisReplies.Compose(new SafetyAssessment(RiskLevel.Imminent, [SafetySignals.ViolenceFromOthers]), plan, resources, Words);
        Assert.StartsWith(Words.FromOthersOpening, text, StringComparison.Ordinal);
        Assert.Contains(Words.EmergencyCall("112"), text, StringComparison.Ordinal);
        Assert.Contains(Words.MakePlanOffer, text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("016", StringComparison.Ordinal) < text.IndexOf("024", StringComparison.Ordinal));
        Assert.True(CompanionCatalogs.MostlyDevanagari(text));
    }

    [Fact]
    public async Task A_crisis_message_in_Devanagari_gets_the_crisis_reply_in_Devanagari_with_the_countrys_lines_and_the_plan()
    {
        var user = await Host.RegisterAndLoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PatchAsJsonAsync("/api/v1/me", new { preferences = new { country = "IN" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutAsJsonAsync("/api/v1/safety-plan", new { reasonsForLiving = new[] { "मेरी बेटी" } })).StatusCode);
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);

        await hub.SendAsync(conversation, Crisis);
        var events = await hub.EventsUntilMessageAsync();
        var reply = events[^1].Payload;
        var text = reply.Str("text");

        Assert.Equal("high", reply.Str("safetyLevel"));
        Assert.Equal("engine", reply.Str("source"));
        Assert.Equal(CompanionCatalogs.HindiDevanagari, reply.Str("language"));
        Assert.StartsWith(Words.CrisisOpening, text, StringComparison.Ordinal);
        Assert.Contains(Words.CrisisQuestion, text, StringComparison.Ordinal);
        Assert.Contains(Words.ResourcesIntro, text, StringComparison.Ordinal);
        Assert.Contains(Words.CallLine("14416"), text, StringComparison.Ordinal);
        Assert.Contains(Words.PlanReason("मेरी बेटी"), text, StringComparison.Ordinal);
        Assert.EndsWith(Words.StayingWithYou, text, StringComparison.Ordinal);
        Assert.DoesNotContain(CompanionCatalogs.All[SafetyLanguages.Hindi].CrisisQuestion, text, StringComparison.Ordinal);
        Assert.Equal("IN", reply.GetProperty("crisis").GetProperty("resources").Str("country"));
        Assert.Equal(text, string.Concat(events.Where(e => e.Kind == "token").Select(e => e.Payload.Str("text"))));
    }

    [Fact]
    public async Task An_ordinary_message_in_Devanagari_gets_a_reply_in_Devanagari_and_a_flow_goes_on_in_it()
    {
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);

        var reply = await hub.SendAsync(conversation, Lonely);
        var text = reply.Str("text");
        Assert.Equal("none", reply.Str("safetyLevel"));
        Assert.Equal(CompanionCatalogs.HindiDevanagari, reply.Str("language"));
        var feeling = Words.Feelings.First(f => f.Pattern.IsMatch(CompanionCatalogs.Fold(Lonely)));
        Assert.Equal(TherapistFlows.Activation, feeling.Offer);
        Assert.Contains(feeling.Reflections, r => text.StartsWith(r, StringComparison.Ordinal));
        Assert.EndsWith(Words.OfferFlow(Words.Title(TherapistFlows.Activation)), text, StringComparison.Ordinal);

        var first = await hub.SendAsync(conversation, "हाँ");
        Assert.Equal(TherapistFlows.Activation, first.Str("flow"));
        Assert.Equal(Words.FlowPrompts[TherapistFlows.Activation][0], first.Str("text"));
        var second = await hub.SendAsync(conversation, "थोड़ा टहलना");
        Assert.Equal(Words.FlowPrompts[TherapistFlows.Activation][1], second.Str("text"));
        var third = await hub.SendAsync(conversation, "कल सुबह");
        Assert.Equal(Words.FlowPrompts[TherapistFlows.Activation][2], third.Str("text"));
        var done = await hub.SendAsync(conversation, "6");
        Assert.Equal(Words.Finish(TherapistFlows.Activation, new Dictionary<string, string> { ["activity"] = "थोड़ा टहलना", ["when"] = "कल सुबह", ["expect"] = "6" }), done.Str("text"));
        Assert.Equal(CompanionCatalogs.HindiDevanagari, done.Str("language"));

        // A flow asked for by name, with a thinking trap spotted in Devanagari, and "रुको" stops it.
        var distortions = await hub.SendAsync(conversation, "क्या हम सोच के जाल देख सकते हैं?");
        Assert.Equal(Words.FlowPrompts[TherapistFlows.Distortions][0], distortions.Str("text"));
        var traps = await hub.SendAsync(conversation, "मैं हमेशा सब कुछ बर्बाद कर देता हूँ");
        Assert.Contains("थोड़ा सा " + Words.Traps[0].Name, traps.Str("text"), StringComparison.Ordinal);
        var stopped = await hub.SendAsync(conversation, "रुको");
        Assert.Equal(Words.Stopped, stopped.Str("text"));
    }

    [Fact]
    public async Task A_thought_record_in_Devanagari_is_saved_to_the_journal_with_a_Devanagari_title()
    {
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        JsonElement last = default;
        await using (var hub = await Host.HubAsync(user))
        {
            var first = await hub.SendAsync(conversation, "क्या हम थॉट रिकॉर्ड कर सकते हैं?");
            Assert.Equal(TherapistFlows.ThoughtRecord, first.Str("flow"));
            Assert.Equal(Words.FlowPrompts[TherapistFlows.ThoughtRecord][0], first.Str("text"));
            string[] answers = ["ऑफ़िस में मुझे फ़ीडबैक मिला", "मैं किसी काम का नहीं", "शर्म, 80", "बॉस ने मुँह बनाया", "उन्होंने एक हिस्से की तारीफ़ भी की", "मुझसे एक ग़लती हुई, यह इंसानी है", "५०"];
            foreach (var answer in answers)
            {
                last = await hub.SendAsync(conversation, answer);
            }
        }

        Assert.Equal(CompanionCatalogs.HindiDevanagari, last.Str("language"));
        Assert.StartsWith("आपने पूरा थॉट रिकॉर्ड कर लिया", last.Str("text"), StringComparison.Ordinal);
        var response = await user.Client.PostAsync(last.Str("saveToJournal"), null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var entry = JsonDocument.Parse(body).RootElement;
        Assert.Equal(Words.ThoughtRecordTitle, entry.Str("title"));
        var record = entry.GetProperty("thoughtRecord");
        Assert.Equal("शर्म", record.Str("emotion"));
        Assert.Equal(80, record.GetProperty("intensity").GetInt32());
        Assert.Equal(50, record.GetProperty("reratedIntensity").GetInt32());
    }
}

/// <summary>The model is told to answer in Devanagari Hindi, and the engine that stands in for it does.</summary>
public sealed class HindiDevanagariModelTests(ModelFixture fixture) : IClassFixture<ModelFixture>
{
    [Fact]
    public async Task The_model_is_told_Devanagari_Hindi_and_the_fallback_engine_answers_in_it()
    {
        var words = CompanionCatalogs.For(CompanionCatalogs.HindiDevanagari);
        var user = await fixture.Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var hub = await fixture.Host.HubAsync(user);

        var asked = await hub.SendAsync(conversation, HindiDevanagariTests.Lonely);
        Assert.Equal("model", asked.Str("source"));
        Assert.Equal(CompanionCatalogs.HindiDevanagari, asked.Str("language"));
        var request = fixture.Ollama.Requests.Last(r => r.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString() == HindiDevanagariTests.Lonely);
        var system = request.GetProperty("messages")[0].GetProperty("content").GetString()!;
        Assert.Contains(ModelReplies.LanguageInstruction(words), system, StringComparison.Ordinal);

        var fallback = await hub.SendAsync(conversation, "[broken] " + HindiDevanagariTests.Lonely);
        Assert.Equal("engine", fallback.Str("source"));
        Assert.Equal(CompanionCatalogs.HindiDevanagari, fallback.Str("language"));
        Assert.True(CompanionCatalogs.MostlyDevanagari(fallback.Str("text")), fallback.Str("text"));
    }
}
