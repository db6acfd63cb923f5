using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Observers;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Notifications;

/// <summary>Stored state of <see cref="NotificationInboxGrain"/>: who to push to, the user's choices and what waits for quiet hours to end. The notifications themselves are records.</summary>
[GenerateSerializer, Alias("ms.state.NotificationInboxState")]
public sealed class NotificationInboxState
{
    /// <summary>Grain ids of the subscribed observers (gateway processes).</summary>
    [Id(0)]
    public List<string> Observers { get; set; } = [];

    /// <summary>Null until the user first saves preferences (then <see cref="NotificationPreferences.Default"/> applies).</summary>
    [Id(1)]
    public NotificationPreferences? Preferences { get; set; }

    /// <summary>Notifications held by quiet hours, in arrival order.</summary>
    [Id(2)]
    public List<HeldNotification> Held { get; set; } = [];

    /// <summary>The profile's time zone as the gateway last handed it over (null: UTC).</summary>
    [Id(3)]
    public string? TimeZone { get; set; }

    /// <summary>Browsers the user turned push on in, oldest first.</summary>
    [Id(4)]
    public List<WebPushSubscription> PushSubscriptions { get; set; } = [];

    /// <summary>Web Push deliveries not finished yet: one per notification and subscription, until the push service answers for good.</summary>
    [Id(5)]
    public List<PendingWebPush> PushOutbox { get; set; } = [];
}

/// <summary>
/// One row of the inbox. Its JSON is a <see cref="UserNotification"/>'s plus the inbox's own fields
/// (rows written before those existed read with their defaults).
/// </summary>
/// <param name="Removed">A tombstone: see <see cref="InboxNotification.Removed"/>.</param>
[GenerateSerializer, Immutable, Alias("ms.state.StoredNotification")]
public sealed record StoredNotification(
    Guid Id, string Kind, string Title, string Body, DateTimeOffset CreatedAt, string? BatchKey = null, int Count = 1, DateTimeOffset? ReadAt = null, bool Removed = false)
{
    public static StoredNotification From(UserNotification notification, int count)
        => new(notification.Id, notification.Kind, notification.Title, notification.Body, notification.CreatedAt, notification.BatchKey, count);

    public InboxNotification ToInbox(long sequence)
        => new(sequence, new UserNotification(Id, Kind, Title, Body, CreatedAt, BatchKey), Count, ReadAt, Removed);

    /// <summary>What stays of a deleted or replaced notification: its number, id and kind; never its words.</summary>
    public StoredNotification ToTombstone() => this with { Title = "", Body = "", BatchKey = null, Removed = true };
}

