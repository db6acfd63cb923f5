using System.Net;
using System.Text;
using System.Text.Json;

namespace Mindspace.Gateway.Tests.Infrastructure;

/// <summary>JSON over HTTP as the tests of every module send and read it.</summary>
public static class HttpJson
{
    /// <summary>A request body of exactly this text (malformed JSON included), as application/json.</summary>
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>GETs <paramref name="uri"/>, requires 200 (showing the body when not) and parses the body.</summary>
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string uri)
    {
        var response = await client.GetAsync(uri);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {uri}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
