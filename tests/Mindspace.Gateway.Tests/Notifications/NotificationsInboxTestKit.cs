using System.Net;
using System.Text;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Notifications;

namespace Mindspace.Gateway.Tests.Notifications;

/// <summary>Sending notifications as other modules would, and reading the inbox over HTTP.</summary>
internal static class NotificationsInboxTestKit
{
    public static Task<NotifyOutcome> NotifyAsync(this MindspaceTestHost host, TestUser user, string kind, string title = "Something happened", string? batchKey = null, DateTimeOffset? at = null)
        => host.Grains.GetGrain<INotificationInboxGrain>(user.UserId)
            .NotifyAsync(new UserNotification(Guid.NewGuid(), kind, title, "A gentle sentence about it.", at ?? DateTimeOffset.UtcNow, batchKey));

    public static async Task<JsonElement> GetOkAsync(this HttpClient client, string uri)
    {
        var response = await client.GetAsync(uri);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {uri}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<List<JsonElement>> ListAsync(this HttpClient client, string query = "?limit=100")
        => [.. (await client.GetOkAsync("/api/v1/notifications" + query)).GetProperty("items").EnumerateArray()];

    public static async Task<int> UnreadAsync(this HttpClient client)
        => (await client.GetOkAsync("/api/v1/notifications/unread-count")).GetProperty("unread").GetInt32();

    public static Task<HttpResponseMessage> PutPreferencesAsync(this HttpClient client, string json)
        => client.PutAsync("/api/v1/notifications/preferences", new StringContent(json, Encoding.UTF8, "application/json"));

    public static string[] Titles(this IEnumerable<JsonElement> items) => [.. items.Select(i => i.GetProperty("title").GetString()!)];
}
