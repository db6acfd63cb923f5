using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Attention;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Records;
using NodaTime;

namespace Mindspace.Grains.Attention;

/// <summary>Stored state of <see cref="AttentionGrain"/>: the user's settings. Spans are rows.</summary>
[GenerateSerializer, Alias("ms.state.AttentionState")]
public sealed class AttentionState
{
    [Id(0)]
    public bool KeepPathsAndTitles { get; set; }

    /// <summary>The user's own category per site.</summary>
    [Id(1)]
    public Dictionary<string, string> Categories { get; set; } = [];
}

/// <inheritdoc cref="IAttentionGrain"/>
/// <remarks>
/// <para>
/// Ticks land in the row of the UTC hour they began in; every read merges spans across those rows,
/// so a stretch of attention over an hour or a (local) midnight is one span. A batch is applied to copies of the hours
/// it touches, each copy is written, and only then does memory take it: a failed write leaves
/// memory as storage has it and the caller (who saw the error) sends the batch again, which the
/// tick ids make harmless. So "accepted" means stored.
/// </para>
/// <para>
/// Recent hours stay in memory (<see cref="CachedHours"/>), so friction decisions read today's
/// usage without a query once it has been loaded.
/// </para>
/// </remarks>
public sealed class AttentionGrain(
    [PersistentState("attention")] IPersistentState<AttentionState> settings,
    [RecordCollection("attention_hours")] IRecordCollection<StoredHour> hours,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, IAttentionGrain
{
    /// <summary>Hours kept in memory: two days, so "today" in any time zone is covered.</summary>
    private const int CachedHours = 60;

    private const int MaxCategoryOverrides = 1_000;
    private const int ReadBatch = 500;

    /// <summary>The order of <see cref="AttentionDay"/>'s minutes.</summary>
    private static readonly string[] DayCategories = [SiteCategories.Focus, SiteCategories.Neutral, SiteCategories.Distracting];

    private readonly SortedDictionary<long, HourBucket> _cache = [];

    /// <summary>Grows whenever stored attention changes; <see cref="_usage"/> is only good for the version it was built at.</summary>
    private long _version;

    /// <summary>
    /// The last usage answered: decisions ask for the same day and hour many times between two tick
    /// batches, and merging a day of spans each time is the work a decision should not repeat.
    /// </summary>
    [ReadCache]
    private (long Version, DateTimeOffset DayStart, DateTimeOffset HourStart, SiteUsage Usage)? _usage;

    public async Task<TickBatchResult> AddTicksAsync(IReadOnlyList<Tick> ticks)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        if (ticks.Count > AttentionRules.MaxBatch)
        {
            throw new ArgumentException($"At most {AttentionRules.MaxBatch} ticks per batch.", nameof(ticks));
        }

        var now = clock.GetUtcNow();
        foreach (var tick in ticks)
        {
            Require(AttentionRules.CheckId(tick.Id), "id");
            Require(AttentionRules.CheckTime(tick.Ts, tick.DurationMilliseconds, now, out var field), field);
            Require(Sites.ToSite(tick.Site) == tick.Site ? null : "The site must be a registrable domain.", "site");
        }

        var pulse = (long)AttentionRules.PulseWindow.TotalMilliseconds;
        int accepted = 0, duplicates = 0;
        foreach (var hourTicks in ticks.GroupBy(t => HourBucket.HourOf(t.Ts.ToUnixTimeMilliseconds())))
        {
            var bucket = (await LoadHourAsync(hourTicks.Key)).Clone();
            var changed = false;
            foreach (var tick in hourTicks)
            {
                if (!bucket.TryCount(tick.Id))
                {
                    duplicates++;
                    continue;
                }

                accepted++;
                changed = true;
                if (AttentionRules.IsAttention(tick.Focused, tick.Idle, tick.Audible) && tick.DurationMilliseconds > 0)
                {
                    var start = tick.Ts.ToUnixTimeMilliseconds();
                    var keep = settings.State.KeepPathsAndTitles;
                    bucket.Merge(new StoredSpan(tick.Site, keep ? tick.Path : null, keep ? tick.Title : null, start, start + tick.DurationMilliseconds), pulse);
                }
            }

            if (changed)
            {
                await hours.PutAsync(HourBucket.KeyOf(hourTicks.Key), bucket.ToStored());
                Remember(hourTicks.Key, bucket);
                _version++;
            }
        }

        return new TickBatchResult(accepted, duplicates);
    }

    public Task<AttentionSettings> GetSettingsAsync() => Task.FromResult(ToView(settings.State));

    public async Task<AttentionSettings> UpdateSettingsAsync(AttentionSettingsPatch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var categories = new Dictionary<string, string>(settings.State.Categories, StringComparer.Ordinal);
        foreach (var (site, category) in patch.Categories ?? new Dictionary<string, string?>())
        {
            Require(Sites.ToSite(site) == site ? null : "Each site must be a registrable domain such as example.com.", "categories");
            if (category is null)
            {
                categories.Remove(site);
            }
            else
            {
                Require(SiteCategories.IsCategory(category) ? null : "A category is focus, neutral or distracting.", "categories");
                categories[site] = category;
            }
        }

        Require(categories.Count <= MaxCategoryOverrides ? null : $"At most {MaxCategoryOverrides} sites can have their own category.", "categories");
        settings.State.Categories = categories;
        settings.State.KeepPathsAndTitles = patch.KeepPathsAndTitles ?? settings.State.KeepPathsAndTitles;
        await settings.WriteStateAsync();
        return ToView(settings.State);
    }

    public async Task<IReadOnlyList<AttentionSpan>> GetSpansAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var spans = await ReadSpansAsync(from, to);
        return [.. spans.Select(HourBucket.ToView)];
    }

    public async Task<AttentionSummary> SummarizeAsync(AttentionSummaryQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        Require(query.To > query.From && query.To - query.From <= AttentionRules.MaxSummaryRange ? null : "The range is empty or too long.", "to");
        var spans = await ReadSpansAsync(query.From, query.To);
        return AttentionSummaries.Build(spans.Select(HourBucket.ToView), settings.State.Categories, query);
    }

    public async Task<SiteUsage> GetUsageAsync(DateTimeOffset dayStart, DateTimeOffset hourStart)
    {
        // Exact, not stale: every tick that changes attention moves the version. (Spans never reach an
        // hour past now — ticks end at most minutes ahead — so the answer depends on nothing else.)
        if (_usage is { } last && last.Version == _version && last.DayStart == dayStart && last.HourStart == hourStart)
        {
            return last.Usage;
        }

        var version = _version;
        var usage = await ComputeUsageAsync(dayStart, hourStart);
        _usage = (version, dayStart, hourStart, usage);
        return usage;
    }

    private async Task<SiteUsage> ComputeUsageAsync(DateTimeOffset dayStart, DateTimeOffset hourStart)
    {
        var now = clock.GetUtcNow();
        var spans = await ReadSpansAsync(dayStart, now.AddHours(1));
        var day = new Dictionary<string, long>(StringComparer.Ordinal);
        var hour = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var span in spans)
        {
            Add(day, span, dayStart.ToUnixTimeMilliseconds());
            Add(hour, span, hourStart.ToUnixTimeMilliseconds());
        }

        return new SiteUsage(
            day.ToDictionary(d => d.Key, d => d.Value / 1000, StringComparer.Ordinal),
            hour.ToDictionary(d => d.Key, d => d.Value / 1000, StringComparer.Ordinal));

        static void Add(Dictionary<string, long> totals, StoredSpan span, long since)
        {
            var start = Math.Max(span.StartMs, since);
            if (span.EndMs > start)
            {
                totals[span.Site] = totals.GetValueOrDefault(span.Site) + (span.EndMs - start);
            }
        }
    }

    public async Task<IReadOnlyList<AttentionDay>> GetDailyMinutesAsync(DateTimeOffset from, DateTimeOffset to, string? timeZone)
    {
        if (to <= from)
        {
            return [];
        }

        var zone = CheckInTimeZones.FindOrUtc(timeZone);
        var days = new SortedDictionary<LocalDate, double[]>();
        foreach (var span in await ReadSpansAsync(from, to))
        {
            var start = DateTimeOffset.FromUnixTimeMilliseconds(span.StartMs);
            var end = DateTimeOffset.FromUnixTimeMilliseconds(span.EndMs);
            start = start < from ? from : start;
            end = end > to ? to : end;
            var category = Array.IndexOf(DayCategories, SiteCategories.Of(span.Site, settings.State.Categories));
            foreach (var (pieceStart, pieceEnd) in AttentionSummaries.Split(start, end, zone, AttentionSummaries.LocalDayStart))
            {
                var date = Instant.FromDateTimeOffset(pieceStart).InZone(zone).Date;
                if (!days.TryGetValue(date, out var minutes))
                {
                    days[date] = minutes = new double[DayCategories.Length];
                }

                minutes[category] += (pieceEnd - pieceStart).TotalMinutes;
            }
        }

        return [.. days.Select(d => new AttentionDay(d.Key.ToDateOnly(), Math.Round(d.Value[0], 2), Math.Round(d.Value[1], 2), Math.Round(d.Value[2], 2)))];
    }

    public async Task<AttentionExport> ExportAsync()
    {
        var spans = new List<AttentionSpan>();
        string? after = null;
        while (true)
        {
            var batch = await hours.QueryAsync(new RecordQuery(after, Limit: ReadBatch));
            spans.AddRange(batch.SelectMany(row => row.Value.Spans).Select(HourBucket.ToView));
            if (batch.Count < ReadBatch)
            {
                return new AttentionExport(ToView(settings.State), spans);
            }

            after = batch[^1].Key;
        }
    }

    public async Task EraseAsync()
    {
        _cache.Clear();
        _version++;
        _usage = null;
        await hours.ClearAsync();
        await settings.ClearStateAsync();
        settings.State = new AttentionState();
    }

    /// <summary>Spans (merged across hours) that began in an hour overlapping [from − 1 h, to) and overlap [from, to), oldest first.</summary>
    private async Task<List<StoredSpan>> ReadSpansAsync(DateTimeOffset from, DateTimeOffset to)
    {
        // A span can run past the end of the hour it began in (a tick counts up to an hour), so the hour before is read too.
        var firstHour = HourBucket.HourOf(from.ToUnixTimeMilliseconds()) - 1;
        var lastHour = HourBucket.HourOf(to.ToUnixTimeMilliseconds());
        var buckets = new SortedDictionary<long, HourBucket>();
        var allCached = lastHour - firstHour < CachedHours && Enumerable.Range(0, (int)(lastHour - firstHour + 1)).All(i => _cache.ContainsKey(firstHour + i));
        if (allCached)
        {
            for (var hour = firstHour; hour <= lastHour; hour++)
            {
                buckets[hour] = _cache[hour];
            }
        }
        else
        {
            string? after = null;
            while (true)
            {
                var batch = await hours.QueryAsync(new RecordQuery(after, Limit: ReadBatch, From: HourBucket.KeyOf(firstHour), To: HourBucket.KeyOf(lastHour + 1)));
                foreach (var row in batch)
                {
                    var hour = HourBucket.HourOfKey(row.Key);
                    buckets[hour] = _cache.TryGetValue(hour, out var cached) ? cached : HourBucket.From(row.Value);
                }

                if (batch.Count < ReadBatch)
                {
                    break;
                }

                after = batch[^1].Key;
            }

            // Recent hours read here (stored or empty) are remembered: the next decision needs no query.
            var recent = HourBucket.HourOf(clock.GetUtcNow().ToUnixTimeMilliseconds()) - CachedHours / 2;
            for (var hour = Math.Max(firstHour, recent); hour <= lastHour && lastHour - firstHour < CachedHours; hour++)
            {
                Remember(hour, buckets.GetValueOrDefault(hour) ?? HourBucket.Empty());
            }
        }

        // Rows are cut at UTC hours, attention is not: spans are merged across the rows read.
        var fromMs = from.ToUnixTimeMilliseconds();
        var toMs = to.ToUnixTimeMilliseconds();
        var merged = HourBucket.MergeAcrossHours(buckets.Values.SelectMany(b => b.Spans), (long)AttentionRules.PulseWindow.TotalMilliseconds);
        return [.. merged.Where(s => s.EndMs > fromMs && s.StartMs < toMs)];
    }

    private async Task<HourBucket> LoadHourAsync(long hour)
    {
        if (_cache.TryGetValue(hour, out var cached))
        {
            return cached;
        }

        var stored = await hours.GetAsync(HourBucket.KeyOf(hour));
        var bucket = stored is null ? HourBucket.Empty() : HourBucket.From(stored);
        Remember(hour, bucket);
        return bucket;
    }

    /// <summary>Keeps <paramref name="bucket"/> as the hour's current content, forgetting the oldest hours past <see cref="CachedHours"/>.</summary>
    private void Remember(long hour, HourBucket bucket)
    {
        _cache[hour] = bucket;
        while (_cache.Count > CachedHours)
        {
            _cache.Remove(_cache.Keys.First());
        }
    }

    private static AttentionSettings ToView(AttentionState state)
        => new(state.KeepPathsAndTitles, new Dictionary<string, string>(state.Categories, StringComparer.Ordinal));

    /// <summary>Defends the stored data; the gateway validates first, so this is not expected to throw.</summary>
    private static void Require(string? error, string field)
    {
        if (error is not null)
        {
            throw new ArgumentException(error, field);
        }
    }
}