/// <inheritdoc cref="INotificationInboxGrain"/>
/// <remarks>
/// Sequence numbers are the record keys (19 digits, so they sort as numbers): the newest key is
/// the last sequence, read on activation, and only this activation appends, so the sequence stays
/// gapless without a counter of its own. Appends are insert-only: should a second activation exist
/// for a moment, neither can overwrite a notification the other stored. The observer list changes rarely (a user's first
/// connection on a gateway), so it is written only when it changes; refreshes stay in memory.
/// <para>
/// Deleting never frees a number: the row becomes a tombstone (<see cref="StoredNotification.ToTombstone"/>).
/// The gateways' relays fill gaps in what they pushed by reading every number after the last one a
/// connection got, and a missing number would look like a notification not yet readable; a tombstone
/// tells them to move past it without sending anything. The REST list, counts and export skip tombstones.
/// </para>
/// <para>
/// Which notifications are visible, unread and the head of a batch is indexed in memory, built from one
/// scan of the rows the first time a call needs it.
/// </para>
/// </remarks>
public sealed partial class NotificationInboxGrain(
    [PersistentState("inbox")] IPersistentState<NotificationInboxState> inbox,
    [RecordCollection("notification_inbox", GatherWrites = true)] IRecordCollection<StoredNotification> notifications,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider time,
    IWebPushSender webPush,
    ILogger<NotificationInboxGrain> logger) : Grain, INotificationInboxGrain, IRemindable
{
    private const string ReleaseReminder = "release-held";
    public const string PushRetryReminder = "web-push-retry";
    private const int ScanPage = 500;

    private readonly ObserverSubscriptions<INotificationObserver> _observers = new(NotificationDelivery.ObserverExpiry, time);
    private long _lastSequence;
    private Index? _index;
    private IGrainTimer? _pushTimer;
    private bool _pushReminderRegistered;

    private Guid UserId => this.GetPrimaryKey();

    private NotificationPreferences Preferences => inbox.State.Preferences ?? NotificationPreferences.Default;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lastSequence = await NewestStoredSequenceAsync(cancellationToken);

        _observers.Restore(inbox.State.Observers, GrainFactory);

        // Deliveries left pending by the last activation (maybe on a silo that stopped) carry on.
        SchedulePushTimer();
    }

    public async Task<InboxNotification> AppendAsync(UserNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var count = 1;
        KeyedRecord<StoredNotification>? replaced = null;
        if (notification.BatchKey is { } batchKey)
        {
            var index = await IndexAsync();
            if (index.BatchHeads.TryGetValue(batchKey, out var head) && await notifications.GetAsync(KeyOf(head)) is { Removed: false, ReadAt: null } previous)
            {
                count = previous.Count + 1;
                replaced = new(KeyOf(head), previous);
            }
        }

        var record = StoredNotification.From(notification, count);
        var sequence = _lastSequence + 1;
        while (!await notifications.AddAsync(KeyOf(sequence), record))
        {
            // Another activation of this inbox (briefly possible while membership settles) took the
            // number: what it stored stays, and this notification goes after the newest stored one.
            sequence = await NewestStoredSequenceAsync(CancellationToken.None) + 1;
        }

        _lastSequence = sequence;

        // The batch's earlier one goes after the new one is stored: a failure between leaves both
        // visible rather than neither.
        if (replaced is not null)
        {
            await notifications.PutAsync(replaced.Key, replaced.Value.ToTombstone());
            _index?.Forget(SequenceOf(replaced.Key), replaced.Value);
        }

        _index?.Note(sequence, record);
        var stored = record.ToInbox(sequence);
        await PushAsync(stored);
        await QueueWebPushAsync(stored);
        return stored;
    }

    public async Task<NotifyOutcome> NotifyAsync(UserNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        await ReleaseDueAsync();
        await SendDuePushesAsync();
        var category = NotificationCategories.Of(notification.Kind);
        var preferences = Preferences;
        if (preferences.DeliveryOf(category) == NotificationDeliveryModes.None)
        {
            return new NotifyOutcome(NotifyStatus.Dropped);
        }

        if (!NotificationCategories.AlwaysDelivered.Contains(category) && preferences.QuietHours is { } quietHours)
        {
            var now = time.GetUtcNow();
            if (NotificationPreferenceRules.QuietUntil(quietHours, CheckInTimeZones.FindOrUtc(inbox.State.TimeZone), now) is { } until)
            {
                inbox.State.Held.Add(new HeldNotification(notification, until));
                await inbox.WriteStateAsync();
                await ScheduleReleaseAsync();
                return new NotifyOutcome(NotifyStatus.Held, HeldUntil: until);
            }
        }

        return new NotifyOutcome(NotifyStatus.Delivered, await AppendAsync(notification));
    }

    public async Task<InboxPage> ReadAfterAsync(long afterSequence, int limit)
    {
        limit = Math.Clamp(limit, 1, NotificationDelivery.MaxPage);
        if (afterSequence >= _lastSequence)
        {
            return new InboxPage([], _lastSequence);
        }

        // Tombstones included: the relay moves past their numbers without sending them.
        var records = await notifications.QueryAsync(new RecordQuery(After: KeyOf(Math.Max(0, afterSequence)), Limit: limit));
        return new InboxPage([.. records.Select(r => r.Value.ToInbox(SequenceOf(r.Key)))], _lastSequence);
    }

    public async Task<NotificationListPage> ListAsync(long? beforeSequence, int limit)
    {
        limit = Math.Clamp(limit, 1, NotificationDelivery.MaxPage);
        await ReleaseDueAsync();
        await SendDuePushesAsync();
        var items = new List<InboxNotification>();
        var after = beforeSequence is { } before ? KeyOf(Math.Max(0, before)) : null;
        while (items.Count <= limit)
        {
            var records = await notifications.QueryAsync(new RecordQuery(After: after, Descending: true, Limit: limit + 1));
            items.AddRange(records.Where(r => !r.Value.Removed).Select(r => r.Value.ToInbox(SequenceOf(r.Key))));
            if (records.Count <= limit)
            {
                break;
            }

            after = records[^1].Key;
        }

        return items.Count > limit
            ? new NotificationListPage([.. items.Take(limit)], items[limit - 1].Sequence)
            : new NotificationListPage(items, null);
    }

    public async Task<int> GetUnreadCountAsync()
    {
        await ReleaseDueAsync();
        await SendDuePushesAsync();
        return (await IndexAsync()).Unread.Count;
    }

    public async Task<bool> MarkReadAsync(Guid notificationId)
    {
        var index = await IndexAsync();
        if (!index.Visible.TryGetValue(notificationId, out var sequence) || await notifications.GetAsync(KeyOf(sequence)) is not { Removed: false } record)
        {
            return false;
        }

        if (record.ReadAt is null)
        {
            await MarkReadAsync(sequence, record, index);
        }

        return true;
    }

    public async Task<int> MarkAllReadAsync()
    {
        var index = await IndexAsync();
        var marked = 0;
        foreach (var sequence in index.Unread.ToList())
        {
            if (await notifications.GetAsync(KeyOf(sequence)) is { Removed: false, ReadAt: null } record)
            {
                await MarkReadAsync(sequence, record, index);
                marked++;
            }
        }

        return marked;
    }

    public async Task<bool> DeleteAsync(Guid notificationId)
    {
        var index = await IndexAsync();
        if (!index.Visible.TryGetValue(notificationId, out var sequence) || await notifications.GetAsync(KeyOf(sequence)) is not { Removed: false } record)
        {
            return false;
        }

        await notifications.PutAsync(KeyOf(sequence), record.ToTombstone());
        index.Forget(sequence, record);
        return true;
    }

    public Task<NotificationPreferences> GetPreferencesAsync() => Task.FromResult(Preferences);

    public async Task<NotificationPreferences> SetPreferencesAsync(NotificationPreferences preferences, string timeZone)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        inbox.State.TimeZone = timeZone;
        var errors = new Dictionary<string, List<string>>();
        var valid = NotificationPreferenceRules.Merge(
            NotificationPreferences.Default, preferences.Delivery.ToDictionary(p => p.Key, p => (string?)p.Value), preferences.QuietHours, false, errors)
            ?? throw new ArgumentException("Invalid notification preferences: " + string.Join("; ", errors.Keys), nameof(preferences));
        inbox.State.Preferences = valid;
        await inbox.WriteStateAsync();

        // Without quiet hours nothing waits any longer.
        await ReleaseDueAsync(releaseAll: valid.QuietHours is null);
        return valid;
    }

    public async Task SyncTimeZoneAsync(string timeZone)
    {
        if (inbox.State.TimeZone != timeZone)
        {
            inbox.State.TimeZone = timeZone;
            await inbox.WriteStateAsync();
        }
    }

    public Task<int> ReleaseHeldAsync() => ReleaseDueAsync();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReleaseReminder)
        {
            await ReleaseDueAsync();
        }
        else if (reminderName == PushRetryReminder)
        {
            if (inbox.State.PushOutbox.Count == 0)
            {
                // Nothing pending since the last tick: the reminder goes until the next push.
                if (await this.GetReminder(PushRetryReminder) is { } pushReminder)
                {
                    await this.UnregisterReminder(pushReminder);
                }

                _pushReminderRegistered = false;
            }
            else
            {
                await SendDuePushesAsync();
            }
        }
    }

    public async Task<NotificationsExport> ExportAsync()
    {
        var items = new List<InboxNotification>();
        string? after = null;
        while (true)
        {
            var records = await notifications.QueryAsync(new RecordQuery(After: after, Limit: ScanPage));
            items.AddRange(records.Where(r => !r.Value.Removed).Select(r => r.Value.ToInbox(SequenceOf(r.Key))));
            if (records.Count < ScanPage)
            {
                break;
            }

            after = records[^1].Key;
        }

        return new NotificationsExport(items, [.. inbox.State.Held], Preferences, await GetPushSubscriptionsAsync());
    }

    public async Task<long> SubscribeAsync(INotificationObserver observer)
    {
        if (_observers.Subscribe(observer))
        {
            await SaveObserversAsync();
        }

        return _lastSequence;
    }

    public async Task UnsubscribeAsync(INotificationObserver observer)
    {
        if (_observers.Unsubscribe(observer))
        {
            await SaveObserversAsync();
        }
    }

    public async Task EraseAsync()
    {
        if (await this.GetReminder(ReleaseReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        if (await this.GetReminder(PushRetryReminder) is { } pushReminder)
        {
            await this.UnregisterReminder(pushReminder);
        }

        _pushTimer?.Dispose();
        _pushTimer = null;
        _pushReminderRegistered = false;
        await notifications.ClearAsync();
        await inbox.ClearStateAsync();
        _observers.Clear();
        _lastSequence = 0;
        _index = null;
        DeactivateOnIdle();
    }

    public async Task AddPushSubscriptionAsync(WebPushSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var subscriptions = inbox.State.PushSubscriptions;
        subscriptions.RemoveAll(s => s.Endpoint == subscription.Endpoint);
        subscriptions.Add(subscription);
        if (subscriptions.Count > WebPushRules.MaxSubscriptionsPerUser)
        {
            // Browsers come and go (reinstalls, new phones): the least recently subscribed makes room.
            subscriptions.RemoveRange(0, subscriptions.Count - WebPushRules.MaxSubscriptionsPerUser);
        }

        await inbox.WriteStateAsync();
    }

    public async Task<bool> RemovePushSubscriptionAsync(string endpoint)
    {
        if (inbox.State.PushSubscriptions.RemoveAll(s => s.Endpoint == endpoint) == 0)
        {
            return false;
        }

        inbox.State.PushOutbox.RemoveAll(p => p.Endpoint == endpoint);
        await inbox.WriteStateAsync();
        SchedulePushTimer();
        return true;
    }

    public async Task CompletePushAsync(Guid deliveryId, int attempt, WebPushOutcome outcome)
    {
        var outbox = inbox.State.PushOutbox;
        var index = outbox.FindIndex(p => p.DeliveryId == deliveryId);
        if (index < 0 || outbox[index].Attempts != attempt)
        {
            // Finished already, erased, or sent again since: this report is about nothing pending.
            return;
        }

        var pending = outbox[index];
        switch (outcome)
        {
            case WebPushOutcome.Gone:
                inbox.State.PushSubscriptions.RemoveAll(s => s.Endpoint == pending.Endpoint);
                outbox.RemoveAll(p => p.Endpoint == pending.Endpoint);
                break;
            case WebPushOutcome.Failed when attempt < WebPushRetries.MaxAttempts:
                outbox[index] = pending with { DueAt = time.GetUtcNow() + WebPushRetries.Backoff[attempt - 1] };
                break;
            default:
                // Delivered, refused for good, or the last attempt failed (the sender logged it).
                outbox.RemoveAt(index);
                break;
        }

        await inbox.WriteStateAsync();
        SchedulePushTimer();
    }

    public Task<IReadOnlyList<PendingWebPush>> GetPendingPushesAsync()
        => Task.FromResult<IReadOnlyList<PendingWebPush>>([.. inbox.State.PushOutbox]);

    public Task<IReadOnlyList<WebPushSubscriptionExport>> GetPushSubscriptionsAsync()
        => Task.FromResult<IReadOnlyList<WebPushSubscriptionExport>>([.. inbox.State.PushSubscriptions.Select(s => new WebPushSubscriptionExport(s.Endpoint, s.CreatedAt))]);

    /// <summary>
    /// When the stored notification's category is set to push, records one pending delivery per
    /// subscribed browser in the inbox's state (written before anything is sent), then hands the first
    /// attempts to the sender. Quiet hours already held it back before it got here.
    /// </summary>
    private async Task QueueWebPushAsync(InboxNotification stored)
    {
        // Most inboxes have no browser subscribed: that check comes first, before the preferences.
        var subscriptions = inbox.State.PushSubscriptions;
        if (subscriptions.Count == 0 || !ShouldPush(stored))
        {
            return;
        }

        var now = time.GetUtcNow();
        var attempts = subscriptions.Select(s => (Pending: new PendingWebPush(Guid.CreateVersion7(now), stored.Sequence, s.Endpoint, 1, now + WebPushRetries.Lease, now), Subscription: s)).ToList();
        inbox.State.PushOutbox.AddRange(attempts.Select(a => a.Pending));
        DropOverflow();
        await inbox.WriteStateAsync();
        await EnsurePushReminderAsync();
        Send(stored, attempts);
        SchedulePushTimer();
    }

    /// <summary>
    /// Sends again the pending deliveries whose back-off (or lease) has ended, by the product clock:
    /// the timer, the reminder and calls to the inbox all come here. Each attempt is counted and leased
    /// in state before it is handed over, so a restart never loses it and, while the lease runs, no
    /// second activation sends it too. A delivery whose notification, subscription or push preference
    /// has gone meanwhile is dropped, and so is one older than the message's time to live.
    /// </summary>
    private async Task SendDuePushesAsync()
    {
        var outbox = inbox.State.PushOutbox;
        var now = time.GetUtcNow();
        if (outbox.Count == 0 || outbox.All(p => p.DueAt > now))
        {
            return;
        }

        var sends = new List<(InboxNotification Stored, PendingWebPush Pending, WebPushSubscription Subscription)>();
        foreach (var due in outbox.Where(p => p.DueAt <= now).ToList())
        {
            outbox.Remove(due);
            if (due.Attempts >= WebPushRetries.MaxAttempts)
            {
                LogLeaseEndedOnLastAttempt(UserId, due.Attempts);
                continue;
            }

            if (now - due.QueuedAt > WebPushRetries.TimeToLive
                || inbox.State.PushSubscriptions.FirstOrDefault(s => s.Endpoint == due.Endpoint) is not { } subscription
                || await notifications.GetAsync(KeyOf(due.Sequence)) is not { Removed: false } record
                || record.ToInbox(due.Sequence) is not { } stored
                || !ShouldPush(stored))
            {
                continue;
            }

            var next = due with { Attempts = due.Attempts + 1, DueAt = now + WebPushRetries.Lease };
            outbox.Add(next);
            sends.Add((stored, next, subscription));
        }

        await inbox.WriteStateAsync();
        foreach (var group in sends.GroupBy(s => s.Stored.Sequence))
        {
            Send(group.First().Stored, [.. group.Select(s => (s.Pending, s.Subscription))]);
        }

        SchedulePushTimer();
    }

    private bool ShouldPush(InboxNotification stored)
        => webPush.Enabled && Preferences.DeliveryOf(NotificationCategories.Of(stored.Notification.Kind)) == NotificationDeliveryModes.Push;

    /// <summary>Hands attempts to the sender (after the state that records them is written). A full queue leaves them to their lease.</summary>
    private void Send(InboxNotification stored, IReadOnlyList<(PendingWebPush Pending, WebPushSubscription Subscription)> attempts)
    {
        var notification = stored.Notification;
        var category = NotificationCategories.Of(notification.Kind);
        var payload = JsonSerializer.Serialize(new WebPushPayload(
            notification.Id, stored.Sequence, notification.Kind, category, notification.Title, Shorten(notification.Body), "/notifications", stored.Count, notification.CreatedAt), PayloadJson);

        // Every message has a topic: a batch's replaces its undelivered predecessor, and a notification
        // sent twice (a silo stopped between the push service accepting it and the inbox hearing so)
        // replaces itself at the push service while the browser has not fetched it yet.
        var topic = WebPushSender.TopicOf(notification.BatchKey ?? "notification:" + notification.Id.ToString("N"));
        foreach (var (pending, subscription) in attempts)
        {
            webPush.TryEnqueue(new WebPushDelivery(UserId, pending.DeliveryId, pending.Attempts, subscription, payload, topic, Urgent: category == NotificationCategories.Safety));
        }
    }

    /// <summary>A push service down for long must not grow the state without end: the oldest deliveries go.</summary>
    private void DropOverflow()
    {
        var outbox = inbox.State.PushOutbox;
        if (outbox.Count > WebPushRetries.MaxPending)
        {
            LogOutboxFull(UserId, outbox.Count - WebPushRetries.MaxPending);
            outbox.RemoveRange(0, outbox.Count - WebPushRetries.MaxPending);
        }
    }

    /// <summary>
    /// An Orleans reminder wakes an inbox with pending deliveries after a restart, when nothing else
    /// would call it. Registered once per activation while pushes are pending; a tick that finds
    /// nothing pending unregisters it, so a steady flow of pushes costs no reminder writes each time.
    /// </summary>
    private async Task EnsurePushReminderAsync()
    {
        if (!_pushReminderRegistered)
        {
            await this.RegisterOrUpdateReminder(PushRetryReminder, WebPushRetries.ReminderPeriod, WebPushRetries.ReminderPeriod);
            _pushReminderRegistered = true;
        }
    }

    /// <summary>A grain timer (real time) at the earliest due delivery; it keeps the inbox active while deliveries wait.</summary>
    private void SchedulePushTimer()
    {
        var outbox = inbox.State.PushOutbox;
        if (outbox.Count == 0)
        {
            _pushTimer?.Dispose();
            _pushTimer = null;
            return;
        }

        var due = outbox.Min(p => p.DueAt) - time.GetUtcNow();
        due = due < TimeSpan.Zero ? TimeSpan.Zero : due;
        if (_pushTimer is null)
        {
            _pushTimer = this.RegisterGrainTimer(
                _ => SendDuePushesAsync(),
                new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
        }
        else
        {
            _pushTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Web Push carries about 4 KB encrypted: a long body is cut (the app shows it whole).</summary>
    private static string Shorten(string body) => body.Length <= 1000 ? body : string.Concat(body.AsSpan(0, 999), "…");

    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    /// <summary>Appends held notifications whose quiet hours ended (all, when <paramref name="releaseAll"/>), in arrival order.</summary>
    private async Task<int> ReleaseDueAsync(bool releaseAll = false)
    {
        var held = inbox.State.Held;
        if (held.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var due = held.Where(h => releaseAll || h.Until <= now).ToList();
        if (due.Count == 0)
        {
            return 0;
        }

        // Appended before the state that holds them is written: a failure between delivers one twice
        // rather than never. A category turned off meanwhile is dropped.
        var released = 0;
        foreach (var notification in due.Select(h => h.Notification))
        {
            if (Preferences.DeliveryOf(NotificationCategories.Of(notification.Kind)) != NotificationDeliveryModes.None)
            {
                await AppendAsync(notification);
                released++;
            }
        }

        inbox.State.Held = [.. held.Except(due)];
        await inbox.WriteStateAsync();
        await ScheduleReleaseAsync();
        return released;
    }

    /// <summary>
    /// A reminder (it survives restarts) at the earliest held notification's time, or none when
    /// nothing is held. Calls made meanwhile also release what is due, by the product clock.
    /// </summary>
    private async Task ScheduleReleaseAsync()
    {
        if (inbox.State.Held.Count == 0)
        {
            if (await this.GetReminder(ReleaseReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            return;
        }

        var due = inbox.State.Held.Min(h => h.Until) - time.GetUtcNow();
        await this.RegisterOrUpdateReminder(ReleaseReminder, due > TimeSpan.Zero ? due : TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
    }

    private async Task MarkReadAsync(long sequence, StoredNotification record, Index index)
    {
        await notifications.PutAsync(KeyOf(sequence), record with { ReadAt = time.GetUtcNow() });
        index.Unread.Remove(sequence);
        if (record.BatchKey is { } key && index.BatchHeads.TryGetValue(key, out var head) && head == sequence)
        {
            // A read notification no longer gathers new ones: the next starts a new batch.
            index.BatchHeads.Remove(key);
        }
    }

    private async Task<Index> IndexAsync()
    {
        if (_index is not null)
        {
            return _index;
        }

        var index = new Index();
        string? after = null;
        while (true)
        {
            var records = await notifications.QueryAsync(new RecordQuery(After: after, Limit: ScanPage));
            foreach (var record in records)
            {
                index.Note(SequenceOf(record.Key), record.Value);
            }

            if (records.Count < ScanPage)
            {
                break;
            }

            after = records[^1].Key;
        }

        return _index = index;
    }

    private async Task PushAsync(InboxNotification notification)
    {
        if (_observers.DropExpired())
        {
            await SaveObserversAsync();
        }

        foreach (var observer in _observers)
        {
            // One-way: returns once the message is queued; a lost push is a gap the gateway fills from the inbox.
            _ = observer.OnNotificationAsync(UserId, notification);
        }
    }

    private Task SaveObserversAsync()
    {
        inbox.State.Observers = _observers.StoredIds();
        return inbox.WriteStateAsync();
    }

    private async Task<long> NewestStoredSequenceAsync(CancellationToken cancellationToken)
    {
        var newest = await notifications.QueryAsync(new RecordQuery(Descending: true, Limit: 1), cancellationToken);
        return newest.Count == 0 ? 0 : SequenceOf(newest[0].Key);
    }

    private static string KeyOf(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    private static long SequenceOf(string key) => long.Parse(key, NumberStyles.None, CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web Push to user {UserId}: the last attempt ({Attempts}) was never reported; giving up. The notification stays in the inbox.")]
    private partial void LogLeaseEndedOnLastAttempt(Guid userId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web Push to user {UserId}: {Dropped} pending deliveries dropped (too many waiting). The notifications stay in the inbox.")]
    private partial void LogOutboxFull(Guid userId, int dropped);

    /// <summary>Visible notifications by id, the unread ones, and the newest unread one of each batch key.</summary>
    private sealed class Index
    {
        public Dictionary<Guid, long> Visible { get; } = [];

        public SortedSet<long> Unread { get; } = [];

        public Dictionary<string, long> BatchHeads { get; } = new(StringComparer.Ordinal);

        public void Note(long sequence, StoredNotification record)
        {
            if (record.Removed)
            {
                return;
            }

            Visible[record.Id] = sequence;
            if (record.ReadAt is null)
            {
                Unread.Add(sequence);
                if (record.BatchKey is { } key)
                {
                    BatchHeads[key] = sequence;
                }
            }
        }

        public void Forget(long sequence, StoredNotification record)
        {
            if (Visible.TryGetValue(record.Id, out var visible) && visible == sequence)
            {
                Visible.Remove(record.Id);
            }

            Unread.Remove(sequence);
            if (record.BatchKey is { } key && BatchHeads.TryGetValue(key, out var head) && head == sequence)
            {
                BatchHeads.Remove(key);
            }
        }
    }
}
