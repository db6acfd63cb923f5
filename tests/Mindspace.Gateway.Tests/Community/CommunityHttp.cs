using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Tests.Community;

/// <summary>What the community tests send and read.</summary>
internal static class CommunityHttp
{
    public static async Task<JsonElement> PostAsync(this TestUser user, string title = "A small win today", string body = "I went for a walk and it helped a little.", string[]? tags = null, bool anonymous = false)
    {
        var response = await user.Client.PostAsJsonAsync("/api/v1/posts", new { title, body, tags, anonymous });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<JsonElement> CommentAsync(this TestUser user, string postId, string body = "Sending you warmth.", string? parentId = null)
    {
        var response = await user.Client.PostAsJsonAsync($"/api/v1/posts/{postId}/comments", new { body, parentId });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static string Id(this JsonElement element) => element.GetProperty("id").GetString()!;

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    public static async Task<TestUser> WithRoleAsync(this MindspaceTestHost host, string role)
    {
        var user = await host.RegisterAndLoginAsync();
        var granted = await host.Grains.GetGrain<IUserGrain>(user.UserId).GrantRoleAsync(new RoleChange(role, "test", null));
        Assert.True(granted.Changed);
        var (access, refresh) = await host.LoginAsync(user.Email, user.Password);
        return user with { AccessToken = access, RefreshToken = refresh, Client = host.CreateClient(access) };
    }

    public static async Task<List<JsonElement>> FeedAsync(this TestUser user, string query)
    {
        var page = await user.Client.GetJsonAsync("/api/v1/posts?" + query);
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    public static string NewTag() => "t" + Guid.NewGuid().ToString("N")[..12];
}
