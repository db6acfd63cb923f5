using Microsoft.AspNetCore.SignalR;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Community;
using Orleans.Runtime;

namespace Mindspace.Gateway.Community;

/// <summary>
/// This gateway's end of live community events, built like the focus-session relay: one grain observer
/// for the process, subscribed to the <see cref="ICommunityLiveGrain"/> of every topic (a feed or a post)
/// that a <c>/hubs/community</c> connection here listens to. Each event is checked against each
/// listener's blocks (<see cref="ICommunitySocialGrain.GetBlockFilterAsync"/>, read when the event
/// arrives, so a block made through any gateway applies at once) before it is sent to their connections.
/// </summary>
/// <remarks>
/// Live events are hints for a screen already open, not a stream to replay: a lost one is not sent
/// again. Subscriptions are refreshed every <see cref="LiveDelivery.RefreshInterval"/> or a little
/// sooner (<see cref="SubscriptionRefresh"/>), and at the next second after pushes may have been lost (a
/// silo left, or a gateway-only process's connection to a silo closed: its topic grains lost us; see
/// <see cref="ObserverRelay"/>).
/// </remarks>
public sealed partial class CommunityLiveRelay(
    IGrainFactory grains,
    IHubContext<CommunityHub> hub,
    ILogger<CommunityLiveRelay> logger,
    IClusterMembershipService? membership = null) : ObserverRelay(membership), ICommunityLiveObserver
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, Guid>> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _connections = new(StringComparer.Ordinal);

    /// <summary>Per topic, the delivery of its latest event: each waits for the one before, so a topic's events arrive in order.</summary>
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);
    private readonly SubscriptionRefresh _refresh = new(LiveDelivery.RefreshInterval);
    private ICommunityLiveObserver? _self;

    private ICommunityLiveObserver Self => _self ??= grains.CreateObjectReference<ICommunityLiveObserver>(this);

    /// <summary>Starts sending <paramref name="topic"/>'s events to the connection (subscribing this gateway if needed).</summary>
    /// <returns>False when the connection already listens to the most topics it may.</returns>
    public async Task<bool> JoinAsync(string connectionId, Guid userId, string topic)
    {
        lock (_lock)
        {
            if (!_connections.TryGetValue(connectionId, out var mine))
            {
                _connections[connectionId] = mine = new HashSet<string>(StringComparer.Ordinal);
            }

            if (!mine.Contains(topic))
            {
                if (mine.Count >= SocialRules.MaxLiveTopicsPerConnection)
                {
                    return false;
                }

                mine.Add(topic);
                if (!_topics.TryGetValue(topic, out var listeners))
                {
                    _topics[topic] = listeners = [];
                }

                listeners[connectionId] = userId;
            }
        }

        // Idempotent, and the grain may have lost this gateway (a silo went): subscribing on every join
        // means that once a join returns, the connection hears the topic's next event.
        await grains.GetGrain<ICommunityLiveGrain>(topic).SubscribeAsync(Self);
        return true;
    }

    public Task LeaveAsync(string connectionId, string topic)
    {
        bool last;
        lock (_lock)
        {
            if (!_connections.TryGetValue(connectionId, out var mine) || !mine.Remove(topic))
            {
                return Task.CompletedTask;
            }

            last = RemoveListener(topic, connectionId);
        }

        return last ? UnsubscribeAsync([topic]) : Task.CompletedTask;
    }

    public Task DisconnectAsync(string connectionId)
    {
        var emptied = new List<string>();
        lock (_lock)
        {
            if (!_connections.Remove(connectionId, out var mine))
            {
                return Task.CompletedTask;
            }

            emptied.AddRange(mine.Where(topic => RemoveListener(topic, connectionId)));
        }

        return UnsubscribeAsync(emptied);
    }

    /// <inheritdoc/>
    public Task OnLiveEventAsync(string topic, CommunityLiveEvent liveEvent)
    {
        ArgumentNullException.ThrowIfNull(liveEvent);
        lock (_lock)
        {
            if (!_topics.TryGetValue(topic, out var all) || all.Count == 0)
            {
                return Task.CompletedTask;
            }

            List<KeyValuePair<string, Guid>> listeners = [.. all];
            _tails[topic] = AfterAsync(_tails.GetValueOrDefault(topic) ?? Task.CompletedTask, topic, liveEvent, listeners);
        }

        return Task.CompletedTask;
    }

    private async Task AfterAsync(Task previous, string topic, CommunityLiveEvent liveEvent, List<KeyValuePair<string, Guid>> listeners)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await DeliverAsync(topic, liveEvent, listeners);
    }

    private async Task DeliverAsync(string topic, CommunityLiveEvent liveEvent, List<KeyValuePair<string, Guid>> listeners)
    {
        if (Payload(topic, liveEvent) is not { } payload)
        {
            return;
        }

        foreach (var user in listeners.GroupBy(l => l.Value))
        {
            try
            {
                var filter = await grains.GetGrain<ICommunitySocialGrain>(user.Key).GetBlockFilterAsync();
                if (filter.Hides(liveEvent.Author, liveEvent.PostId))
                {
                    continue;
                }

                await hub.Clients.Clients([.. user.Select(l => l.Key)]).SendAsync(payload.Method, payload.Argument, CancellationToken.None);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Never sent rather than sent unchecked.
                LogDeliveryFailed(logger, exception, topic);
            }
        }
    }

    private static (string Method, object Argument)? Payload(string topic, CommunityLiveEvent liveEvent) => liveEvent.Kind switch
    {
        LiveEventKinds.PostCreated when liveEvent.Post is { } post => (CommunityHub.PostCreatedMethod, new LivePostCreated(TagOf(topic), post)),
        LiveEventKinds.CommentAdded when liveEvent.Comment is { } c => (CommunityHub.CommentAddedMethod, LiveComment.From(c)),
        LiveEventKinds.LikesChanged => (CommunityHub.LikesChangedMethod, new LiveLikes(liveEvent.PostId, liveEvent.Likes)),
        _ => null,
    };

    /// <summary>The tag of a tag feed's topic; null for the global feed.</summary>
    private static string? TagOf(string topic)
    {
        var prefix = LiveTopics.Feed("x")[..^1];
        return topic.StartsWith(prefix, StringComparison.Ordinal) ? topic[prefix.Length..] : null;
    }

    /// <returns>Whether the topic has no listener left here.</returns>
    private bool RemoveListener(string topic, string connectionId)
    {
        if (!_topics.TryGetValue(topic, out var listeners))
        {
            return false;
        }

        listeners.Remove(connectionId);
        if (listeners.Count > 0)
        {
            return false;
        }

        _topics.Remove(topic);
        _tails.Remove(topic);
        return true;
    }

    private async Task UnsubscribeAsync(IEnumerable<string> topics)
    {
        foreach (var topic in topics)
        {
            try
            {
                await grains.GetGrain<ICommunityLiveGrain>(topic).UnsubscribeAsync(Self);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Harmless: the grain drops observers that stop refreshing, and this relay ignores topics it no longer has.
                LogSubscribeFailed(logger, exception, topic);
            }
        }
    }

    protected override void OnPushesMayBeLost() => _refresh.Due = true;

    protected override void OnMembershipWatchFailed(Exception exception) => LogMembershipWatchFailed(logger, exception);

    protected override async Task RefreshDueAsync()
    {
        var now = DateTimeOffset.UtcNow;
        if (!_refresh.IsDueAt(now))
        {
            return;
        }

        _refresh.Due = false;
        _refresh.RefreshedAt = now;
        List<string> topics;
        lock (_lock)
        {
            topics = [.. _topics.Keys];
        }

        await Task.WhenAll(topics.Select(async topic =>
        {
            try
            {
                await grains.GetGrain<ICommunityLiveGrain>(topic).SubscribeAsync(Self);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _refresh.Due = true;
                LogSubscribeFailed(logger, exception, topic);
            }
        }));
    }

    [LoggerMessage(EventId = 4401, Level = LogLevel.Warning, Message = "Could not subscribe to the live community topic {Topic}; retrying shortly")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Warning, Message = "Could not deliver a live community event of {Topic}")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Warning, Message = "Stopped watching cluster membership for live community topics; periodic refreshes go on")]
    private static partial void LogMembershipWatchFailed(ILogger logger, Exception exception);
}
