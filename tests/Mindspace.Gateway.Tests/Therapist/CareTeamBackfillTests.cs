using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Therapist;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Grains.Records;
using Mindspace.Grains.Therapist;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>Holders of care-team granted before the queue kept its team are told of new items without first opening the queue.</summary>
public sealed class CareTeamBackfillTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_member_granted_before_the_queue_kept_its_team_is_told_without_ever_opening_the_queue(bool onPostgres)
    {
        var host = onPostgres ? await MindspaceTestHost.StartOnPostgresAsync() : await MindspaceTestHost.StartAsync();
        await using var _ = host;
        var carer = await host.RegisterAndLoginAsync();
        var former = await host.RegisterAndLoginAsync();
        var admin = await host.RegisterAndLoginAsync();
        foreach (var user in new[] { carer, former })
        {
            Assert.True((await host.Grains.GetGrain<IUserGrain>(user.UserId).GrantRoleAsync(new RoleChange(UserRoles.CareTeam, "test", null))).Changed);
        }

        Assert.True((await host.Grains.GetGrain<IUserGrain>(admin.UserId).GrantRoleAsync(new RoleChange(UserRoles.Admin, "test", null))).Changed);
        Assert.True((await host.Grains.GetGrain<IUserGrain>(former.UserId).RevokeRoleAsync(new RoleChange(UserRoles.CareTeam, "test", null))).Changed);

        // As a database from before this release: roles held, no team rows, and the one-off enlistment never run.
        var queue = host.Grains.GetGrain<ICareQueueGrain>(0);
        await queue.BackfillTeamAsync(); // writes the marker, so that removing it below is what an older database looks like
        await queue.SetTeamMemberAsync(carer.UserId, member: false);
        await host.Services.GetRequiredService<IRecordStore>().RemoveAsync(CareQueueGrain.BackfillTable, CareQueueGrain.BackfillOwner, CareQueueGrain.BackfillKey, CancellationToken.None);
        Assert.Empty(await queue.TeamAsync());

        await using var restarted = await host.RestartAsync();
        var person = await restarted.RegisterAndLoginAsync();
        var conversation = await person.StartConversationAsync();
        await using (var hub = await restarted.HubAsync(person))
        {
            Assert.Equal("high", (await hub.SendAsync(conversation, "I want to kill myself")).Str("safetyLevel"));
        }

        var team = await restarted.Grains.GetGrain<ICareQueueGrain>(0).TeamAsync();
        Assert.Equal([carer.UserId], team.Select(m => m.UserId));
        Assert.Single(await InboxAsync(restarted, carer), n => n.Str("kind") == CareNotifications.Kind);
        Assert.DoesNotContain(await InboxAsync(restarted, former), n => n.Str("kind") == CareNotifications.Kind);
        Assert.DoesNotContain(await InboxAsync(restarted, admin), n => n.Str("kind") == CareNotifications.Kind);

        // Enlisting happened once: it is not repeated, and the member never opened the queue to be found.
        Assert.Equal(0, await restarted.Grains.GetGrain<ICareQueueGrain>(0).BackfillTeamAsync());
        Assert.DoesNotContain(await restarted.Grains.GetGrain<ICareQueueGrain>(0).AuditAsync(admin.UserId, 100), e => e.Actor == carer.UserId);
    }

    private static async Task<List<JsonElement>> InboxAsync(MindspaceTestHost host, TestUser user)
    {
        var (access, _) = await host.LoginAsync(user.Email, user.Password);
        using var client = host.CreateClient(access);
        return [.. (await client.GetFromJsonAsync<JsonElement>("/api/v1/notifications?limit=100")).GetProperty("items").EnumerateArray()];
    }
}
