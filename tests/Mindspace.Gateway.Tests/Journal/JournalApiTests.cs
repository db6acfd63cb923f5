using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Journal;

public sealed class JournalApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task An_entry_is_written_read_edited_and_deleted()
    {
        var user = await Host.RegisterAndLoginAsync();
        var created = await user.Client.WriteAsync(new { title = "  Tuesday  ", body = "Walked to the *park*.", mood = 4, tags = new[] { "Walk", "walk", "outside" } });
        Assert.Equal("free", created.Str("kind"));
        Assert.Equal("Tuesday", created.Str("title"));
        Assert.Equal("<p>Walked to the <em>park</em>.</p>\n", created.Str("bodyHtml"));
        Assert.Equal(["walk", "outside"], created.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(4, created.GetProperty("mood").GetInt32());

        var uri = $"/api/v1/journal/{created.Id()}";
        Assert.Equal(created.GetRawText(), (await user.Client.GetJsonAsync(uri)).GetRawText());

        var patched = await user.Client.PatchAsync(uri, Json("""{"title":null,"mood":null,"body":"Walked to the park, then home."}"""));
        var edited = JsonDocument.Parse(await patched.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(JsonValueKind.Null, edited.GetProperty("title").ValueKind);
        Assert.Equal(JsonValueKind.Null, edited.GetProperty("mood").ValueKind);
        Assert.Equal("Walked to the park, then home.", edited.Str("body"));
        Assert.Equal(["walk", "outside"], edited.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.NotEqual(JsonValueKind.Null, edited.GetProperty("updatedAt").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync(uri)).StatusCode);
        await (await user.Client.GetAsync(uri)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.Client.DeleteAsync(uri)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Entries_are_paged_newest_first_and_filtered_by_tag_and_kind()
    {
        var user = await Host.RegisterAndLoginAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await user.Client.WriteAsync(new { body = $"Entry {i}", kind = i % 2 == 0 ? "gratitude" : "free", tags = i < 2 ? new[] { "early" } : [] })).Id());
        }

        ids.Reverse();
        var first = await user.Client.GetJsonAsync("/api/v1/journal?limit=2");
        Assert.Equal(ids[..2], first.GetProperty("items").EnumerateArray().Select(e => e.Id()));
        var second = await user.Client.GetJsonAsync($"/api/v1/journal?limit=2&cursor={first.Str("nextCursor")}");
        Assert.Equal(ids[2..4], second.GetProperty("items").EnumerateArray().Select(e => e.Id()));
        var third = await user.Client.GetJsonAsync($"/api/v1/journal?limit=2&cursor={second.Str("nextCursor")}");
        Assert.Equal(ids[4..], third.GetProperty("items").EnumerateArray().Select(e => e.Id()));
        Assert.Null(third.Str("nextCursor"));

        Assert.Equal(ids[3..], await user.Client.JournalIdsAsync("&tag=EARLY"));
        Assert.Equal([ids[0], ids[2], ids[4]], await user.Client.JournalIdsAsync("&kind=gratitude"));
    }

    [Fact]
    public async Task A_thought_record_keeps_its_columns()
    {
        var user = await Host.RegisterAndLoginAsync();
        var record = new
        {
            situation = "My friend didn't answer my message.",
            automaticThought = "She doesn't want to talk to me.",
            emotion = "sad",
            intensity = 80,
            distortions = new[] { "mind-reading", "Personalization", "mind-reading" },
            evidenceFor = "She usually answers fast.",
            evidenceAgainst = "She told me she has exams this week.",
            balancedThought = "She is probably busy.",
            reratedIntensity = 30,
        };
        var created = await user.Client.WriteAsync(new { kind = "thought-record", thoughtRecord = record });
        var stored = created.GetProperty("thoughtRecord");
        Assert.Equal("thought-record", created.Str("kind"));
        Assert.Equal("", created.Str("body"));
        Assert.Equal(["mind-reading", "personalization"], stored.GetProperty("distortions").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(30, stored.GetProperty("reratedIntensity").GetInt32());
        Assert.Equal("She is probably busy.", stored.Str("balancedThought"));

        // Turning it into a free entry needs a body and drops the columns.
        var uri = $"/api/v1/journal/{created.Id()}";
        await (await user.Client.PatchAsync(uri, Json("""{"kind":"free"}"""))).AssertValidationProblemAsync("body");
        var changed = JsonDocument.Parse(await (await user.Client.PatchAsync(uri, Json("""{"kind":"free","body":"Just a note now."}"""))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("free", changed.Str("kind"));
        Assert.Equal(JsonValueKind.Null, changed.GetProperty("thoughtRecord").ValueKind);

        var distortions = await user.Client.GetJsonAsync("/api/v1/journal/distortions");
        Assert.Contains(distortions.EnumerateArray(), d => d.Str("id") == "catastrophizing");
    }

    public static TheoryData<string, string> BadEntries => new()
    {
        { """{"body":""}""", "body" },
        { """{"body":"   "}""", "body" },
        { """{}""", "body" },
        { """{"body":"x","kind":"poem"}""", "kind" },
        { """{"body":"x","mood":0}""", "mood" },
        { """{"body":"x","mood":6}""", "mood" },
        { """{"body":"x","title":"two\nlines"}""", "title" },
        { """{"body":"bell\u0007"}""", "body" },
        { """{"body":"x","tags":["", "a"]}""", "tags" },
        { """{"body":"x","thoughtRecord":{"situation":"s","automaticThought":"t"}}""", "thoughtRecord" },
        { """{"kind":"thought-record"}""", "thoughtRecord" },
        { """{"kind":"thought-record","thoughtRecord":{"situation":"s"}}""", "thoughtRecord.automaticThought" },
        { """{"kind":"thought-record","thoughtRecord":{"situation":"s","automaticThought":"t","intensity":101}}""", "thoughtRecord.intensity" },
        { """{"kind":"thought-record","thoughtRecord":{"situation":"s","automaticThought":"t","reratedIntensity":-1}}""", "thoughtRecord.reratedIntensity" },
        { """{"kind":"thought-record","thoughtRecord":{"situation":"s","automaticThought":"t","distortions":["gloom"]}}""", "thoughtRecord.distortions" },
        { """{"body":"x","draftId":"not-a-uuid"}""", "draftId" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public async Task A_bad_entry_is_a_validation_problem_and_changes_nothing(string json, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.PostAsync("/api/v1/journal", Json(json))).AssertValidationProblemAsync(field);
        Assert.Empty(await user.Client.JournalIdsAsync());
    }

    [Theory]
    [InlineData("""{"body":""")]
    [InlineData("""{"body":5}""")]
    [InlineData("""{"body":"x","mood":"happy"}""")]
    [InlineData("""{"body":"x","thoughtRecord":[]}""")]
    [InlineData("""[1,2]""")]
    public async Task Malformed_json_is_a_bad_request_and_changes_nothing(string json)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.PostAsync("/api/v1/journal", Json(json))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty(await user.Client.JournalIdsAsync());
    }

    [Fact]
    public async Task A_body_may_hold_fifty_thousand_characters_and_no_more()
    {
        var user = await Host.RegisterAndLoginAsync();

        // Two bytes each in UTF-8: more than the gateway's usual request limit, within the journal's.
        var longest = new string('é', 50_000);
        var created = await user.Client.WriteAsync(new { body = longest });
        Assert.Equal(longest, created.Str("body"));

        await (await user.Client.PostAsJsonAsync("/api/v1/journal", new { body = longest + "é" })).AssertValidationProblemAsync("body");
        Assert.Single(await user.Client.JournalIdsAsync());
    }

    [Fact]
    public async Task Raw_html_and_script_links_are_never_rendered()
    {
        var user = await Host.RegisterAndLoginAsync();
        var created = await user.Client.WriteAsync(new
        {
            body = "<script>alert(1)</script>\n\n[click](javascript:alert(2)) <javascript:alert(3)> <img src=x onerror=alert(4)> [ok](https://example.org)",
        });
        var html = created.Str("bodyHtml")!;
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.org\"", html, StringComparison.Ordinal);
        Assert.StartsWith("<script>", created.Str("body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_users_entries_and_drafts_are_not_found()
    {
        var owner = await Host.RegisterAndLoginAsync();
        var other = await Host.RegisterAndLoginAsync();
        var entry = await owner.Client.WriteAsync(new { body = "Only mine." });
        var draftId = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.PutAsJsonAsync($"/api/v1/journal/drafts/{draftId}", new { body = "half a thought" })).StatusCode);

        var uri = $"/api/v1/journal/{entry.Id()}";
        await (await other.Client.GetAsync(uri)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.PatchAsync(uri, Json("""{"body":"hijacked"}"""))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.DeleteAsync(uri)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.GetAsync($"/api/v1/journal/drafts/{draftId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.DeleteAsync($"/api/v1/journal/drafts/{draftId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.GetAsync("/api/v1/journal/not-an-id")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await other.Client.GetJsonAsync("/api/v1/journal?q=mine")).GetProperty("items").EnumerateArray());

        Assert.Equal("Only mine.", (await owner.Client.GetJsonAsync(uri)).Str("body"));
        Assert.Equal("half a thought", (await owner.Client.GetJsonAsync($"/api/v1/journal/drafts/{draftId}")).Str("body"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.GetAsync("/api/v1/journal")).StatusCode);
    }

    [Fact]
    public async Task Drafts_autosave_and_become_an_entry()
    {
        var user = await Host.RegisterAndLoginAsync();
        var draftId = Guid.NewGuid();
        var uri = $"/api/v1/journal/drafts/{draftId}";
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutAsJsonAsync(uri, new { kind = "thought-record", thoughtRecord = new { situation = "Meeting" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutAsJsonAsync(uri, new { kind = "thought-record", thoughtRecord = new { situation = "Meeting", automaticThought = "I'll mess up" } })).StatusCode);
        var other = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutAsJsonAsync($"/api/v1/journal/drafts/{other}", new { })).StatusCode);

        var drafts = await user.Client.GetJsonAsync("/api/v1/journal/drafts");
        Assert.Equal([other.ToString(), draftId.ToString()], drafts.EnumerateArray().Select(d => d.Id()));
        var draft = await user.Client.GetJsonAsync(uri);
        Assert.Equal("I'll mess up", draft.GetProperty("thoughtRecord").Str("automaticThought"));

        await (await user.Client.PutAsJsonAsync(uri, new { mood = 9 })).AssertValidationProblemAsync("mood");
        await (await user.Client.PutAsJsonAsync("/api/v1/journal/drafts/nope", new { })).AssertValidationProblemAsync("id");
        Assert.Equal("I'll mess up", (await user.Client.GetJsonAsync(uri)).GetProperty("thoughtRecord").Str("automaticThought"));

        await user.Client.WriteAsync(new { kind = "thought-record", thoughtRecord = new { situation = "Meeting", automaticThought = "I'll mess up" }, draftId });
        await (await user.Client.GetAsync(uri)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync($"/api/v1/journal/drafts/{other}")).StatusCode);
        Assert.Empty((await user.Client.GetJsonAsync("/api/v1/journal/drafts")).EnumerateArray());
    }

    [Fact]
    public async Task The_writers_own_mood_wins_over_the_suggestion()
    {
        var user = await Host.RegisterAndLoginAsync();
        var happyWords = await user.Client.WriteAsync(new { body = "Today was wonderful, I laughed a lot with my best friend!", mood = 2 });
        Assert.Equal(2, happyWords.GetProperty("mood").GetInt32());
        var suggested = happyWords.GetProperty("suggestedMood");
        Assert.Equal(5, suggested.GetProperty("mood").GetInt32());
        Assert.True(suggested.GetProperty("compound").GetDouble() > 0.5);

        var sadWords = await user.Client.WriteAsync(new { body = "I feel awful and lonely. Nothing helps." });
        Assert.Equal(JsonValueKind.Null, sadWords.GetProperty("mood").ValueKind);
        Assert.True(sadWords.GetProperty("suggestedMood").GetProperty("mood").GetInt32() <= 2);
    }

    [Fact]
    public async Task Prompts_follow_recent_moods()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: "Asia/Tokyo");
        var fresh = await user.Client.GetJsonAsync("/api/v1/journal/prompts");
        Assert.Equal("unknown", fresh.Str("moodBand"));
        Assert.Equal(3, fresh.GetProperty("prompts").GetArrayLength());
        Assert.Null(fresh.Str("support"));

        await user.Client.WriteAsync(new { body = "Hard day.", mood = 1 });
        await user.Client.WriteAsync(new { body = "Still hard.", mood = 2 });
        var low = await user.Client.GetJsonAsync("/api/v1/journal/prompts");
        Assert.Equal("low", low.Str("moodBand"));
        Assert.NotNull(low.Str("support"));
        Assert.Contains(low.GetProperty("prompts").EnumerateArray(), p => p.Str("id")!.StartsWith("low-", StringComparison.Ordinal));
        Assert.Contains(low.Str("timeOfDay"), new[] { "morning", "afternoon", "evening", "night" });
    }

    [Fact]
    public async Task Search_ranks_folds_accents_matches_prefixes_and_escapes_snippets()
    {
        var user = await Host.RegisterAndLoginAsync();
        var cafe = await user.Client.WriteAsync(new { title = "Café", body = "Met Ana at the café. The café was quiet and warm <b>cozy</b>." });
        var once = await user.Client.WriteAsync(new { body = "Walked past a cafe on the way to work, then a long meeting about budgets and plans." });
        await user.Client.WriteAsync(new { body = "Nothing about coffee places here." });
        var running = await user.Client.WriteAsync(new { body = "Went running by the river." });

        var found = await user.Client.GetJsonAsync("/api/v1/journal?q=cafe");
        Assert.Equal(2, found.GetProperty("total").GetInt32());
        var items = found.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([cafe.Id(), once.Id()], items.Select(i => i.GetProperty("entry").Id()));
        Assert.True(items[0].GetProperty("score").GetDouble() > items[1].GetProperty("score").GetDouble());
        var snippet = items[0].Str("snippet")!;
        Assert.Contains("<mark>café</mark>", snippet, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;cozy&lt;/b&gt;", snippet, StringComparison.Ordinal);

        var prefix = await user.Client.GetJsonAsync("/api/v1/journal?q=RUN");
        Assert.Equal([running.Id()], prefix.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("entry").Id()));
        Assert.Contains("<mark>running</mark>", prefix.GetProperty("items")[0].Str("snippet"), StringComparison.Ordinal);

        // The index follows edits and deletes.
        await user.Client.PatchAsync($"/api/v1/journal/{running.Id()}", Json("""{"body":"Went swimming instead."}"""));
        Assert.Equal(0, (await user.Client.GetJsonAsync("/api/v1/journal?q=running")).GetProperty("total").GetInt32());
        await user.Client.DeleteAsync($"/api/v1/journal/{once.Id()}");
        Assert.Equal(1, (await user.Client.GetJsonAsync("/api/v1/journal?q=café")).GetProperty("total").GetInt32());
        var added = await user.Client.WriteAsync(new { body = "Another cafe visit." });
        Assert.Equal(2, (await user.Client.GetJsonAsync("/api/v1/journal?q=cafe")).GetProperty("total").GetInt32());
        Assert.NotNull(added.Id());
    }

    [Fact]
    public async Task Search_pages_with_a_cursor()
    {
        var user = await Host.RegisterAndLoginAsync();
        for (var i = 0; i < 5; i++)
        {
            await user.Client.WriteAsync(new { body = $"garden day {i}" });
        }

        var first = await user.Client.GetJsonAsync("/api/v1/journal?q=garden&limit=3");
        Assert.Equal(3, first.GetProperty("items").GetArrayLength());
        var second = await user.Client.GetJsonAsync($"/api/v1/journal?q=garden&limit=3&cursor={first.Str("nextCursor")}");
        Assert.Equal(2, second.GetProperty("items").GetArrayLength());
        Assert.Null(second.Str("nextCursor"));
        var all = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("entry").Id());
        Assert.Equal(5, all.Distinct().Count());
    }

    [Theory]
    [InlineData("?q=", "q")]
    [InlineData("?q=%20%20", "q")]
    [InlineData("?q=a&cursor=bad", "cursor")]
    [InlineData("?q=a&tag=x", "q")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?kind=poem", "kind")]
    [InlineData("?cursor=zzz", "cursor")]
    public async Task Bad_list_queries_are_validation_problems(string query, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.GetAsync($"/api/v1/journal{query}")).AssertValidationProblemAsync(field);
    }

    [Fact]
    public async Task A_bad_patch_changes_nothing()
    {
        var user = await Host.RegisterAndLoginAsync();
        var entry = await user.Client.WriteAsync(new { body = "Keep me.", mood = 3 });
        var uri = $"/api/v1/journal/{entry.Id()}";
        await (await user.Client.PatchAsync(uri, Json("""{"body":"","mood":4}"""))).AssertValidationProblemAsync("body");
        await (await user.Client.PatchAsync(uri, Json("""{"mood":7}"""))).AssertValidationProblemAsync("mood");
        await (await user.Client.PatchAsync(uri, Json("""{"kind":null}"""))).AssertValidationProblemAsync("kind");
        await (await user.Client.PatchAsync(uri, Json("""{"kind":"thought-record"}"""))).AssertValidationProblemAsync("thoughtRecord");
        await (await user.Client.PatchAsync(uri, Json("""{"mood":"x"}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(entry.GetRawText(), (await user.Client.GetJsonAsync(uri)).GetRawText());
    }
}
