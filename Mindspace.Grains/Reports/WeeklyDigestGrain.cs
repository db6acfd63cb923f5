using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Analytics;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Mindfulness;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Interfaces.Reports;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Grains.Records;
using NodaTime;

namespace Mindspace.Grains.Reports;

/// <summary>Stored state of <see cref="WeeklyDigestGrain"/>: the schedule and how far digests have got. Digests are records.</summary>
[GenerateSerializer, Alias("ms.state.WeeklyDigestState")]
public sealed class WeeklyDigestState
{
    /// <summary>ISO weekday of the digest: Monday 1 … Sunday 7.</summary>
    [Id(0)]
    public int IsoDay { get; set; } = DigestRules.IsoDayOf(DigestRules.DefaultDayOfWeek)!.Value;

    /// <summary>Local minutes after midnight.</summary>
    [Id(1)]
    public int MinuteOfDay { get; set; } = DigestRules.MinuteOfDayOf(DigestRules.DefaultTime)!.Value;

    /// <summary>First day of the newest week written (or passed over when scheduling began); null before either.</summary>
    [Id(2)]
    public DateOnly? LastWeekStart { get; set; }

    /// <summary>When the reminder is next due; null while none is registered.</summary>
    [Id(3)]
    public DateTimeOffset? NextAt { get; set; }
}

