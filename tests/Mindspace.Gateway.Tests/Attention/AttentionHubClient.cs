using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Attention;

/// <summary>A real SignalR client of <c>/hubs/attention</c> (one device) that collects the <c>focusSession</c> and <c>frictionChanged</c> pushes.</summary>
internal sealed class AttentionHubClient : IAsyncDisposable
{
    /// <summary>How long a test waits for a push; only bounds a failing test.</summary>
    private static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(30);

    private readonly Channel<JsonElement> _sessions = Channel.CreateUnbounded<JsonElement>();
    private readonly Channel<JsonElement> _frictionChanges = Channel.CreateUnbounded<JsonElement>();

    private AttentionHubClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<JsonElement>("focusSession", session => _sessions.Writer.TryWrite(session.Clone()));
        connection.On<JsonElement>("frictionChanged", change => _frictionChanges.Writer.TryWrite(change.Clone()));
    }

    public HubConnection Connection { get; }

    /// <summary>
    /// Connects to <paramref name="host"/>'s hub with <paramref name="token"/> (none: refused) and, as an
    /// app does (docs/realtime.md), waits for the session the hub sends on connecting: SignalR completes
    /// the handshake before the hub's <c>OnConnectedAsync</c> has subscribed the connection, and that
    /// push comes after it has. The push stays unread, for tests that look at it.
    /// </summary>
    public static async Task<AttentionHubClient> ConnectAsync(MindspaceTestHost host, string? token)
    {
        var client = await HubConnections.ConnectAsync(new Uri(host.BaseAddress, "/hubs/attention"), token, connection => new AttentionHubClient(connection));
        try
        {
            using var timeout = new CancellationTokenSource(PushTimeout);
            await client._sessions.Reader.WaitToReadAsync(timeout.Token);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public async Task<JsonElement> NextSessionAsync()
    {
        using var timeout = new CancellationTokenSource(PushTimeout);
        return await _sessions.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>The next <c>frictionChanged</c> push (<c>{cause, at}</c>), in the order they arrived.</summary>
    public async Task<JsonElement> NextFrictionChangeAsync()
    {
        using var timeout = new CancellationTokenSource(PushTimeout);
        return await _frictionChanges.Reader.ReadAsync(timeout.Token);
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
