using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Community;

/// <summary>
/// The appeals a person made (keyed by their user id), for their export and erasure. Each link is
/// sealed and bound to the person, under a random row key, so the table alone never ties anyone to a
/// post (an anonymous author's appeal included). The appeals themselves live in the moderation grain,
/// without their author.
/// </summary>
[Alias("ms.community.IMemberAppealsGrain")]
public interface IMemberAppealsGrain : IGrainWithGuidKey
{
    [Alias("add")]
    Task AddAsync(Guid appealId);

    /// <summary>The person's appeals as they may see them (without the deciding moderator's id).</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<IReadOnlyList<Appeal>> ExportAsync();

    /// <summary>Withdraws open appeals, erases every appeal's message, and forgets the links.</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("erase")]
    Task EraseAsync();
}

/// <summary>Where an appeal stands.</summary>
public static class AppealStatuses
{
    /// <summary>Waiting for a moderator.</summary>
    public const string Open = "open";

    /// <summary>A moderator read it and kept the decision.</summary>
    public const string Upheld = "upheld";

    /// <summary>A moderator read it (or restored the content anyway) and everyone can see it again.</summary>
    public const string Restored = "restored";

    /// <summary>The author's account was erased before a moderator decided.</summary>
    public const string Withdrawn = "withdrawn";
}

/// <summary>What a moderator decides about an appeal.</summary>
public static class AppealDecisions
{
    public const string Uphold = "uphold";
    public const string Restore = "restore";

    public static IReadOnlyList<string> All { get; } = [Uphold, Restore];
}

/// <summary>
/// An author's request that a moderator look again at a hide or removal of their post or comment.
/// It never names its author: moderators see the content, the decision appealed and the message.
/// </summary>
/// <param name="ActionId">The moderation log line of the hide, remove or auto-hide appealed (the empty id for one made before appeals existed).</param>
/// <param name="Action">hide, remove or auto-hide.</param>
/// <param name="ActionReason">The reason that action gave.</param>
/// <param name="Message">The author's words (up to <see cref="AppealRules.MaxMessageLength"/>); null once their account was erased.</param>
/// <param name="Status">One of <see cref="AppealStatuses"/>.</param>
/// <param name="DecidedBy">The moderator who decided (never in the author's export).</param>
/// <param name="Note">The moderator's note, told to the author.</param>
[GenerateSerializer, Immutable, Alias("ms.community.Appeal")]
public sealed record Appeal(
    Guid Id,
    Guid PostId,
    Guid? CommentId,
    Guid ActionId,
    string Action,
    string? ActionReason,
    string? Message,
    DateTimeOffset CreatedAt,
    string Status,
    DateTimeOffset? DecidedAt = null,
    Guid? DecidedBy = null,
    string? Note = null);

[GenerateSerializer, Alias("ms.community.AppealOutcome")]
public enum AppealOutcome
{
    Done = 0,

    /// <summary>No such appeal.</summary>
    NotFound = 1,

    /// <summary>This moderation action was appealed already (or the appeal was decided already).</summary>
    AlreadyDone = 2,

    /// <summary>The latest action on the content is not a hide or removal.</summary>
    NothingToAppeal = 3,
}

[GenerateSerializer, Immutable, Alias("ms.community.AppealResult")]
public sealed record AppealResult(AppealOutcome Outcome, Appeal? Appeal = null);

/// <summary>What the author of a post or comment is told after a moderation step (see <see cref="ModerationNotices"/>).</summary>
/// <param name="Action">hide, remove, restore, auto-hide, appeal-upheld or appeal-restored.</param>
/// <param name="Reason">The moderator's reason or note (already in the moderation log).</param>
/// <param name="Category">The most common reason members gave when reporting it (<see cref="ReportReasons"/>), if any.</param>
[GenerateSerializer, Immutable, Alias("ms.community.ModerationNotice")]
public sealed record ModerationNotice(string Action, string? Reason, string? Category = null);

public static class AppealRules
{
    public const int MaxMessageLength = 1_000;

