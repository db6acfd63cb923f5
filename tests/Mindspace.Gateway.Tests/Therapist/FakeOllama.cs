using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>
/// A stand-in for Ollama on loopback: <c>POST /api/chat</c> streams NDJSON chunks like the real server.
/// What it does depends on a marker in the last user message: <c>[slow]</c> answers slowly (within the
/// timeouts), <c>[hang]</c> never answers, <c>[broken]</c> cuts the connection mid-answer,
/// <c>[garbage]</c> sends a line that is not JSON, <c>[unsafe]</c> answers with method detail, and
/// <c>[dismiss]</c> belittles. Anything else gets a short, kind answer.
/// </summary>
public sealed class FakeOllama : IAsyncDisposable
{
    public const string Model = "fake-cbt";
    public const string KindAnswer = "I hear you, that sounds really hard. What has been weighing on you the most?";
    public const string UnsafeSentence = "The lethal dose of paracetamol is about 10 grams.";

    private LoopbackServer _server = null!;

    private FakeOllama()
    {
    }

    public Uri Url => _server.Url;

    /// <summary>Every request body received, in order.</summary>
    public ConcurrentQueue<JsonElement> Requests { get; } = new();

    public static async Task<FakeOllama> StartAsync()
    {
        var self = new FakeOllama();
        self._server = await LoopbackServer.StartAsync(app => app.MapPost("/api/chat", (HttpContext http) => self.ChatAsync(http)));
        return self;
    }

    private async Task ChatAsync(HttpContext http)
    {
        var body = (await JsonDocument.ParseAsync(http.Request.Body)).RootElement.Clone();
        Requests.Enqueue(body);
        var last = body.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString() ?? string.Empty;
        http.Response.ContentType = "application/x-ndjson";
        var aborted = http.RequestAborted;

        if (last.Contains("[hang]", StringComparison.Ordinal))
        {
            await Task.Delay(Timeout.Infinite, aborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        string[] pieces = last.Contains("[unsafe]", StringComparison.Ordinal) ? ["I understand. ", "Here is something. ", UnsafeSentence, " Take care."]
            : last.Contains("[dismiss]", StringComparison.Ordinal) ? ["Honestly, ", "you are overreacting. ", "It is not that bad."]
            : ["I hear you, ", "that sounds really hard. ", "What has been weighing ", "on you the most?"];

        for (var i = 0; i < pieces.Length; i++)
        {
            if (last.Contains("[slow]", StringComparison.Ordinal))
            {
                await Task.Delay(300, aborted);
            }

            if (i == 2 && last.Contains("[broken]", StringComparison.Ordinal))
            {
                await http.Response.Body.FlushAsync(aborted);
                http.Abort();
                return;
            }

            if (i == 1 && last.Contains("[garbage]", StringComparison.Ordinal))
            {
                await http.Response.WriteAsync("{this is not json\n", aborted);
                await http.Response.Body.FlushAsync(aborted);
                continue;
            }

            await WriteLineAsync(http, new { model = Model, created_at = "2026-12-01T12:00:00Z", message = new { role = "assistant", content = pieces[i] }, done = false }, aborted);
        }

        await WriteLineAsync(http, new { model = Model, created_at = "2026-12-01T12:00:01Z", message = new { role = "assistant", content = "" }, done = true, done_reason = "stop", total_duration = 1000, load_duration = 10, prompt_eval_count = 40, prompt_eval_duration = 10, eval_count = 20, eval_duration = 10 }, aborted);
    }

    private static async Task WriteLineAsync(HttpContext http, object line, CancellationToken cancellationToken)
    {
        await http.Response.WriteAsync(JsonSerializer.Serialize(line) + "\n", cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
