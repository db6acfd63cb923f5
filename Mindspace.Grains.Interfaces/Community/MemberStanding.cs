using System.Globalization;
using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Community;

/// <summary>
/// A member's standing in the community, keyed by their user id: the warnings and suspensions
/// moderators gave them, and (for new accounts) how much they posted and commented lately. The
/// gateway asks it before every post, comment, like and edit; it never calls back into the gateway's
/// callers (it calls the moderation grain's log, the user grain's profile and the inbox, none of which
/// call it).
/// </summary>
[Alias("ms.community.IMemberStandingGrain")]
public interface IMemberStandingGrain : IGrainWithGuidKey
{
    /// <summary>A moderator's warning: stored, logged, and the member is told kindly with the reason.</summary>
    [Alias("warn")]
    Task<StandingChange> WarnAsync(Guid moderator, string reason);

    /// <summary>Suspends the member from posting, commenting, liking and editing until <paramref name="until"/> (replacing any current suspension).</summary>
    [Alias("suspend")]
    Task<StandingChange> SuspendAsync(Guid moderator, string reason, DateTimeOffset until);

    /// <summary>Ends the current suspension early.</summary>
    /// <returns>Null when the member is not suspended now.</returns>
    [Alias("lift")]
    Task<StandingChange?> LiftAsync(Guid moderator, string reason);

    /// <summary>The standing as a moderator (or the member themself) sees it.</summary>
    [ReadOnly]
    [Alias("get")]
    Task<MemberStanding> GetAsync();

    /// <summary>
    /// Whether the member may do <paramref name="action"/> (one of <see cref="StandingActions"/>) now. An
    /// allowed post or comment of a new account is counted at once (so two at the same time cannot both
    /// pass the limit); <see cref="UncountAsync"/> gives it back when it was not saved after all.
    /// </summary>
    [Alias("try-act")]
    Task<StandingDecision> TryActAsync(string action);

    /// <summary>Gives back a counted post or comment that was not saved (bad input, a 404).</summary>
    [Alias("uncount")]
    Task UncountAsync(string action, DateTimeOffset at);

    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<MemberStanding> ExportAsync();

    [Alias("erase")]
    Task EraseAsync();
}

/// <summary>What a suspended member cannot do, and what a new account is limited in.</summary>
public static class StandingActions
{
    public const string Post = "post";
    public const string Comment = "comment";
    public const string Like = "like";
    public const string Edit = "edit";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Post, Comment, Like, Edit };
}

[GenerateSerializer, Alias("ms.community.StandingOutcome")]
public enum StandingOutcome
{
    Allowed = 0,

    /// <summary>Suspended until <see cref="StandingDecision.Until"/>.</summary>
    Suspended = 1,

    /// <summary>A new account at its limit; try again at <see cref="StandingDecision.Until"/>.</summary>
    RateLimited = 2,
}

/// <param name="Until">Suspended: when the suspension ends. Rate limited: when the next one is allowed.</param>
/// <param name="CountedAt">Allowed and counted (a new account's post or comment): the instant to pass to <see cref="IMemberStandingGrain.UncountAsync"/>.</param>
/// <param name="Limit">Rate limited: how many an hour a new account may make.</param>
[GenerateSerializer, Immutable, Alias("ms.community.StandingDecision")]
public sealed record StandingDecision(StandingOutcome Outcome, DateTimeOffset? Until = null, DateTimeOffset? CountedAt = null, int Limit = 0);

/// <summary>A warning or suspension a moderator gave (or a lift).</summary>
/// <param name="Kind">warn, suspend or lift.</param>
/// <param name="Until">For a suspension: when it ends.</param>
[GenerateSerializer, Immutable, Alias("ms.community.StandingEvent")]
public sealed record StandingEvent(string Kind, string Reason, DateTimeOffset At, DateTimeOffset? Until, Guid ModeratorId);

/// <param name="SuspendedUntil">When the current suspension ends; null when not suspended now.</param>
[GenerateSerializer, Immutable, Alias("ms.community.MemberStanding")]
public sealed record MemberStanding(Guid UserId, DateTimeOffset? SuspendedUntil, string? SuspensionReason, IReadOnlyList<StandingEvent> History);

/// <summary>The result of a moderator's action on a member: the standing now and the log line.</summary>
[GenerateSerializer, Immutable, Alias("ms.community.StandingChange")]
public sealed record StandingChange(MemberStanding Standing, ModerationLogEntry Log);

/// <summary>
/// Moderation limits (configuration, with these defaults): who counts as a new account and how much
/// it may post, how many reports hide something automatically, and how long a moderator (not an admin)
/// may suspend.
/// </summary>
/// <param name="NewAccountDays"><c>COMMUNITY_NEW_ACCOUNT_DAYS</c>: accounts younger than this are new (0 turns the limit off).</param>
/// <param name="NewAccountPostsPerHour"><c>COMMUNITY_NEW_ACCOUNT_POSTS_PER_HOUR</c>.</param>
/// <param name="NewAccountCommentsPerHour"><c>COMMUNITY_NEW_ACCOUNT_COMMENTS_PER_HOUR</c>.</param>
/// <param name="AutoHideReports"><c>COMMUNITY_AUTO_HIDE_REPORTS</c>: open reports from this many different members hide a post or comment until a moderator looks (0 turns it off).</param>
public sealed record ModerationSettings(int NewAccountDays = 3, int NewAccountPostsPerHour = 3, int NewAccountCommentsPerHour = 10, int AutoHideReports = 3)
{
    public const string NewAccountDaysKey = "COMMUNITY_NEW_ACCOUNT_DAYS";
    public const string NewAccountPostsPerHourKey = "COMMUNITY_NEW_ACCOUNT_POSTS_PER_HOUR";
    public const string NewAccountCommentsPerHourKey = "COMMUNITY_NEW_ACCOUNT_COMMENTS_PER_HOUR";
    public const string AutoHideReportsKey = "COMMUNITY_AUTO_HIDE_REPORTS";

    /// <summary>The longest suspension a moderator may give; longer ones are an admin's (see docs/moderation.md).</summary>
    public static readonly TimeSpan ModeratorMaxSuspension = TimeSpan.FromDays(7);

    /// <summary>The longest suspension anyone may give: after that a person deserves a fresh look, not a forgotten ban.</summary>
    public static readonly TimeSpan MaxSuspension = TimeSpan.FromDays(90);

    /// <summary>The window a new account's limits count over.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>Reads the settings from configuration values (missing or unreadable ones keep their defaults).</summary>
    public static ModerationSettings From(Func<string, string?> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var defaults = new ModerationSettings();
        return new ModerationSettings(
            Read(value(NewAccountDaysKey), defaults.NewAccountDays),
            Read(value(NewAccountPostsPerHourKey), defaults.NewAccountPostsPerHour),
            Read(value(NewAccountCommentsPerHourKey), defaults.NewAccountCommentsPerHour),
            Read(value(AutoHideReportsKey), defaults.AutoHideReports));

        static int Read(string? text, int fallback)
            => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : fallback;
    }

    /// <summary>How many of <paramref name="action"/> a new account may make per <see cref="Window"/>; 0 when the action is not limited.</summary>
    public int HourlyLimit(string action) => action switch
    {
        StandingActions.Post => NewAccountPostsPerHour,
        StandingActions.Comment => NewAccountCommentsPerHour,
        _ => 0,
    };
}
