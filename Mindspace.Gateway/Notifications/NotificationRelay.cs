using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Notifications;
using Orleans.Runtime;

namespace Mindspace.Gateway.Notifications;

/// <summary>
/// This gateway's end of live notifications: one grain observer for the process, subscribed to the
/// inbox of every user with a hub connection here, pushing each notification to that user's
/// connections in sequence order, each at most once per connection.
/// </summary>
/// <remarks>
/// Pushes are one-way and can be lost (a silo dies between storing and pushing); the inbox is
/// durable. So a connection remembers the last sequence it was sent and fills any gap from the
/// inbox before sending a later one, and never sends past a gap it could not fill. Every
/// <see cref="NotificationDelivery.RefreshInterval"/> or a little sooner (staggered per user) the relay
/// re-subscribes (the inbox forgets observers that stop refreshing) and catches up connections that are behind. A push lost with
/// nothing after it would wait for that refresh, so whenever pushes may have been lost — a silo
/// left the cluster (<paramref name="membership"/>, in a process that hosts a silo), this process's
/// connection to a silo closed (<see cref="ObserverRelay.OnGatewayCountChanged"/>, in a gateway-only process), a
/// gap could not be filled, a subscription failed — the users concerned are refreshed at the next
/// tick of a one-second timer instead.
/// </remarks>
public sealed class NotificationRelay(
    IGrainFactory grains,
    IHubContext<NotificationsHub> hub,
    ILogger<NotificationRelay> logger,
    IClusterMembershipService? membership = null) : ObserverRelay(membership), INotificationObserver
{
    /// <summary>
    /// How long a push waits for the inbox to fill a gap before it gives up the connection's gate. A
    /// read sent as the inbox's silo died waits out the whole response timeout (seconds), and every
    /// later push — from the inbox's new activation, able to fill the gap at once — would wait behind
    /// it. Reads answer in milliseconds otherwise; one given up on marks the user for a refresh,
    /// which reads without this limit, so a slow machine still makes progress.
    /// </summary>
    private static readonly TimeSpan GapFillPatience = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a push that arrived ahead of an earlier one waits for it before the relay reads the
    /// inbox. Orleans runs each received message as its own thread-pool work item, so a user's pushes
    /// often arrive a little out of order (about one in 16 found a gap at 5,000/s in bench/cluster); the earlier one
    /// follows within moments, and waiting for it costs nothing, where a read costs a grain call and a
    /// query. A push that was really lost is read this much later.
    /// </summary>
    private static readonly TimeSpan GapWait = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How long a refresh gives the pushes still on their way before it reads the inbox for a
    /// connection that is behind. Under load a user's newest notifications are nearly always in flight
    /// when the inbox answers a refresh, and they arrive within milliseconds; reading at once cost a
    /// grain call, a query and often a new database connection per user, all in the same tick: in
    /// bench/cluster, 50 users' refreshes at 5,000 notifications/s opened 14 PostgreSQL connections at
    /// once and held deliveries and appends up for 1–2 s (p99 340–550 ms in that run).
    /// </summary>
    private static readonly TimeSpan InFlightWait = TimeSpan.FromMilliseconds(500);

    /// <summary>Most pushes a connection holds while one before them is missing; beyond, the gap is filled at once.</summary>
    private const int MaxHeld = 64;

    private readonly ConcurrentDictionary<Guid, UserConnections> _users = new();
    private INotificationObserver? _self;

    /// <summary>
    /// Starts sending <paramref name="userId"/>'s notifications to the connection: first every one
    /// after <paramref name="afterSequence"/> (or, when null, none before the relay subscribes), then new ones live. The hub passes the
    /// inbox's newest sequence when the connection request arrived (<see cref="ConnectionStartingPoint"/>) for a connection that gave none.
    /// </summary>
    public async Task ConnectAsync(string connectionId, Guid userId, long? afterSequence, CancellationToken cancellationToken)
    {
        var connection = new Connection(connectionId, userId);
        UserConnections user;
        lock (_users)
        {
            user = _users.GetOrAdd(userId, _ => new UserConnections());
            user.Add(connection);
        }

        // Pushes that arrive meanwhile wait at the gate until the connection knows where it stands.
        await connection.Gate.WaitAsync(cancellationToken);
        try
        {
            var last = await SubscribeAsync(userId);
            user.Refresh.RefreshedAt = DateTimeOffset.UtcNow;
            connection.Last = Math.Min(afterSequence ?? last, last);
            NotificationsLog.Connected(logger, connectionId, userId, connection.Last);
            await CatchUpAsync(connection, long.MaxValue);
        }
        catch
        {
            await DisconnectAsync(connectionId, userId);
            throw;
        }
        finally
        {
            connection.Gate.Release();
        }
    }

    /// <summary>
    /// The newest sequence in <paramref name="userId"/>'s inbox, or null when the inbox could not be
    /// read (then a connection starts from when the relay subscribes, as it would anyway).
    /// </summary>
    public async Task<long?> NewestSequenceAsync(Guid userId)
    {
        try
        {
            // Past the newest, the inbox answers from memory with its newest sequence and no items.
            return (await grains.GetGrain<INotificationInboxGrain>(userId).ReadAfterAsync(long.MaxValue, 1)).LastSequence;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            NotificationsLog.NewestSequenceUnread(logger, exception, userId);
            return null;
        }
    }

    public async Task DisconnectAsync(string connectionId, Guid userId)
    {
        lock (_users)
        {
            if (!_users.TryGetValue(userId, out var user) || !user.Remove(connectionId) || user.Count > 0)
            {
                return;
            }

            _users.TryRemove(userId, out _);
        }

        try
        {
            await grains.GetGrain<INotificationInboxGrain>(userId).UnsubscribeAsync(Self);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Harmless: the inbox drops observers that stop refreshing.
            NotificationsLog.SubscribeFailed(logger, exception, userId);
        }
    }

    /// <inheritdoc/>
    public Task OnNotificationAsync(Guid userId, InboxNotification notification)
    {
        if (_users.TryGetValue(userId, out var user))
        {
            foreach (var connection in user.Snapshot())
            {
                _ = DeliverAsync(user, connection, notification);
            }
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

    protected override void OnMembershipWatchFailed(Exception exception) => NotificationsLog.MembershipWatchFailed(logger, exception);

    protected override Task RefreshDueAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var due = _users.Where(u => u.Value.Refresh.IsDueAt(now)).ToList();
        return Task.WhenAll(due.Select(u => RefreshAsync(u.Key, u.Value)));
    }

    private INotificationObserver Self => _self ??= grains.CreateObjectReference<INotificationObserver>(this);

    private Task<long> SubscribeAsync(Guid userId) => grains.GetGrain<INotificationInboxGrain>(userId).SubscribeAsync(Self);

    private async Task RefreshAsync(Guid userId, UserConnections user)
    {
        try
        {
            // Cleared before the calls, so a loss reported while they run is not forgotten.
            user.Refresh.Due = false;
            var last = await SubscribeAsync(userId);
            user.Refresh.RefreshedAt = DateTimeOffset.UtcNow;
            var connections = user.Snapshot();
            if (connections.Any(connection => connection.Last < last))
            {
                // Last is read outside the gates: a stale value costs at most one wait more or less.
                await Task.Delay(InFlightWait);
            }

            foreach (var connection in connections)
            {
                await connection.Gate.WaitAsync();
                try
                {
                    await CatchUpAsync(connection, last);
                    await SendHeldAsync(connection);
                }
                finally
                {
                    connection.Gate.Release();
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            user.Refresh.Due = true;
            NotificationsLog.SubscribeFailed(logger, exception, userId);
        }
    }

    private async Task DeliverAsync(UserConnections user, Connection connection, InboxNotification notification)
    {
        await connection.Gate.WaitAsync();
        try
        {
            if (notification.Sequence <= connection.Last)
            {
                return;
            }

            if (notification.Sequence > connection.Last + 1)
            {
                // Orleans hands a connection's messages to the thread pool one by one, so pushes often
                // arrive a little out of order: hold this one and wait a moment for the ones before it,
                // rather than reading the inbox for every reordering. A push still missing after
                // GapWait is read from the inbox (FillGapAsync).
                connection.Hold(notification);
                if (connection.HeldCount > MaxHeld)
                {
                    // Too many held (a long gap): fill it now.
                    await FillGapAsync(user, connection);
                }
            }
            else
            {
                await SendAsync(connection, notification);
                await SendHeldAsync(connection);
            }

            ScheduleGapCheck(user, connection);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The inbox could not be read (or the send failed): what is missing comes with the next refresh.
            user.Refresh.Due = true;
            NotificationsLog.PushFailed(logger, exception, connection.ConnectionId);
        }
        finally
        {
            connection.Gate.Release();
        }
    }

    /// <summary>After <see cref="GapWait"/>, fills from the inbox a gap the pushes did not fill meanwhile.</summary>
    private async Task FillGapLaterAsync(UserConnections user, Connection connection)
    {
        await Task.Delay(GapWait).ConfigureAwait(false);
        await connection.Gate.WaitAsync();
        try
        {
            connection.GapCheckScheduled = false;
            await FillGapAsync(user, connection);
            ScheduleGapCheck(user, connection);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            user.Refresh.Due = true;
            NotificationsLog.PushFailed(logger, exception, connection.ConnectionId);
        }
        finally
        {
            connection.Gate.Release();
        }
    }

    /// <summary>Checks again after <see cref="GapWait"/> while pushes are held and no check is pending. Call with the connection's gate held.</summary>
    private void ScheduleGapCheck(UserConnections user, Connection connection)
    {
        if (connection.HeldCount > 0 && !connection.GapCheckScheduled)
        {
            connection.GapCheckScheduled = true;
            _ = FillGapLaterAsync(user, connection);
        }
    }

    /// <summary>Reads from the inbox what is missing before the held pushes, then sends those. Call with the connection's gate held.</summary>
    private async Task FillGapAsync(UserConnections user, Connection connection)
    {
        connection.DropHeldUpTo(connection.Last);
        if (connection.FirstHeld is not { } first)
        {
            return;
        }

        var from = connection.Last + 1;
        await CatchUpAsync(connection, first - 1, GapFillPatience);
        if (connection.Last < first - 1)
        {
            // The inbox answered with less than it pushed (an older activation answering during a
            // failover): sending the held ones would leave a gap at the client. The refresh reads
            // everything, held ones included, so they are let go.
            connection.DropHeldUpTo(long.MaxValue);
            user.Refresh.Due = true;
            return;
        }

        NotificationsLog.GapFilled(logger, from, first - 1, connection.UserId);
        await SendHeldAsync(connection);
    }

    /// <summary>Sends the held pushes that now follow on from the connection's last sequence. Call with the connection's gate held.</summary>
    private async Task SendHeldAsync(Connection connection)
    {
        while (connection.TakeNextHeld() is { } next)
        {
            await SendAsync(connection, next);
        }
    }

    /// <summary>Sends what the inbox holds after the connection's last sequence, up to <paramref name="upTo"/>. Call with the connection's gate held.</summary>
    /// <param name="patience">How long to wait for each read; a read not answered by then is left to finish unobserved and <see cref="TimeoutException"/> is thrown.</param>
    private async Task CatchUpAsync(Connection connection, long upTo, TimeSpan? patience = null)
    {
        var inbox = grains.GetGrain<INotificationInboxGrain>(connection.UserId);
        while (connection.Last < upTo)
        {
            var reading = inbox.ReadAfterAsync(connection.Last, NotificationDelivery.MaxPage);
            if (patience is not null && !reading.IsCompleted)
            {
                _ = reading.ContinueWith(static read => _ = read.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }

            var page = await reading.WaitAsync(patience ?? Timeout.InfiniteTimeSpan);
            foreach (var notification in page.Items.TakeWhile(n => n.Sequence <= upTo))
            {
                await SendAsync(connection, notification);
            }

            if (page.Items.Count == 0 || page.Items[^1].Sequence >= Math.Min(upTo, page.LastSequence))
            {
                return;
            }
        }
    }

    private async Task SendAsync(Connection connection, InboxNotification notification)
    {
        if (notification.Removed)
        {
            // A tombstone (deleted, or replaced by a later one of its batch): its number is passed
            // over, never sent, so a replay shows only what the inbox still shows.
            connection.Last = notification.Sequence;
            return;
        }

        await hub.Clients.Client(connection.ConnectionId)
            .SendAsync(NotificationsHub.NotificationMethod, NotificationMessage.From(notification), CancellationToken.None);
        connection.Last = notification.Sequence;
    }

    /// <summary>
    /// One hub connection: what it was last sent, pushes that arrived ahead of one still missing, and a
    /// gate so its sends happen one at a time, in order. Everything but the gate is used with the gate held.
    /// </summary>
    private sealed class Connection(string connectionId, Guid userId)
    {
        private SortedList<long, InboxNotification>? _held;

        public string ConnectionId { get; } = connectionId;

        public Guid UserId { get; } = userId;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public long Last { get; set; }

        /// <summary>A delayed gap check is pending (<see cref="FillGapLaterAsync"/>).</summary>
        public bool GapCheckScheduled { get; set; }

        public int HeldCount => _held?.Count ?? 0;

        public long? FirstHeld => _held is { Count: > 0 } held ? held.Keys[0] : null;

        public void Hold(InboxNotification notification) => (_held ??= [])[notification.Sequence] = notification;

        /// <summary>The held push that follows <see cref="Last"/>, taken out; null when there is none.</summary>
        public InboxNotification? TakeNextHeld()
        {
            DropHeldUpTo(Last);
            if (_held is not { Count: > 0 } held || held.Keys[0] != Last + 1)
            {
                return null;
            }

            var next = held.Values[0];
            held.RemoveAt(0);
            return next;
        }

        /// <summary>Forgets held pushes already sent (a catch-up read sent them).</summary>
        public void DropHeldUpTo(long sequence)
        {
            while (_held is { Count: > 0 } held && held.Keys[0] <= sequence)
            {
                held.RemoveAt(0);
            }
        }
    }

    /// <summary>A user's connections on this gateway, and when their subscription was last refreshed.</summary>
    private sealed class UserConnections
    {
        private readonly List<Connection> _connections = [];

        public SubscriptionRefresh Refresh { get; } = new(NotificationDelivery.RefreshInterval);

        public int Count
        {
            get
            {
                lock (_connections)
                {
                    return _connections.Count;
                }
            }
        }

        public void Add(Connection connection)
        {
            lock (_connections)
            {
                _connections.Add(connection);
            }
        }

        public bool Remove(string connectionId)
        {
            lock (_connections)
            {
                return _connections.RemoveAll(c => c.ConnectionId == connectionId) > 0;
            }
        }

        public Connection[] Snapshot()
        {
            lock (_connections)
            {
                return [.. _connections];
            }
        }
    }
}
