using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Gateway.Therapist;
using Mindspace.Gateway.Therapist.Languages;
using Mindspace.Grains.Interfaces.Safety;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>One person per language of the classifier, talking to the companion in it.</summary>
public sealed record LanguageCase(string Language, string Country, string CrisisMessage, string CrisisPhone, string OrdinaryMessage, string Yes, string Activity);

/// <summary>The companion answers in the person's language (issue 11), over the real hub with the real SignalR client.</summary>
public sealed class CompanionLanguagesTests(TherapistFixture fixture) : IClassFixture<TherapistFixture>
{
    /// <summary>One case per language the classifier reads; <see cref="Every_language_the_classifier_reads_has_a_case_here"/> keeps it so.</summary>
    public static readonly IReadOnlyDictionary<string, LanguageCase> Cases = new[]
    {
        new LanguageCase("en", "GB", "I want to kill myself", "116 123", "I feel so lonely these days", "yes", "a short walk"),
        new LanguageCase("es", "ES", "quiero morir", "024", "me siento muy sola estos días", "sí", "salir a caminar"),
        new LanguageCase("fr", "FR", "je veux mourir", "3114", "je me sens tellement seule en ce moment", "oui", "une petite promenade"),
        new LanguageCase("de", "DE", "ich will sterben", "0800 111 0 111", "ich fühle mich so allein in letzter Zeit", "ja", "ein kurzer Spaziergang"),
        new LanguageCase("pt", "BR", "quero morrer", "188", "eu me sinto muito sozinha ultimamente", "sim", "uma caminhada curta"),
        new LanguageCase("hi", "IN", "main marna chahta hoon", "14416", "main aajkal bahut akela mehsoos karta hoon", "haan", "thoda tehelna"),
    }.ToDictionary(c => c.Language, StringComparer.Ordinal);

    public static TheoryData<string> Languages() => [.. SafetyLanguages.Supported];

    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public void Every_language_the_classifier_reads_has_a_case_here()
    {
        foreach (var language in SafetyLanguages.Supported)
        {
            Assert.True(Cases.ContainsKey(language), $"No hub test for '{language}': add a LanguageCase.");
        }
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task A_crisis_message_gets_the_crisis_reply_in_its_language_with_the_countrys_lines(string language)
    {
        var @case = Cases[language];
        var words = CompanionCatalogs.All[language];
        var user = await Host.RegisterAndLoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PatchAsJsonAsync("/api/v1/me", new { preferences = new { country = @case.Country } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutAsJsonAsync("/api/v1/safety-plan", new { reasonsForLiving = new[] { "Luna" } })).StatusCode);
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);

        await hub.SendAsync(conversation, @case.CrisisMessage);
        var events = await hub.EventsUntilMessageAsync();
        var reply = events[^1].Payload;
        var text = reply.Str("text");

        Assert.Equal("high", reply.Str("safetyLevel"));
        Assert.Equal("engine", reply.Str("source"));
        Assert.Equal(language, reply.Str("language"));
        Assert.StartsWith(words.CrisisOpening, text, StringComparison.Ordinal);
        Assert.Contains(words.CrisisQuestion, text, StringComparison.Ordinal);
        Assert.Contains(words.ResourcesIntro, text, StringComparison.Ordinal);
        Assert.Contains(words.CallLine(@case.CrisisPhone), text, StringComparison.Ordinal);
        Assert.Contains(words.PlanReason("Luna"), text, StringComparison.Ordinal);
        Assert.EndsWith(words.StayingWithYou, text, StringComparison.Ordinal);
        Assert.Equal(language, SafetyLanguages.Detect(text));
        Assert.Equal(@case.Country, reply.GetProperty("crisis").GetProperty("resources").Str("country"));
        Assert.Equal(text, string.Concat(events.Where(e => e.Kind == "token").Select(e => e.Payload.Str("text"))));
        if (language != SafetyLanguages.English)
        {
            Assert.DoesNotContain(CompanionCatalogs.English.CrisisQuestion, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task An_ordinary_message_gets_an_engine_reply_in_its_language_and_a_flow_goes_on_in_it(string language)
    {
        var @case = Cases[language];
        var words = CompanionCatalogs.All[language];
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);

        var reply = await hub.SendAsync(conversation, @case.OrdinaryMessage);
        var text = reply.Str("text");
        Assert.Equal("none", reply.Str("safetyLevel"));
        Assert.Equal(language, reply.Str("language"));
        var feeling = words.Feelings.First(f => f.Pattern.IsMatch(CompanionCatalogs.Fold(@case.OrdinaryMessage)));
        Assert.Equal(TherapistFlows.Activation, feeling.Offer);
        Assert.Contains(feeling.Reflections, r => text.StartsWith(r, StringComparison.Ordinal));
        Assert.EndsWith(words.OfferFlow(words.Title(TherapistFlows.Activation)), text, StringComparison.Ordinal);
        Assert.Equal(language, SafetyLanguages.Detect(text));

        // "Yes" in the language starts the offered flow in it; a short answer with few words of its own keeps the conversation's language.
        var first = await hub.SendAsync(conversation, @case.Yes);
        Assert.Equal(TherapistFlows.Activation, first.Str("flow"));
        Assert.Equal(words.FlowPrompts[TherapistFlows.Activation][0], first.Str("text"));
        var second = await hub.SendAsync(conversation, @case.Activity);
        Assert.Equal(words.FlowPrompts[TherapistFlows.Activation][1], second.Str("text"));
        Assert.Equal(language, second.Str("language"));
    }

    [Fact]
    public async Task The_language_follows_the_person_when_they_switch()
    {
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);

        Assert.Equal("en", (await hub.SendAsync(conversation, "I had a long day at work")).Str("language"));
        var spanish = await hub.SendAsync(conversation, "hoy no tengo ganas de hablar mucho, pero estoy aquí");
        Assert.Equal("es", spanish.Str("language"));
        Assert.Equal("es", (await hub.SendAsync(conversation, "ok")).Str("language"));
    }
}

/// <summary>The model is asked to answer in the person's language, and the engine that stands in for it answers in it too.</summary>
public sealed class CompanionLanguagesModelTests(ModelFixture fixture) : IClassFixture<ModelFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Theory]
    [MemberData(nameof(CompanionLanguagesTests.Languages), MemberType = typeof(CompanionLanguagesTests))]
    public async Task The_model_is_told_the_language_and_the_fallback_engine_answers_in_it(string language)
    {
        var @case = CompanionLanguagesTests.Cases[language];
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var hub = await Host.HubAsync(user);

        var asked = await hub.SendAsync(conversation, @case.OrdinaryMessage);
        Assert.Equal("model", asked.Str("source"));
        var request = fixture.Ollama.Requests.Last(r => r.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString() == @case.OrdinaryMessage);
        var system = request.GetProperty("messages")[0].GetProperty("content").GetString()!;
        Assert.Contains(ModelReplies.LanguageInstruction(CompanionCatalogs.All[language]), system, StringComparison.Ordinal);

        // The model breaks mid-answer: the engine answers in the same turn, in the person's language.
        var broken = "[broken] " + @case.OrdinaryMessage;
        var fallback = await hub.SendAsync(conversation, broken);
        Assert.Equal("engine", fallback.Str("source"));
        Assert.Equal(language, fallback.Str("language"));
        Assert.Equal(language, SafetyLanguages.Detect(fallback.Str("text")));
    }
}

