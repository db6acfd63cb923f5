using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Gateway.Therapist;
using Mindspace.Gateway.Therapist.Languages;
using Mindspace.Grains.Interfaces.Safety;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>The escalation notice and a saved thought record's title come in the person's language (issue 11).</summary>
public sealed class NoticeAndJournalLanguagesTests(TherapistFixture fixture) : IClassFixture<TherapistFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    public static TheoryData<string, string> AcceptLanguages() => new()
    {
        { "en-GB,en;q=0.9", "en" },
        { "es-MX", "es" },
        { "fr-CA, fr;q=0.8, en;q=0.5", "fr" },
        { "de", "de" },
        { "pt-BR", "pt" },
        { "hi-IN", CompanionCatalogs.HindiDevanagari },
        { "hi-Latn", SafetyLanguages.Hindi },
        { "ja, de;q=0.7, en;q=0.3", "de" },
        { "en;q=0.2, es;q=0.9", "es" },
        { "ja", "en" },
        { "*", "en" },
        { "??;;q=abc, de;q=", "en" },
    };

    [Theory]
    [MemberData(nameof(AcceptLanguages))]
    public async Task The_notice_is_in_the_first_language_of_Accept_Language_the_companion_speaks(string acceptLanguage, string expected)
    {
        var user = await Host.RegisterAndLoginAsync();
        var words = CompanionCatalogs.For(expected);

        var notice = await ReadAsync(user, HttpMethod.Get, "/api/v1/therapist/notice", acceptLanguage);
        Assert.Equal(words.EscalationNotice, notice.Str("text"));
        Assert.Equal(expected, notice.Str("language"));
        Assert.Equal(JsonValueKind.Null, notice.GetProperty("acknowledgedAt").ValueKind);

        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/therapist/conversations") { Content = JsonContent.Create(new { title = "x" }) };
        create.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        var refused = await user.Client.SendAsync(create);
        var problem = await ProblemAssertions.AssertProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal(words.EscalationNotice, problem.Str("detail"));
        Assert.Equal(expected, problem.Str("language"));

        var acknowledged = await ReadAsync(user, HttpMethod.Post, "/api/v1/therapist/notice", acceptLanguage);
        Assert.Equal(words.EscalationNotice, acknowledged.Str("text"));
        Assert.NotEqual(JsonValueKind.Null, acknowledged.GetProperty("acknowledgedAt").ValueKind);
    }

    [Fact]
    public async Task Without_Accept_Language_the_notice_is_in_English()
    {
        var user = await Host.RegisterAndLoginAsync();
        var notice = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/therapist/notice");
        Assert.Equal(EscalationNotice.Text, notice.Str("text"));
        Assert.Equal("en", notice.Str("language"));
    }

    [Fact]
    public void Every_catalogue_has_its_own_notice_and_journal_title_in_its_own_language_with_the_same_facts()
    {
        foreach (var words in CompanionCatalogs.All.Values.Concat(CompanionCatalogs.Scripts.Values))
        {
            Assert.Equal(words.Language, CompanionCatalogs.LanguageOf(words.EscalationNotice, []));
            Assert.Contains("160", words.EscalationNotice, StringComparison.Ordinal);
            Assert.Contains("Mindspace", words.EscalationNotice, StringComparison.Ordinal);
            Assert.Equal(5, words.EscalationNotice.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.False(string.IsNullOrWhiteSpace(words.ThoughtRecordTitle));
            if (words.Language != SafetyLanguages.English)
            {
                Assert.NotEqual(EscalationNotice.Text, words.EscalationNotice);
                Assert.NotEqual(ThoughtRecordJournal.Title, words.ThoughtRecordTitle);
            }
        }
    }

    [Theory]
    [InlineData("Recibí una crítica en el trabajo|No sirvo para nada|vergüenza, 80", "es")]
    [InlineData("J'ai eu une remarque au travail|Je suis nul|honte, 80", "fr")]
    [InlineData("Ich habe Kritik bei der Arbeit bekommen|Ich bin nutzlos|Scham, 80", "de")]
    [InlineData("Recebi uma crítica no trabalho|Eu não sirvo para nada|vergonha, 80", "pt")]
    [InlineData("office mein feedback mila|main kisi kaam ka nahi hoon|sharm, 80", "hi")]
    [InlineData("ऑफ़िस में फ़ीडबैक मिला|मैं किसी काम का नहीं|शर्म, 80", CompanionCatalogs.HindiDevanagari)]
    [InlineData("I got feedback at work|I'm useless|shame, 80", "en")]
    [InlineData("70|80|50", "en")]
    public void A_thought_records_journal_title_is_in_the_language_of_its_answers(string answers, string expected)
    {
        var parts = answers.Split('|');
        var record = new Dictionary<string, string> { ["situation"] = parts[0], ["thought"] = parts[1], ["emotion"] = parts[2] };
        Assert.Same(CompanionCatalogs.For(expected), ThoughtRecordJournal.LanguageOf(record));
    }

    [Fact]
    public async Task A_thought_record_in_Spanish_is_saved_with_a_Spanish_title()
    {
        var words = CompanionCatalogs.All["es"];
        var user = await Host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        JsonElement last = default;
        await using (var hub = await Host.HubAsync(user))
        {
            var first = await hub.SendAsync(conversation, "¿podemos hacer un registro de pensamientos?");
            Assert.Equal(TherapistFlows.ThoughtRecord, first.Str("flow"));
            string[] answers = ["Recibí una crítica en el trabajo", "No sirvo para nada", "vergüenza, 80", "mi jefa frunció el ceño", "también elogió una parte", "cometí un error, es humano", "50"];
            foreach (var answer in answers)
            {
                last = await hub.SendAsync(conversation, answer);
            }
        }

        var response = await user.Client.PostAsync(last.Str("saveToJournal"), null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        Assert.Equal(words.ThoughtRecordTitle, JsonDocument.Parse(body).RootElement.Str("title"));
    }

    private static async Task<JsonElement> ReadAsync(TestUser user, HttpMethod method, string path, string acceptLanguage)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        var response = await user.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }
}
