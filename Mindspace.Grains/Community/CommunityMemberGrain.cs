using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Community;
using Mindspace.Grains.Journal;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Community;

/// <inheritdoc cref="ICommunityMemberGrain"/>
/// <remarks>
/// Rows: <c>community_member_links</c> (posts and comments; a link to an anonymous post or the
/// anonymous author's own comment is sealed and keyed by a random id, so the table alone does not
/// tie the person to it), <c>community_member_likes</c> and <c>community_bookmarks</c> (keyed by post
/// id; bookmarks are read into memory on first use, at most <see cref="CommunityRules.MaxBookmarks"/>).
/// </remarks>
public sealed class CommunityMemberGrain(
    [RecordCollection("community_member_links")] IRecordCollection<MemberLink> links,
    [RecordCollection("community_member_likes")] IRecordCollection<DateTimeOffset> likes,
    [RecordCollection("community_bookmarks")] IRecordCollection<DateTimeOffset> bookmarks,
    JournalMasterKeys masterKeys,
    IRecordStore store,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, ICommunityMemberGrain
{
    private readonly AuthorSeal _seal = new(masterKeys, store, clock);
    private Dictionary<Guid, DateTimeOffset>? _bookmarks;

    private Guid UserId => this.GetPrimaryKey();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _seal.LoadAsync(cancellationToken);

    public Task AddPostAsync(Guid postId, bool anonymous) => AddLinkAsync(postId, null, anonymous);

    public async Task RemovePostAsync(Guid postId)
    {
        if (!await links.RemoveAsync("p-" + postId.ToString("D")))
        {
            foreach (var link in await AllLinksAsync())
            {
                if (link.Value.Sealed is not null && _seal.Open(UserId, link.Value.Sealed) is [var sealedPost] && sealedPost == postId)
                {
                    await links.RemoveAsync(link.Key);
                }
            }
        }
    }

    public Task AddCommentAsync(Guid postId, Guid commentId, bool anonymous) => AddLinkAsync(postId, commentId, anonymous);

    public Task SetLikedAsync(Guid postId, bool liked)
        => liked ? likes.PutAsync(postId.ToString("D"), clock.GetUtcNow()) : likes.RemoveAsync(postId.ToString("D"));

    public async Task<bool> SetBookmarkAsync(Guid postId, bool bookmarked)
    {
        var all = await BookmarksAsync();
        if (bookmarked == all.ContainsKey(postId))
        {
            return bookmarked;
        }

        if (bookmarked)
        {
            if (all.Count >= CommunityRules.MaxBookmarks)
            {
                return false;
            }

            var at = clock.GetUtcNow();
            await bookmarks.PutAsync(postId.ToString("D"), at);
            all[postId] = at;
        }
        else
        {
            await bookmarks.RemoveAsync(postId.ToString("D"));
            all.Remove(postId);
        }

        return bookmarked;
    }

    public async Task<bool> IsBookmarkedAsync(Guid postId) => (await BookmarksAsync()).ContainsKey(postId);

    public async Task<IReadOnlyList<Bookmark>> ListBookmarksAsync(DateTimeOffset? before, Guid? beforePost, int limit)
    {
        var all = await BookmarksAsync();
        return [.. all
            .Select(b => new Bookmark(b.Key, b.Value))
            .OrderByDescending(b => b.At).ThenByDescending(b => b.PostId)
            .Where(b => before is not { } at || b.At < at || (b.At == at && beforePost is { } id && b.PostId.CompareTo(id) < 0))
            .Take(Math.Clamp(limit, 1, CommunityRules.MaxPageSize))];
    }

    public async Task<MemberActivity> GetActivityAsync()
    {
        var posts = new List<Guid>();
        var anonymous = new List<Guid>();
        var comments = new List<CommentRef>();
        foreach (var link in await AllLinksAsync())
        {
            var (postId, commentId, sealedLink) = link.Value.Sealed is null
                ? (link.Value.PostId, link.Value.CommentId, false)
                : _seal.Open(UserId, link.Value.Sealed) switch
                {
                    [var p] => (p, (Guid?)null, true),
                    [var p, var c] => (p, c, true),
                    _ => ((Guid?)null, (Guid?)null, true),
                };
            if (postId is not { } post)
            {
                continue;
            }

            if (commentId is { } comment)
            {
                comments.Add(new CommentRef(post, comment));
            }
            else
            {
                (sealedLink ? anonymous : posts).Add(post);
            }
        }

        var liked = (await likes.QueryAsync(new RecordQuery(Limit: 100_000))).Select(r => Guid.Parse(r.Key)).ToList();
        var saved = (await BookmarksAsync()).Select(b => new Bookmark(b.Key, b.Value)).OrderBy(b => b.At).ToList();
        return new MemberActivity(posts, anonymous, comments, liked, saved);
    }

    public async Task ClearAsync()
    {
        await links.ClearAsync();
        await likes.ClearAsync();
        await bookmarks.ClearAsync();
        _bookmarks = [];
    }

    private async Task AddLinkAsync(Guid postId, Guid? commentId, bool anonymous)
    {
        var now = clock.GetUtcNow();
        if (anonymous)
        {
            Guid[] ids = commentId is { } c ? [postId, c] : [postId];
            await links.PutAsync("s-" + Guid.NewGuid().ToString("N"), new MemberLink(null, null, _seal.Seal(UserId, ids, now), now));
        }
        else
        {
            var key = commentId is { } c ? $"c-{postId:D}-{c:D}" : $"p-{postId:D}";
            await links.PutAsync(key, new MemberLink(postId, commentId, null, now));
        }
    }

    private async Task<List<KeyedRecord<MemberLink>>> AllLinksAsync()
    {
        var all = new List<KeyedRecord<MemberLink>>();
        string? after = null;
        while (true)
        {
            var batch = await links.QueryAsync(new RecordQuery(after, Limit: 1_000));
            all.AddRange(batch);
            if (batch.Count < 1_000)
            {
                return all;
            }

            after = batch[^1].Key;
        }
    }

    private async Task<Dictionary<Guid, DateTimeOffset>> BookmarksAsync()
    {
        if (_bookmarks is null)
        {
            var rows = await bookmarks.QueryAsync(new RecordQuery(Limit: CommunityRules.MaxBookmarks));
            _bookmarks = rows.ToDictionary(r => Guid.Parse(r.Key), r => r.Value);
        }

        return _bookmarks;
    }
}
