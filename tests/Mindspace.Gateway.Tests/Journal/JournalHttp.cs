using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Journal;

internal static class JournalHttp
{
    public static async Task<JsonElement> WriteAsync(this HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/journal", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<List<string>> JournalIdsAsync(this HttpClient client, string query = "")
    {
        var page = await client.GetJsonAsync($"/api/v1/journal?limit=100{query}");
        return [.. page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
    }

    public static string Id(this JsonElement element) => element.GetProperty("id").GetString()!;

    public static string? Str(this JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
