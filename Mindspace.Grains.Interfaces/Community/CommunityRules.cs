using System.Security.Cryptography;
using Mindspace.Grains.Interfaces.CheckIns;

namespace Mindspace.Grains.Interfaces.Community;

/// <summary>
/// Limits of posts and comments, shared by the gateway (field errors) and the grains (which apply
/// them again). Each check returns null when the value is fine, or a message safe to show (never the value).
/// </summary>
public static class CommunityRules
{
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 10_000;
    public const int MaxCommentLength = 5_000;
    public const int MaxTags = 5;

    /// <summary>Replies nest at most this deep (a top-level comment is depth 0).</summary>
    public const int MaxCommentDepth = 8;

    /// <summary>Most comments one post holds (they are all kept in its grain's memory).</summary>
    public const int MaxCommentsPerPost = 2_000;

    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>Characters of a body shown in a feed.</summary>
    public const int ExcerptLength = 280;

    public const int MaxReasonLength = 1_000;

    /// <summary>Most bookmarks a person keeps (all in their member grain's memory).</summary>
    public const int MaxBookmarks = 2_000;

    public static string? CheckTitle(string? title, out string normalized)
    {
        normalized = title?.Trim() ?? string.Empty;
        if (title is null)
        {
            return "A title is required.";
        }

        if (normalized.Length == 0)
        {
            return "Write a title of at least one character.";
        }

        if (normalized.Length > 4 * MaxTitleLength || CheckInRules.TextLength(normalized) > MaxTitleLength)
        {
            return $"A title can be at most {MaxTitleLength} characters.";
        }

        return normalized.Any(c => char.IsControl(c)) ? "A title can't contain line breaks or control characters." : CheckUnicode(normalized);
    }

    /// <summary>Markdown body: required, 1 to <see cref="MaxBodyLength"/> characters after trimming.</summary>
    public static string? CheckBody(string? body, out string normalized) => CheckText(body, MaxBodyLength, "body", out normalized);

    public static string? CheckCommentBody(string? body, out string normalized) => CheckText(body, MaxCommentLength, "comment", out normalized);

    /// <summary>Tags as for check-ins (trimmed, lower case, distinct, 1–32 characters), at most <see cref="MaxTags"/>.</summary>
    public static string? CheckTags(IReadOnlyList<string?>? tags, out IReadOnlyList<string> normalized)
    {
        normalized = [];
        if (tags is null)
        {
            return null;
        }

        if (tags.Count > 4 * MaxTags)
        {
            return $"Use at most {MaxTags} tags.";
        }

        if (CheckInRules.CheckTags(tags, out var checkedTags) is { } error)
        {
            return error.Replace($"at most {CheckInRules.MaxTags} tags", $"at most {MaxTags} tags", StringComparison.Ordinal);
        }

        if (checkedTags.Count > MaxTags)
        {
            return $"Use at most {MaxTags} tags.";
        }

        normalized = checkedTags;
        return null;
    }

    public static string? CheckTag(string? tag, out string normalized) => CheckInRules.CheckTag(tag, out normalized);

    /// <summary>A moderator's reason (required) or a reporter's note (optional): at most <see cref="MaxReasonLength"/> characters.</summary>
    public static string? CheckReason(string? reason, bool required, out string? normalized)
    {
        normalized = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (normalized is null)
        {
            return required ? "Give a reason; it is kept in the moderation log." : null;
        }

        return normalized.Length > MaxReasonLength ? $"A reason can be at most {MaxReasonLength:N0} characters." : CheckUnicode(normalized);
    }

    /// <summary>The start of a body for feeds: at most <see cref="ExcerptLength"/> characters, cut at a word when it can be.</summary>
    public static string Excerpt(string body)
    {
        var flat = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (flat.Length <= ExcerptLength)
        {
            return flat;
        }

        var cut = flat.LastIndexOf(' ', ExcerptLength - 1);
        var end = cut > ExcerptLength / 2 ? cut : ExcerptLength - 1;
        if (char.IsHighSurrogate(flat[end - 1]))
        {
            end--;
        }

        return string.Concat(flat.AsSpan(0, end), "…");
    }

    private static readonly string[] Adjectives =
        ["Quiet", "Gentle", "Brave", "Kind", "Calm", "Bright", "Patient", "Hopeful", "Steady", "Warm", "Curious", "Soft", "Honest", "Tender", "Wandering", "Silver"];

    private static readonly string[] Creatures =
        ["Heron", "Otter", "Fox", "Sparrow", "Willow", "River", "Badger", "Lark", "Maple", "Moth", "Finch", "Hare", "Fern", "Wren", "Pine", "Tide"];

