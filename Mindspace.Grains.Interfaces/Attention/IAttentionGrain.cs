using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Attention;

/// <summary>
/// One user's attention, keyed by the user id: ticks merged into spans, kept in one row per UTC
/// hour, plus the user's attention settings. Calls nothing else, so any grain may call it.
/// </summary>
/// <remarks>
/// A batch is stored before <see cref="AddTicksAsync"/> returns: what it reports as accepted is
/// durable. One batch costs one row write per UTC hour it touches (normally one), however many
/// ticks it holds.
/// </remarks>
[Alias("ms.attention.IAttentionGrain")]
public interface IAttentionGrain : IGrainWithGuidKey
{
    /// <summary>Stores a batch of ticks (at most <see cref="AttentionRules.MaxBatch"/>, each valid by <see cref="AttentionRules"/>).</summary>
    /// <exception cref="ArgumentException">A tick breaks the rules (callers validate first); nothing is stored.</exception>
    [Alias("add-ticks")]
    Task<TickBatchResult> AddTicksAsync(IReadOnlyList<Tick> ticks);

    [ReadOnly]
    [Alias("get-settings")]
    Task<AttentionSettings> GetSettingsAsync();

    /// <exception cref="ArgumentException">A site or category is not valid; nothing changes.</exception>
    [Alias("update-settings")]
    Task<AttentionSettings> UpdateSettingsAsync(AttentionSettingsPatch patch);

    /// <summary>Spans overlapping [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    [ReadOnly]
    [Alias("get-spans")]
    Task<IReadOnlyList<AttentionSpan>> GetSpansAsync(DateTimeOffset from, DateTimeOffset to);

    /// <summary>A summary over at most <see cref="AttentionRules.MaxSummaryRange"/>.</summary>
    [Alias("summarize")]
    Task<AttentionSummary> SummarizeAsync(AttentionSummaryQuery query);

    /// <summary>Attention per site since <paramref name="dayStart"/> and since <paramref name="hourStart"/>.</summary>
    [ReadOnly]
    [Alias("get-usage")]
    Task<SiteUsage> GetUsageAsync(DateTimeOffset dayStart, DateTimeOffset hourStart);

    /// <summary>
    /// Minutes of attention per local day of <paramref name="timeZone"/> (an IANA id; UTC when unknown)
    /// and per category, over [<paramref name="from"/>, <paramref name="to"/>), oldest day first; days
    /// without attention are left out. A pure read: analytics reads it for a whole history.
    /// </summary>
    [ReadOnly]
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("get-daily-minutes")]
    Task<IReadOnlyList<AttentionDay>> GetDailyMinutesAsync(DateTimeOffset from, DateTimeOffset to, string? timeZone);

    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<AttentionExport> ExportAsync();

    /// <summary>Removes every span, tick id and setting of this user.</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("erase")]
    Task EraseAsync();
}
