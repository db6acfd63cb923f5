using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Focus;

/// <summary>
/// One user's friction, keyed by the user id: rule sets, unlocks, dismissals, today's attempts, and
/// the index of their focus sessions (each session is its own <see cref="IFocusSessionGrain"/>).
/// Decisions are made here, so every browser and device of the user gets the same answer.
/// </summary>
/// <remarks>Calls the user's attention grain and their session grains, which never call back.</remarks>
[Alias("ms.focus.IFocusGrain")]
public interface IFocusGrain : IGrainWithGuidKey
{
    /// <exception cref="ArgumentException">The draft breaks <see cref="FocusRules"/> (callers validate first).</exception>
    [Alias("create-rule")]
    Task<FocusRule> CreateRuleAsync(FocusRuleDraft draft);

    [Alias("get-rules")]
    Task<IReadOnlyList<FocusRule>> GetRulesAsync();

    [Alias("get-rule")]
    Task<FocusRule?> GetRuleAsync(Guid id);

    /// <summary>Edits a rule; a locked rule refuses any edit that loosens it.</summary>
    [Alias("update-rule")]
    Task<RuleChange> UpdateRuleAsync(Guid id, FocusRulePatch patch);

    /// <summary>Deletes a rule, unless it is locked.</summary>
    [Alias("delete-rule")]
    Task<RuleChange> DeleteRuleAsync(Guid id);

    /// <summary>What to do with an address now. Counts an attempt when the answer is pause or block.</summary>
    [Alias("decide")]
    Task<FocusDecision> DecideAsync(DecisionRequest request);

    /// <summary>
    /// The rule sets, focus-session friction and unlocks in force now, so a browser can stop a request
    /// before it leaves; writes nothing.
    /// </summary>
    [ReadOnly]
    [Alias("get-friction")]
    Task<FrictionNow> GetFrictionAsync(string timeZone);

    /// <summary>Lets <paramref name="site"/> through for <paramref name="minutes"/> on every device, within the daily cap.</summary>
    [Alias("unlock")]
    Task<UnlockResult> UnlockAsync(string site, int minutes, string reason, string timeZone);

    /// <summary>Records "I chose not to open it".</summary>
    [Alias("dismiss")]
    Task<DismissResult> DismissAsync(string site, string timeZone);

    /// <summary>How many times the user chose not to open something in [from, to).</summary>
    [Alias("count-dismissals")]
    Task<int> CountDismissalsAsync(DateTimeOffset from, DateTimeOffset to);

    [Alias("get-settings")]
    Task<FocusSettings> GetSettingsAsync();

    [Alias("update-settings")]
    Task<FocusSettings> UpdateSettingsAsync(FocusSettings settings);

    /// <summary>Starts a session; a conflict when one is already running or paused.</summary>
    [Alias("start-session")]
    Task<SessionChange> StartSessionAsync(int plannedMinutes, string strictness);

    [Alias("pause-session")]
    Task<SessionChange> PauseSessionAsync(Guid sessionId);

    [Alias("resume-session")]
    Task<SessionChange> ResumeSessionAsync(Guid sessionId);

    /// <summary>Ends a session; its report is in the answer.</summary>
    [Alias("end-session")]
    Task<SessionChange> EndSessionAsync(Guid sessionId);

    /// <summary>The running or paused session, if any.</summary>
    [Alias("get-active-session")]
    Task<FocusSessionView?> GetActiveSessionAsync();

    /// <returns>The session, or null when it is not this user's.</returns>
    [Alias("get-session")]
    Task<FocusSessionView?> GetSessionAsync(Guid sessionId);

    /// <summary>Sessions newest first.</summary>
    [Alias("get-session-history")]
    Task<IReadOnlyList<FocusSessionView>> GetSessionHistoryAsync(int limit);

    /// <summary>Whether <paramref name="sessionId"/> is one of this user's sessions.</summary>
    [Alias("owns-session")]
    Task<bool> OwnsSessionAsync(Guid sessionId);

    /// <summary>
    /// Adds (or refreshes) a gateway's observer of this user's focus-session changes; it expires
    /// unless refreshed within <see cref="FocusSessionDelivery.ObserverExpiry"/>.
    /// </summary>
    /// <param name="knownVersion">The version the gateway last passed on.</param>
    /// <returns>The current version, with the latest changed session when it differs from <paramref name="knownVersion"/>.</returns>
    [Alias("subscribe")]
    Task<FocusSessionUpdate> SubscribeAsync(IFocusSessionObserver observer, long knownVersion);

    [Alias("unsubscribe")]
    Task UnsubscribeAsync(IFocusSessionObserver observer);

    [ReadOnly]
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<FocusExport> ExportAsync();

    /// <summary>Removes every rule, unlock, dismissal and session of this user.</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("erase")]
    Task EraseAsync();
}

/// <summary>
/// One focus session, keyed by its own id. Only the owner's <see cref="IFocusGrain"/> calls it; it
/// reads the owner's attention to count interruptions.
/// </summary>
[Alias("ms.focus.IFocusSessionGrain")]
public interface IFocusSessionGrain : IGrainWithGuidKey
{
    [Alias("start")]
    Task<FocusSessionView> StartAsync(Guid ownerId, int plannedMinutes, string strictness);

    [Alias("pause")]
    Task<FocusSessionView> PauseAsync();

    [Alias("resume")]
    Task<FocusSessionView> ResumeAsync();

    /// <summary>Ends the session and writes its report (once; ending again returns the same report).</summary>
    [Alias("end")]
    Task<FocusSessionView> EndAsync();

    /// <summary>The session now (interruptions counted so far); null when it was never started.</summary>
    [ReadOnly]
    [Alias("get")]
    Task<FocusSessionView?> GetAsync();

    [Idempotent]
    [Alias("erase")]
    Task EraseAsync();
}
