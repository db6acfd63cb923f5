using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Tests.Auth;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Notifications;

namespace Mindspace.Gateway.Tests.Users;

public sealed class MeTests(SharedHost shared) : IClassFixture<SharedHost>
{
    private MindspaceTestHost Host => shared.Host;

    [Fact]
    public async Task Me_shows_the_profile_roles_preferences_and_streaks()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: "Asia/Tokyo");

        var me = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/me");

        Assert.Equal(user.UserId, me.GetProperty("userId").GetGuid());
        Assert.Equal(user.Email, me.GetProperty("email").GetString());
        Assert.Equal("Test Person", me.GetProperty("displayName").GetString());
        Assert.Equal("Asia/Tokyo", me.GetProperty("timeZone").GetString());
        Assert.Equal(["member"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.True(me.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal(JsonValueKind.Object, me.GetProperty("preferences").ValueKind);
        Assert.Equal(0, me.GetProperty("streaks").GetProperty("current").GetInt32());
        Assert.Equal(0, me.GetProperty("streaks").GetProperty("longest").GetInt32());
    }

    [Fact]
    public async Task Patch_edits_name_time_zone_and_merges_preferences()
    {
        var user = await Host.RegisterAndLoginAsync();
        await Patch(user, """{"preferences":{"theme":"dark","reminders":{"daily":true,"hour":9},"language":"en"}}""");

        var response = await Patch(user, """{"displayName":"  Sam  ","timeZone":"europe/berlin","preferences":{"language":null,"reminders":{"hour":20}}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("Sam", me.GetProperty("displayName").GetString());
        Assert.Equal("Europe/Berlin", me.GetProperty("timeZone").GetString());
        var preferences = me.GetProperty("preferences");
        Assert.Equal("dark", preferences.GetProperty("theme").GetString());
        Assert.False(preferences.TryGetProperty("language", out _));
        Assert.True(preferences.GetProperty("reminders").GetProperty("daily").GetBoolean());
        Assert.Equal(20, preferences.GetProperty("reminders").GetProperty("hour").GetInt32());
    }

    [Theory]
    [InlineData("""{"timeZone":"Mars/Olympus_Mons","displayName":"Changed"}""", "timeZone")]
    [InlineData("""{"displayName":"","timeZone":"Europe/Paris"}""", "displayName")]
    [InlineData("""{"displayName":"This name is far too long for anyone to read comfortably on a small phone screen, sorry"}""", "displayName")]
    [InlineData("""{"preferences":[1,2]}""", "preferences")]
    [InlineData("""{"preferences":{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":1}}""", "preferences")]
    public async Task An_invalid_patch_names_the_field_and_changes_nothing(string body, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        var before = await user.Client.GetStringAsync("/api/v1/me");

        var response = await Patch(user, body);

        await response.AssertValidationProblemAsync(field);
        Assert.Equal(before, await user.Client.GetStringAsync("/api/v1/me"));
    }

    [Fact]
    public async Task Preferences_over_4_KB_are_refused_and_nothing_changes()
    {
        var user = await Host.RegisterAndLoginAsync();
        await Patch(user, """{"preferences":{"theme":"dark"}}""");
        var big = JsonSerializer.Serialize(new { displayName = "Changed", preferences = new { notes = new string('x', 4100) } });

        var response = await Patch(user, big);

        await response.AssertValidationProblemAsync("preferences");
        var me = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("Test Person", me.GetProperty("displayName").GetString());
        Assert.Equal("""{"theme":"dark"}""", me.GetProperty("preferences").GetRawText());
    }

    [Theory]
    [InlineData("""{"displayName": 42}""")]
    [InlineData("""{"preferences": {"a": }""")]
    public async Task A_malformed_patch_is_a_400_problem(string body)
    {
        var user = await Host.RegisterAndLoginAsync();

        await (await Patch(user, body)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Activity_pages_newest_first_with_a_cursor()
    {
        var user = await Host.RegisterAndLoginAsync();
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Patch(user, $$"""{"displayName":"Name {{i}}"}""")).StatusCode);
        }

        // account.created, sign-in, 3 × profile.updated: 5 entries in pages of 2.
        var kinds = new List<string>();
        var ids = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await user.Client.GetFromJsonAsync<JsonElement>($"/api/v1/me/activity?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 2);
            kinds.AddRange(items.Select(i => i.GetProperty("kind").GetString()!));
            ids.AddRange(items.Select(i => i.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(["profile.updated", "profile.updated", "profile.updated", "sign-in", "account.created"], kinds);
        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), ids);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("cursor=abc", "cursor")]
    public async Task Bad_activity_paging_names_the_parameter(string query, string field)
    {
        var user = await Host.RegisterAndLoginAsync();

        await (await user.Client.GetAsync("/api/v1/me/activity?" + query)).AssertValidationProblemAsync(field);
    }

    [Fact]
    public async Task Export_holds_the_profile_sessions_activity_and_check_ins_without_secrets()
    {
        var user = await Host.RegisterAndLoginAsync();
        await Patch(user, """{"preferences":{"theme":"dark"}}""");
        await Host.Grains.GetGrain<ICheckInsGrain>(user.UserId).CreateEntryAsync(new NewEntry("A quiet morning walk.", 4, ["walk"]));

        var response = await user.Client.GetAsync("/api/v1/me/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var export = JsonDocument.Parse(text).RootElement;
        Assert.Equal(user.Email, export.GetProperty("profile").GetProperty("email").GetString());
        Assert.Equal("dark", export.GetProperty("profile").GetProperty("preferences").GetProperty("theme").GetString());
        Assert.Equal(1, export.GetProperty("sessions").GetArrayLength());
        Assert.Equal(
            ["profile.updated", "sign-in", "account.created"],
            export.GetProperty("activity").EnumerateArray().Select(a => a.GetProperty("kind").GetString()));
        Assert.Equal("A quiet morning walk.", export.GetProperty("checkIns").GetProperty("entries")[0].GetProperty("text").GetString());
        Assert.DoesNotContain(user.Password, text);
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(user.RefreshToken.Split('.')[1], text);
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_session()
    {
        var user = await Host.RegisterAndLoginAsync();
        var (secondAccess, secondRefresh) = await Host.LoginAsync(user.Email, user.Password);
        var sessions = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/me/sessions");
        Assert.Equal(2, sessions.GetArrayLength());
        Assert.Equal(1, sessions.EnumerateArray().Count(s => s.GetProperty("current").GetBoolean()));

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync("/api/v1/me/sessions")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(user.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(secondAccess));
        await (await Host.Client.PostRefreshAsync(secondRefresh)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Delete_with_a_wrong_password_changes_nothing()
    {
        var user = await Host.RegisterAndLoginAsync();

        var response = await DeleteMe(user.Client, "not-my-password");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, await Host.MeStatusAsync(user.AccessToken));
        Assert.Equal(HttpStatusCode.OK, (await Host.Client.PostLoginAsync(user.Email, user.Password)).StatusCode);
        await (await Host.Client.RegisterAsync(user.Email)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("account.deletion-refused", await user.Client.GetStringAsync("/api/v1/me/activity"));
    }

    [Fact]
    public async Task Delete_without_a_password_names_the_field()
    {
        var user = await Host.RegisterAndLoginAsync();

        await (await DeleteMe(user.Client, null)).AssertValidationProblemAsync("password");
    }

    [Fact]
    public async Task Delete_with_the_password_erases_the_account_and_frees_the_email()
    {
        var user = await Host.RegisterAndLoginAsync();
        var (otherAccess, otherRefresh) = await Host.LoginAsync(user.Email, user.Password);
        var checkIns = Host.Grains.GetGrain<ICheckInsGrain>(user.UserId);
        await checkIns.CreateEntryAsync(new NewEntry("Something private.", null, []));
        var inbox = Host.Grains.GetGrain<INotificationInboxGrain>(user.UserId);
        Assert.Equal(2, (await inbox.ReadAfterAsync(0, 10)).Items.Count);

        var response = await DeleteMe(user.Client, user.Password);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty((await checkIns.ExportAsync()).Entries);
        Assert.Empty((await inbox.ReadAfterAsync(0, 10)).Items);
        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(user.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(otherAccess));
        await (await Host.Client.PostRefreshAsync(user.RefreshToken)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await Host.Client.PostRefreshAsync(otherRefresh)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await Host.Client.PostLoginAsync(user.Email, user.Password)).AssertProblemAsync(HttpStatusCode.Unauthorized);

        var again = await Host.RegisterAndLoginAsync(email: user.Email.ToUpperInvariant());
        Assert.NotEqual(user.UserId, again.UserId);
        var activity = await again.Client.GetFromJsonAsync<JsonElement>("/api/v1/me/activity");
        Assert.Equal(2, activity.GetProperty("items").GetArrayLength()); // a fresh account: nothing carried over
    }

    private static Task<HttpResponseMessage> Patch(TestUser user, string json)
        => user.Client.PatchAsync("/api/v1/me", new StringContent(json, Encoding.UTF8, "application/json"));

    private static Task<HttpResponseMessage> DeleteMe(HttpClient client, string? password)
        => client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password }) });
}
