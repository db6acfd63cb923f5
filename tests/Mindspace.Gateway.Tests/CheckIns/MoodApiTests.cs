using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using static Mindspace.Gateway.Tests.CheckIns.CheckInsHttp;

namespace Mindspace.Gateway.Tests.CheckIns;

public sealed class MoodApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task Recording_a_mood_returns_it_with_its_location()
    {
        var user = await Host.RegisterAndLoginAsync();
        var response = await user.Client.PostAsJsonAsync("/api/v1/mood", new { score = 2, tags = new[] { "Tired", "tired" }, note = "  Long day.  " });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var mood = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/v1/mood/{mood.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal(2, mood.GetProperty("score").GetInt32());
        Assert.Equal(["tired"], mood.Tags());
        Assert.Equal("Long day.", mood.GetProperty("note").GetString());
        Assert.Equal(TimeSpan.Zero, mood.GetProperty("createdAt").GetDateTimeOffset().Offset);
        Assert.Equal(mood.GetRawText(), (await user.Client.GetJsonAsync(response.Headers.Location!.OriginalString)).GetRawText());
    }

    [Fact]
    public async Task A_mood_needs_only_a_score_and_a_blank_note_is_none()
    {
        var user = await Host.RegisterAndLoginAsync();
        var mood = await user.Client.RecordMoodAsync(new { score = 5, note = "   " });
        Assert.Equal(JsonValueKind.Null, mood.GetProperty("note").ValueKind);
        Assert.Empty(mood.Tags());
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{}""", "score" },
        { """{"score":0}""", "score" },
        { """{"score":6}""", "score" },
        { JsonSerializer.Serialize(new { score = 3, note = new string('n', 501) }), "note" },
        { JsonSerializer.Serialize(new { score = 3, tags = Enumerable.Range(1, 11).Select(i => $"tag{i}") }), "tags" },
        { JsonSerializer.Serialize(new { score = 3, tags = new[] { new string('t', 33) } }), "tags" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_field_is_a_validation_problem_naming_it_and_nothing_is_recorded(string body, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.PostAsync("/api/v1/mood", Json(body))).AssertValidationProblemAsync(field);
        Assert.Empty(await user.Client.MoodIdsAsync());
    }

    [Theory]
    [InlineData("""{"score":"abc"}""")]
    [InlineData("""{"score":2.5}""")]
    [InlineData("""{"score":3,"note":42}""")]
    [InlineData("""{"score":""")]
    [InlineData("")]
    public async Task Malformed_json_or_a_wrong_type_is_a_bad_request_and_nothing_is_recorded(string body)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.PostAsync("/api/v1/mood", Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty(await user.Client.MoodIdsAsync());
    }

    [Fact]
    public async Task Moods_list_oldest_first_within_an_inclusive_range()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: "America/Los_Angeles");
        var moods = new List<JsonElement>();
        for (var score = 1; score <= 4; score++)
        {
            moods.Add(await user.Client.RecordMoodAsync(new { score }));
            await Task.Delay(5);
        }

        string At(int i) => Uri.EscapeDataString(moods[i].GetProperty("createdAt").GetString()!);
        Assert.Equal(moods.Select(m => m.Id()), await user.Client.MoodIdsAsync());
        Assert.Equal([moods[1].Id(), moods[2].Id()], await user.Client.MoodIdsAsync($"from={At(1)}&to={At(2)}"));
        Assert.Equal([moods[3].Id()], await user.Client.MoodIdsAsync($"from={At(3)}"));

        var page = await user.Client.GetJsonAsync("/api/v1/mood");
        Assert.False(page.GetProperty("truncated").GetBoolean());
    }

    [Theory]
    [InlineData("from=last-week", "from")]
    [InlineData("to=2025-13-01", "to")]
    [InlineData("from=2025-03-02T00:00Z&to=2025-03-01T00:00Z", "to")]
    public async Task Bad_ranges_are_validation_problems_naming_the_field(string query, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.GetAsync($"/api/v1/mood?{query}")).AssertValidationProblemAsync(field);
    }

    [Fact]
    public async Task Another_users_mood_is_not_found_and_stays()
    {
        var owner = await Host.RegisterAndLoginAsync();
        var stranger = await Host.RegisterAndLoginAsync();
        var mood = await owner.Client.RecordMoodAsync(new { score = 1, note = "Hard day" });
        var uri = $"/api/v1/mood/{mood.Id()}";

        await (await stranger.Client.GetAsync(uri)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Client.DeleteAsync(uri)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Client.GetAsync("/api/v1/mood/not-an-id")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await stranger.Client.MoodIdsAsync());
        Assert.Equal(mood.GetRawText(), (await owner.Client.GetJsonAsync(uri)).GetRawText());
    }

    [Fact]
    public async Task Deleting_a_mood_removes_it()
    {
        var user = await Host.RegisterAndLoginAsync();
        var mood = await user.Client.RecordMoodAsync(new { score = 3 });
        var uri = $"/api/v1/mood/{mood.Id()}";
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync(uri)).StatusCode);
        await (await user.Client.GetAsync(uri)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await user.Client.MoodIdsAsync());
    }
}
