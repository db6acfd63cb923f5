using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Community;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Interfaces.Safety;
using Mindspace.Grains.Interfaces.Therapist;
using Mindspace.Grains.Journal;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Community;

/// <inheritdoc cref="IPostGrain"/>
/// <remarks>
/// Comments are rows of <c>community_comments</c> (all read into memory on activation, at most
/// <see cref="CommunityRules.MaxCommentsPerPost"/>), likes rows of <c>community_post_likes</c> keyed
/// by the liker, with the count in the post's state. Side effects (feeds, care queue, notifications)
/// follow the writes that cause them.
/// </remarks>
public sealed class PostGrain(
    [PersistentState("community-post")] IPersistentState<PostState> state,
    [RecordCollection("community_comments")] IRecordCollection<StoredComment> comments,
    [RecordCollection("community_post_likes")] IRecordCollection<DateTimeOffset> likes,
    JournalMasterKeys masterKeys,
    IRecordStore store,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, IPostGrain
{
    private readonly AuthorSeal _seal = new(masterKeys, store, clock);
    private readonly List<KeyedRecord<StoredComment>> _comments = [];
    private Guid? _openedAuthor;
    private long _lastCommentMs;

    private Guid PostId => this.GetPrimaryKey();

    private PostState Post => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _seal.LoadAsync(cancellationToken);
        if (!Post.Created)
        {
            return;
        }

        string? after = null;
        while (_comments.Count < CommunityRules.MaxCommentsPerPost)
        {
            var batch = await comments.QueryAsync(new RecordQuery(after, Limit: 500), cancellationToken);
            _comments.AddRange(batch);
            if (batch.Count < 500)
            {
                break;
            }

            after = batch[^1].Key;
        }

        _lastCommentMs = _comments.Count > 0 ? Guid.Parse(_comments[^1].Key).ToUnixMs() : 0;
    }

    public async Task<PostResult> CreateAsync(NewPost post)
    {
        ArgumentNullException.ThrowIfNull(post);
        if (Post.Created)
        {
            return Invalid("id", "This post already exists.");
        }

        if (Check(post.Title, post.Body, post.Tags, out var title, out var body, out var tags) is { } invalid)
        {
            return invalid;
        }

        var now = clock.GetUtcNow();
        var assessment = SafetyClassifier.Assess(title + "\n" + body);
        var held = RiskLevels.NeedsCrisisCare(assessment.Level);
        state.State = new PostState
        {
            Created = true,
            AuthorId = post.Anonymous ? null : post.AuthorId,
            SealedAuthor = post.Anonymous ? _seal.Seal(PostId, [post.AuthorId], now) : null,
            Pseudonym = post.Anonymous ? CommunityRules.NewPseudonym() : null,
            AuthorName = post.Anonymous ? string.Empty : post.AuthorName,
            Title = title,
            Body = body,
            Tags = [.. tags],
            CreatedAt = now,
            Status = held ? PostStatuses.Held : PostStatuses.Visible,
            HeldLevel = held ? assessment.Level : null,
        };
        _openedAuthor = post.AuthorId;
        await state.WriteStateAsync();

        await GrainFactory.GetGrain<ICommunityMemberGrain>(post.AuthorId).AddPostAsync(PostId, post.Anonymous);
        if (held)
        {
            await HoldForCareAsync(post.AuthorId, assessment, title + " — " + body, commentId: null);
        }
        else
        {
            await PushToFeedsAsync([]);
            await PublishAsync(new CommunityLiveEvent(LiveEventKinds.PostCreated, PostId, Author(), Post: Summary()), [.. Post.Tags.Select(LiveTopics.Feed).Prepend(LiveTopics.Feed(null))]);
        }

        return new PostResult(CommunityOutcome.Done, View(post.AuthorId), assessment);
    }

    public async Task<PostView?> GetAsync(Guid viewer)
        => CanSee(viewer) ? View(viewer, await likes.GetAsync(KeyOf(viewer)) != default) : null;

    public async Task<PostResult> EditAsync(Guid user, PostPatch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        if (!CanSee(user) || Post.Status == PostStatuses.Deleted)
        {
            return new PostResult(CommunityOutcome.NotFound);
        }

        if (!IsAuthor(user))
        {
            return new PostResult(CommunityOutcome.Forbidden);
        }

        if (Check(patch.Title ?? Post.Title, patch.Body ?? Post.Body!, patch.Tags ?? Post.Tags, out var title, out var body, out var tags) is { } invalid)
        {
            return invalid;
        }

        var oldTags = Post.Tags.ToList();
        var wasVisible = Post.Status == PostStatuses.Visible;
        var assessment = SafetyClassifier.Assess(title + "\n" + body);
        var held = RiskLevels.NeedsCrisisCare(assessment.Level);
        Post.Title = title;
        Post.Body = body;
        Post.Tags = [.. tags];
        Post.EditedAt = clock.GetUtcNow();
        if (held && Post.Status is PostStatuses.Visible or PostStatuses.Held)
        {
            Post.Status = PostStatuses.Held;
            Post.HeldLevel = assessment.Level;
        }

        await state.WriteStateAsync();
        if (held)
        {
            if (wasVisible)
            {
                await RemoveFromFeedsAsync(oldTags);
            }

            await HoldForCareAsync(user, assessment, title + " — " + body, commentId: null);
        }
        else if (Post.Status == PostStatuses.Visible)
        {
            await PushToFeedsAsync(oldTags.Except(Post.Tags, StringComparer.Ordinal));
        }

        return new PostResult(CommunityOutcome.Done, View(user, await likes.GetAsync(KeyOf(user)) != default), assessment);
    }

    public async Task<CommunityOutcome> DeleteAsync(Guid user)
    {
        if (!CanSee(user) || Post.Status == PostStatuses.Deleted)
        {
            return CommunityOutcome.NotFound;
        }

        if (!IsAuthor(user))
        {
            return CommunityOutcome.Forbidden;
        }

        await TombstoneAsync();
        await GrainFactory.GetGrain<ICommunityMemberGrain>(user).RemovePostAsync(PostId);
        return CommunityOutcome.Done;
    }

    public async Task<CommentResult> AddCommentAsync(NewComment comment)
    {
        ArgumentNullException.ThrowIfNull(comment);
        if (!CanSee(comment.AuthorId) || Post.Status == PostStatuses.Deleted)
        {
            return new CommentResult(CommunityOutcome.NotFound);
        }

        if (Post.Status != PostStatuses.Visible)
        {
            return new CommentResult(CommunityOutcome.Invalid, Field: "postId", Error: "This post is not open for replies while it is being looked at.");
        }

        if (CommunityRules.CheckCommentBody(comment.Body, out var body) is { } bodyError)
        {
            return new CommentResult(CommunityOutcome.Invalid, Field: "body", Error: bodyError);
        }

        var depth = 0;
        if (comment.ParentId is { } parentId)
        {
            if (_comments.FirstOrDefault(c => c.Key == KeyOf(parentId)) is not { } parent || !CanSee(comment.AuthorId, parent.Value))
            {
                return new CommentResult(CommunityOutcome.Invalid, Field: "parentId", Error: "There is no comment with this id on this post.");
            }

            depth = parent.Value.Depth + 1;
            if (depth > CommunityRules.MaxCommentDepth)
            {
                return new CommentResult(CommunityOutcome.Invalid, Field: "parentId", Error: $"Replies nest at most {CommunityRules.MaxCommentDepth} deep; reply further up the thread.");
            }
        }

        if (await BlockedFromReplyingAsync(comment.AuthorId, comment.ParentId) is { } blockedField)
        {
            return new CommentResult(CommunityOutcome.Forbidden, Field: blockedField, Error: "You can't reply here.");
        }

        if (_comments.Count >= CommunityRules.MaxCommentsPerPost)
        {
            return new CommentResult(CommunityOutcome.Invalid, Field: "postId", Error: "This post has reached the most comments it can hold.");
        }

        if (ProfanityScreen.Contains(body) && !RiskLevels.NeedsCrisisCare(SafetyClassifier.Assess(body).Level))
        {
            return new CommentResult(CommunityOutcome.Invalid, Field: "body", Error: ProfanityMessage);
        }

        var now = clock.GetUtcNow();
        var id = NextCommentId(now);
        var assessment = SafetyClassifier.Assess(body);
        var held = RiskLevels.NeedsCrisisCare(assessment.Level);
        var asAnonymousAuthor = Post.SealedAuthor is not null && IsAuthor(comment.AuthorId);
        var stored = new StoredComment(
            comment.ParentId,
            depth,
            asAnonymousAuthor ? null : comment.AuthorId,
            asAnonymousAuthor ? _seal.Seal(id, [comment.AuthorId], now) : null,
            asAnonymousAuthor ? string.Empty : comment.AuthorName,
            asAnonymousAuthor,
            body,
            now,
            held ? PostStatuses.Held : PostStatuses.Visible,
            held ? assessment.Level : null);
        var key = KeyOf(id);
        await comments.PutAsync(key, stored);
        _comments.Add(new KeyedRecord<StoredComment>(key, stored));

        await GrainFactory.GetGrain<ICommunityMemberGrain>(comment.AuthorId).AddCommentAsync(PostId, id, asAnonymousAuthor);
        if (held)
        {
            await HoldForCareAsync(comment.AuthorId, assessment, body, id);
        }
        else
        {
            await PushToFeedsAsync([]);
            var view = CommentView(id, stored, Guid.Empty);
            await PublishAsync(new CommunityLiveEvent(LiveEventKinds.CommentAdded, PostId, view.Author, Comment: view), [LiveTopics.Post(PostId)]);
            await NotifyAuthorOfReplyAsync(comment.AuthorId);
        }

        return new CommentResult(CommunityOutcome.Done, CommentView(id, stored, comment.AuthorId), assessment);
    }

    public Task<IReadOnlyList<CommentView>?> ListCommentsAsync(Guid viewer)
    {
        if (!CanSee(viewer))
        {
            return Task.FromResult<IReadOnlyList<CommentView>?>(null);
        }

        // Thread order: depth-first from the top-level comments, siblings oldest first (keys are time-ordered).
        var children = _comments.ToLookup(c => c.Value.ParentId);
        var ordered = new List<CommentView>(_comments.Count);
        Walk(null);
        return Task.FromResult<IReadOnlyList<CommentView>?>(ordered);

        void Walk(Guid? parent)
        {
            foreach (var child in children[parent])
            {
                if (!CanSee(viewer, child.Value) && !children[Guid.Parse(child.Key)].Any())
                {
                    continue;
                }

                var id = Guid.Parse(child.Key);
                ordered.Add(CanSee(viewer, child.Value) ? CommentView(id, child.Value, viewer) : Placeholder(id, child.Value));
                Walk(id);
            }
        }
    }

    public async Task<CommunityOutcome> DeleteCommentAsync(Guid user, Guid commentId)
    {
        var index = CanSee(user) ? _comments.FindIndex(c => c.Key == KeyOf(commentId)) : -1;
        if (index < 0 || !CanSee(user, _comments[index].Value) || _comments[index].Value.Status == PostStatuses.Deleted)
        {
            return CommunityOutcome.NotFound;
        }

        if (!IsCommentAuthor(user, commentId, _comments[index].Value))
        {
            return CommunityOutcome.Forbidden;
        }

        await ReplaceCommentAsync(index, Deleted(_comments[index].Value));
        await PushToFeedsAsync([]);
        return CommunityOutcome.Done;
    }

    public async Task<LikeResult> SetLikeAsync(Guid user, bool like)
    {
        if (!CanSee(user) || Post.Status != PostStatuses.Visible)
        {
            return new LikeResult(CommunityOutcome.NotFound);
        }

        var key = KeyOf(user);
        var liked = await likes.GetAsync(key) != default;
        if (liked == like)
        {
            return new LikeResult(CommunityOutcome.Done, new LikeState(liked, Post.Likes));
        }

        // As with replies: someone the author blocked cannot reach them with a like. Taking back a
        // like given before the block stays possible (it only removes something).
        if (like && AuthorOrNull() is { } author && author != user
            && await GrainFactory.GetGrain<ICommunitySocialGrain>(author).HasBlockedAsync(user))
        {
            return new LikeResult(CommunityOutcome.Forbidden);
        }

        if (like)
        {
            await likes.PutAsync(key, clock.GetUtcNow());
            Post.Likes++;
        }
        else
        {
            await likes.RemoveAsync(key);
            Post.Likes = Math.Max(0, Post.Likes - 1);
        }

        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ICommunityMemberGrain>(user).SetLikedAsync(PostId, like);
        await PushToFeedsAsync([]);
        await PublishAsync(new CommunityLiveEvent(LiveEventKinds.LikesChanged, PostId, Author(), Likes: Post.Likes), [LiveTopics.Post(PostId)]);
        if (like)
        {
            await NotifyAuthorOfLikeAsync(user);
        }

        return new LikeResult(CommunityOutcome.Done, new LikeState(like, Post.Likes));
    }

    public Task<FeedItem?> GetSummaryAsync() => Task.FromResult(Post.Created && Post.Status == PostStatuses.Visible ? Summary() : null);

    public Task<bool> HasCommentAsync(Guid commentId) => Task.FromResult(_comments.Any(c => c.Key == KeyOf(commentId)));

    public async Task<PostView?> ModerateAsync(string action)
    {
        if (!Post.Created || Post.Status == PostStatuses.Deleted)
        {
            return null;
        }

        var wasVisible = Post.Status == PostStatuses.Visible;
        Post.Status = action switch
        {
            ModerationActions.Hide => PostStatuses.Hidden,
            ModerationActions.Remove => PostStatuses.Removed,
            ModerationActions.Restore => PostStatuses.Visible,
            _ => throw new ArgumentException("Unknown moderation action.", nameof(action)),
        };
        if (Post.Status == PostStatuses.Visible)
        {
            Post.HeldLevel = null;
        }

        await state.WriteStateAsync();
        if (Post.Status == PostStatuses.Visible)
        {
            await PushToFeedsAsync([]);
        }
        else if (wasVisible)
        {
            await RemoveFromFeedsAsync(Post.Tags);
        }

        return View(Guid.Empty);
    }

    public async Task<CommentView?> ModerateCommentAsync(Guid commentId, string action)
    {
        var index = Post.Created ? _comments.FindIndex(c => c.Key == KeyOf(commentId)) : -1;
        if (index < 0 || _comments[index].Value.Status == PostStatuses.Deleted)
        {
            return null;
        }

        var comment = _comments[index].Value;
        var status = action switch
        {
            ModerationActions.Hide => comment.Status == PostStatuses.Visible ? PostStatuses.Hidden : comment.Status,
            ModerationActions.Remove => PostStatuses.Removed,
            ModerationActions.Restore => PostStatuses.Visible,
            _ => throw new ArgumentException("Unknown moderation action.", nameof(action)),
        };
        if (status != comment.Status)
        {
            comment = comment with { Status = status, HeldLevel = status == PostStatuses.Visible ? null : comment.HeldLevel };
            await ReplaceCommentAsync(index, comment);
            await PushToFeedsAsync([]);
        }

        return CommentView(commentId, comment, Guid.Empty);
    }

    public Task<PostView?> GetForModeratorAsync() => Task.FromResult(Post.Created ? View(Guid.Empty) : null);

    public async Task<bool> TellAuthorAsync(Guid? commentId, ModerationNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (!Post.Created || Post.Status == PostStatuses.Deleted)
        {
            return false;
        }

        Guid? author;
        string what;
        string status;
        if (commentId is { } id)
        {
            if (_comments.FirstOrDefault(c => c.Key == KeyOf(id)) is not { Value: { Status: not PostStatuses.Deleted } comment })
            {
                return false;
            }

            author = comment.AuthorId ?? (comment.SealedAuthor is not null && _seal.Open(id, comment.SealedAuthor) is [var sealedAuthor] ? sealedAuthor : null);
            what = ModerationNotices.What(Post.Title, comment.Body ?? string.Empty);
            status = comment.Status;
        }
        else
        {
            author = AuthorOrNull();
            what = ModerationNotices.What(Post.Title, null);
            status = Post.Status;
        }

        if (author is not { } user || user == Guid.Empty)
        {
            return false;
        }

        // An account notification, like a warning: always delivered, never held by quiet hours.
        var (kind, title, body) = ModerationNotices.Compose(notice, commentId is not null, what, status);
        await GrainFactory.GetGrain<INotificationInboxGrain>(user).NotifyAsync(new UserNotification(Guid.NewGuid(), kind, title, body, clock.GetUtcNow()));
        return true;
    }

    public Task<Guid?> RevealAuthorAsync() => Task.FromResult(Post.Created && Post.SealedAuthor is not null ? AnonymousAuthor() : null);

    public async Task EraseUserAsync(Guid user)
    {
        if (!Post.Created)
        {
            return;
        }

        if (IsAuthor(user))
        {
            await TombstoneAsync();
            return;
        }

        for (var i = 0; i < _comments.Count; i++)
        {
            if (IsCommentAuthor(user, Guid.Parse(_comments[i].Key), _comments[i].Value))
            {
                await ReplaceCommentAsync(i, Deleted(_comments[i].Value) with { AuthorId = null, SealedAuthor = null, AuthorName = string.Empty });
            }
        }

        if (await likes.RemoveAsync(KeyOf(user)))
        {
            Post.Likes = Math.Max(0, Post.Likes - 1);
            await state.WriteStateAsync();
        }

        if (Post.Status == PostStatuses.Visible)
        {
            await PushToFeedsAsync([]);
        }
    }

    public async Task<BlockResult> BlockAuthorAsync(Guid blocker, bool block)
    {
        if (!CanSee(blocker) || Post.Status == PostStatuses.Deleted)
        {
            return new BlockResult(CommunityOutcome.NotFound);
        }

        if (AuthorOrNull() is not { } author || author == blocker)
        {
            return new BlockResult(CommunityOutcome.Invalid);
        }

        var target = Post.SealedAuthor is not null
            ? new BlockTarget(author, Post.Pseudonym ?? "Anonymous", PostId)
            : new BlockTarget(author, Post.AuthorName, null);
        return new BlockResult(CommunityOutcome.Done, await GrainFactory.GetGrain<ICommunitySocialGrain>(blocker).SetBlockAsync(target, block));
    }

    /// <summary>
    /// Someone blocked by the post's author may not comment on it, and someone blocked by a comment's
    /// author may not reply to that comment (anonymous authors included: their blocks are checked on
    /// the opened seal, and nobody learns who they are).
    /// </summary>
    /// <returns>The field that names what they cannot reply to, or null when they may reply.</returns>
    private async Task<string?> BlockedFromReplyingAsync(Guid replier, Guid? parentId)
    {
        if (AuthorOrNull() is { } postAuthor && postAuthor != replier
            && await GrainFactory.GetGrain<ICommunitySocialGrain>(postAuthor).HasBlockedAsync(replier))
        {
            return "postId";
        }

        if (parentId is { } parent && _comments.FirstOrDefault(c => c.Key == KeyOf(parent)) is { } stored
            && (stored.Value.AuthorId ?? (stored.Value.Anonymous ? AuthorOrNull() : null)) is { } parentAuthor && parentAuthor != replier
            && await GrainFactory.GetGrain<ICommunitySocialGrain>(parentAuthor).HasBlockedAsync(replier))
        {
            return "parentId";
        }

        return null;
    }

    /// <summary>Live events go out after the write they describe, one-way (nothing waits on a gateway).</summary>
    private Task PublishAsync(CommunityLiveEvent liveEvent, IEnumerable<string> topics)
        => Task.WhenAll(topics.Select(topic => GrainFactory.GetGrain<ICommunityLiveGrain>(topic).PublishAsync(liveEvent)));

    /// <summary>Batched by the inbox while unread, so a busy post makes one notification, worded with the count.</summary>
    private async Task NotifyAuthorOfLikeAsync(Guid liker)
    {
        if (AuthorOrNull() is not { } author || author == liker
            || await GrainFactory.GetGrain<ICommunitySocialGrain>(author).HasBlockedAsync(liker))
        {
            return;
        }

        await GrainFactory.GetGrain<INotificationInboxGrain>(author).NotifyAsync(new UserNotification(
            Guid.NewGuid(),
            CommunityLikeNotifications.Kind,
            CommunityLikeNotifications.Title(Post.Likes),
            $"Your post \"{CommunityRules.Excerpt(Post.Title)}\" is reaching people.",
            clock.GetUtcNow(),
            BatchKey: CommunityLikeNotifications.Kind + ":" + PostId));
    }

    private const string ProfanityMessage =
        "This includes a word we don't allow in the community (slurs and explicit terms). Please rephrase it; everything else can stay.";

    /// <summary>
    /// The author's post goes: its text, tags and author are wiped. When others replied, a tombstone
    /// stays so their words keep their place; otherwise nobody can find it any more.
    /// </summary>
    private async Task TombstoneAsync()
    {
        var wasVisible = Post.Status == PostStatuses.Visible;
        var oldTags = Post.Tags.ToList();
        var author = AuthorOrNull();
        var namedAuthor = Post.AuthorId;
        Post.Status = PostStatuses.Deleted;
        Post.Title = "[deleted]";
        Post.Body = null;
        Post.Tags = [];
        Post.AuthorId = null;
        Post.SealedAuthor = null;
        Post.AuthorName = string.Empty;
        Post.HeldLevel = null;
        _openedAuthor = null;
        await state.WriteStateAsync();

        for (var i = 0; i < _comments.Count; i++)
        {
            if (author is { } a && IsCommentAuthor(a, Guid.Parse(_comments[i].Key), _comments[i].Value))
            {
                await ReplaceCommentAsync(i, Deleted(_comments[i].Value) with { AuthorId = null, SealedAuthor = null, AuthorName = string.Empty });
            }
        }

        if (wasVisible)
        {
            await RemoveFromFeedsAsync(oldTags, namedAuthor);
        }
    }

    private async Task HoldForCareAsync(Guid author, SafetyAssessment assessment, string text, Guid? commentId)
    {
        var excerpt = text.Length > TherapistRules.ExcerptLength ? text[..TherapistRules.ExcerptLength] + "…" : text;
        await GrainFactory.GetGrain<ICareQueueGrain>(0).AddAsync(new NewCareItem(author, commentId ?? PostId, assessment.Level, assessment.Signals, excerpt));
        if (commentId is null)
        {
            await GrainFactory.GetGrain<ICommunityModerationGrain>(0).SetHeldAsync(PostId, PostStatuses.Held, assessment.Level);
        }

        await GrainFactory.GetGrain<INotificationInboxGrain>(author).NotifyAsync(new UserNotification(
            Guid.NewGuid(),
            CommunityCare.HeldNotificationKind,
            CommunityCare.HeldTitle,
            CommunityCare.HeldBody,
            clock.GetUtcNow()));
    }

    private async Task NotifyAuthorOfReplyAsync(Guid commenter)
    {
        // Someone the author blocked is refused before this (403), but no notification from them may
        // reach the author whatever path a comment takes to visibility.
        if (AuthorOrNull() is not { } author || author == commenter
            || await GrainFactory.GetGrain<ICommunitySocialGrain>(author).HasBlockedAsync(commenter))
        {
            return;
        }

        await GrainFactory.GetGrain<INotificationInboxGrain>(author).NotifyAsync(new UserNotification(
            Guid.NewGuid(),
            "community.post-replied",
            "Someone replied to your post",
            $"There's a new reply to \"{CommunityRules.Excerpt(Post.Title)}\".",
            clock.GetUtcNow(),
            BatchKey: "community.post-replied:" + PostId));
    }

    private async Task PushToFeedsAsync(IEnumerable<string> leftTags)
    {
        if (Post.Status != PostStatuses.Visible)
        {
            return;
        }

        var summary = Summary();
        var pushes = new List<Task> { GrainFactory.GetGrain<IPostFeedGrain>(FeedKeys.Global).UpsertAsync(summary) };
        pushes.AddRange(Post.Tags.Select(tag => GrainFactory.GetGrain<IPostFeedGrain>(FeedKeys.OfTag(tag)).UpsertAsync(summary)));
        if (Post.AuthorId is { } namedAuthor)
        {
            // Only named posts: an anonymous one never shows up among "people I follow".
            pushes.Add(GrainFactory.GetGrain<IPostFeedGrain>(SocialRules.AuthorFeed(namedAuthor)).UpsertAsync(summary));
        }

        pushes.AddRange(leftTags.Select(tag => GrainFactory.GetGrain<IPostFeedGrain>(FeedKeys.OfTag(tag)).RemoveAsync(PostId)));
        await Task.WhenAll(pushes);
    }

    private Task RemoveFromFeedsAsync(IEnumerable<string> tags, Guid? namedAuthor = null)
    {
        var keys = tags.Select(FeedKeys.OfTag).Prepend(FeedKeys.Global);
        if ((namedAuthor ?? Post.AuthorId) is { } author)
        {
            keys = keys.Append(SocialRules.AuthorFeed(author));
        }

        return Task.WhenAll(keys.Select(key => GrainFactory.GetGrain<IPostFeedGrain>(key).RemoveAsync(PostId)));
    }

    private FeedItem Summary()
        => new(PostId, Author(), Post.Title, CommunityRules.Excerpt(Post.Body ?? string.Empty), [.. Post.Tags], Post.CreatedAt, Post.Likes, VisibleComments());

    private int VisibleComments() => _comments.Count(c => c.Value.Status == PostStatuses.Visible);

    private PostAuthor Author()
        => Post.Pseudonym is { } pseudonym ? new PostAuthor(null, pseudonym, true)
            : Post.AuthorId is { } id ? new PostAuthor(id, Post.AuthorName, false)
            : new PostAuthor(null, "former member", false);

    private PostView View(Guid viewer, bool liked = false)
    {
        var mine = IsAuthor(viewer);
        return new PostView(
            PostId, Author(), Post.Title, Post.Body, [.. Post.Tags], Post.CreatedAt, Post.EditedAt, Post.Status, Post.Likes, VisibleComments(), liked, mine,
            mine || viewer == Guid.Empty ? Post.HeldLevel : null);
    }

    private CommentView CommentView(Guid id, StoredComment comment, Guid viewer)
    {
        var author = comment.Anonymous ? new PostAuthor(null, Post.Pseudonym ?? "Anonymous", true)
            : comment.AuthorId is { } authorId ? new PostAuthor(authorId, comment.AuthorName, false)
            : new PostAuthor(null, "former member", false);
        var mine = IsCommentAuthor(viewer, id, comment);
        return new CommentView(id, PostId, comment.ParentId, comment.Depth, author, comment.Body, comment.CreatedAt, comment.Status, mine, mine ? comment.HeldLevel : null);
    }

    /// <summary>A comment the viewer may not read that still has replies they can: its place, nothing else.</summary>
    private CommentView Placeholder(Guid id, StoredComment comment)
        => new(id, PostId, comment.ParentId, comment.Depth, new PostAuthor(null, "—", false), null, comment.CreatedAt, PostStatuses.Hidden, false);

    /// <summary>
    /// Everyone sees a visible post, and a deleted one's tombstone while others' replies remain under it;
    /// its author sees it whatever its status.
    /// </summary>
    private bool CanSee(Guid viewer)
        => Post.Created && (Post.Status == PostStatuses.Visible || IsAuthor(viewer)
            || (Post.Status == PostStatuses.Deleted && _comments.Any(c => c.Value.Status == PostStatuses.Visible)));

    private bool CanSee(Guid viewer, StoredComment comment)
        => comment.Status is PostStatuses.Visible or PostStatuses.Deleted || (comment.AuthorId is { } author && author == viewer)
            || (comment.Anonymous && IsAuthor(viewer));

    private bool IsAuthor(Guid user) => user != Guid.Empty && AuthorOrNull() == user;

    private bool IsCommentAuthor(Guid user, Guid commentId, StoredComment comment)
        => user != Guid.Empty && (comment.AuthorId == user
            || (comment.SealedAuthor is not null && _seal.Open(commentId, comment.SealedAuthor) is [var sealedAuthor] && sealedAuthor == user));

    private Guid? AuthorOrNull() => Post.AuthorId ?? AnonymousAuthor();

    private Guid? AnonymousAuthor()
    {
        if (Post.SealedAuthor is null)
        {
            return null;
        }

        _openedAuthor ??= _seal.Open(PostId, Post.SealedAuthor) is [var author] ? author : null;
        return _openedAuthor;
    }

    private async Task ReplaceCommentAsync(int index, StoredComment updated)
    {
        await comments.PutAsync(_comments[index].Key, updated);
        _comments[index] = _comments[index] with { Value = updated };
    }

    private static StoredComment Deleted(StoredComment comment) => comment with { Body = null, Status = PostStatuses.Deleted, HeldLevel = null };

    private Guid NextCommentId(DateTimeOffset now)
    {
        _lastCommentMs = Math.Max(now.ToUnixTimeMilliseconds(), _lastCommentMs + 1);
        return Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(_lastCommentMs));
    }

    private static string KeyOf(Guid id) => id.ToString("D");

    private static PostResult Invalid(string field, string error) => new(CommunityOutcome.Invalid, Field: field, Error: error);

    private static PostResult? Check(string? title, string? body, IReadOnlyList<string?>? tags, out string normalizedTitle, out string normalizedBody, out IReadOnlyList<string> normalizedTags)
    {
        var titleError = CommunityRules.CheckTitle(title, out normalizedTitle);
        var bodyError = CommunityRules.CheckBody(body, out normalizedBody);
        var tagsError = CommunityRules.CheckTags(tags, out normalizedTags);
        if (titleError is not null)
        {
            return Invalid("title", titleError);
        }

        if (bodyError is not null)
        {
            return Invalid("body", bodyError);
        }

        if (tagsError is not null)
        {
            return Invalid("tags", tagsError);
        }

        // Care comes before the screen: a person in crisis is held and cared for, never rejected for a word.
        if (RiskLevels.NeedsCrisisCare(SafetyClassifier.Assess(normalizedTitle + "\n" + normalizedBody).Level))
        {
            return null;
        }

        foreach (var (field, text) in new[] { ("title", normalizedTitle), ("body", normalizedBody), ("tags", string.Join(", ", normalizedTags)) })
        {
            if (ProfanityScreen.Contains(text))
            {
                return Invalid(field, ProfanityMessage);
            }
        }

        return null;
    }
}

internal static class GuidTimes
{
    /// <summary>The Unix milliseconds a version 7 id carries.</summary>
    public static long ToUnixMs(this Guid id) => Interfaces.CheckIns.CheckInKeys.UnixMillisecondsOf(id);
}
