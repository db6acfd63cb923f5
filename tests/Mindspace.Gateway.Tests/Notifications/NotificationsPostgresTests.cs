using System.Net;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Notifications;

namespace Mindspace.Gateway.Tests.Notifications;

/// <summary>The inbox's rows (tombstones, read marks, batches) on PostgreSQL, as in cluster mode.</summary>
public sealed class NotificationsPostgresTests
{
    [Fact]
    public async Task Delete_read_and_batch_work_on_postgres()
    {
        await using var host = await MindspaceTestHost.StartOnPostgresAsync();
        var user = await host.RegisterAndLoginAsync(); // 1
        await host.NotifyAsync(user, "community.post-liked", "Someone liked your post", "post-a"); // 2
        await host.NotifyAsync(user, "community.post-liked", "2 people liked your post", "post-a"); // 3 (2 becomes a tombstone)
        await host.NotifyAsync(user, "orders.shipped", "On its way"); // 4

        var items = await user.Client.ListAsync();
        Assert.Equal(["On its way", "2 people liked your post", "New sign-in"], items.Titles());
        Assert.Equal(2, items[1].GetProperty("count").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync($"/api/v1/notifications/{items[0].GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsync($"/api/v1/notifications/{items[2].GetProperty("id").GetGuid()}/read", null)).StatusCode);

        Assert.Equal(["2 people liked your post", "New sign-in"], (await user.Client.ListAsync()).Titles());
        Assert.Equal(1, await user.Client.UnreadAsync());
        var page = await host.Grains.GetGrain<INotificationInboxGrain>(user.UserId).ReadAfterAsync(0, 10);
        Assert.Equal([false, true, false, true], page.Items.Select(i => i.Removed));
    }
}
