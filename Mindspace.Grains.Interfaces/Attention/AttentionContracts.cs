namespace Mindspace.Grains.Interfaces.Attention;

/// <summary>
/// One time counter from a browser: <paramref name="DurationMilliseconds"/> spent on a site from
/// <paramref name="Ts"/>. The gateway has already reduced <paramref name="Site"/> to a registrable
/// domain and dropped incognito ticks; the grain drops path and title unless the user opted in.
/// </summary>
/// <param name="Id">The client's id for this tick (1–64 characters): a tick sent twice counts once.</param>
/// <param name="Ts">When the counted interval began (UTC).</param>
[GenerateSerializer, Immutable, Alias("ms.attention.Tick")]
public sealed record Tick(
    string Id,
    DateTimeOffset Ts,
    string Site,
    string? Path,
    string? Title,
    bool Focused,
    bool Idle,
    bool Audible,
    long DurationMilliseconds);

/// <summary>What became of a batch of ticks. Everything counted here is stored when the call returns.</summary>
/// <param name="Accepted">New ticks, stored.</param>
/// <param name="Duplicates">Ticks whose id was already stored (a resend): counted once.</param>
[GenerateSerializer, Immutable, Alias("ms.attention.TickBatchResult")]
public sealed record TickBatchResult(int Accepted, int Duplicates);

/// <summary>A stretch of attention on one site: ticks of that site within the pulse window merged.</summary>
/// <param name="Path">Only when the user keeps paths and titles.</param>
[GenerateSerializer, Immutable, Alias("ms.attention.AttentionSpan")]
public sealed record AttentionSpan(string Site, string? Path, string? Title, DateTimeOffset Start, DateTimeOffset End);

/// <summary>A user's attention settings.</summary>
/// <param name="KeepPathsAndTitles">Off by default: only the registrable domain is kept.</param>
/// <param name="Categories">The user's own categories by site, over <see cref="SiteCategories"/>' defaults.</param>
[GenerateSerializer, Immutable, Alias("ms.attention.AttentionSettings")]
public sealed record AttentionSettings(bool KeepPathsAndTitles, IReadOnlyDictionary<string, string> Categories);

/// <summary>Changes to the settings; a null member stays as it is.</summary>
/// <param name="Categories">Sites to (re)categorise; a null category returns a site to its default.</param>
[GenerateSerializer, Immutable, Alias("ms.attention.AttentionSettingsPatch")]
public sealed record AttentionSettingsPatch(bool? KeepPathsAndTitles, IReadOnlyDictionary<string, string?>? Categories);

/// <summary>Seconds of attention per site today and this hour (for friction limits).</summary>
[GenerateSerializer, Immutable, Alias("ms.attention.SiteUsage")]
public sealed record SiteUsage(IReadOnlyDictionary<string, long> TodaySeconds, IReadOnlyDictionary<string, long> HourSeconds);

/// <summary>How to summarise: a range of instants, the user's zone and the grouping.</summary>
[GenerateSerializer, Immutable, Alias("ms.attention.AttentionSummaryQuery")]
public sealed record AttentionSummaryQuery(DateTimeOffset From, DateTimeOffset To, string TimeZone, string By);

/// <summary>One group of a summary: a site, a category, an hour or a local day.</summary>
/// <param name="Key">The site, the category, the hour's start (ISO 8601 with offset) or the date (yyyy-MM-dd).</param>
[GenerateSerializer, Immutable, Alias("ms.attention.SummaryGroup")]
public sealed record SummaryGroup(string Key, long Seconds, string? Category, int Switches);

/// <summary>Where attention went between two instants.</summary>
/// <param name="SwitchesPerHour">Site switches divided by the hours with any attention.</param>
[GenerateSerializer, Immutable, Alias("ms.attention.AttentionSummary")]
public sealed record AttentionSummary(
    DateTimeOffset From,
    DateTimeOffset To,
    string TimeZone,
    string By,
    long TotalSeconds,
    IReadOnlyDictionary<string, long> CategorySeconds,
    int Switches,
    double SwitchesPerHour,
    IReadOnlyList<SummaryGroup> Groups);

/// <summary>Everything a user's attention grain holds.</summary>
[GenerateSerializer, Immutable, Alias("ms.attention.AttentionExport")]
public sealed record AttentionExport(AttentionSettings Settings, IReadOnlyList<AttentionSpan> Spans);

/// <summary>
/// Minutes of attention on one local day, per category (focus, neutral, distracting as the user's
/// categories stand now): what "better days" learns from. Sites and times are not included.
/// </summary>
/// <param name="Date">The local day, in the zone asked for.</param>
[GenerateSerializer, Immutable, Alias("ms.attention.AttentionDay")]
public sealed record AttentionDay(DateOnly Date, double FocusMinutes, double NeutralMinutes, double DistractingMinutes);
