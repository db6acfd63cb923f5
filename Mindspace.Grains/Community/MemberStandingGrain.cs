using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Community;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Grains.Community;

/// <summary>Stored state of <see cref="MemberStandingGrain"/>.</summary>
[GenerateSerializer, Alias("ms.state.community.StandingState")]
public sealed class StandingState
{
    [Id(0)]
    public DateTimeOffset? SuspendedUntil { get; set; }

    [Id(1)]
    public string? SuspensionReason { get; set; }

    /// <summary>Warnings, suspensions and lifts, oldest first (at most <see cref="MemberStandingGrain.MaxHistory"/>).</summary>
    [Id(2)]
    public List<StandingEvent> History { get; set; } = [];

    /// <summary>A new account's posts within the last hour.</summary>
    [Id(3)]
    public List<DateTimeOffset> RecentPosts { get; set; } = [];

    /// <summary>A new account's comments within the last hour.</summary>
    [Id(4)]
    public List<DateTimeOffset> RecentComments { get; set; } = [];
}

/// <inheritdoc cref="IMemberStandingGrain"/>
/// <remarks>
/// An established member who is not suspended costs a check in memory and no write. A new account's
/// posts and comments are counted in the state (a write each), so the limit holds across gateways and restarts.
/// </remarks>
public sealed class MemberStandingGrain(
    [PersistentState("community-standing")] IPersistentState<StandingState> state,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock,
    IConfiguration configuration) : Grain, IMemberStandingGrain
{
    public const int MaxHistory = 200;

    private readonly ModerationSettings _settings = ModerationSettings.From(key => configuration[key]);
    private DateTimeOffset? _accountCreated;

    private Guid UserId => this.GetPrimaryKey();

    private StandingState Standing => state.State;

    public async Task<StandingChange> WarnAsync(Guid moderator, string reason)
    {
        var now = clock.GetUtcNow();
        AddHistory(new StandingEvent(ModerationActions.Warn, reason, now, null, moderator));
        await state.WriteStateAsync();

        var log = await GrainFactory.GetGrain<ICommunityModerationGrain>(0).RecordMemberActionAsync(moderator, ModerationActions.Warn, UserId, reason, null);
        await NotifyAsync(
            "account.community-warning",
            "A note from the community moderators",
            $"A moderator asked us to pass this on about something you shared in the community: \"{reason}\" " +
            "You're still welcome here. This is a reminder of the community guidelines, not a punishment. If you have questions, you can contact support.");
        return new StandingChange(View(now), log);
    }

    public async Task<StandingChange> SuspendAsync(Guid moderator, string reason, DateTimeOffset until)
    {
        var now = clock.GetUtcNow();
        Standing.SuspendedUntil = until;
        Standing.SuspensionReason = reason;
        AddHistory(new StandingEvent(ModerationActions.Suspend, reason, now, until, moderator));
        await state.WriteStateAsync();

        var log = await GrainFactory.GetGrain<ICommunityModerationGrain>(0).RecordMemberActionAsync(moderator, ModerationActions.Suspend, UserId, reason, until);
        var profile = await GrainFactory.GetGrain<IUserGrain>(UserId).GetProfileAsync();
        await NotifyAsync(
            "account.community-suspended",
            "A pause from posting in the community",
            $"A moderator has paused your posting, commenting and liking in the community until {LocalTime(until, profile?.TimeZone)}. " +
            $"The reason they gave: \"{reason}\" " +
            "You can still read the community, and everything else in Mindspace (your journal, check-ins and support) is open to you as always. " +
            "If you think this is a mistake, you can contact support.");
        return new StandingChange(View(now), log);
    }

    public async Task<StandingChange?> LiftAsync(Guid moderator, string reason)
    {
        var now = clock.GetUtcNow();
        if (Standing.SuspendedUntil is not { } until || until <= now)
        {
            return null;
        }

        Standing.SuspendedUntil = null;
        Standing.SuspensionReason = null;
        AddHistory(new StandingEvent(ModerationActions.Lift, reason, now, null, moderator));
        await state.WriteStateAsync();

        var log = await GrainFactory.GetGrain<ICommunityModerationGrain>(0).RecordMemberActionAsync(moderator, ModerationActions.Lift, UserId, reason, null);
        await NotifyAsync(
            "account.community-suspension-lifted",
            "You can post in the community again",
            "A moderator has ended your pause from posting in the community early. You can post, comment and like again.");
        return new StandingChange(View(now), log);
    }

    public Task<MemberStanding> GetAsync() => Task.FromResult(View(clock.GetUtcNow()));

    public async Task<StandingDecision> TryActAsync(string action)
    {
        var now = clock.GetUtcNow();
        if (Standing.SuspendedUntil is { } until && until > now)
        {
            return new StandingDecision(StandingOutcome.Suspended, until);
        }

        var limit = _settings.HourlyLimit(action);
        if (limit <= 0 || _settings.NewAccountDays <= 0 || now - await AccountCreatedAsync() >= TimeSpan.FromDays(_settings.NewAccountDays))
        {
            return new StandingDecision(StandingOutcome.Allowed);
        }

        var recent = action == StandingActions.Post ? Standing.RecentPosts : Standing.RecentComments;
        recent.RemoveAll(at => at <= now - ModerationSettings.Window);
        if (recent.Count >= limit)
        {
            return new StandingDecision(StandingOutcome.RateLimited, recent.Min() + ModerationSettings.Window, Limit: limit);
        }

        recent.Add(now);
        await state.WriteStateAsync();
        return new StandingDecision(StandingOutcome.Allowed, CountedAt: now);
    }

    public async Task UncountAsync(string action, DateTimeOffset at)
    {
        var recent = action == StandingActions.Post ? Standing.RecentPosts : Standing.RecentComments;
        if (recent.Remove(at))
        {
            await state.WriteStateAsync();
        }
    }

    /// <summary>The member's own copy: without the moderators' ids (an id could be matched to a moderator's own posts).</summary>
    public Task<MemberStanding> ExportAsync()
    {
        var standing = View(clock.GetUtcNow());
        return Task.FromResult(standing with { History = [.. standing.History.Select(e => e with { ModeratorId = Guid.Empty })] });
    }

    public async Task EraseAsync()
    {
        await state.ClearStateAsync();
        state.State = new StandingState();
        _accountCreated = null;
    }

    private MemberStanding View(DateTimeOffset now)
    {
        var suspended = Standing.SuspendedUntil is { } until && until > now;
        return new MemberStanding(UserId, suspended ? Standing.SuspendedUntil : null, suspended ? Standing.SuspensionReason : null, [.. Standing.History]);
    }

    private void AddHistory(StandingEvent item)
    {
        Standing.History.Add(item);
        if (Standing.History.Count > MaxHistory)
        {
            Standing.History.RemoveRange(0, Standing.History.Count - MaxHistory);
        }
    }

    private async Task<DateTimeOffset> AccountCreatedAsync()
    {
        // An account's creation never changes: read once per activation. No profile (being erased): treat as new.
        _accountCreated ??= (await GrainFactory.GetGrain<IUserGrain>(UserId).GetProfileAsync())?.CreatedAt ?? clock.GetUtcNow();
        return _accountCreated.Value;
    }

    private Task NotifyAsync(string kind, string title, string body)
        => GrainFactory.GetGrain<INotificationInboxGrain>(UserId).NotifyAsync(new UserNotification(Guid.NewGuid(), kind, title, body, clock.GetUtcNow()));

    /// <summary>The end of a suspension in the member's own time zone ("Thursday 3 December, 14:00 (Europe/London)"), UTC when the zone is unknown.</summary>
    internal static string LocalTime(DateTimeOffset at, string? timeZone)
    {
        try
        {
            if (timeZone is { Length: > 0 } && TimeZoneInfo.FindSystemTimeZoneById(timeZone) is { } zone)
            {
                return TimeZoneInfo.ConvertTime(at, zone).ToString("dddd d MMMM, HH:mm", CultureInfo.InvariantCulture) + $" ({timeZone})";
            }
        }
        catch (TimeZoneNotFoundException)
        {
        }
        catch (InvalidTimeZoneException)
        {
        }

        return at.ToUniversalTime().ToString("dddd d MMMM, HH:mm", CultureInfo.InvariantCulture) + " (UTC)";
    }
}
