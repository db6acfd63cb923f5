using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Interfaces.Therapist;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Grains.Records;
using Mindspace.Grains.Users;

namespace Mindspace.Grains.Therapist;

/// <inheritdoc cref="ICareQueueGrain"/>
/// <remarks>
/// Open and acknowledged items are rows of <c>care_open</c> (few at any time) kept in memory;
/// a closed item moves to <c>care_closed</c>. Every list, acknowledgement, close and audit read
/// appends a row to <c>care_audit</c> (actor, action, item: never the excerpt) before it answers.
/// The care team (<c>care_team</c> rows) is told of each new item through their inboxes, after the
/// item is stored; the notification carries the level and a link, never the excerpt. Inbox grains
/// call no other grain, so this fan-out cannot wait on a call back into the queue.
/// </remarks>
public sealed class CareQueueGrain(
    [RecordCollection("care_open")] IRecordCollection<CareItem> open,
    [RecordCollection("care_closed")] IRecordCollection<CareItem> closed,
    [RecordCollection("care_audit")] IRecordCollection<CareAuditEntry> audit,
    [RecordCollection("care_team")] IRecordCollection<CareTeamMember> team,
    IRecordStore store,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock,
    ILogger<CareQueueGrain> logger) : Grain, ICareQueueGrain
{
    public const string ViewAction = "view-queue";
    public const string AcknowledgeAction = "acknowledge";
    public const string CloseAction = "close";
    public const string AuditAction = "view-audit";
    public const string EraseAction = "erase-user";

    /// <summary>Where the one-off enlistment of earlier care-team holders is marked done.</summary>
    public const string BackfillTable = "care_meta";
    public const string BackfillOwner = "care-queue";
    public const string BackfillKey = "team-backfilled";

    private const int RecentClosed = 50;
    /// <summary>Whether the one-off enlistment is done; null until first needed (read from its marker then).</summary>
    private bool? _teamBackfilled;
    private readonly SortedDictionary<string, CareItem> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, CareTeamMember> _team = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var batch = await open.QueryAsync(new RecordQuery(After: after, Limit: 500), cancellationToken);
            foreach (var row in batch)
            {
                _open[row.Key] = row.Value;
            }

            if (batch.Count < 500)
            {
                break;
            }

            after = batch[^1].Key;
        }

        foreach (var row in await team.QueryAsync(new RecordQuery(Limit: 10_000), cancellationToken))
        {
            _team[row.Value.UserId] = row.Value;
        }
    }

    public async Task<CareItem> AddAsync(NewCareItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var now = clock.GetUtcNow();
        var stored = new CareItem(Guid.CreateVersion7(now), item.UserId, item.ConversationId, item.Level, item.Signals, item.Excerpt, now, CareStatuses.Open, null, null, null, null, null);
        await open.PutAsync(Key(stored.Id), stored);
        _open[Key(stored.Id)] = stored;
        if (_teamBackfilled is not true)
        {
            // Once ever (later activations read its marker): no earlier member is left out of this item.
            try
            {
                await BackfillTeamAsync();
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                CareQueueLog.BackfillFailed(logger, exception);
            }
        }

        await NotifyTeamAsync(stored);
        return stored;
    }

    public async Task<int> BackfillTeamAsync()
    {
        _teamBackfilled ??= await store.GetAsync(BackfillTable, BackfillOwner, BackfillKey, CancellationToken.None) is not null;
        if (_teamBackfilled is true)
        {
            return 0;
        }

        // Candidates: users whose activity mentions the role at all (a grant or a revoke); a scan, once ever.
        var enlisted = 0;
        string? after = null;
        while (true)
        {
            var owners = await store.FindOwnersAsync(UserGrain.ActivityTable, "\"" + UserRoles.CareTeam + "\"", after, 500, CancellationToken.None);
            foreach (var owner in owners)
            {
                if (Guid.TryParse(owner, out var userId) && !_team.ContainsKey(userId) && await HoldsCareTeamAsync(owner))
                {
                    await SetTeamMemberAsync(userId, member: true);
                    enlisted++;
                }
            }

            if (owners.Count < 500)
            {
                break;
            }

            after = owners[^1];
        }

        var now = clock.GetUtcNow();
        await store.PutAsync(BackfillTable, BackfillOwner, BackfillKey, JsonSerializer.SerializeToUtf8Bytes(new { at = now, enlisted }, RecordJson.Options), CancellationToken.None);
        _teamBackfilled = true;
        CareQueueLog.TeamBackfilled(logger, enlisted);
        return enlisted;
    }

    /// <summary>Whether the user's newest care-team grant or revoke in their own activity log is a grant.</summary>
    private async Task<bool> HoldsCareTeamAsync(string owner)
    {
        string? after = null;
        while (true)
        {
            var rows = await store.QueryAsync(UserGrain.ActivityTable, owner, new RecordQuery(After: after, Descending: true, Limit: 200), CancellationToken.None);
            foreach (var row in rows)
            {
                var entry = JsonSerializer.Deserialize<ActivityEntry>(row.Payload, RecordJson.Options);
                if (entry is { Kind: ActivityKinds.RoleGranted or ActivityKinds.RoleRevoked } && entry.Details?.GetValueOrDefault("role") == UserRoles.CareTeam)
                {
                    return entry.Kind == ActivityKinds.RoleGranted;
                }
            }

            if (rows.Count < 200)
            {
                return false;
            }

            after = rows[^1].Key;
        }
    }

    public async Task SetTeamMemberAsync(Guid userId, bool member)
    {
        if (member && !_team.ContainsKey(userId))
        {
            var joined = new CareTeamMember(userId, clock.GetUtcNow());
            await team.PutAsync(Key(userId), joined);
            _team[userId] = joined;
        }
        else if (!member && _team.Remove(userId))
        {
            await team.RemoveAsync(Key(userId));
        }
    }

    public Task<IReadOnlyList<CareTeamMember>> TeamAsync()
        => Task.FromResult<IReadOnlyList<CareTeamMember>>([.. _team.Values.OrderBy(m => m.Since)]);

    public async Task<IReadOnlyList<CareItem>> ListAsync(Guid actor, bool includeClosed)
    {
        await AuditAsync(actor, ViewAction, null);

        // Only care-team members reach the queue (the gateway's policy), so a viewer is on the team:
        // this enlists members whose role was granted before the queue kept its team.
        await SetTeamMemberAsync(actor, member: true);
        var items = _open.Values.ToList();
        if (includeClosed)
        {
            var recent = await closed.QueryAsync(new RecordQuery(Descending: true, Limit: RecentClosed));
            items.AddRange(recent.Select(r => r.Value).Reverse());
        }

        return items;
    }

    public async Task<CareItem?> AcknowledgeAsync(Guid itemId, Guid actor)
    {
        if (!_open.TryGetValue(Key(itemId), out var item))
        {
            return await closed.GetAsync(Key(itemId));
        }

        await AuditAsync(actor, AcknowledgeAction, itemId);
        if (item.Status == CareStatuses.Acknowledged)
        {
            return item;
        }

        var acknowledged = item with { Status = CareStatuses.Acknowledged, AcknowledgedBy = actor, AcknowledgedAt = clock.GetUtcNow() };
        await open.PutAsync(Key(itemId), acknowledged);
        _open[Key(itemId)] = acknowledged;
        return acknowledged;
    }

    public async Task<CareItem?> CloseAsync(Guid itemId, Guid actor, string? note)
    {
        if (!_open.TryGetValue(Key(itemId), out var item))
        {
            return await closed.GetAsync(Key(itemId));
        }

        await AuditAsync(actor, CloseAction, itemId);
        var now = clock.GetUtcNow();
        var done = item with
        {
            Status = CareStatuses.Closed,
            AcknowledgedBy = item.AcknowledgedBy ?? actor,
            AcknowledgedAt = item.AcknowledgedAt ?? now,
            ClosedBy = actor,
            ClosedAt = now,
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
        };
        await closed.PutAsync(Key(itemId), done);
        await open.RemoveAsync(Key(itemId));
        _open.Remove(Key(itemId));
        return done;
    }

    public async Task<IReadOnlyList<CareAuditEntry>> AuditAsync(Guid actor, int limit)
    {
        await AuditAsync(actor, AuditAction, null);
        var rows = await audit.QueryAsync(new RecordQuery(Descending: true, Limit: Math.Clamp(limit, 1, 500)));
        return [.. rows.Select(r => r.Value)];
    }

    public async Task EraseUserAsync(Guid userId)
    {
        await SetTeamMemberAsync(userId, member: false);
        foreach (var (key, _) in _open.Where(p => p.Value.UserId == userId).ToList())
        {
            await open.RemoveAsync(key);
            _open.Remove(key);
        }

        string? after = null;
        while (true)
        {
            var batch = await closed.QueryAsync(new RecordQuery(After: after, Limit: 500));
            foreach (var row in batch.Where(r => r.Value.UserId == userId))
            {
                await closed.RemoveAsync(row.Key);
            }

            if (batch.Count < 500)
            {
                break;
            }

            after = batch[^1].Key;
        }
    }

    private async Task AuditAsync(Guid actor, string action, Guid? itemId)
    {
        var now = clock.GetUtcNow();
        await audit.PutAsync(Key(Guid.CreateVersion7(now)), new CareAuditEntry(actor, action, itemId, now));
    }

    /// <summary>Tells every care-team member that someone needs a human; one failed inbox neither stops the others nor fails the turn.</summary>
    private async Task NotifyTeamAsync(CareItem item)
    {
        var members = _team.Keys.ToList();
        var failures = await Task.WhenAll(members.Select(async member =>
        {
            try
            {
                var notification = new UserNotification(Guid.CreateVersion7(item.CreatedAt), CareNotifications.Kind, CareNotifications.Title, CareNotifications.Body(item.Level, item.Id), item.CreatedAt);
                await GrainFactory.GetGrain<INotificationInboxGrain>(member).NotifyAsync(notification);
                return 0;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                CareQueueLog.NotifyFailed(logger, item.Id, member, exception);
                return 1;
            }
        }));
        if (failures.Sum() is var failed && failed > 0)
        {
            CareQueueLog.SomeNotNotified(logger, item.Id, failed, members.Count);
        }
    }

    private static string Key(Guid id) => id.ToString("D");
}

internal static partial class CareQueueLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Care item {ItemId}: the inbox of care-team member {Member} could not be notified")]
    public static partial void NotifyFailed(ILogger logger, Guid itemId, Guid member, Exception exception);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Error, Message = "Care item {ItemId}: {Failed} of {Members} care-team members were not notified")]
    public static partial void SomeNotNotified(ILogger logger, Guid itemId, int failed, int members);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Information, Message = "Care team: {Enlisted} earlier holders of the care-team role enlisted to be told of new items")]
    public static partial void TeamBackfilled(ILogger logger, int enlisted);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Error, Message = "Care team: enlisting earlier holders of the care-team role failed; it is tried again with the next item")]
    public static partial void BackfillFailed(ILogger logger, Exception exception);
}
