using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Community;

/// <summary>
/// A connection to <c>/hubs/community</c> through the real .NET SignalR client. Every push
/// (<c>postCreated</c>, <c>commentAdded</c>, <c>likesChanged</c>) is queued in arrival order as the
/// method name and the JSON the server sent, so tests assert the wire contract.
/// </summary>
public sealed class CommunityHubClient : IAsyncDisposable
{
    public const string HubPath = "/hubs/community";

    private readonly HubConnection _connection;
    private readonly Channel<(string Method, JsonElement Argument)> _pushes = Channel.CreateUnbounded<(string, JsonElement)>();

    private CommunityHubClient(HubConnection connection)
    {
        _connection = connection;
        foreach (var method in new[] { "postCreated", "commentAdded", "likesChanged" })
        {
            _connection.On<JsonElement>(method, argument => _pushes.Writer.TryWrite((method, argument.Clone())));
        }

        _connection.Closed += _ =>
        {
            _pushes.Writer.TryComplete();
            return Task.CompletedTask;
        };
    }

    public static Task<CommunityHubClient> ConnectAsync(Uri baseAddress, string? accessToken)
        => HubConnections.ConnectAsync(new Uri(baseAddress, HubPath), accessToken, connection => new CommunityHubClient(connection));

    public Task JoinFeedAsync(string? tag = null) => _connection.InvokeAsync("JoinFeed", tag);

    public Task JoinPostAsync(string postId) => _connection.InvokeAsync("JoinPost", postId);

    public Task LeavePostAsync(string postId) => _connection.InvokeAsync("LeavePost", postId);

    /// <summary>The next push (generous bound: only a hang fails on it, never a slow machine in the normal case).</summary>
    public async Task<(string Method, JsonElement Argument)> NextAsync()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            return await _pushes.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No push arrived.");
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
