using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Therapist;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>A high or imminent message puts someone in the care queue, and every care-team member's inbox hears of it.</summary>
public sealed class CareTeamNotificationTests(TherapistFixture fixture) : IClassFixture<TherapistFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task Every_care_team_member_is_told_someone_needs_a_human_without_their_words_even_in_quiet_hours()
    {
        var first = await CareTeamMemberAsync();
        var second = await CareTeamMemberAsync();
        var now = DateTimeOffset.UtcNow;
        var quiet = "{\"quietHours\":{\"start\":\"" + now.AddHours(-1).ToString("HH:mm", CultureInfo.InvariantCulture) + "\",\"end\":\"" + now.AddHours(1).ToString("HH:mm", CultureInfo.InvariantCulture) + "\"}}";
        Assert.Equal(HttpStatusCode.OK, (await second.Client.PutAsync("/api/v1/notifications/preferences", new StringContent(quiet, Encoding.UTF8, "application/json"))).StatusCode);
        var bystander = await Host.RegisterAndLoginAsync();

        var person = await Host.RegisterAndLoginAsync();
        var conversation = await person.StartConversationAsync();
        const string words = "I want to kill myself, the pills are in the drawer";
        await using (var hub = await Host.HubAsync(person))
        {
            await hub.SendAsync(conversation, words);
        }

        var queue = await first.Client.GetFromJsonAsync<JsonElement>("/api/v1/care/queue");
        var itemId = queue.GetProperty("items").EnumerateArray().Single(i => i.Str("userId") == person.UserId.ToString()).Str("id");
        foreach (var carer in new[] { first, second })
        {
            var notification = (await InboxAsync(carer)).Single(n => n.Str("kind") == CareNotifications.Kind && n.Str("body").Contains(itemId, StringComparison.Ordinal));
            Assert.Equal("Someone may need a human now", notification.Str("title"));
            Assert.Contains($"/api/v1/care/queue?item={itemId}", notification.Str("body"), StringComparison.Ordinal);
            Assert.DoesNotContain("pills", notification.GetRawText(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("kill", notification.GetRawText(), StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain(await InboxAsync(bystander), n => n.Str("kind") == CareNotifications.Kind);
        Assert.DoesNotContain(await InboxAsync(person), n => n.Str("kind") == CareNotifications.Kind);
    }

    [Fact]
    public async Task A_revoked_member_is_no_longer_told_and_a_concern_tells_no_one()
    {
        var carer = await CareTeamMemberAsync();
        var former = await CareTeamMemberAsync();
        Assert.True((await Host.Grains.GetGrain<IUserGrain>(former.UserId).RevokeRoleAsync(new RoleChange(UserRoles.CareTeam, "test", null))).Changed);
        Assert.DoesNotContain(await Host.Grains.GetGrain<ICareQueueGrain>(0).TeamAsync(), m => m.UserId == former.UserId);

        var person = await Host.RegisterAndLoginAsync();
        var conversation = await person.StartConversationAsync();
        await using (var hub = await Host.HubAsync(person))
        {
            Assert.Equal("concern", (await hub.SendAsync(conversation, "I wish I could just disappear")).Str("safetyLevel"));
            Assert.Equal("high", (await hub.SendAsync(conversation, "I want to kill myself")).Str("safetyLevel"));
        }

        var queue = await carer.Client.GetFromJsonAsync<JsonElement>("/api/v1/care/queue");
        var items = queue.GetProperty("items").EnumerateArray().Where(i => i.Str("userId") == person.UserId.ToString()).Select(i => i.Str("id")).ToList();
        var itemId = Assert.Single(items);
        var told = (await InboxAsync(carer)).Where(n => n.Str("kind") == CareNotifications.Kind).Select(n => n.Str("body")).ToList();
        Assert.Single(told, body => body.Contains(itemId, StringComparison.Ordinal));
        Assert.DoesNotContain(await InboxAsync(former), n => n.Str("kind") == CareNotifications.Kind && n.Str("body").Contains(itemId, StringComparison.Ordinal));
    }

    private static async Task<List<JsonElement>> InboxAsync(TestUser user)
        => [.. (await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/notifications?limit=100")).GetProperty("items").EnumerateArray()];

    private async Task<TestUser> CareTeamMemberAsync()
    {
        var carer = await Host.RegisterAndLoginAsync();
        Assert.True((await Host.Grains.GetGrain<IUserGrain>(carer.UserId).GrantRoleAsync(new RoleChange(UserRoles.CareTeam, "test", null))).Changed);
        var (access, refresh) = await Host.LoginAsync(carer.Email, carer.Password);
        return carer with { AccessToken = access, RefreshToken = refresh, Client = Host.CreateClient(access) };
    }
}
