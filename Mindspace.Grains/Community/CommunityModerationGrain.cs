using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Community;
using Mindspace.Grains.Interfaces.Safety;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Community;

/// <summary>Stored state of <see cref="CommunityModerationGrain"/>: the posts waiting for a person.</summary>
[GenerateSerializer, Alias("ms.state.community.ModerationState")]
public sealed class ModerationState
{
    [Id(0)]
    public List<HeldPost> Held { get; set; } = [];
}

/// <inheritdoc cref="ICommunityModerationGrain"/>
/// <remarks>
/// Reports are rows of <c>community_reports</c> (time-ordered ids) with one row per reporter and
/// target in <c>community_report_keys</c> so a second report is not counted twice; the log is rows of
/// <c>community_mod_log</c>. Open reports are kept in memory (read once on activation).
/// </remarks>
public sealed class CommunityModerationGrain(
    [PersistentState("community-moderation")] IPersistentState<ModerationState> state,
    [RecordCollection("community_reports")] IRecordCollection<Report> reports,
    [RecordCollection("community_report_keys")] IRecordCollection<Guid> reportKeys,
    [RecordCollection("community_mod_log")] IRecordCollection<ModerationLogEntry> log,
    [RecordCollection("community_mod_latest")] IRecordCollection<ModerationLogEntry> latestActions,
    [RecordCollection("community_appeals")] IRecordCollection<Appeal> appeals,
    [RecordCollection("community_appeal_keys")] IRecordCollection<Guid> appealKeys,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock,
    IConfiguration configuration) : Grain, ICommunityModerationGrain
{
    private const int MaxOpenLoaded = 10_000;

    private readonly List<Report> _open = [];
    private readonly List<Appeal> _openAppeals = [];
    private long _lastMs;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        string? after = null;
        while (_open.Count < MaxOpenLoaded)
        {
            var batch = await reports.QueryAsync(new RecordQuery(after, Limit: 1_000), cancellationToken);
            _open.AddRange(batch.Select(r => r.Value).Where(r => r.Status == ReportStatuses.Open));
            if (batch.Count < 1_000)
            {
                break;
            }

            after = batch[^1].Key;
        }

        after = null;
        while (_openAppeals.Count < MaxOpenLoaded)
        {
            var batch = await appeals.QueryAsync(new RecordQuery(after, Limit: 1_000), cancellationToken);
            _openAppeals.AddRange(batch.Select(r => r.Value).Where(a => a.Status == AppealStatuses.Open));
            if (batch.Count < 1_000)
            {
                break;
            }

            after = batch[^1].Key;
        }
    }

    public async Task<bool> ReportAsync(NewReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var id = NextId();
        var dedupe = $"{report.PostId:D}-{report.CommentId?.ToString("D") ?? "post"}-{report.ReporterId:D}";
        if (!await reportKeys.AddAsync(dedupe, id))
        {
            return false;
        }

        var stored = new Report(id, report.PostId, report.CommentId, report.ReporterId, report.Reason, report.Note, clock.GetUtcNow(), ReportStatuses.Open, null, null, null);
        await reports.PutAsync(id.ToString("D"), stored);
        _open.Add(stored);
        return true;
    }

    public async Task<IReadOnlyList<Report>> ListReportsAsync(bool includeResolved, int limit)
    {
        var size = Math.Clamp(limit, 1, 500);
        if (!includeResolved)
        {
            return [.. _open.Take(size)];
        }

        var recent = await reports.QueryAsync(new RecordQuery(Descending: true, Limit: size));
        return [.. recent.Select(r => r.Value).Reverse()];
    }

    public async Task<ModerationLogEntry> RecordActionAsync(Guid actor, string action, Guid postId, Guid? commentId, string? reason)
    {
        var now = clock.GetUtcNow();
        var entry = new ModerationLogEntry(NextId(), actor, action, postId, commentId, reason, now);
        await log.PutAsync(entry.Id.ToString("D"), entry);

        if (action is ModerationActions.Hide or ModerationActions.Remove or ModerationActions.Restore or ModerationActions.Dismiss)
        {
            foreach (var open in _open.Where(r => r.PostId == postId && (commentId is null || r.CommentId == commentId)).ToList())
            {
                var resolved = open with { Status = ReportStatuses.Resolved, ResolvedBy = actor, ResolvedAt = now, Resolution = action };
                await reports.PutAsync(open.Id.ToString("D"), resolved);
                _open.Remove(open);
            }
        }

        if (action is ModerationActions.Hide or ModerationActions.Remove or ModerationActions.Restore or ModerationActions.AutoHide)
        {
            // The latest visibility action on each post and comment: what an appeal is bound to (one appeal per action).
            await latestActions.PutAsync(TargetKey(postId, commentId), entry);
        }

        if (action == ModerationActions.Restore)
        {
            // Restored anyway: an open appeal about it has its answer.
            foreach (var open in _openAppeals.Where(a => a.PostId == postId && a.CommentId == commentId).ToList())
            {
                await appeals.PutAsync(open.Id.ToString("D"), open with { Status = AppealStatuses.Restored, DecidedAt = now, DecidedBy = actor, Note = reason });
                _openAppeals.Remove(open);
            }
        }

        return entry;
    }

    public Task<string?> ReportReasonAsync(Guid postId, Guid? commentId)
        => Task.FromResult(_open
            .Where(r => r.PostId == postId && r.CommentId == commentId)
            .GroupBy(r => r.Reason, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .Select(g => g.Key)
            .FirstOrDefault());

    public async Task<AppealResult> AppealAsync(Guid appealId, Guid postId, Guid? commentId, string status, string message)
    {
        var target = TargetKey(postId, commentId);
        var latest = await latestActions.GetAsync(target);
        if (latest is not null && latest.Action is not (ModerationActions.Hide or ModerationActions.Remove or ModerationActions.AutoHide))
        {
            return new AppealResult(AppealOutcome.NothingToAppeal);
        }

        // Content hidden before appeals existed has no recorded action: its appeal is bound to the empty id.
        var actionId = latest?.Id ?? Guid.Empty;
        if (!await appealKeys.AddAsync($"{target}-{actionId:D}", appealId))
        {
            return new AppealResult(AppealOutcome.AlreadyDone);
        }

        var now = clock.GetUtcNow();
        var action = latest?.Action ?? (status == PostStatuses.Removed ? ModerationActions.Remove : ModerationActions.Hide);
        var appeal = new Appeal(appealId, postId, commentId, actionId, action, latest?.Reason, message, now, AppealStatuses.Open);
        await appeals.PutAsync(appealId.ToString("D"), appeal);
        _openAppeals.Add(appeal);

        // Logged by the system: a moderator's log must not tell who wrote an anonymous post.
        var entry = new ModerationLogEntry(NextId(), Guid.Empty, ModerationActions.Appeal, postId, commentId, null, now);
        await log.PutAsync(entry.Id.ToString("D"), entry);
        return new AppealResult(AppealOutcome.Done, appeal);
    }

    public async Task<IReadOnlyList<Appeal>> ListAppealsAsync(bool includeDecided, int limit)
    {
        var size = Math.Clamp(limit, 1, 500);
        if (!includeDecided)
        {
            return [.. _openAppeals.Take(size)];
        }

        var recent = await appeals.QueryAsync(new RecordQuery(Descending: true, Limit: size));
        return [.. recent.Select(r => r.Value).Reverse()];
    }

    public Task<Appeal?> GetAppealAsync(Guid appealId) => appeals.GetAsync(appealId.ToString("D"));

    public async Task<AppealResult> DecideAppealAsync(Guid appealId, Guid moderator, string decision, string note)
    {
        if (await appeals.GetAsync(appealId.ToString("D")) is not { } appeal)
        {
            return new AppealResult(AppealOutcome.NotFound);
        }

        if (appeal.Status != AppealStatuses.Open)
        {
            return new AppealResult(AppealOutcome.AlreadyDone, appeal);
        }

        var now = clock.GetUtcNow();
        var restore = decision == AppealDecisions.Restore;
        var decided = appeal with { Status = restore ? AppealStatuses.Restored : AppealStatuses.Upheld, DecidedAt = now, DecidedBy = moderator, Note = note };
        await appeals.PutAsync(appealId.ToString("D"), decided);
        _openAppeals.RemoveAll(a => a.Id == appealId);

        var entry = new ModerationLogEntry(NextId(), moderator, restore ? ModerationActions.AppealRestored : ModerationActions.AppealUpheld, appeal.PostId, appeal.CommentId, note, now);
        await log.PutAsync(entry.Id.ToString("D"), entry);
        return new AppealResult(AppealOutcome.Done, decided);
    }

    public async Task<IReadOnlyList<Appeal>> GetAppealsAsync(IReadOnlyList<Guid> appealIds)
    {
        ArgumentNullException.ThrowIfNull(appealIds);
        var found = new List<Appeal>(appealIds.Count);
        foreach (var id in appealIds.Distinct())
        {
            if (await appeals.GetAsync(id.ToString("D")) is { } appeal)
            {
                found.Add(appeal);
            }
        }

        return [.. found.OrderBy(a => a.CreatedAt)];
    }

    public async Task EraseAppealsAsync(IReadOnlyList<Guid> appealIds)
    {
        ArgumentNullException.ThrowIfNull(appealIds);
        foreach (var id in appealIds.Distinct())
        {
            if (await appeals.GetAsync(id.ToString("D")) is { } appeal)
            {
                var status = appeal.Status == AppealStatuses.Open ? AppealStatuses.Withdrawn : appeal.Status;
                await appeals.PutAsync(id.ToString("D"), appeal with { Message = null, Status = status });
                _openAppeals.RemoveAll(a => a.Id == id);
            }
        }
    }

    public async Task<IReadOnlyList<ModerationLogEntry>> LogAsync(int limit)
        => [.. (await log.QueryAsync(new RecordQuery(Descending: true, Limit: Math.Clamp(limit, 1, 500)))).Select(r => r.Value)];

    public async Task<ModerationLogEntry> RecordMemberActionAsync(Guid actor, string action, Guid member, string reason, DateTimeOffset? until)
    {
        var entry = new ModerationLogEntry(NextId(), actor, action, null, null, reason, clock.GetUtcNow(), member, until);
        await log.PutAsync(entry.Id.ToString("D"), entry);
        return entry;
    }

    public Task<bool> ShouldAutoHideAsync(Guid postId, Guid? commentId)
    {
        var threshold = ModerationSettings.From(key => configuration[key]).AutoHideReports;
        var reporters = _open.Where(r => r.PostId == postId && r.CommentId == commentId).Select(r => r.ReporterId).Distinct().Count();
        return Task.FromResult(threshold > 0 && reporters == threshold);
    }

    public async Task<IReadOnlyList<PublicLogEntry>> PublicLogAsync(int limit)
    {
        // Walks the log newest first, skipping what is not public (reveals, warnings, holds, dismissals), at most a few pages.
        var size = Math.Clamp(limit, 1, 500);
        var shown = new List<PublicLogEntry>(size);
        string? after = null;
        for (var page = 0; page < 10 && shown.Count < size; page++)
        {
            var batch = await log.QueryAsync(new RecordQuery(after, Descending: true, Limit: 500));
            foreach (var entry in batch.Select(r => r.Value).Where(e => ModerationActions.Public.Contains(e.Action)).Take(size - shown.Count))
            {
                var target = entry.MemberId is not null ? "member" : entry.CommentId is not null ? "comment" : "post";
                shown.Add(new PublicLogEntry(entry.Id, entry.Action, target, entry.MemberId is null ? entry.PostId : null, entry.Reason, entry.At, entry.Until));
            }

            if (batch.Count < 500)
            {
                break;
            }

            after = batch[^1].Key;
        }

        return shown;
    }

    public async Task SetHeldAsync(Guid postId, string status, RiskLevel level)
    {
        state.State.Held.RemoveAll(h => h.PostId == postId);
        state.State.Held.Add(new HeldPost(postId, status, level, clock.GetUtcNow()));
        await state.WriteStateAsync();
    }

    public async Task ReleaseAsync(Guid postId)
    {
        if (state.State.Held.RemoveAll(h => h.PostId == postId) > 0)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<HeldPost>> ListHeldAsync() => Task.FromResult<IReadOnlyList<HeldPost>>([.. state.State.Held]);

    private static string TargetKey(Guid postId, Guid? commentId)
        => commentId is { } comment ? $"{postId:D}-{comment:D}" : postId.ToString("D");

    private Guid NextId()
    {
        _lastMs = Math.Max(clock.GetUtcNow().ToUnixTimeMilliseconds(), _lastMs + 1);
        return Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(_lastMs));
    }
}
