using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Attention;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Focus;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Grains.Observers;
using Mindspace.Grains.Records;
using NodaTime;

namespace Mindspace.Grains.Focus;

/// <summary>An unlock: a site let through on every device until a time.</summary>
[GenerateSerializer, Immutable, Alias("ms.state.FocusUnlock")]
public sealed record FocusUnlock(string Site, DateTimeOffset At, DateTimeOffset Until);

/// <summary>Stored state of <see cref="FocusGrain"/>. Dismissals are rows.</summary>
[GenerateSerializer, Alias("ms.state.FocusState")]
public sealed class FocusState
{
    [Id(0)]
    public int UnlocksPerDay { get; set; } = FocusRules.DefaultUnlocksPerDay;

    [Id(1)]
    public List<FocusRule> Rules { get; set; } = [];

    /// <summary>Unlocks of the last two days (older ones are dropped when a new one is added).</summary>
    [Id(2)]
    public List<FocusUnlock> Unlocks { get; set; } = [];

    /// <summary>Every session of the user, oldest first.</summary>
    [Id(3)]
    public List<Guid> Sessions { get; set; } = [];

    [Id(4)]
    public Guid? ActiveSessionId { get; set; }

    [Id(5)]
    public string? ActiveStrictness { get; set; }

    [Id(6)]
    public bool ActivePaused { get; set; }

    /// <summary>
    /// The local date <see cref="Attempts"/> counted for (yyyy-MM-dd). Attempts are rows in
    /// <c>focus_attempts</c> now; these two are only read, so counts stored before stay counted.
    /// </summary>
    [Id(7)]
    public string AttemptsDay { get; set; } = "";

    /// <summary>Paused or blocked visits per site on <see cref="AttemptsDay"/> (read only, see there).</summary>
    [Id(8)]
    public Dictionary<string, int> Attempts { get; set; } = [];

    /// <summary>Grows by one with every session start, pause, resume and end (see <see cref="FocusSessionUpdate"/>).</summary>
    [Id(9)]
    public long SessionVersion { get; set; }

    /// <summary>Grain ids of the gateway processes subscribed to session changes.</summary>
    [Id(10)]
    public List<string> Observers { get; set; } = [];
}