    /// <summary>A fresh per-post pseudonym such as "Quiet Heron 42": random, so it says nothing about who wrote it.</summary>
    public static string NewPseudonym()
        => $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]} {Creatures[RandomNumberGenerator.GetInt32(Creatures.Length)]} {RandomNumberGenerator.GetInt32(10, 100)}";

    private static string? CheckText(string? text, int max, string what, out string normalized)
    {
        normalized = text?.Trim() ?? string.Empty;
        if (text is null)
        {
            return what == "body" ? "A body is required." : "Text is required.";
        }

        if (normalized.Length == 0)
        {
            return "Write at least one character.";
        }

        if (normalized.Length > 4 * max || CheckInRules.TextLength(normalized) > max)
        {
            return $"This can be at most {max:N0} characters.";
        }

        return normalized.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')
            ? "This contains control characters."
            : CheckUnicode(normalized);
    }

    private static string? CheckUnicode(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return "This contains broken Unicode.";
            }
        }

        return null;
    }
}

/// <summary>Why someone reports a post or comment.</summary>
public static class ReportReasons
{
    public const string Spam = "spam";
    public const string Harassment = "harassment";
    public const string Hate = "hate";
    public const string SelfHarm = "self-harm";
    public const string Misinformation = "misinformation";
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } = [Spam, Harassment, Hate, SelfHarm, Misinformation, Other];
}

/// <summary>What a post or comment shows as its state.</summary>
public static class PostStatuses
{
    /// <summary>Visible to everyone.</summary>
    public const string Visible = "visible";

    /// <summary>Held for the care team: only its author sees it (the safety classifier graded it high or imminent).</summary>
    public const string Held = "held";

    /// <summary>Hidden by a moderator pending review: only its author sees it.</summary>
    public const string Hidden = "hidden";

    /// <summary>Removed by a moderator: only its author sees it, marked removed.</summary>
    public const string Removed = "removed";

    /// <summary>Deleted by its author (or their account was erased): a tombstone kept only for others' replies.</summary>
    public const string Deleted = "deleted";
}

/// <summary>Feed orders and periods.</summary>
public static class FeedSorts
{
    public const string New = "new";
    public const string Hot = "hot";
    public const string Top = "top";

    public static IReadOnlyList<string> All { get; } = [New, Hot, Top];

    public static IReadOnlyList<string> Periods { get; } = ["day", "week", "month", "all"];

    /// <returns>The span of a period, or null for "all".</returns>
    public static TimeSpan? PeriodSpan(string period) => period switch
    {
        "day" => TimeSpan.FromDays(1),
        "week" => TimeSpan.FromDays(7),
        "month" => TimeSpan.FromDays(30),
        _ => null,
    };

    /// <summary>Seconds since this instant feed the time part of the hot score.</summary>
    public static readonly DateTimeOffset HotEpoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Reddit's hot score: log10 of the likes (at least 1) plus the age term, so a post needs ten
    /// times the likes to stay level with one 12.5 hours younger. It depends only on the likes and
    /// the creation time, never on "now", so the order is stable between two page requests.
    /// </summary>
    public static double HotScore(int likes, DateTimeOffset createdAt)
        => Math.Log10(Math.Max(likes, 1)) + ((createdAt - HotEpoch).TotalSeconds / 45_000d);

    /// <summary>
    /// The feeds' order, the same for every feed grain and for a feed merged from several
    /// (<c>?following=true</c>): largest key first, equal keys newest id first (version 7 ids sort by time).
    /// </summary>
    public static IComparer<FeedPosition> Order { get; } = Comparer<FeedPosition>.Create(static (x, y) =>
    {
        var byKey = y.Key.CompareTo(x.Key);
        return byKey != 0 ? byKey : y.PostId.CompareTo(x.PostId);
    });

    /// <summary>An item's place in the order of <paramref name="sort"/> (new when it is none of the others).</summary>
    public static FeedPosition PositionOf(string sort, FeedItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return sort switch
        {
            Hot => new FeedPosition(HotScore(item.Likes, item.CreatedAt), item.PostId),
            Top => new FeedPosition(item.Likes, item.PostId),
            _ => new FeedPosition(item.CreatedAt.ToUnixTimeMilliseconds(), item.PostId),
        };
    }
}

/// <summary>The feed grain keys: one global feed and one per tag.</summary>
public static class FeedKeys
{
    public const string Global = "all";

    public static string OfTag(string tag) => "tag:" + tag;
}
