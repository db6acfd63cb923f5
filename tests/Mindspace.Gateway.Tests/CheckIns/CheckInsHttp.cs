using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.CheckIns;

internal static class CheckInsHttp
{
    public static async Task<JsonElement> CreateEntryAsync(this HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/entries", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<JsonElement> RecordMoodAsync(this HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/mood", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<List<string>> EntryIdsAsync(this HttpClient client, string query = "")
    {
        var page = await client.GetJsonAsync($"/api/v1/entries?limit=100{query}");
        return [.. page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
    }

    public static async Task<List<string>> MoodIdsAsync(this HttpClient client, string query = "")
    {
        var page = await client.GetJsonAsync($"/api/v1/mood?{query}");
        return [.. page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
    }

    public static string Id(this JsonElement element) => element.GetProperty("id").GetString()!;

    public static string[] Tags(this JsonElement element) => [.. element.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)];
}