    /// <summary>The author's message: required, 1 to <see cref="MaxMessageLength"/> characters.</summary>
    public static string? CheckMessage(string? message, out string? normalized)
    {
        normalized = string.IsNullOrWhiteSpace(message) ? null : message.Trim();
        if (normalized is null)
        {
            return "Tell the moderators, in a few words, why you'd like them to look again.";
        }

        if (normalized.Length > 4 * MaxMessageLength || CheckIns.CheckInRules.TextLength(normalized) > MaxMessageLength)
        {
            return $"An appeal can be at most {MaxMessageLength:N0} characters.";
        }

        for (var i = 0; i < normalized.Length; i++)
        {
            var c = normalized[i];
            if (char.IsHighSurrogate(c) && i + 1 < normalized.Length && char.IsLowSurrogate(normalized[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || (char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
            {
                return "This contains control characters or broken Unicode.";
            }
        }

        return null;
    }
}

/// <summary>
/// The words Mindspace uses to tell an author what a moderator did to their post or comment. Plain and
/// kind: what happened, to which words (their own title or first words, never anyone's identity), the
/// reason, that it is not a judgement of them, and that they can ask for another look. These are account
/// notifications, like a warning: always delivered, never held by quiet hours.
/// </summary>
public static class ModerationNotices
{
    public const string HiddenKind = "account.community-content-hidden";
    public const string RemovedKind = "account.community-content-removed";
    public const string RestoredKind = "account.community-content-restored";
    public const string AppealUpheldKind = "account.community-appeal-upheld";
    public const string AppealRestoredKind = "account.community-appeal-restored";

    private const string AppealLine = "If you think this was a mistake, you can appeal from the post, and a moderator will look at it again.";

    /// <summary>"your post “Title”" or "your comment “first words…” on the post “Title”".</summary>
    public static string What(string postTitle, string? commentBody)
        => commentBody is null
            ? $"your post \"{FirstWords(postTitle, 80)}\""
            : $"your comment \"{FirstWords(commentBody, 60)}\" on the post \"{FirstWords(postTitle, 60)}\"";

    /// <param name="comment">Whether it is a comment (else a post).</param>
    /// <param name="what">From <see cref="What"/>.</param>
    /// <param name="status">The content's status now (for an upheld appeal: hidden or removed).</param>
    public static (string Kind, string Title, string Body) Compose(ModerationNotice notice, bool comment, string what, string status)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var noun = comment ? "comment" : "post";
        var reason = notice.Reason is { Length: > 0 } r ? $" The reason they gave: \"{r}\"" : string.Empty;
        var note = notice.Reason is { Length: > 0 } n ? $" Their note: \"{n}\"" : string.Empty;
        var category = CategoryLine(notice.Category);
        return notice.Action switch
        {
            ModerationActions.Hide => (
                HiddenKind,
                $"A moderator has hidden your {noun} for now",
                $"A community moderator has hidden {what} from other members for now.{reason}{category} " +
                $"You can still see it, and nothing else about your account has changed. {AppealLine}"),
            ModerationActions.AutoHide => (
                HiddenKind,
                $"Your {noun} is hidden until a moderator looks",
                $"A few members reported {what}, so it is hidden from others until a moderator has looked at it.{category} " +
                $"This happens automatically and isn't a judgement of you. You can still see it. {AppealLine}"),
            ModerationActions.Remove => (
                RemovedKind,
                $"A moderator has removed your {noun}",
                $"A community moderator has removed {what}, so other members can no longer see it.{reason}{category} " +
                $"You can still see it yourself, and you're still welcome in the community. {AppealLine}"),
            ModerationActions.Restore => (
                RestoredKind,
                $"Your {noun} is visible again",
                $"A community moderator looked at {what} again, and everyone can see it now.{note} Thank you for your patience."),
            ModerationActions.AppealUpheld => (
                AppealUpheldKind,
                "A moderator has read your appeal",
                $"A community moderator has read your appeal about {what} and decided it stays {(status == PostStatuses.Removed ? "removed" : "hidden")}.{note} " +
                "We know this may be disappointing. You're still welcome in the community, and if you have questions, you can contact support."),
            ModerationActions.AppealRestored => (
                AppealRestoredKind,
                "Your appeal was accepted",
                $"A community moderator has read your appeal about {what}, and everyone can see it again.{note} Thank you for asking us to look again."),
            _ => throw new ArgumentException("No notice for this action.", nameof(notice)),
        };
    }

    /// <summary>The start of a text, on one line, at most <paramref name="max"/> characters, cut at a word when it can be.</summary>
    public static string FirstWords(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (flat.Length <= max)
        {
            return flat;
        }

        var cut = flat.LastIndexOf(' ', max - 1);
        var end = cut > max / 2 ? cut : max - 1;
        if (char.IsHighSurrogate(flat[end - 1]))
        {
            end--;
        }

        return string.Concat(flat.AsSpan(0, end), "…");
    }

    private static string CategoryLine(string? category) => category switch
    {
        ReportReasons.SelfHarm =>
            " Some members who read it were worried about you. If things are hard right now, you don't have to face it alone: support is there for you any time under Support.",
        ReportReasons.Spam => " Members reported it as spam.",
        ReportReasons.Harassment => " Members reported it as harassment.",
        ReportReasons.Hate => " Members reported it as hateful.",
        ReportReasons.Misinformation => " Members reported it as misleading.",
        _ => string.Empty,
    };
}