/// <inheritdoc cref="IWeeklyDigestGrain"/>
/// <remarks>
/// The reminder's period is a week, but every tick sets it again from the next local occurrence,
/// so the 23- and 25-hour days of daylight saving (and a move to another zone) never leave it an
/// hour off for more than one tick; that tick itself writes only when the local time has come.
/// Digests are keyed by the first day of their week (yyyy-MM-dd), so keys sort by time.
/// </remarks>
public sealed class WeeklyDigestGrain(
    [PersistentState("weekly-digest")] IPersistentState<WeeklyDigestState> state,
    [RecordCollection("weekly_digests")] IRecordCollection<WeeklyDigest> digests,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, IWeeklyDigestGrain, IRemindable
{
    public const string ReminderName = "weekly-digest";

    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromDays(7);

    private OccurrenceReminder? _reminder;

    private Guid UserId => this.GetPrimaryKey();

    private OccurrenceReminder Reminder => _reminder ??= new(this, ReminderName, ReminderPeriod, () => RunDueAsync());

    private Instant Now => Instant.FromDateTimeOffset(clock.GetUtcNow());

    public async Task EnsureScheduledAsync()
    {
        if (state.State.NextAt is null && await ZoneAsync() is { } zone)
        {
            var now = Now;
            PassOverDueOccurrence(zone, now);
            await RescheduleAsync(zone, now);
        }
    }

    public async Task<DigestSchedule> GetScheduleAsync()
    {
        var zone = await ZoneAsync();
        return ScheduleView(zone, zone is null ? null : DigestScheduling.Next(state.State.IsoDay, state.State.MinuteOfDay, zone, Now).ToDateTimeOffset());
    }

    public async Task<DigestSchedule> SetScheduleAsync(string dayOfWeek, string time)
    {
        var isoDay = DigestRules.IsoDayOf(dayOfWeek) ?? throw new ArgumentException(DigestRules.CheckDay(dayOfWeek), nameof(dayOfWeek));
        var minute = DigestRules.MinuteOfDayOf(time) ?? throw new ArgumentException(DigestRules.CheckTime(time), nameof(time));
        state.State.IsoDay = isoDay;
        state.State.MinuteOfDay = minute;
        if (await ZoneAsync() is not { } zone)
        {
            await state.WriteStateAsync();
            return ScheduleView(null, null);
        }

        // A time already past under the new schedule is not written late: the next digest is the next occurrence.
        var now = Now;
        PassOverDueOccurrence(zone, now);
        await RescheduleAsync(zone, now);
        return ScheduleView(zone, state.State.NextAt);
    }

    public async Task<WeeklyDigest?> GetLatestAsync()
    {
        var newest = await digests.QueryAsync(new RecordQuery(Descending: true, Limit: 1));
        return newest.Count == 0 ? null : newest[0].Value;
    }

    public async Task<WeeklyDigestPage> ListAsync(DateOnly? before, int limit)
    {
        limit = Math.Clamp(limit, 1, DigestRules.MaxPageSize);
        var records = await digests.QueryAsync(new RecordQuery(Descending: true, Limit: limit + 1, To: before is { } b ? KeyOf(b) : null));
        var items = records.Take(limit).Select(r => r.Value).ToList();
        return new WeeklyDigestPage(items, records.Count > limit ? items[^1].WeekStart : null);
    }

    public async Task<WeeklyDigest?> RunDueAsync()
    {
        if (await ZoneAsync() is not { } zone)
        {
            // The account is gone (or never was): nothing to write, nothing to wake for.
            await UnregisterAsync();
            return null;
        }

        // One instant for the whole tick: a tick a moment early must be set again for moments later,
        // not, because the clock crossed the hour in between, for next week.
        var now = Now;
        var latest = DigestScheduling.Latest(state.State.IsoDay, state.State.MinuteOfDay, zone, now);
        var (first, last) = DigestScheduling.WeekBefore(latest.Date);
        WeeklyDigest? written = null;
        if (state.State.LastWeekStart is not { } done || LocalDate.FromDateOnly(done) < first)
        {
            var history = first.PlusDays(-7 * (WeeklyDigestWriter.PatternWeeks - 1));
            var signals = await AnalyticsSources.ReadDaysAsync(GrainFactory, UserId, history, last, CancellationToken.None);
            var practice = await GrainFactory.GetGrain<IMindfulnessGrain>(UserId).GetWeekAsync(first.ToDateOnly(), last.ToDateOnly(), zone.Id);
            written = WeeklyDigestWriter.Write(first, DayAggregate.ByDay(signals), now.ToDateTimeOffset(), practice);
            await digests.PutAsync(KeyOf(written.WeekStart), written);
            state.State.LastWeekStart = written.WeekStart;
        }

        await RescheduleAsync(zone, now);
        if (written is not null)
        {
            // After the digest and state are stored: a lost notification never loses the digest. As the
            // user chose: none, held through quiet hours, or now.
            var toldAt = clock.GetUtcNow();
            await GrainFactory.GetGrain<INotificationInboxGrain>(UserId).NotifyAsync(new UserNotification(
                Guid.CreateVersion7(toldAt),
                ReportNotificationKinds.WeeklyDigestReady,
                "Your week in review is ready",
                "A short, kind look back at your week is waiting for you, whenever you feel like it.",
                toldAt));
        }

        return written;
    }

    public async Task<ReportsExport> ExportAsync()
    {
        var all = new List<WeeklyDigest>();
        string? after = null;
        while (true)
        {
            var batch = await digests.QueryAsync(new RecordQuery(after, Limit: 200));
            all.AddRange(batch.Select(r => r.Value));
            if (batch.Count < 200)
            {
                break;
            }

            after = batch[^1].Key;
        }

        return new ReportsExport(await GetScheduleAsync(), all);
    }

    public async Task EraseAsync()
    {
        await UnregisterAsync();
        await digests.ClearAsync();
        await state.ClearStateAsync();
        state.State = new WeeklyDigestState();
        DeactivateOnIdle();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
        => reminderName == ReminderName ? RunDueAsync() : Task.CompletedTask;

    /// <summary>Counts the week of the occurrence that has already passed as done, so scheduling never writes one late.</summary>
    private void PassOverDueOccurrence(DateTimeZone zone, Instant now)
    {
        var latest = DigestScheduling.Latest(state.State.IsoDay, state.State.MinuteOfDay, zone, now);
        var first = DigestScheduling.WeekBefore(latest.Date).First.ToDateOnly();
        if (state.State.LastWeekStart is not { } done || done < first)
        {
            state.State.LastWeekStart = first;
        }
    }

    /// <summary>Registers the reminder for the next local occurrence and stores when that is.</summary>
    private async Task RescheduleAsync(DateTimeZone zone, Instant now)
    {
        var next = DigestScheduling.Next(state.State.IsoDay, state.State.MinuteOfDay, zone, now).ToDateTimeOffset();
        await Reminder.SetAsync(next - now.ToDateTimeOffset());
        state.State.NextAt = next;
        await state.WriteStateAsync();
    }

    private async Task UnregisterAsync()
    {
        await Reminder.ClearAsync();
        if (state.State.NextAt is not null)
        {
            state.State.NextAt = null;
            await state.WriteStateAsync();
        }
    }

    /// <summary>The profile's time zone; null when there is no account.</summary>
    private async Task<DateTimeZone?> ZoneAsync()
        => await GrainFactory.GetGrain<IUserGrain>(UserId).GetProfileAsync() is { } profile ? CheckInTimeZones.FindOrUtc(profile.TimeZone) : null;

    private DigestSchedule ScheduleView(DateTimeZone? zone, DateTimeOffset? nextAt)
        => new(DigestRules.DayName(state.State.IsoDay), DigestRules.TimeOf(state.State.MinuteOfDay), zone?.Id ?? "UTC", nextAt);

    private static string KeyOf(DateOnly weekStart) => weekStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
