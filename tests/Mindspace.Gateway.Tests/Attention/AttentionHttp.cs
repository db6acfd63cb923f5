using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Attention;

/// <summary>Ticks and summaries over HTTP, as the wire carries them.</summary>
internal static class AttentionHttp
{
    /// <summary>
    /// 06:00 UTC three days ago: late ticks are allowed, and at that hour no zone a test uses
    /// (UTC, Kolkata, New York, Berlin) is near its local midnight, whatever the time the test runs.
    /// </summary>
    public static DateTimeOffset BaseHour()
    {
        var day = DateTimeOffset.UtcNow.AddDays(-3);
        return new DateTimeOffset(day.Year, day.Month, day.Day, 6, 0, 0, TimeSpan.Zero);
    }

    public static object Tick(string site, DateTimeOffset ts, double durationSec, bool focused = true, bool idle = false, bool audible = false, string? id = null, string? path = null, string? title = null, bool? incognito = null, Guid? sessionId = null)
        => new { id = id ?? Guid.NewGuid().ToString("N"), ts, site, path, title, focused, idle, audible, durationSec, incognito, sessionId };

    public static Task<HttpResponseMessage> PostTicksAsync(this HttpClient client, params object[] ticks)
        => client.PostAsJsonAsync("/api/v1/attention/ticks", new { ticks });

    public static async Task<JsonElement> SendTicksAsync(this HttpClient client, params object[] ticks)
    {
        var response = await client.PostTicksAsync(ticks);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public static async Task<JsonElement> SummaryAsync(this HttpClient client, DateTimeOffset from, DateTimeOffset to, string by = "site")
    {
        var uri = $"/api/v1/attention/summary?from={Iso(from)}&to={Iso(to)}&by={by}";
        var response = await client.GetAsync(uri);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {uri}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Seconds per group key of a summary.</summary>
    public static Dictionary<string, long> Seconds(this JsonElement summary)
        => summary.GetProperty("summary").GetProperty("groups").EnumerateArray()
            .ToDictionary(g => g.GetProperty("key").GetString()!, g => g.GetProperty("seconds").GetInt64());

    public static long TotalSeconds(this JsonElement summary) => summary.GetProperty("summary").GetProperty("totalSeconds").GetInt64();

    public static string Iso(DateTimeOffset instant) => Uri.EscapeDataString(instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
