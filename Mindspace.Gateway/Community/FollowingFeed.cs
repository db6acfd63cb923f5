using Mindspace.Grains.Interfaces.Community;

namespace Mindspace.Gateway.Community;

/// <summary>
/// <c>GET /api/v1/posts?following=true</c>: the posts of the tags and people you follow, merged from
/// their feed grains (each tag's, and each person's feed of named posts — anonymous posts are never
/// in one, so they never reveal their author here). Every source is read from the same place in the
/// same order, so the cursor is an ordinary feed cursor and pages stay stable while posts arrive.
/// </summary>
/// <remarks>
/// A page asks each source for up to a page after the cursor's place. A source that stopped early
/// (it has more) sets a frontier: only items up to it are certain to be in order, so the page ends
/// there and the next one continues from it. Costs one in-memory read per followed tag and person.
/// </remarks>
public static class FollowingFeed
{
    /// <summary>The cursor's tag slot for this feed; no real tag can look like it (tags never hold control characters).</summary>
    public const string CursorTag = "\u0001following";

    public static async Task<FeedPage> QueryAsync(IGrainFactory grains, Guid viewer, FeedQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var following = await grains.GetGrain<ICommunitySocialGrain>(viewer).GetFollowingAsync();
        var sources = following.Tags.Select(FeedKeys.OfTag).Concat(following.People.Select(p => SocialRules.AuthorFeed(p.UserId))).ToList();
        if (sources.Count == 0)
        {
            return new FeedPage([], null);
        }

        var pages = await Task.WhenAll(sources.Select(key => grains.GetGrain<IPostFeedGrain>(key).QueryAsync(query)));
        FeedPosition? frontier = null;
        foreach (var page in pages)
        {
            if (page.Next is { } next && (frontier is null || FeedSorts.Order.Compare(next, frontier) < 0))
            {
                frontier = next;
            }
        }

        var seen = new HashSet<Guid>();
        var candidates = pages
            .SelectMany(p => p.Items)
            .Where(item => seen.Add(item.PostId))
            .Select(item => (Item: item, Position: FeedSorts.PositionOf(query.Sort, item)))
            .Where(c => frontier is null || FeedSorts.Order.Compare(c.Position, frontier) <= 0)
            .OrderBy(c => c.Position, FeedSorts.Order)
            .ToList();

        if (candidates.Count > query.Limit || (candidates.Count == query.Limit && frontier is not null))
        {
            var shown = candidates.Take(query.Limit).ToList();
            return new FeedPage([.. shown.Select(c => c.Item)], shown[^1].Position);
        }

        return new FeedPage([.. candidates.Select(c => c.Item)], frontier);
    }
}
