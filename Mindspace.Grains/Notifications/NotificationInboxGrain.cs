using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Notifications;

/// <summary>Stored state of <see cref="NotificationInboxGrain"/>: who to push to. The notifications themselves are records.</summary>
[GenerateSerializer, Alias("ms.state.NotificationInboxState")]
public sealed class NotificationInboxState
{
    /// <summary>Grain ids of the subscribed observers (gateway processes).</summary>
    [Id(0)]
    public List<string> Observers { get; set; } = [];
}

/// <inheritdoc cref="INotificationInboxGrain"/>
/// <remarks>
/// Sequence numbers are the record keys (19 digits, so they sort as numbers): the newest key is
/// the last sequence, read on activation, and only this activation appends, so the sequence stays
/// gapless without a counter of its own. Appends are insert-only: should a second activation exist
/// for a moment, neither can overwrite a notification the other stored. The observer list changes rarely (a user's first
/// connection on a gateway), so it is written only when it changes; refreshes stay in memory.
/// </remarks>
public sealed class NotificationInboxGrain(
    [PersistentState("inbox")] IPersistentState<NotificationInboxState> inbox,
    [RecordCollection("notification_inbox")] IRecordCollection<UserNotification> notifications,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider time) : Grain, INotificationInboxGrain
{
    private readonly Dictionary<GrainId, (INotificationObserver Observer, DateTimeOffset RefreshedAt)> _observers = [];
    private long _lastSequence;

    private Guid UserId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lastSequence = await NewestStoredSequenceAsync(cancellationToken);

        // Observers stored before this activation (maybe on a silo that died) count as refreshed now.
        var now = time.GetUtcNow();
        foreach (var id in inbox.State.Observers)
        {
            var grainId = GrainId.Parse(id);
            _observers[grainId] = (GrainFactory.GetGrain(grainId).AsReference<INotificationObserver>(), now);
        }
    }

    public async Task<InboxNotification> AppendAsync(UserNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var sequence = _lastSequence + 1;
        while (!await notifications.AddAsync(KeyOf(sequence), notification))
        {
            // Another activation of this inbox (briefly possible while membership settles) took the
            // number: what it stored stays, and this notification goes after the newest stored one.
            sequence = await NewestStoredSequenceAsync(CancellationToken.None) + 1;
        }

        _lastSequence = sequence;

        var stored = new InboxNotification(sequence, notification);
        await PushAsync(stored);
        return stored;
    }

    public async Task<InboxPage> ReadAfterAsync(long afterSequence, int limit)
    {
        limit = Math.Clamp(limit, 1, NotificationDelivery.MaxPage);
        if (afterSequence >= _lastSequence)
        {
            return new InboxPage([], _lastSequence);
        }

        var records = await notifications.QueryAsync(new RecordQuery(After: KeyOf(Math.Max(0, afterSequence)), Limit: limit));
        return new InboxPage([.. records.Select(r => new InboxNotification(SequenceOf(r.Key), r.Value))], _lastSequence);
    }

    public async Task<long> SubscribeAsync(INotificationObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var id = observer.GetGrainId();
        var isNew = !_observers.ContainsKey(id);
        _observers[id] = (observer, time.GetUtcNow());
        if (isNew | DropExpired())
        {
            await SaveObserversAsync();
        }

        return _lastSequence;
    }

    public async Task UnsubscribeAsync(INotificationObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (_observers.Remove(observer.GetGrainId()))
        {
            await SaveObserversAsync();
        }
    }

    public async Task EraseAsync()
    {
        await notifications.ClearAsync();
        await inbox.ClearStateAsync();
        _observers.Clear();
        _lastSequence = 0;
        DeactivateOnIdle();
    }

    private async Task PushAsync(InboxNotification notification)
    {
        if (DropExpired())
        {
            await SaveObserversAsync();
        }

        foreach (var (observer, _) in _observers.Values)
        {
            // One-way: returns once the message is queued; a lost push is a gap the gateway fills from the inbox.
            _ = observer.OnNotificationAsync(UserId, notification);
        }
    }

    /// <returns>Whether any observer expired.</returns>
    private bool DropExpired()
    {
        var cutoff = time.GetUtcNow() - NotificationDelivery.ObserverExpiry;
        var expired = _observers.Where(o => o.Value.RefreshedAt < cutoff).Select(o => o.Key).ToList();
        foreach (var id in expired)
        {
            _observers.Remove(id);
        }

        return expired.Count > 0;
    }

    private Task SaveObserversAsync()
    {
        inbox.State.Observers = [.. _observers.Keys.Select(id => id.ToString())];
        return inbox.WriteStateAsync();
    }

    private async Task<long> NewestStoredSequenceAsync(CancellationToken cancellationToken)
    {
        var newest = await notifications.QueryAsync(new RecordQuery(Descending: true, Limit: 1), cancellationToken);
        return newest.Count == 0 ? 0 : SequenceOf(newest[0].Key);
    }

    private static string KeyOf(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    private static long SequenceOf(string key) => long.Parse(key, NumberStyles.None, CultureInfo.InvariantCulture);
}
