namespace Mindspace.Grains.Interfaces.Focus;

/// <summary>When a rule applies: on these local weekdays, within these local time ranges.</summary>
/// <param name="Days">"mon" … "sun"; empty means every day.</param>
/// <param name="Ranges">Minutes of the local day; empty means all day.</param>
[GenerateSerializer, Immutable, Alias("ms.focus.FocusSchedule")]
public sealed record FocusSchedule(IReadOnlyList<string> Days, IReadOnlyList<MinuteRange> Ranges);

/// <summary>[From, To) in minutes of the local day; a range with To ≤ From runs past midnight.</summary>
[GenerateSerializer, Immutable, Alias("ms.focus.MinuteRange")]
public sealed record MinuteRange(int From, int To);

/// <summary>The rule acts only once this much attention went to its sites in the hour or the day.</summary>
/// <param name="Per">"hour" or "day" (local).</param>
[GenerateSerializer, Immutable, Alias("ms.focus.FocusLimit")]
public sealed record FocusLimit(int Minutes, string Per);

/// <summary>A rule set as its owner sees it.</summary>
/// <param name="Sites">Patterns: "example.com" (and its subdomains), "*.example.com" (subdomains only), optionally followed by a path prefix.</param>
/// <param name="Allow">Exceptions: addresses matching one of these are not covered by this rule.</param>
/// <param name="Action">"pause", "block" or "allow".</param>
/// <param name="PauseSeconds">How long the breathing pause lasts (for "pause").</param>
/// <param name="LockedUntil">Until then the rule can only be made stricter.</param>
[GenerateSerializer, Immutable, Alias("ms.focus.FocusRule")]
public sealed record FocusRule(
    Guid Id,
    string Name,
    IReadOnlyList<string> Sites,
    IReadOnlyList<string> Allow,
    FocusSchedule? Schedule,
    FocusLimit? Limit,
    string Action,
    int PauseSeconds,
    DateTimeOffset? LockedUntil,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A new rule set, already validated and normalised by <see cref="FocusRules"/>.</summary>
[GenerateSerializer, Immutable, Alias("ms.focus.FocusRuleDraft")]
public sealed record FocusRuleDraft(
    string Name,
    IReadOnlyList<string> Sites,
    IReadOnlyList<string> Allow,
    FocusSchedule? Schedule,
    FocusLimit? Limit,
    string Action,
    int PauseSeconds,
    DateTimeOffset? LockedUntil,
    bool Enabled);

/// <summary>What an edit changes: a null member stays as it is; the Set flags say whether a nullable member is replaced.</summary>
[GenerateSerializer, Immutable, Alias("ms.focus.FocusRulePatch")]
public sealed record FocusRulePatch(
    string? Name = null,
    IReadOnlyList<string>? Sites = null,
    IReadOnlyList<string>? Allow = null,
    bool SetSchedule = false,
    FocusSchedule? Schedule = null,
    bool SetLimit = false,
    FocusLimit? Limit = null,
    string? Action = null,
    int? PauseSeconds = null,
    bool SetLockedUntil = false,
    DateTimeOffset? LockedUntil = null,
    bool? Enabled = null);

[GenerateSerializer, Alias("ms.focus.RuleChangeStatus")]
public enum RuleChangeStatus
{
    Changed,
    NotFound,
    Locked,
}

/// <param name="Rule">The rule as it is now (when found).</param>
/// <param name="Reason">Why a locked rule refused the change.</param>
[GenerateSerializer, Immutable, Alias("ms.focus.RuleChange")]
public sealed record RuleChange(RuleChangeStatus Status, FocusRule? Rule, string? Reason);

/// <summary>What the browser should do with an address, decided from the user's rules, unlocks and focus session.</summary>
/// <param name="Action">"allow", "pause" or "block".</param>
/// <param name="DelaySeconds">The breathing pause before "open anyway" appears (0 unless pausing).</param>
/// <param name="RuleId">The rule that decided, if any.</param>
/// <param name="Reason">A calm sentence for the pause or block page.</param>
[GenerateSerializer, Immutable, Alias("ms.focus.FocusDecision")]
public sealed record FocusDecision(string Action, int DelaySeconds, Guid? RuleId, string Reason, int UsedTodayMinutes, int AttemptsToday);

/// <summary>The address being decided: host, path, and the user's zone for schedules and "today".</summary>
[GenerateSerializer, Immutable, Alias("ms.focus.DecisionRequest")]
public sealed record DecisionRequest(string Host, string Path, string TimeZone);

[GenerateSerializer, Alias("ms.focus.UnlockStatus")]
public enum UnlockStatus
{
    Unlocked,
    DailyCapReached,
    Locked,
}

[GenerateSerializer, Immutable, Alias("ms.focus.UnlockResult")]
public sealed record UnlockResult(UnlockStatus Status, string Site, DateTimeOffset? Until, int UnlocksToday, int UnlocksPerDay, string? Reason);

/// <summary>How many times one site was paused or blocked on one of the user's local days (yyyy-MM-dd).</summary>
[GenerateSerializer, Immutable, Alias("ms.focus.FocusAttempts")]
public sealed record FocusAttempts(string Day, string Site, int Count);

/// <summary>A recorded "I chose not to open it".</summary>
[GenerateSerializer, Immutable, Alias("ms.focus.Dismissal")]
public sealed record Dismissal(string Site, DateTimeOffset At);

[GenerateSerializer, Immutable, Alias("ms.focus.DismissResult")]
public sealed record DismissResult(string Site, int DismissedToday);

/// <summary>Settings for friction.</summary>
[GenerateSerializer, Immutable, Alias("ms.focus.FocusSettings")]
public sealed record FocusSettings(int UnlocksPerDay);

/// <summary>How a session ended, in numbers.</summary>
/// <param name="FocusedMinutes">Minutes the session ran, not counting pauses.</param>
/// <param name="Interruptions">Times attention went to a distracting site during the session.</param>
[GenerateSerializer, Immutable, Alias("ms.focus.FocusSessionReport")]
public sealed record FocusSessionReport(
    int PlannedMinutes,
    int FocusedMinutes,
    int Interruptions,
    int DistractingMinutes,
    IReadOnlyList<string> TopDistractions,
    bool Completed);

/// <summary>A focus session as its owner sees it.</summary>
/// <param name="Status">"running", "paused" or "ended".</param>
/// <param name="Strictness">"gentle", "firm" or "strict".</param>
[GenerateSerializer, Immutable, Alias("ms.focus.FocusSessionView")]
public sealed record FocusSessionView(
    Guid Id,
    string Status,
    int PlannedMinutes,
    string Strictness,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    int PausedSeconds,
    int Interruptions,
    FocusSessionReport? Report);

[GenerateSerializer, Alias("ms.focus.SessionChangeStatus")]
public enum SessionChangeStatus
{
    Changed,
    NotFound,
    Conflict,
}

[GenerateSerializer, Immutable, Alias("ms.focus.SessionChange")]
public sealed record SessionChange(SessionChangeStatus Status, FocusSessionView? Session, string? Reason);

/// <summary>Everything the focus grain holds about a user.</summary>
[GenerateSerializer, Immutable, Alias("ms.focus.FocusExport")]
public sealed record FocusExport(
    FocusSettings Settings,
    IReadOnlyList<FocusRule> Rules,
    IReadOnlyList<Dismissal> Dismissals,
    IReadOnlyList<FocusSessionView> Sessions,
    IReadOnlyList<FocusAttempts>? Attempts = null);

/// <summary>Sites a browser should stop before the request leaves: a rule set or the focus session in force now.</summary>
/// <param name="RuleId">The rule set; null for the focus session's distracting sites.</param>
/// <param name="Action">"pause" or "block" (the browser shows the pause page, which asks for the decision).</param>
/// <param name="Sites">Patterns, as in rule sets.</param>
/// <param name="Allow">Exceptions in the same syntax.</param>
[GenerateSerializer, Immutable, Alias("ms.focus.ArmedSites")]
public sealed record ArmedSites(Guid? RuleId, string Action, IReadOnlyList<string> Sites, IReadOnlyList<string> Allow);

/// <summary>A site unlocked on every device until a time.</summary>
[GenerateSerializer, Immutable, Alias("ms.focus.LiveUnlock")]
public sealed record LiveUnlock(string Site, DateTimeOffset Until);

/// <summary>
/// The friction in force at <paramref name="At"/>, for a browser to enforce before any request
/// leaves. The decision endpoint still has the last word on every address.
/// </summary>
/// <param name="Until">
/// The next instant this may change without the person doing anything (a schedule starts or ends,
/// the hour or day of a reached limit ends, a limit could be reached, an unlock runs out); null when
/// nothing is due. A browser asks again then.
/// </param>
[GenerateSerializer, Immutable, Alias("ms.focus.FrictionNow")]
public sealed record FrictionNow(DateTimeOffset At, IReadOnlyList<ArmedSites> Armed, IReadOnlyList<LiveUnlock> Unlocks, DateTimeOffset? Until);
