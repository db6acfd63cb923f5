using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.CheckIns;
using NodaTime;
using Orleans.Core.Internal;
using static Mindspace.Gateway.Tests.CheckIns.CheckInsHttp;

namespace Mindspace.Gateway.Tests.CheckIns;

public sealed class EntriesApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task Creating_an_entry_returns_it_with_its_location()
    {
        var user = await Host.RegisterAndLoginAsync();
        var response = await user.Client.PostAsJsonAsync("/api/v1/entries", new { text = "  Went for a walk by the river.  ", mood = 4, tags = new[] { " Outdoors ", "WALK", "walk" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var entry = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/v1/entries/{entry.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal("Went for a walk by the river.", entry.GetProperty("text").GetString());
        Assert.Equal(4, entry.GetProperty("mood").GetInt32());
        Assert.Equal(["outdoors", "walk"], entry.Tags());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("updatedAt").ValueKind);
        var createdAt = entry.GetProperty("createdAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.Zero, createdAt.Offset);
        Assert.InRange(createdAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        var read = await user.Client.GetJsonAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(entry.GetRawText(), read.GetRawText());
    }

    [Fact]
    public async Task An_entry_needs_no_mood_or_tags_and_counts_emoji_as_one_character()
    {
        var user = await Host.RegisterAndLoginAsync();
        var text = string.Concat(Enumerable.Repeat("🌧️", 2_000)); // 2,000 characters, 6,000 UTF-16 units
        var entry = await user.Client.CreateEntryAsync(new { text });
        Assert.Equal(text, entry.GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("mood").ValueKind);
        Assert.Empty(entry.Tags());
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{}""", "text" },
        { """{"text":""}""", "text" },
        { """{"text":"   \n  "}""", "text" },
        { JsonSerializer.Serialize(new { text = new string('a', 2_001) }), "text" },
        { """{"text":"ok","mood":0}""", "mood" },
        { """{"text":"ok","mood":6}""", "mood" },
        { JsonSerializer.Serialize(new { text = "ok", tags = Enumerable.Range(1, 11).Select(i => $"tag{i}") }), "tags" },
        { JsonSerializer.Serialize(new { text = "ok", tags = new[] { new string('t', 33) } }), "tags" },
        { """{"text":"ok","tags":["fine", " "]}""", "tags" },
        { """{"text":"ok","tags":["fine", null]}""", "tags" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_field_is_a_validation_problem_naming_it_and_nothing_is_created(string body, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        var response = await user.Client.PostAsync("/api/v1/entries", Json(body));
        await response.AssertValidationProblemAsync(field);
        Assert.Empty(await user.Client.EntryIdsAsync());
    }

    [Theory]
    [InlineData("""{"text":"ok","mood":"abc"}""", "mood")]
    [InlineData("""{"text":"ok","mood":3.5}""", "mood")]
    [InlineData("""{"text":123}""", "text")]
    [InlineData("""{"text":"ok","tags":"work"}""", "tags")]
    [InlineData("""{"text":"ok","tags":[1]}""", "tags")]
    [InlineData("""{"text":"ok",""", null)]
    [InlineData("""[]""", null)]
    [InlineData("""null""", null)]
    [InlineData("", null)]
    public async Task Malformed_json_or_a_wrong_type_is_a_bad_request_and_nothing_is_created(string body, string? field)
    {
        var user = await Host.RegisterAndLoginAsync();
        var response = await user.Client.PostAsync("/api/v1/entries", Json(body));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        if (field is not null)
        {
            Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Empty(await user.Client.EntryIdsAsync());
    }

    [Fact]
    public async Task Paging_with_the_cursor_visits_every_entry_once_newest_first()
    {
        var user = await Host.RegisterAndLoginAsync();
        var created = new List<string>();
        for (var i = 0; i < 45; i++)
        {
            created.Add((await user.Client.CreateEntryAsync(new { text = $"Entry {i}" })).Id());
        }

        var seen = new List<string>();
        var pages = new List<int>();
        string? cursor = null;
        do
        {
            var page = await user.Client.GetJsonAsync("/api/v1/entries" + (cursor is null ? "" : $"?cursor={cursor}"));
            var items = page.GetProperty("items").EnumerateArray().Select(e => e.Id()).ToList();
            pages.Add(items.Count);
            seen.AddRange(items);
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal([20, 20, 5], pages);
        Assert.Equal(Enumerable.Reverse(created), seen);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("cursor=not-a-cursor!!", "cursor")]
    [InlineData("cursor=aGVsbG8", "cursor")] // base64url of "hello"
    [InlineData("tag=%20%20", "tag")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2025-03-02&to=2025-03-01", "to")]
    public async Task Bad_list_parameters_are_validation_problems_naming_them(string query, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        var response = await user.Client.GetAsync($"/api/v1/entries?{query}");
        await response.AssertValidationProblemAsync(field);
    }

    [Fact]
    public async Task The_limit_bounds_the_page()
    {
        var user = await Host.RegisterAndLoginAsync();
        for (var i = 0; i < 3; i++)
        {
            await user.Client.CreateEntryAsync(new { text = $"Entry {i}" });
        }

        var page = await user.Client.GetJsonAsync("/api/v1/entries?limit=2");
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.NotNull(page.GetProperty("nextCursor").GetString());
        page = await user.Client.GetJsonAsync("/api/v1/entries?limit=3");
        Assert.Equal(3, page.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task The_tag_filter_is_case_insensitive_and_pages()
    {
        var user = await Host.RegisterAndLoginAsync();
        var tagged = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var entry = await user.Client.CreateEntryAsync(new { text = $"Entry {i}", tags = i % 2 == 0 ? new[] { "Family" } : ["work"] });
            if (i % 2 == 0)
            {
                tagged.Add(entry.Id());
            }
        }

        var first = await user.Client.GetJsonAsync("/api/v1/entries?tag=FAMILY&limit=3");
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await user.Client.GetJsonAsync($"/api/v1/entries?tag=family&limit=3&cursor={cursor}");
        var ids = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(e => e.Id());
        Assert.Equal(Enumerable.Reverse(tagged), ids);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        Assert.Empty(await user.Client.EntryIdsAsync("&tag=none"));
    }

    [Fact]
    public async Task Dates_mean_days_in_the_users_time_zone()
    {
        // Pick, from the entry's own time (not a clock read before it, which could be on the other
        // side of midnight UTC), a zone whose date differs from UTC's: UTC+14 from 10:00 UTC, UTC-11 before 11:00 UTC.
        var user = await Host.RegisterAndLoginAsync();
        var entry = await user.Client.CreateEntryAsync(new { text = "Late night thoughts" });
        var createdAt = entry.GetProperty("createdAt").GetDateTimeOffset();
        var zoneId = createdAt.UtcDateTime.Hour >= 10 ? "Pacific/Kiritimati" : "Pacific/Pago_Pago";
        var patched = await user.Client.PatchAsync("/api/v1/me", Json(JsonSerializer.Serialize(new { timeZone = zoneId })));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        var localToday = Instant.FromDateTimeOffset(createdAt).InZone(DateTimeZoneProviders.Tzdb[zoneId]).Date;
        var utcToday = LocalDate.FromDateTime(createdAt.UtcDateTime);
        Assert.NotEqual(localToday, utcToday);

        Assert.Equal([entry.Id()], await user.Client.EntryIdsAsync($"&from={localToday:yyyy-MM-dd}&to={localToday:yyyy-MM-dd}"));
        Assert.Equal([entry.Id()], await user.Client.EntryIdsAsync($"&from={localToday:yyyy-MM-dd}"));
        Assert.Equal([entry.Id()], await user.Client.EntryIdsAsync($"&to={localToday:yyyy-MM-dd}"));
        Assert.Empty(await user.Client.EntryIdsAsync($"&from={utcToday:yyyy-MM-dd}&to={utcToday:yyyy-MM-dd}"));
        Assert.Empty(await user.Client.EntryIdsAsync($"&to={localToday.PlusDays(-1):yyyy-MM-dd}"));
        Assert.Empty(await user.Client.EntryIdsAsync($"&from={localToday.PlusDays(1):yyyy-MM-dd}"));
    }

    [Fact]
    public async Task A_check_in_written_right_after_a_zone_change_takes_the_new_zone_across_deactivations()
    {
        // Zones without daylight saving time, so each offset is the same whatever the date.
        var user = await Host.RegisterAndLoginAsync(timeZone: "Asia/Kolkata");
        Assert.Equal(330, OffsetOf(await user.Client.CreateEntryAsync(new { text = "First" }))); // the grain now holds the zone

        await ChangeZoneAsync(user, "America/Argentina/Buenos_Aires");
        Assert.Equal(-180, OffsetOf(await user.Client.CreateEntryAsync(new { text = "Moved" })));
        Assert.Equal(-180, OffsetOf(await user.Client.RecordMoodAsync(new { score = 3 })));

        // Deactivated before the change...
        var checkIns = Host.Grains.GetGrain<ICheckInsGrain>(user.UserId);
        await checkIns.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await ChangeZoneAsync(user, "Asia/Kathmandu");
        Assert.Equal(345, OffsetOf(await user.Client.CreateEntryAsync(new { text = "Moved again" })));

        // ...and after it.
        await ChangeZoneAsync(user, "Asia/Tokyo");
        await checkIns.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Equal(540, OffsetOf(await user.Client.RecordMoodAsync(new { score = 4 })));
        Assert.Equal(540, OffsetOf(await user.Client.CreateEntryAsync(new { text = "Settled" })));
    }

    [Fact]
    public async Task Instants_bound_the_list_inclusively()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: "Asia/Kolkata");
        var entries = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            entries.Add(await user.Client.CreateEntryAsync(new { text = $"Entry {i}" }));
            await Task.Delay(5);
        }

        string At(int i, int addMs = 0) => Uri.EscapeDataString(entries[i].GetProperty("createdAt").GetDateTimeOffset().AddMilliseconds(addMs).ToOffset(TimeSpan.FromHours(5.5)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz"));
        Assert.Equal([entries[1].Id()], await user.Client.EntryIdsAsync($"&from={At(1)}&to={At(1)}"));
        Assert.Equal([entries[2].Id(), entries[1].Id()], await user.Client.EntryIdsAsync($"&from={At(1)}"));
        Assert.Equal([entries[0].Id()], await user.Client.EntryIdsAsync($"&to={At(1, -1)}"));
    }

    [Fact]
    public async Task Patching_changes_only_the_members_sent()
    {
        var user = await Host.RegisterAndLoginAsync();
        var entry = await user.Client.CreateEntryAsync(new { text = "Original", mood = 2, tags = new[] { "work" } });
        var uri = $"/api/v1/entries/{entry.Id()}";

        var response = await user.Client.PatchAsync(uri, Json("""{"text":"  Edited  "}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var edited = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Edited", edited.GetProperty("text").GetString());
        Assert.Equal(2, edited.GetProperty("mood").GetInt32());
        Assert.Equal(["work"], edited.Tags());
        Assert.Equal(entry.GetProperty("createdAt").GetString(), edited.GetProperty("createdAt").GetString());
        Assert.True(edited.GetProperty("updatedAt").GetDateTimeOffset() >= edited.GetProperty("createdAt").GetDateTimeOffset());

        response = await user.Client.PatchAsync(uri, Json("""{"mood":null,"tags":["Rest","rest","Sleep"]}"""));
        var cleared = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("mood").ValueKind);
        Assert.Equal(["rest", "sleep"], cleared.Tags());
        Assert.Equal("Edited", cleared.GetProperty("text").GetString());

        var mergePatch = new StringContent("""{"tags":null,"mood":5}""", System.Text.Encoding.UTF8, "application/merge-patch+json");
        response = await user.Client.PatchAsync(uri, mergePatch);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var retagged = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(retagged.Tags());
        Assert.Equal(5, retagged.GetProperty("mood").GetInt32());

        var read = await user.Client.GetJsonAsync(uri);
        Assert.Equal(retagged.GetRawText(), read.GetRawText());
    }

    [Fact]
    public async Task An_empty_patch_changes_nothing()
    {
        var user = await Host.RegisterAndLoginAsync();
        var entry = await user.Client.CreateEntryAsync(new { text = "Stay", mood = 3 });
        var response = await user.Client.PatchAsync($"/api/v1/entries/{entry.Id()}", Json("{}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(entry.GetRawText(), (await response.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
    }

    [Theory]
    [InlineData("""{"text":null}""", "text")]
    [InlineData("""{"text":""}""", "text")]
    [InlineData("""{"mood":0}""", "mood")]
    [InlineData("""{"mood":7}""", "mood")]
    [InlineData("""{"tags":["a","b","c","d","e","f","g","h","i","j","k"]}""", "tags")]
    public async Task An_invalid_patch_is_a_validation_problem_and_changes_nothing(string body, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        var entry = await user.Client.CreateEntryAsync(new { text = "Keep me", mood = 3, tags = new[] { "one" } });
        var uri = $"/api/v1/entries/{entry.Id()}";
        await (await user.Client.PatchAsync(uri, Json(body))).AssertValidationProblemAsync(field);
        Assert.Equal(entry.GetRawText(), (await user.Client.GetJsonAsync(uri)).GetRawText());
    }

    [Theory]
    [InlineData("""{"mood":"abc"}""")]
    [InlineData("""{"tags":"one"}""")]
    [InlineData("""{"text":""")]
    public async Task A_malformed_patch_is_a_bad_request_and_changes_nothing(string body)
    {
        var user = await Host.RegisterAndLoginAsync();
        var entry = await user.Client.CreateEntryAsync(new { text = "Keep me", mood = 3 });
        var uri = $"/api/v1/entries/{entry.Id()}";
        await (await user.Client.PatchAsync(uri, Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(entry.GetRawText(), (await user.Client.GetJsonAsync(uri)).GetRawText());
    }

    [Fact]
    public async Task Deleting_an_entry_removes_it()
    {
        var user = await Host.RegisterAndLoginAsync();
        var keep = await user.Client.CreateEntryAsync(new { text = "Keep" });
        var gone = await user.Client.CreateEntryAsync(new { text = "Remove" });
        var uri = $"/api/v1/entries/{gone.Id()}";

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync(uri)).StatusCode);
        await (await user.Client.GetAsync(uri)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.Client.DeleteAsync(uri)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal([keep.Id()], await user.Client.EntryIdsAsync());
    }

    [Fact]
    public async Task Another_users_entry_is_not_found_and_stays_unchanged()
    {
        var owner = await Host.RegisterAndLoginAsync();
        var stranger = await Host.RegisterAndLoginAsync();
        var entry = await owner.Client.CreateEntryAsync(new { text = "Private thoughts", mood = 1 });
        var uri = $"/api/v1/entries/{entry.Id()}";

        var problem = await (await stranger.Client.GetAsync(uri)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain("Private", problem.GetRawText(), StringComparison.Ordinal);
        await (await stranger.Client.PatchAsync(uri, Json("""{"text":"Hijacked"}"""))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Client.DeleteAsync(uri)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await stranger.Client.EntryIdsAsync());

        Assert.Equal(entry.GetRawText(), (await owner.Client.GetJsonAsync(uri)).GetRawText());
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("12345")]
    [InlineData("0195b3c1-8f2e-7c4a-9d3b-2a1f0e9d8c7b")]
    public async Task Unknown_or_malformed_ids_are_not_found(string id)
    {
        var user = await Host.RegisterAndLoginAsync();
        var uri = $"/api/v1/entries/{id}";
        await (await user.Client.GetAsync(uri)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.Client.PatchAsync(uri, Json("""{"text":"x"}"""))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.Client.DeleteAsync(uri)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Entries_need_a_signed_in_user()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.GetAsync("/api/v1/entries")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.PostAsync("/api/v1/entries", Json("""{"text":"hi"}"""))).StatusCode);
    }

    private static int OffsetOf(JsonElement checkIn) => checkIn.GetProperty("utcOffsetMinutes").GetInt32();

    private static async Task ChangeZoneAsync(TestUser user, string zone)
    {
        var patched = await user.Client.PatchAsync("/api/v1/me", Json(JsonSerializer.Serialize(new { timeZone = zone })));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
    }
}
