using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Interfaces.Reports;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Grains.Reports;
using NodaTime;

namespace Mindspace.Grains.Notifications;

/// <summary>Stored state of <see cref="NotificationRemindersGrain"/>.</summary>
[GenerateSerializer, Alias("ms.state.NotificationRemindersState")]
public sealed class NotificationRemindersState
{
    /// <summary>Null: <see cref="ReminderRules.Default"/> (both off).</summary>
    [Id(0)]
    public ReminderSettings? Settings { get; set; }

    /// <summary>The newest check-in occurrence already handled (sent, skipped or passed over).</summary>
    [Id(1)]
    public DateTimeOffset? CheckInHandled { get; set; }

    [Id(2)]
    public DateTimeOffset? MeditationHandled { get; set; }
}

/// <inheritdoc cref="INotificationRemindersGrain"/>
/// <remarks>
/// Occurrences come from <see cref="DigestScheduling"/>, the weekly digest's DST-safe local-time
/// scheduling, once per chosen weekday: a time skipped by spring-forward happens just after the gap, a
/// repeated autumn time the first time. Like the digest, each run works out the latest occurrence from
/// the profile's current zone and compares it with the newest one handled, so a zone change or a late
/// tick never sends one twice; the one Orleans reminder is then set again for the next occurrence.
/// This grain calls the user, check-ins and inbox grains, and none of them calls it.
/// </remarks>
public sealed class NotificationRemindersGrain(
    [PersistentState("notification-reminders")] IPersistentState<NotificationRemindersState> state,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, INotificationRemindersGrain, IRemindable
{
    public const string ReminderName = "notification-reminders";

    /// <summary>Every tick sets the reminder again from the next occurrence; the period is only a fallback.</summary>
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromDays(1);

    private OccurrenceReminder? _reminder;

    private Guid UserId => this.GetPrimaryKey();

    private OccurrenceReminder Reminder => _reminder ??= new(this, ReminderName, ReminderPeriod, () => RunDueAsync());

    private Instant Now => Instant.FromDateTimeOffset(clock.GetUtcNow());

    private ReminderSettings Settings => state.State.Settings ?? ReminderRules.Default;

    public async Task<ReminderSchedule> GetAsync()
    {
        var zone = await ZoneAsync();
        return View(zone);
    }

    public async Task<ReminderSchedule> SetAsync(ReminderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new Dictionary<string, List<string>>();
        var checkIn = ReminderRules.Validate("checkIn", settings.CheckIn.Enabled, settings.CheckIn.Time, settings.CheckIn.Days, ReminderRules.Default.CheckIn, errors);
        var meditation = ReminderRules.Validate("meditation", settings.Meditation.Enabled, settings.Meditation.Time, settings.Meditation.Days, ReminderRules.Default.Meditation, errors);
        if (checkIn is null || meditation is null)
        {
            throw new ArgumentException("Invalid reminder settings: " + string.Join("; ", errors.Keys), nameof(settings));
        }

        state.State.Settings = new ReminderSettings(checkIn, meditation);
        var zone = await ZoneAsync();
        var now = Now;
        if (zone is not null)
        {
            // A time already past under the new settings is not sent late.
            state.State.CheckInHandled = Latest(checkIn, zone, now)?.ToDateTimeOffset();
            state.State.MeditationHandled = Latest(meditation, zone, now)?.ToDateTimeOffset();
        }

        await state.WriteStateAsync();
        await RescheduleAsync(zone, now);
        return View(zone);
    }

    public async Task<IReadOnlyList<string>> RunDueAsync()
    {
        if (await ZoneAsync() is not { } zone)
        {
            // The account is gone: nothing to send, nothing to wake for.
            await Reminder.ClearAsync();
            return [];
        }

        // One instant for the whole tick: a tick a moment early must be set again for moments later,
        // not, because the clock crossed the time in between, for the next occurrence after it.
        var instant = Now;
        var now = instant.ToDateTimeOffset();
        var settings = Settings;
        var due = new List<(string Kind, ZonedDateTime At)>();
        if (Due(settings.CheckIn, state.State.CheckInHandled, zone, instant) is { } checkIn)
        {
            state.State.CheckInHandled = checkIn.ToDateTimeOffset();
            if (now - checkIn.ToDateTimeOffset() <= ReminderRules.MaxLateness && !await CheckedInAsync(checkIn))
            {
                due.Add((ReminderKinds.CheckIn, checkIn));
            }
        }

        if (Due(settings.Meditation, state.State.MeditationHandled, zone, instant) is { } meditation)
        {
            state.State.MeditationHandled = meditation.ToDateTimeOffset();
            if (now - meditation.ToDateTimeOffset() <= ReminderRules.MaxLateness)
            {
                due.Add((ReminderKinds.Meditation, meditation));
            }
        }

        await state.WriteStateAsync();
        await RescheduleAsync(zone, instant);

        // After the state write: a failure below loses one reminder rather than sending it twice.
        var inbox = GrainFactory.GetGrain<INotificationInboxGrain>(UserId);
        foreach (var (kind, _) in due)
        {
            var (title, body) = Wording(kind);
            await inbox.NotifyAsync(new UserNotification(Guid.CreateVersion7(now), kind, title, body, now));
        }

        return [.. due.Select(d => d.Kind)];
    }

    public Task<ReminderSettings> ExportAsync() => Task.FromResult(Settings);

    public async Task EraseAsync()
    {
        await Reminder.ClearAsync();
        await state.ClearStateAsync();
        state.State = new NotificationRemindersState();
        DeactivateOnIdle();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
        => reminderName == ReminderName ? RunDueAsync() : Task.CompletedTask;

    /// <summary>
    /// What a reminder says: an invitation, never pressure. No streaks, no "we miss you", nothing
    /// about what happens if they skip.
    /// </summary>
    public static (string Title, string Body) Wording(string kind) => kind switch
    {
        ReminderKinds.CheckIn => ("A moment to check in, if you like", "How are you feeling right now? A word or a number is plenty, and any answer is okay."),
        _ => ("Your meditation time", "A few quiet minutes are here whenever you want them. Skipping is fine too."),
    };

    /// <summary>The latest occurrence at or before now, when it is newer than the one handled.</summary>
    private static ZonedDateTime? Due(ReminderSetting setting, DateTimeOffset? handled, DateTimeZone zone, Instant now)
        => setting.Enabled && Latest(setting, zone, now) is { } latest && (handled is not { } done || latest.ToDateTimeOffset() > done) ? latest : null;

    private static ZonedDateTime? Latest(ReminderSetting setting, DateTimeZone zone, Instant now)
    {
        var minute = DigestRules.MinuteOfDayOf(setting.Time)!.Value;
        return setting.Days.Select(day => DigestScheduling.Latest(DigestRules.IsoDayOf(day)!.Value, minute, zone, now))
            .MaxBy(occurrence => occurrence.ToInstant());
    }

    private static DateTimeOffset? Next(ReminderSetting setting, DateTimeZone? zone, Instant now)
    {
        if (!setting.Enabled || zone is null)
        {
            return null;
        }

        var minute = DigestRules.MinuteOfDayOf(setting.Time)!.Value;
        return setting.Days.Select(day => DigestScheduling.Next(DigestRules.IsoDayOf(day)!.Value, minute, zone, now).ToDateTimeOffset()).Min();
    }

    /// <summary>Whether they recorded a mood or an entry on the local day of <paramref name="occurrence"/>, up to now.</summary>
    private async Task<bool> CheckedInAsync(ZonedDateTime occurrence)
    {
        var dayStart = occurrence.Zone.AtStartOfDay(occurrence.Date).ToDateTimeOffset();
        var signals = await GrainFactory.GetGrain<ICheckInsGrain>(UserId).GetSignalsAsync(dayStart, clock.GetUtcNow(), CancellationToken.None);
        return signals.Items.Count > 0;
    }

    /// <summary>The reminder at the next occurrence of either kind, or none while both are off.</summary>
    private async Task RescheduleAsync(DateTimeZone? zone, Instant now)
    {
        var next = new[] { Next(Settings.CheckIn, zone, now), Next(Settings.Meditation, zone, now) }.Where(n => n is not null).Min();
        if (next is { } at)
        {
            await Reminder.SetAsync(at - now.ToDateTimeOffset());
        }
        else
        {
            await Reminder.ClearAsync();
        }
    }

    private ReminderSchedule View(DateTimeZone? zone)
    {
        var now = Now;
        return new(Settings, zone?.Id ?? "UTC", Next(Settings.CheckIn, zone, now), Next(Settings.Meditation, zone, now));
    }

    /// <summary>The profile's time zone; null when there is no account.</summary>
    private async Task<DateTimeZone?> ZoneAsync()
        => await GrainFactory.GetGrain<IUserGrain>(UserId).GetProfileAsync() is { } profile ? CheckInTimeZones.FindOrUtc(profile.TimeZone) : null;
}