/// <inheritdoc cref="IFocusGrain"/>
/// <remarks>
/// Decisions read memory and the attention grain's in-memory recent hours, and write nothing before
/// they answer. A pause or block counts an attempt in memory (so <c>attemptsToday</c> is exact at
/// once); the count's row (one per site and local day, <c>focus_attempts</c>) is written behind the
/// answers, in a batch, by a timer every <see cref="AttemptsFlushIntervalKey"/> (1 s) and when the
/// activation deactivates. A deactivation or a graceful silo stop loses nothing; a crash loses at
/// most the attempts counted since the last flush (statistics, not anything the person wrote).
/// </remarks>
public sealed class FocusGrain(
    [PersistentState("focus")] IPersistentState<FocusState> focus,
    [RecordCollection("focus_dismissals")] IRecordCollection<Dismissal> dismissals,
    [RecordCollection("focus_attempts")] IRecordCollection<FocusAttempts> attempts,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock,
    IConfiguration configuration) : Grain, IFocusGrain
{
    /// <summary>Milliseconds between writes of counted attempts (default 1,000).</summary>
    public const string AttemptsFlushIntervalKey = "FOCUS_ATTEMPTS_FLUSH_MS";

    private static readonly TimeSpan DefaultAttemptsFlushInterval = TimeSpan.FromSeconds(1);

    private const int ReadBatch = 500;

    // Real time, not product time: this is about gateways still being there (tests move the product clock by days).
    private readonly ObserverSubscriptions<IFocusSessionObserver> _observers = new(FocusSessionDelivery.ObserverExpiry, TimeProvider.System);
    /// <summary>How many days of attempt rows are kept.</summary>
    private const int AttemptDaysKept = 30;

    /// <summary>Today's attempts per site, for <see cref="_attemptsDay"/>; loaded from the rows when the day changes.</summary>
    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private string? _attemptsDay;
    private long _lastDismissalMs;

    /// <summary>Attempt rows counted since the last flush, by row key; each holds the newest count of its site and day.</summary>
    private readonly Dictionary<string, FocusAttempts> _unflushed = new(StringComparer.Ordinal);

    /// <summary>The rows the flush under way is writing (null when none runs).</summary>
    private Dictionary<string, FocusAttempts>? _flushing;

    /// <summary>The latest flush (done or under way).</summary>
    private Task? _flush;
    private IGrainTimer? _flushTimer;

    /// <summary>The rule sets with their patterns taken apart, built on the first decision after a change (see <see cref="WriteAsync"/>).</summary>
    private CompiledRule[]? _compiled;

    /// <summary>Registrable domains of the hosts decided lately: the Public Suffix lookup is not repeated per request.</summary>
    private readonly Dictionary<string, string> _siteOfHost = new(StringComparer.Ordinal);
    private const int SitesRemembered = 512;

    /// <summary>
    /// What the friction watch saw last: the limited rule sets whose limit was reached, and the locked
    /// rule sets (null: not looked yet). See <see cref="EnsureWatchingAsync"/>.
    /// </summary>
    private FrictionWatch? _watched;
    private IGrainTimer? _watchTimer;

    /// <summary>The longest the friction watch sleeps while a gateway listens (the product clock may jump in tests).</summary>
    private static readonly TimeSpan MaxWatchInterval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MinWatchInterval = TimeSpan.FromSeconds(1);

    private Guid UserId => this.GetPrimaryKey();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _observers.Restore(focus.State.Observers, GrainFactory);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Whatever was counted since the last flush is written now: a deactivation loses no attempt.
        _flushTimer?.Dispose();
        _flushTimer = null;
        _watchTimer?.Dispose();
        _watchTimer = null;
        await FlushAttemptsAsync(cancellationToken);
    }

    public async Task<FocusRule> CreateRuleAsync(FocusRuleDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (focus.State.Rules.Count >= FocusRules.MaxRules)
        {
            throw new ArgumentException($"At most {FocusRules.MaxRules} rule sets.", nameof(draft));
        }

        var now = clock.GetUtcNow();
        var rule = new FocusRule(
            Guid.CreateVersion7(now), draft.Name, draft.Sites, draft.Allow, draft.Schedule, draft.Limit, draft.Action, draft.PauseSeconds, draft.LockedUntil, draft.Enabled, now, now);
        focus.State.Rules.Add(rule);
        await WriteAsync();
        await FrictionChangedAsync(rule.LockedUntil > now ? FrictionCauses.Lockdown : FrictionCauses.Rules);
        return rule;
    }

    public Task<IReadOnlyList<FocusRule>> GetRulesAsync() => Task.FromResult<IReadOnlyList<FocusRule>>([.. focus.State.Rules]);

    public Task<FocusRule?> GetRuleAsync(Guid id) => Task.FromResult(focus.State.Rules.Find(r => r.Id == id));

    public async Task<RuleChange> UpdateRuleAsync(Guid id, FocusRulePatch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var index = focus.State.Rules.FindIndex(r => r.Id == id);
        if (index < 0)
        {
            return new RuleChange(RuleChangeStatus.NotFound, null, null);
        }

        var rule = focus.State.Rules[index];
        var now = clock.GetUtcNow();
        var changed = rule with
        {
            Name = patch.Name ?? rule.Name,
            Sites = patch.Sites ?? rule.Sites,
            Allow = patch.Allow ?? rule.Allow,
            Schedule = patch.SetSchedule ? patch.Schedule : rule.Schedule,
            Limit = patch.SetLimit ? patch.Limit : rule.Limit,
            Action = patch.Action ?? rule.Action,
            PauseSeconds = patch.PauseSeconds ?? rule.PauseSeconds,
            LockedUntil = patch.SetLockedUntil ? patch.LockedUntil : rule.LockedUntil,
            Enabled = patch.Enabled ?? rule.Enabled,
            UpdatedAt = now,
        };

        if (rule.LockedUntil > now && FocusRules.Loosens(rule, changed) is { } reason)
        {
            return new RuleChange(RuleChangeStatus.Locked, rule, reason);
        }

        focus.State.Rules[index] = changed;
        await WriteAsync();
        var lockBegins = changed.LockedUntil > now && !(rule.LockedUntil > now);
        await FrictionChangedAsync(lockBegins ? FrictionCauses.Lockdown : FrictionCauses.Rules);
        return new RuleChange(RuleChangeStatus.Changed, changed, null);
    }

    public async Task<RuleChange> DeleteRuleAsync(Guid id)
    {
        var rule = focus.State.Rules.Find(r => r.Id == id);
        if (rule is null)
        {
            return new RuleChange(RuleChangeStatus.NotFound, null, null);
        }

        if (rule.LockedUntil > clock.GetUtcNow())
        {
            return new RuleChange(RuleChangeStatus.Locked, rule, "A locked rule stays until its lock ends.");
        }

        focus.State.Rules.Remove(rule);
        await WriteAsync();
        await FrictionChangedAsync(FrictionCauses.Rules);
        return new RuleChange(RuleChangeStatus.Changed, null, null);
    }

    public async Task<FocusDecision> DecideAsync(DecisionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var zone = CheckInTimeZones.FindOrUtc(request.TimeZone);
        var now = clock.GetUtcNow();
        var site = SiteOf(request.Host);
        var (dayStart, hourStart) = Today(now, zone);
        var day = await LoadAttemptsAsync(now, zone);

        var attention = GrainFactory.GetGrain<IAttentionGrain>(UserId);
        var usage = await attention.GetUsageAsync(dayStart, hourStart);
        var usedToday = (int)(usage.TodaySeconds.GetValueOrDefault(site) / 60);

        if (focus.State.Unlocks.Find(u => u.Site == site && u.Until > now) is { } unlock)
        {
            return new FocusDecision(FocusRules.Allow, 0, null, $"You unlocked {site} until {unlock.Until:HH:mm} UTC.", usedToday, Attempts(site));
        }

        string action = FocusRules.Allow;
        var delay = 0;
        FocusRule? decidingRule = null;
        var reason = "Nothing stands in the way.";
        var allowed = false;
        var limitCrossed = false;
        foreach (var compiled in _compiled ??= [.. focus.State.Rules.Select(CompiledRule.Of)])
        {
            var rule = compiled.Rule;
            if (!rule.Enabled
                || !compiled.Matches(request.Host, request.Path)
                || !FocusRules.IsScheduled(rule.Schedule, now, zone))
            {
                continue;
            }

            if (rule.Action == FocusRules.Allow)
            {
                allowed = true;
                decidingRule ??= rule;
                continue;
            }

            long used = 0;
            if (rule.Limit is { } limit)
            {
                used = compiled.LimitUsed(usage);
                var reached = used >= limit.Minutes * 60L;
                if (_watched is { } watched && reached != watched.ReachedLimits.Contains(rule.Id))
                {
                    // Reached (or free again) since the friction watch last looked: the other devices hear of it now.
                    limitCrossed = true;
                    _ = reached ? watched.ReachedLimits.Add(rule.Id) : watched.ReachedLimits.Remove(rule.Id);
                }

                if (!reached)
                {
                    continue;
                }
            }

            var stricter = FocusRules.Severity(rule.Action) > FocusRules.Severity(action)
                || (rule.Action == action && rule.Action == FocusRules.Pause && rule.PauseSeconds > delay);
            if (stricter)
            {
                action = rule.Action;
                delay = rule.Action == FocusRules.Pause ? rule.PauseSeconds : 0;
                decidingRule = rule;
                // Built for the rule set that decides only: a site under several is not worded once per rule set.
                reason = ReasonOf(rule, site, used);
            }
        }

        if (limitCrossed)
        {
            Push(FrictionCauses.Limit);
        }

        if (action == FocusRules.Allow && allowed)
        {
            reason = $"“{decidingRule!.Name}” lets {site} through.";
        }

        if (focus.State is { ActiveSessionId: not null, ActivePaused: false } && !allowed)
        {
            var categories = (await attention.GetSettingsAsync()).Categories;
            if (SiteCategories.Of(site, categories) == SiteCategories.Distracting)
            {
                var (sessionAction, sessionDelay) = SessionFriction(focus.State.ActiveStrictness);
                if (FocusRules.Severity(sessionAction) > FocusRules.Severity(action) || (sessionAction == action && sessionDelay > delay))
                {
                    action = sessionAction;
                    delay = sessionDelay;
                    decidingRule = null;
                    reason = $"You're in a focus session. {site} will still be there when it ends.";
                }
            }
        }

        if (action != FocusRules.Allow)
        {
            // Counted in memory, exact for this answer; the row is written behind it (see FlushAttemptsAsync).
            var count = Attempts(site) + 1;
            _attempts[site] = count;
            _unflushed[AttemptKey(day, site)] = new FocusAttempts(day, site, count);
            _flushTimer ??= StartAttemptsFlushTimer();
        }

        return new FocusDecision(action, delay, decidingRule?.Id, reason, usedToday, Attempts(site));
    }

    public async Task<FrictionNow> GetFrictionAsync(string timeZone)
    {
        var zone = CheckInTimeZones.FindOrUtc(timeZone);
        var now = clock.GetUtcNow();
        var (dayStart, hourStart) = Today(now, zone);
        var attention = GrainFactory.GetGrain<IAttentionGrain>(UserId);
        var limited = focus.State.Rules.Any(r => r.Enabled && r.Limit is not null && r.Action != FocusRules.Allow);
        var usage = limited ? await attention.GetUsageAsync(dayStart, hourStart) : null;

        var armed = new List<ArmedSites>();
        var allowNow = new List<string>();
        DateTimeOffset? until = null;
        void Due(DateTimeOffset? at)
        {
            if (at > now && (until is null || at < until))
            {
                until = at;
            }
        }

        foreach (var rule in focus.State.Rules.Where(r => r.Enabled))
        {
            Due(FocusRules.NextScheduleBoundary(rule.Schedule, now, zone));
            if (!FocusRules.IsScheduled(rule.Schedule, now, zone))
            {
                continue;
            }

            if (rule.Action == FocusRules.Allow)
            {
                allowNow.AddRange(rule.Sites);
                continue;
            }

            if (rule.Limit is { } limit)
            {
                var used = LimitUsed(rule, usage!);
                if (used < limit.Minutes * 60L)
                {
                    // Reached at the earliest once the rest of the limit is spent on its sites.
                    Due(now.AddSeconds(limit.Minutes * 60L - used));
                    continue;
                }

                Due(limit.Per == FocusRules.PerHour ? AttentionSummaries.LocalHourStart(now, zone).Next : AttentionSummaries.LocalDayStart(now, zone).Next);
            }

            armed.Add(new ArmedSites(rule.Id, rule.Action, rule.Sites, rule.Allow));
        }

        if (focus.State is { ActiveSessionId: not null, ActivePaused: false })
        {
            var distracting = SiteCategories.SitesIn(SiteCategories.Distracting, (await attention.GetSettingsAsync()).Categories);
            if (distracting.Count > 0)
            {
                armed.Add(new ArmedSites(null, SessionFriction(focus.State.ActiveStrictness).Action, distracting, [.. allowNow.Distinct(StringComparer.Ordinal)]));
            }
        }

        var unlocks = focus.State.Unlocks.Where(u => u.Until > now).Select(u => new LiveUnlock(u.Site, u.Until)).ToList();
        foreach (var unlock in unlocks)
        {
            Due(unlock.Until);
        }

        return new FrictionNow(now, armed, unlocks, until);
    }

    public async Task<UnlockResult> UnlockAsync(string site, int minutes, string reason, string timeZone)
    {
        var zone = CheckInTimeZones.FindOrUtc(timeZone);
        var now = clock.GetUtcNow();
        var (dayStart, _) = Today(now, zone);
        var today = focus.State.Unlocks.Count(u => u.At >= dayStart);
        var cap = focus.State.UnlocksPerDay;
        var locked = focus.State.Rules.FirstOrDefault(r => r.LockedUntil > now && r.Action != FocusRules.Allow && r.Enabled && r.Sites.Any(p => FocusRules.CoversSite(p, site)));
        if (locked is not null)
        {
            return new UnlockResult(UnlockStatus.Locked, site, null, today, cap, $"“{locked.Name}” is locked until {locked.LockedUntil:yyyy-MM-dd HH:mm} UTC.");
        }

        if (today >= cap)
        {
            return new UnlockResult(UnlockStatus.DailyCapReached, site, null, today, cap, "You've used today's unlocks.");
        }

        var until = now.AddMinutes(minutes);
        focus.State.Unlocks.RemoveAll(u => u.Until < now.AddDays(-2));
        focus.State.Unlocks.Add(new FocusUnlock(site, now, until));
        await WriteAsync();
        await FrictionChangedAsync(FrictionCauses.Unlock);
        return new UnlockResult(UnlockStatus.Unlocked, site, until, today + 1, cap, null);
    }

    public async Task<DismissResult> DismissAsync(string site, string timeZone)
    {
        var zone = CheckInTimeZones.FindOrUtc(timeZone);
        var now = clock.GetUtcNow();
        var ms = Math.Max(now.ToUnixTimeMilliseconds(), _lastDismissalMs + 1);
        if (_lastDismissalMs == 0)
        {
            var newest = await dismissals.QueryAsync(new RecordQuery(Descending: true, Limit: 1));
            ms = Math.Max(ms, newest.Count == 0 ? 0 : long.Parse(newest[0].Key, CultureInfo.InvariantCulture) + 1);
        }

        _lastDismissalMs = ms;
        await dismissals.PutAsync(KeyOf(ms), new Dismissal(site, now));
        var (dayStart, _) = Today(now, zone);
        var today = await dismissals.QueryAsync(new RecordQuery(Limit: 10_000, From: KeyOf(dayStart.ToUnixTimeMilliseconds())));
        return new DismissResult(site, today.Count(d => d.Value.Site == site));
    }

    public async Task<int> CountDismissalsAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var count = 0;
        string? after = null;
        while (true)
        {
            var batch = await dismissals.QueryAsync(new RecordQuery(after, Limit: ReadBatch, From: KeyOf(from.ToUnixTimeMilliseconds()), To: KeyOf(to.ToUnixTimeMilliseconds())));
            count += batch.Count;
            if (batch.Count < ReadBatch)
            {
                return count;
            }

            after = batch[^1].Key;
        }
    }

    public Task<FocusSettings> GetSettingsAsync() => Task.FromResult(new FocusSettings(focus.State.UnlocksPerDay));

    public async Task<FocusSettings> UpdateSettingsAsync(FocusSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        focus.State.UnlocksPerDay = Math.Clamp(settings.UnlocksPerDay, 0, FocusRules.MaxUnlocksPerDay);
        await WriteAsync();
        return new FocusSettings(focus.State.UnlocksPerDay);
    }

    public async Task<SessionChange> StartSessionAsync(int plannedMinutes, string strictness)
    {
        if (focus.State.ActiveSessionId is { } active)
        {
            return new SessionChange(SessionChangeStatus.Conflict, await Session(active).GetAsync(), "A focus session is already on. End it before starting another.");
        }

        var id = Guid.CreateVersion7(clock.GetUtcNow());
        var view = await Session(id).StartAsync(UserId, plannedMinutes, strictness);
        focus.State.Sessions.Add(id);
        focus.State.ActiveSessionId = id;
        focus.State.ActiveStrictness = strictness;
        focus.State.ActivePaused = false;
        await WriteSessionChangeAsync(view);
        return new SessionChange(SessionChangeStatus.Changed, view, null);
    }

    public Task<SessionChange> PauseSessionAsync(Guid sessionId) => ChangeActiveAsync(sessionId, paused: true);

    public Task<SessionChange> ResumeSessionAsync(Guid sessionId) => ChangeActiveAsync(sessionId, paused: false);

    public async Task<SessionChange> EndSessionAsync(Guid sessionId)
    {
        if (!focus.State.Sessions.Contains(sessionId))
        {
            return new SessionChange(SessionChangeStatus.NotFound, null, null);
        }

        var view = await Session(sessionId).EndAsync();
        if (focus.State.ActiveSessionId == sessionId)
        {
            focus.State.ActiveSessionId = null;
            focus.State.ActiveStrictness = null;
            focus.State.ActivePaused = false;
            await WriteSessionChangeAsync(view);
        }

        return new SessionChange(SessionChangeStatus.Changed, view, null);
    }

    public async Task<FocusSessionView?> GetActiveSessionAsync()
        => focus.State.ActiveSessionId is { } active ? await Session(active).GetAsync() : null;

    public async Task<FocusSessionView?> GetSessionAsync(Guid sessionId)
        => focus.State.Sessions.Contains(sessionId) ? await Session(sessionId).GetAsync() : null;

    public async Task<IReadOnlyList<FocusSessionView>> GetSessionHistoryAsync(int limit)
    {
        var ids = focus.State.Sessions.AsEnumerable().Reverse().Take(Math.Clamp(limit, 1, 100));
        var views = await Task.WhenAll(ids.Select(id => Session(id).GetAsync()));
        return [.. views.OfType<FocusSessionView>()];
    }

    public Task<bool> OwnsSessionAsync(Guid sessionId) => Task.FromResult(focus.State.Sessions.Contains(sessionId));

    public async Task<FocusSessionUpdate> SubscribeAsync(IFocusSessionObserver observer, long knownVersion)
    {
        if (_observers.Subscribe(observer))
        {
            await WriteAsync();
        }

        await EnsureWatchingAsync();
        var version = focus.State.SessionVersion;
        if (version == knownVersion || focus.State.Sessions.Count == 0)
        {
            return new FocusSessionUpdate(version, null);
        }

        // The latest change is always to the newest session: only one runs at a time, and ending an
        // ended one changes nothing.
        return new FocusSessionUpdate(version, await Session(focus.State.Sessions[^1]).GetAsync());
    }

    public async Task UnsubscribeAsync(IFocusSessionObserver observer)
    {
        if (_observers.Unsubscribe(observer))
        {
            await WriteAsync();
        }
    }

    public async Task<FocusExport> ExportAsync()
    {
        var all = new List<Dismissal>();
        string? after = null;
        while (true)
        {
            var batch = await dismissals.QueryAsync(new RecordQuery(after, Limit: ReadBatch));
            all.AddRange(batch.Select(r => r.Value));
            if (batch.Count < ReadBatch)
            {
                break;
            }

            after = batch[^1].Key;
        }

        var attemptRows = new SortedDictionary<string, FocusAttempts>(StringComparer.Ordinal);
        after = null;
        while (true)
        {
            var batch = await attempts.QueryAsync(new RecordQuery(after, Limit: ReadBatch));
            foreach (var row in batch)
            {
                attemptRows[row.Key] = row.Value;
            }

            if (batch.Count < ReadBatch)
            {
                break;
            }

            after = batch[^1].Key;
        }

        // Counted but not written yet: the export says what the person's counts are now.
        foreach (var (key, row) in PendingAttempts())
        {
            if (!attemptRows.TryGetValue(key, out var stored) || stored.Count < row.Count)
            {
                attemptRows[key] = row;
            }
        }

        var sessions = await Task.WhenAll(focus.State.Sessions.Select(id => Session(id).GetAsync()));
        return new FocusExport(new FocusSettings(focus.State.UnlocksPerDay), [.. focus.State.Rules], all, [.. sessions.OfType<FocusSessionView>()], [.. attemptRows.Values]);
    }

    public async Task EraseAsync()
    {
        foreach (var id in focus.State.Sessions)
        {
            await Session(id).EraseAsync();
        }

        // No flush may write a row back after the clear: stop the timer, let a write under way end, drop the rest.
        _flushTimer?.Dispose();
        _flushTimer = null;
        await WaitForFlushAsync();
        _unflushed.Clear();
        await dismissals.ClearAsync();
        await attempts.ClearAsync();
        await focus.ClearStateAsync();
        focus.State = new FocusState();
        _compiled = null;
        _observers.Clear();
        _watchTimer?.Dispose();
        _watchTimer = null;
        _watched = null;
        _attempts.Clear();
        _attemptsDay = null;
        _lastDismissalMs = 0;
    }

    private async Task<SessionChange> ChangeActiveAsync(Guid sessionId, bool paused)
    {
        if (!focus.State.Sessions.Contains(sessionId))
        {
            return new SessionChange(SessionChangeStatus.NotFound, null, null);
        }

        if (focus.State.ActiveSessionId != sessionId)
        {
            return new SessionChange(SessionChangeStatus.Conflict, await Session(sessionId).GetAsync(), "This session has ended.");
        }

        var view = paused ? await Session(sessionId).PauseAsync() : await Session(sessionId).ResumeAsync();
        focus.State.ActivePaused = paused;
        await WriteSessionChangeAsync(view);
        return new SessionChange(SessionChangeStatus.Changed, view, null);
    }

    /// <summary>What a running session does to a distracting site.</summary>
    private static (string Action, int DelaySeconds) SessionFriction(string? strictness) => strictness switch
    {
        FocusRules.Strict => (FocusRules.Block, 0),
        FocusRules.Firm => (FocusRules.Pause, 30),
        _ => (FocusRules.Pause, 10),
    };

    private string SiteOf(string host)
    {
        if (!_siteOfHost.TryGetValue(host, out var site))
        {
            if (_siteOfHost.Count >= SitesRemembered)
            {
                _siteOfHost.Clear();
            }

            site = Sites.RegistrableDomain(host);
            _siteOfHost[host] = site;
        }

        return site;
    }

    /// <summary>Why <paramref name="rule"/> holds <paramref name="site"/> back; <paramref name="used"/>: seconds counted against its limit, if it has one.</summary>
    private static string ReasonOf(FocusRule rule, string site, long used) => rule.Limit switch
    {
        { Per: FocusRules.PerHour } limit => $"You've had {used / 60} minutes of “{rule.Name}” this hour; the limit you chose is {limit.Minutes}.",
        { } limit => $"You've had {used / 60} minutes of “{rule.Name}” today; the limit you chose is {limit.Minutes}.",
        null when rule.Action == FocusRules.Block => $"“{rule.Name}” keeps {site} closed right now.",
        null => $"“{rule.Name}” asks for a breath before {site}.",
    };

    /// <summary>A rule set with its site and exception patterns parsed once.</summary>
    private sealed class CompiledRule(FocusRule rule, SitePattern[] sites, SitePattern[] allow)
    {
        public FocusRule Rule { get; } = rule;

        public static CompiledRule Of(FocusRule rule)
            => new(rule, [.. rule.Sites.Select(SitePattern.Parse)], [.. rule.Allow.Select(SitePattern.Parse)]);

        /// <summary>Whether one of the sites covers the address and no exception does.</summary>
        public bool Matches(string host, string path)
        {
            var covered = false;
            foreach (var pattern in sites)
            {
                if (pattern.Matches(host, path))
                {
                    covered = true;
                    break;
                }
            }

            if (!covered)
            {
                return false;
            }

            foreach (var pattern in allow)
            {
                if (pattern.Matches(host, path))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Seconds of attention on the rule's sites in its limit's hour or day.</summary>
        public long LimitUsed(SiteUsage usage)
        {
            var totals = Rule.Limit?.Per == FocusRules.PerHour ? usage.HourSeconds : usage.TodaySeconds;
            long used = 0;
            foreach (var (site, seconds) in totals)
            {
                foreach (var pattern in sites)
                {
                    if (pattern.CoversSite(site))
                    {
                        used += seconds;
                        break;
                    }
                }
            }

            return used;
        }
    }

    /// <summary>Seconds of attention on the rule's sites in its limit's hour or day.</summary>
    private static long LimitUsed(FocusRule rule, SiteUsage usage)
    {
        var totals = rule.Limit?.Per == FocusRules.PerHour ? usage.HourSeconds : usage.TodaySeconds;
        return totals.Where(t => rule.Sites.Any(p => FocusRules.CoversSite(p, t.Key))).Sum(t => t.Value);
    }

    private IFocusSessionGrain Session(Guid id) => GrainFactory.GetGrain<IFocusSessionGrain>(id);

    private int Attempts(string site) => _attempts.GetValueOrDefault(site);

    /// <summary>Makes memory hold the attempts of the user's local day at <paramref name="now"/>, read from the rows the first time.</summary>
    /// <returns>That day (yyyy-MM-dd).</returns>
    private async Task<string> LoadAttemptsAsync(DateTimeOffset now, DateTimeZone zone)
    {
        var date = Instant.FromDateTimeOffset(now).InZone(zone).Date;
        var day = DayOf(date);
        if (_attemptsDay == day)
        {
            return day;
        }

        _attempts.Clear();
        // Counts of that day not written yet (the zone changed back and forth), taken before and after the
        // read, since a flush may end while it runs; counts of a day only grow, so the largest is the newest.
        var pending = PendingAttempts().Where(p => p.Value.Day == day).Select(p => p.Value).ToList();
        var rows = await attempts.QueryAsync(new RecordQuery(Limit: 10_000, From: AttemptKey(day, ""), To: AttemptKey(DayOf(date.PlusDays(1)), "")));
        foreach (var row in rows.Select(r => r.Value).Where(r => r.Day == day).Concat(pending).Concat(PendingAttempts().Select(p => p.Value).Where(p => p.Day == day)))
        {
            _attempts[row.Site] = Math.Max(row.Count, _attempts.GetValueOrDefault(row.Site));
        }

        if (focus.State.AttemptsDay == day)
        {
            // Counted before attempts were rows.
            foreach (var (site, count) in focus.State.Attempts)
            {
                _attempts[site] = Math.Max(count, _attempts.GetValueOrDefault(site));
            }
        }

        _attemptsDay = day;

        // Days long past go, a few at a time, so the table stays small without a sweep of its own.
        var old = await attempts.QueryAsync(new RecordQuery(Limit: 50, To: AttemptKey(DayOf(date.PlusDays(-AttemptDaysKept)), "")));
        foreach (var row in old)
        {
            await attempts.RemoveAsync(row.Key);
        }

        return day;
    }

    private IGrainTimer StartAttemptsFlushTimer()
    {
        var interval = int.TryParse(configuration[AttemptsFlushIntervalKey], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : DefaultAttemptsFlushInterval;

        // Interleave: decisions go on while a flush waits for storage. A flush touches only the batch it
        // took out of _unflushed before its first await, and one flush runs at a time (FlushAttemptsAsync).
        return this.RegisterGrainTimer(FlushAttemptsAsync, new GrainTimerCreationOptions(interval, interval) { Interleave = true, KeepAlive = false });
    }

    /// <summary>Writes the attempt rows counted since the last flush, one upsert per site and day touched, all at once.</summary>
    private async Task FlushAttemptsAsync(CancellationToken cancellationToken)
    {
        // One flush at a time, so an older count of a row is never written after a newer one.
        await WaitForFlushAsync();
        if (_unflushed.Count == 0)
        {
            return;
        }

        // Takes the batch before its first await; no other turn runs between that and this assignment.
        var flush = WriteBatchAsync(cancellationToken);
        _flush = flush;
        await flush;
    }

    private async Task WriteBatchAsync(CancellationToken cancellationToken)
    {
        var batch = new Dictionary<string, FocusAttempts>(_unflushed, StringComparer.Ordinal);
        _unflushed.Clear();
        _flushing = batch;
        try
        {
            // On the thread pool: SQLite's provider runs a statement synchronously, which inside the
            // grain's turn would hold every decision while the disk commits. Only storage is touched there.
            // The rows go out together, not one after another: the store's group commit then takes them
            // in one or two commits (one batch on PostgreSQL) instead of one per site.
            await Task.Run(
                () => Task.WhenAll(batch.Select(entry => attempts.PutAsync(entry.Key, entry.Value, cancellationToken))),
                CancellationToken.None);
        }
        catch
        {
            // Back in line for the next flush, unless a newer count of the row is already waiting.
            foreach (var (key, row) in batch)
            {
                _unflushed.TryAdd(key, row);
            }

            throw;
        }
        finally
        {
            _flushing = null;
        }
    }

    /// <summary>Waits for the flush under way, if any (its failure is its own caller's to report).</summary>
    private async Task WaitForFlushAsync()
    {
        while (_flush is { IsCompleted: false } running)
        {
            try
            {
                await running;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Its rows went back to _unflushed; the flush that failed reported it.
            }
        }
    }

    /// <summary>Attempt rows counted but not yet written: those being written, then (newer) those waiting.</summary>
    private IEnumerable<KeyValuePair<string, FocusAttempts>> PendingAttempts()
        => (_flushing ?? []).Concat(_unflushed);

    private static string DayOf(LocalDate date) => date.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);

    /// <summary>Row key: the day first, so a day's rows are one range and old days sort first.</summary>
    private static string AttemptKey(string day, string site) => $"{day}|{site}";

    /// <summary>Stores a session change, then pushes it to every subscribed gateway.</summary>
    private async Task WriteSessionChangeAsync(FocusSessionView view)
    {
        focus.State.SessionVersion++;
        _observers.DropExpired();
        await WriteAsync();
        var update = new FocusSessionUpdate(focus.State.SessionVersion, view);
        foreach (var observer in _observers)
        {
            // One-way: returns once queued; a lost push is caught up at the gateway's next refresh.
            _ = observer.OnFocusSessionAsync(UserId, update);
        }
    }

    /// <summary>
    /// Tells every subscribed gateway that the friction in force changed (after the state write that
    /// changed it), then looks afresh at what the friction watch follows, so the change itself is not
    /// reported again as a limit or a lock.
    /// </summary>
    private async Task FrictionChangedAsync(string cause)
    {
        Push(cause);
        _watched = null;
        await EnsureWatchingAsync();
    }

    private void Push(string cause)
    {
        if (_observers.Count == 0)
        {
            return;
        }

        _observers.DropExpired();
        var change = new FrictionChange(cause, clock.GetUtcNow());
        foreach (var observer in _observers)
        {
            // One-way: returns once queued; a lost push is made good by the clients' periodic refresh.
            _ = observer.OnFrictionChangedAsync(UserId, change);
        }
    }

    /// <summary>
    /// While a gateway listens and a rule set has a limit or a lock: looks at which limits are reached and
    /// which rule sets are locked, pushes <c>limit</c> or <c>lockdown</c> if that changed since the last
    /// look, and sets the timer for when it may next change by itself (a limit reached at the earliest,
    /// a limit's hour or day ending, a lock running out). Nothing to follow or nobody listening: no timer.
    /// </summary>
    private async Task EnsureWatchingAsync()
    {
        if (_observers.Count == 0)
        {
            _watchTimer?.Dispose();
            _watchTimer = null;
            _watched = null;
            return;
        }

        var now = clock.GetUtcNow();
        var (seen, wake) = await LookAtFrictionAsync(now);
        if (_watched is { } before)
        {
            // Whoever looks (the timer, a gateway's refresh) reports what changed since the last look.
            if (!seen.ReachedLimits.SetEquals(before.ReachedLimits))
            {
                Push(FrictionCauses.Limit);
            }

            if (!seen.Locked.SetEquals(before.Locked))
            {
                Push(FrictionCauses.Lockdown);
            }
        }

        _watched = seen;
        if (wake is not { } at)
        {
            // No limit and no lock left to follow (the last lock may just have ended, pushed above).
            _watchTimer?.Dispose();
            _watchTimer = null;
            return;
        }

        var due = at - now;
        due = due < MinWatchInterval ? MinWatchInterval : due > MaxWatchInterval ? MaxWatchInterval : due;
        if (_watchTimer is null)
        {
            _watchTimer = this.RegisterGrainTimer(WatchFrictionAsync, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = false });
        }
        else
        {
            _watchTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The friction watch's wake-up: pushes when a limit or a lock changed what is in force.</summary>
    private Task WatchFrictionAsync(CancellationToken cancellationToken) => EnsureWatchingAsync();

    /// <summary>Which limits are reached and which rule sets are locked now, and when that may next change.</summary>
    private async Task<(FrictionWatch Seen, DateTimeOffset? Wake)> LookAtFrictionAsync(DateTimeOffset now)
    {
        // Limits count hours and days in the profile's zone, as every request does (the gateway passes the same one).
        var profile = await GrainFactory.GetGrain<IUserGrain>(UserId).GetProfileAsync();
        var zone = CheckInTimeZones.FindOrUtc(profile?.TimeZone);
        DateTimeOffset? wake = null;
        void Due(DateTimeOffset at)
        {
            if (at > now && (wake is null || at < wake))
            {
                wake = at;
            }
        }

        var reached = new HashSet<Guid>();
        var locked = new HashSet<Guid>();
        var limited = focus.State.Rules.Where(r => r.Enabled && r.Limit is not null && r.Action != FocusRules.Allow).ToList();
        if (limited.Count > 0)
        {
            var (dayStart, hourStart) = Today(now, zone);
            var usage = await GrainFactory.GetGrain<IAttentionGrain>(UserId).GetUsageAsync(dayStart, hourStart);
            foreach (var rule in limited)
            {
                var limit = rule.Limit!;
                var used = LimitUsed(rule, usage);
                if (used >= limit.Minutes * 60L)
                {
                    reached.Add(rule.Id);
                    Due(limit.Per == FocusRules.PerHour ? AttentionSummaries.LocalHourStart(now, zone).Next : AttentionSummaries.LocalDayStart(now, zone).Next);
                }
                else
                {
                    Due(now.AddSeconds(limit.Minutes * 60L - used));
                }
            }
        }

        foreach (var rule in focus.State.Rules.Where(r => r.Enabled && r.LockedUntil > now))
        {
            locked.Add(rule.Id);
            Due(rule.LockedUntil!.Value);
        }

        return (new FrictionWatch(reached, locked), wake);
    }

    /// <summary>What the friction watch compares between two looks.</summary>
    private sealed record FrictionWatch(HashSet<Guid> ReachedLimits, HashSet<Guid> Locked);

    private async Task WriteAsync()
    {
        // Every change to the rule sets is written: the matchers are rebuilt from them on the next decision.
        _compiled = null;
        focus.State.Observers = _observers.StoredIds();
        await focus.WriteStateAsync();
    }

    private static (DateTimeOffset DayStart, DateTimeOffset HourStart) Today(DateTimeOffset now, DateTimeZone zone)
        => (AttentionSummaries.LocalDayStart(now, zone).Start, AttentionSummaries.LocalHourStart(now, zone).Start);

    private static string KeyOf(long unixMilliseconds) => unixMilliseconds.ToString("D15", CultureInfo.InvariantCulture);
}
