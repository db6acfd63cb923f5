using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>
/// A connection to <c>/hubs/therapist</c> through the real .NET SignalR client. Every <c>token</c>,
/// <c>retract</c> and <c>message</c> event is kept, in order, as the JSON the server sent.
/// </summary>
public sealed class TherapistHubClient : IAsyncDisposable
{
    public const string HubPath = "/hubs/therapist";

    private readonly HubConnection _connection;
    private readonly Channel<(string Kind, JsonElement Payload)> _events = Channel.CreateUnbounded<(string, JsonElement)>();

    private TherapistHubClient(HubConnection connection)
    {
        _connection = connection;
        foreach (var kind in new[] { "token", "retract", "message" })
        {
            _connection.On<JsonElement>(kind, payload => _events.Writer.TryWrite((kind, payload.Clone())));
        }
    }

    public static Task<TherapistHubClient> ConnectAsync(Uri baseAddress, string accessToken)
        => HubConnections.ConnectAsync(new Uri(baseAddress, HubPath), accessToken, connection => new TherapistHubClient(connection), TimeSpan.FromSeconds(60));

    public async Task<JsonElement> SendAsync(string conversationId, string text, string? clientMessageId = null)
        => (await _connection.InvokeAsync<JsonElement>("Send", new { conversationId, text, clientMessageId = clientMessageId ?? Guid.NewGuid().ToString() })).Clone();

    public async Task<JsonElement> ResumeAsync(string conversationId, long afterSequence)
        => (await _connection.InvokeAsync<JsonElement>("Resume", conversationId, afterSequence)).Clone();

    /// <summary>The events up to and including the next <c>message</c> event.</summary>
    public async Task<List<(string Kind, JsonElement Payload)>> EventsUntilMessageAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var events = new List<(string, JsonElement)>();
        while (true)
        {
            var next = await _events.Reader.ReadAsync(guard.Token);
            events.Add(next);
            if (next.Kind == "message")
            {
                return events;
            }
        }
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
