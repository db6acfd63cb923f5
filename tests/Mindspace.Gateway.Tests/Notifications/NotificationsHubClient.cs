using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Notifications;

/// <summary>
/// A connection to the notifications hub through the real .NET SignalR client, as an app would
/// make one: negotiate, then WebSockets, the access token from an <c>AccessTokenProvider</c>.
/// Each <c>notification</c> invocation is queued as the JSON the server sent, so tests assert the
/// wire contract rather than a C# type of ours.
/// </summary>
public sealed class NotificationsHubClient : IAsyncDisposable
{
    public const string HubPath = "/hubs/notifications";

    private readonly HubConnection _connection;
    private readonly Channel<JsonElement> _notifications = Channel.CreateUnbounded<JsonElement>(new UnboundedChannelOptions { SingleReader = true });

    private NotificationsHubClient(HubConnection connection)
    {
        _connection = connection;
        _connection.On<JsonElement>("notification", notification => _notifications.Writer.TryWrite(notification.Clone()));
        _connection.Closed += error =>
        {
            CloseError = error;
            _notifications.Writer.TryComplete();
            return Task.CompletedTask;
        };
    }

    /// <summary>Why the connection closed, when the server closed it with an error.</summary>
    public Exception? CloseError { get; private set; }

    /// <summary>
    /// Connects and completes the handshake. A refused connection (401) throws the
    /// <see cref="HttpRequestException"/> of the negotiate request.
    /// </summary>
    /// <param name="lastSequence">Sent as the <c>lastSequence</c> query (any text, to test bad input).</param>
    public static Task<NotificationsHubClient> ConnectAsync(Uri baseAddress, string? accessToken, string? lastSequence = null)
    {
        var url = new UriBuilder(new Uri(baseAddress, HubPath));
        if (lastSequence is not null)
        {
            url.Query = "lastSequence=" + Uri.EscapeDataString(lastSequence);
        }

        return HubConnections.ConnectAsync(url.Uri, accessToken, connection => new NotificationsHubClient(connection));
    }

    /// <summary>Connects over <paramref name="transport"/> only, without <c>lastSequence</c>.</summary>
    public static Task<NotificationsHubClient> ConnectAsync(Uri baseAddress, string? accessToken, HttpTransportType transport)
        => HubConnections.ConnectAsync(new Uri(baseAddress, HubPath), accessToken, connection => new NotificationsHubClient(connection), transport: transport);

    /// <inheritdoc cref="ConnectAsync(Uri, string?, string?)"/>
    public static Task<NotificationsHubClient> ConnectAsync(Uri baseAddress, string? accessToken, long lastSequence)
        => ConnectAsync(baseAddress, accessToken, lastSequence.ToString(CultureInfo.InvariantCulture));

    /// <summary>The next notification, within <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">None arrived in time.</exception>
    /// <exception cref="InvalidOperationException">The connection closed first.</exception>
    public async Task<JsonElement> NextAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _notifications.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No notification within {timeout}.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The connection closed before a notification arrived{(CloseError is null ? "" : ": " + CloseError.Message)}.", CloseError);
        }
    }

    /// <summary>The sequence of the next notification, within <paramref name="timeout"/>.</summary>
    public async Task<long> NextSequenceAsync(TimeSpan timeout) => (await NextAsync(timeout)).GetProperty("sequence").GetInt64();

    /// <summary>Whether a notification arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> ReceivesWithinAsync(TimeSpan wait)
    {
        try
        {
            await NextAsync(wait);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