/// <summary>Every language the classifier reads has a complete catalogue (adding a language to the classifier fails here until it has replies).</summary>
public sealed class CompanionCatalogTests
{
    public static TheoryData<string> Languages() => [.. SafetyLanguages.Supported];

    [Fact]
    public void Every_language_the_classifier_reads_has_a_catalogue()
    {
        foreach (var language in SafetyLanguages.Supported)
        {
            Assert.True(CompanionCatalogs.All.ContainsKey(language), $"The classifier reads '{language}' but the companion has no catalogue for it.");
        }

        Assert.All(CompanionCatalogs.All.Keys, language => Assert.Contains(language, SafetyLanguages.Supported));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void A_catalogue_has_every_flow_step_and_reads_as_its_own_language(string language)
    {
        var words = CompanionCatalogs.All[language];
        Assert.Equal(language, words.Language);
        foreach (var flow in TherapistFlows.All)
        {
            Assert.Equal(FlowMachine.AnswerKeys[flow].Length, words.FlowPrompts[flow].Length);
            Assert.False(string.IsNullOrWhiteSpace(words.Title(flow)) || words.Title(flow) == flow, $"{language}: no title for {flow}");
            Assert.Contains(words.FlowRequests, r => r.Flow == flow);
            Assert.False(string.IsNullOrWhiteSpace(words.Finish(flow, FlowMachine.AnswerKeys[flow].ToDictionary(k => k, k => "x"))));
        }

        Assert.All(words.Feelings, f => Assert.Contains(f.Offer, TherapistFlows.All));
        Assert.NotEmpty(words.Openers);
        Assert.NotEmpty(words.Questions);
        Assert.NotEmpty(words.Traps);
        var crisis = string.Join(' ', words.CrisisOpening, words.CrisisQuestion, words.FromOthersOpening, words.FromOthersQuestion, words.ResourcesIntro, words.StayingWithYou);
        Assert.Equal(language, SafetyLanguages.Detect(crisis));
        Assert.Equal(language, SafetyLanguages.Detect(string.Join(' ', words.FlowPrompts[TherapistFlows.ThoughtRecord])));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void The_crisis_reply_to_danger_from_someone_else_puts_the_emergency_number_and_the_domestic_violence_line_first(string language)
    {
        var words = CompanionCatalogs.All[language];
        var resources = new CrisisDirectory().For("ES");
        var plan = new SafetyPlanView(new SafetyPlan([], [], [], [], [], []), null);
        var text = CrisisReplies.Compose(new SafetyAssessment(RiskLevel.Imminent, [SafetySignals.ViolenceFromOthers]), plan, resources, words);
        Assert.StartsWith(words.FromOthersOpening, text, StringComparison.Ordinal);
        Assert.Contains(words.EmergencyCall("112"), text, StringComparison.Ordinal);
        Assert.Contains(words.MakePlanOffer, text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("016", StringComparison.Ordinal) < text.IndexOf("024", StringComparison.Ordinal));
    }
}
