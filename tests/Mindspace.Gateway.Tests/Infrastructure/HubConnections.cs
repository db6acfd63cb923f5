using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Mindspace.Gateway.Tests.Infrastructure;

/// <summary>Hub connections as an app makes them: the real .NET SignalR client, the access token from an <c>AccessTokenProvider</c>.</summary>
public static class HubConnections
{
    /// <summary>
    /// Builds a connection to <paramref name="url"/>, lets <paramref name="create"/> wrap it (registering
    /// its handlers before the handshake, so no push is missed) and completes the handshake within
    /// <paramref name="startTimeout"/> (30 seconds unless given). A refused connection (401) throws the
    /// <see cref="HttpRequestException"/> of the negotiate request, and the connection is disposed.
    /// </summary>
    /// <param name="transport">The one transport to use; when null the client negotiates (WebSockets here).</param>
    public static async Task<TClient> ConnectAsync<TClient>(Uri url, string? accessToken, Func<HubConnection, TClient> create, TimeSpan? startTimeout = null, HttpTransportType? transport = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(url, options =>
            {
                options.AccessTokenProvider = () => Task.FromResult(accessToken);
                if (transport is { } only)
                {
                    options.Transports = only;
                }
            })
            .Build();
        try
        {
            var client = create(connection);
            using var timeout = new CancellationTokenSource(startTimeout ?? TimeSpan.FromSeconds(30));
            await connection.StartAsync(timeout.Token);
            return client;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
