using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Mindfulness;
using Mindspace.Grains.Records;
using NodaTime;

namespace Mindspace.Grains.Mindfulness;

/// <summary>A logged practice as stored: one row per session in <c>mindfulness_sessions</c>.</summary>
[GenerateSerializer, Immutable, Alias("ms.mindfulness.StoredPracticeSession")]
public sealed record StoredPracticeSession(Guid Id, string Kind, string ItemId, int Minutes, DateTimeOffset CompletedAt, DateTimeOffset LoggedAt);

/// <inheritdoc cref="IMindfulnessGrain"/>
/// <remarks>
/// Keys are the completion time in UTC ticks (19 digits) and the session id, so they sort by when
/// the practice happened, and a range of local days is a key range. Days are read in the zone the
/// caller gives (the profile's, now), so a move to another zone re-reads old sessions in the new one.
/// </remarks>
public sealed class MindfulnessGrain(
    [RecordCollection("mindfulness_sessions")] IRecordCollection<StoredPracticeSession> sessions,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, IMindfulnessGrain
{
    private const int ExportBatch = 500;

    public async Task<PracticeSession> LogAsync(NewPracticeSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var now = clock.GetUtcNow();
        if (MindfulnessRules.Check(session, now) is { } error)
        {
            throw new ArgumentException(error, nameof(session));
        }

        var stored = new StoredPracticeSession(Guid.CreateVersion7(now), session.Kind, session.ItemId, session.Minutes, session.CompletedAt.ToUniversalTime(), now);
        await sessions.PutAsync(KeyOf(stored), stored);
        return View(stored);
    }

    public async Task<PracticeSessionPage> ListAsync(string? after, int limit)
    {
        limit = Math.Clamp(limit, 1, MindfulnessRules.MaxPageSize);
        var records = await sessions.QueryAsync(new RecordQuery(after, Descending: true, Limit: limit + 1));
        var items = records.Take(limit).ToList();
        return new PracticeSessionPage([.. items.Select(r => View(r.Value))], records.Count > limit ? items[^1].Key : null);
    }

    public async Task<PracticeWeek> GetWeekAsync(DateOnly first, DateOnly last, string timeZone)
    {
        var zone = CheckInTimeZones.FindOrUtc(timeZone);
        var from = LocalDate.FromDateOnly(first);
        var to = LocalDate.FromDateOnly(last);
        var start = zone.AtStartOfDay(from).ToDateTimeOffset();
        var end = zone.AtStartOfDay(to.PlusDays(1)).ToDateTimeOffset();
        var inRange = new List<StoredPracticeSession>();
        string? after = null;
        while (true)
        {
            var batch = await sessions.QueryAsync(new RecordQuery(after, Limit: ExportBatch, From: Bound(start), To: Bound(end)));
            inRange.AddRange(batch.Select(r => r.Value));
            if (batch.Count < ExportBatch)
            {
                break;
            }

            after = batch[^1].Key;
        }

        var byDay = inRange.ToLookup(s => Instant.FromDateTimeOffset(s.CompletedAt).InZone(zone).Date);
        var days = new List<PracticeDay>();
        for (var day = from; day <= to; day = day.PlusDays(1))
        {
            var of = byDay[day].ToList();
            days.Add(new PracticeDay(day.ToDateOnly(), of.Sum(s => s.Minutes), of.Count));
        }

        return new PracticeWeek(first, last, inRange.Sum(s => s.Minutes), inRange.Count, days.Count(d => d.Sessions > 0), days);
    }

    public async Task<PracticeProgress> GetProgressAsync(string timeZone)
    {
        var zone = CheckInTimeZones.FindOrUtc(timeZone);
        var today = Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(zone).Date;
        var monday = today.PlusDays(-((int)today.DayOfWeek - (int)IsoDayOfWeek.Monday));
        var week = await GetWeekAsync(monday.ToDateOnly(), monday.PlusDays(6).ToDateOnly(), zone.Id);
        return new PracticeProgress(
            week.First, week.Last, zone.Id, week.Minutes, week.Sessions, week.DaysPractised, week.Days, await sessions.CountAsync(), MessageOf(week));
    }

    public async Task<MindfulnessExport> ExportAsync()
    {
        var all = new List<PracticeSession>();
        string? after = null;
        while (true)
        {
            var batch = await sessions.QueryAsync(new RecordQuery(after, Limit: ExportBatch));
            all.AddRange(batch.Select(r => View(r.Value)));
            if (batch.Count < ExportBatch)
            {
                break;
            }

            after = batch[^1].Key;
        }

        return new MindfulnessExport(all);
    }

    public async Task EraseAsync()
    {
        await sessions.ClearAsync();
        DeactivateOnIdle();
    }

    /// <summary>Kind words about the week: what was done, never what was not.</summary>
    public static string MessageOf(PracticeWeek week) => week.DaysPractised switch
    {
        0 => "Nothing logged this week yet, and that's okay. Whenever you feel like it, even one quiet minute counts.",
        1 => $"You practised on 1 day this week ({Minutes(week.Minutes)}). That was a kind thing to do for yourself.",
        var days => $"You practised on {days} days this week, {Minutes(week.Minutes)} in all. Each one was time you gave yourself.",
    };

    private static string Minutes(int minutes) => minutes == 1 ? "1 minute" : string.Create(CultureInfo.InvariantCulture, $"{minutes} minutes");

    private static PracticeSession View(StoredPracticeSession s) => new(s.Id, s.Kind, s.ItemId, s.Minutes, s.CompletedAt, s.LoggedAt);

    private static string KeyOf(StoredPracticeSession s) => Bound(s.CompletedAt) + "_" + s.Id.ToString("N", CultureInfo.InvariantCulture);

    /// <summary>The smallest key of a session completed at or after <paramref name="at"/>.</summary>
    private static string Bound(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
}
