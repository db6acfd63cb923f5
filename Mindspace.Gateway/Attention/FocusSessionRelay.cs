using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Focus;
using Orleans.Runtime;

namespace Mindspace.Gateway.Attention;

/// <summary>
/// This gateway's end of live focus sessions, built like the notifications' relay: one grain observer
/// for the process, subscribed to the <see cref="IFocusGrain"/> of every user with an attention hub
/// connection here, passing each session change on to that user's connections — whichever gateway
/// handled the request that made it.
/// </summary>
/// <remarks>
/// A session is state, not a stream, so nothing needs replaying: each change carries a version, a
/// push older than what a user's connections were last sent is dropped, and one that was lost is
/// made good when the relay next learns a newer version from the grain. That happens every
/// <see cref="FocusSessionDelivery.RefreshInterval"/> or a little sooner, staggered per user (the subscription refresh, which the grain needs
/// anyway to keep the observer), when a user connects again, and at the next second after a silo
/// leaves the cluster (pushes from it may have been lost): a process that hosts a silo hears it from
/// membership, a gateway-only process from its connections to silos (<see cref="ObserverRelay"/>).
/// </remarks>
public sealed partial class FocusSessionRelay(
    IGrainFactory grains,
    IHubContext<AttentionHub> hub,
    ILogger<FocusSessionRelay> logger,
    IClusterMembershipService? membership = null) : ObserverRelay(membership), IFocusSessionObserver
{
    private readonly ConcurrentDictionary<Guid, User> _users = new();
    private IFocusSessionObserver? _self;

    private IFocusSessionObserver Self => _self ??= grains.CreateObjectReference<IFocusSessionObserver>(this);

    /// <summary>Subscribes this gateway to the user's session changes (if it is not already) and counts the connection.</summary>
    public async Task ConnectAsync(string connectionId, Guid userId)
    {
        User user;
        lock (_users)
        {
            user = _users.GetOrAdd(userId, _ => new User());
            user.Connections.Add(connectionId);
        }

        try
        {
            await RefreshAsync(userId, user);
        }
        catch
        {
            await DisconnectAsync(connectionId, userId);
            throw;
        }
    }

    public async Task DisconnectAsync(string connectionId, Guid userId)
    {
        lock (_users)
        {
            if (!_users.TryGetValue(userId, out var user) || !user.Connections.Remove(connectionId) || user.Connections.Count > 0)
            {
                return;
            }

            _users.TryRemove(userId, out _);
        }

        try
        {
            await grains.GetGrain<IFocusGrain>(userId).UnsubscribeAsync(Self);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Harmless: the grain drops observers that stop refreshing.
            LogSubscribeFailed(logger, exception, userId);
        }
    }

    /// <inheritdoc/>
    public Task OnFocusSessionAsync(Guid userId, FocusSessionUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (_users.TryGetValue(userId, out var user))
        {
            _ = SendIfNewerAsync(userId, user, update);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task OnFrictionChangedAsync(Guid userId, FrictionChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (_users.ContainsKey(userId))
        {
            _ = SendFrictionChangedAsync(userId, change);
        }

        return Task.CompletedTask;
    }

    protected override void OnPushesMayBeLost()
    {
        foreach (var user in _users.Values)
        {
            user.Refresh.Due = true;
        }
    }

    protected override void OnMembershipWatchFailed(Exception exception) => LogMembershipWatchFailed(logger, exception);

    protected override async Task RefreshDueAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var due = _users.Where(u => u.Value.Refresh.IsDueAt(now)).ToList();
        await Task.WhenAll(due.Select(async u =>
        {
            try
            {
                await RefreshAsync(u.Key, u.Value);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                u.Value.Refresh.Due = true;
                LogSubscribeFailed(logger, exception, u.Key);
            }
        }));
    }

    /// <summary>Subscribes (or refreshes the subscription) and sends the latest change if the connections have not had it.</summary>
    private async Task RefreshAsync(Guid userId, User user)
    {
        // Cleared before the call, so a loss reported while it runs is not forgotten.
        user.Refresh.Due = false;
        var update = await grains.GetGrain<IFocusGrain>(userId).SubscribeAsync(Self, Volatile.Read(ref user.Version));
        user.Refresh.RefreshedAt = DateTimeOffset.UtcNow;
        if (update.Session is not null)
        {
            await SendIfNewerAsync(userId, user, update);
        }
        else
        {
            // Nothing to send (never had a session, or nothing new): only remember where the user stands.
            await user.Gate.WaitAsync();
            try
            {
                user.Version = Math.Max(user.Version, update.Version);
            }
            finally
            {
                user.Gate.Release();
            }
        }
    }

    private async Task SendIfNewerAsync(Guid userId, User user, FocusSessionUpdate update)
    {
        await user.Gate.WaitAsync();
        try
        {
            if (update.Version <= user.Version)
            {
                return;
            }

            await hub.Clients.Group(AttentionHub.GroupOf(userId)).SendAsync(AttentionHub.FocusSessionMethod, update.Session, CancellationToken.None);
            user.Version = update.Version;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            user.Refresh.Due = true;
            LogPushFailed(logger, exception, userId);
        }
        finally
        {
            user.Gate.Release();
        }
    }

    /// <summary>
    /// Not versioned or replayed like sessions: the event only says "ask again", and a client that
    /// missed one asks anyway at its periodic refresh (the extension every 30 seconds).
    /// </summary>
    private async Task SendFrictionChangedAsync(Guid userId, FrictionChange change)
    {
        try
        {
            await hub.Clients.Group(AttentionHub.GroupOf(userId)).SendAsync(
                AttentionHub.FrictionChangedMethod, new FrictionChangedEvent(change.Cause, change.At), CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFrictionPushFailed(logger, exception, userId);
        }
    }

    [LoggerMessage(EventId = 4304, Level = LogLevel.Warning, Message = "Could not tell the connections of user {UserId} that their friction changed; their clients' periodic refresh catches up")]
    private static partial void LogFrictionPushFailed(ILogger logger, Exception exception, Guid userId);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Could not subscribe to the focus sessions of user {UserId}; retrying shortly")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception, Guid userId);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Could not push a focus session to the connections of user {UserId}; retrying shortly")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, Guid userId);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Warning, Message = "Stopped watching cluster membership for focus sessions; periodic refreshes go on")]
    private static partial void LogMembershipWatchFailed(ILogger logger, Exception exception);

    /// <summary>A user's connections on this gateway and the session version they were last sent.</summary>
    private sealed class User
    {
        /// <summary>Changed under <see cref="_users"/>' lock.</summary>
        public HashSet<string> Connections { get; } = [];

        /// <summary>Sends (and version changes) happen one at a time.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public long Version;

        public SubscriptionRefresh Refresh { get; } = new(FocusSessionDelivery.RefreshInterval);
    }
}

/// <summary>The <c>frictionChanged</c> push: why, and when (ISO 8601 UTC). The client asks <c>GET /api/v1/focus/friction</c>.</summary>
public sealed record FrictionChangedEvent(string Cause, DateTimeOffset At);
