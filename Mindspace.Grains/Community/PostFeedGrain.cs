using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Community;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Community;

/// <inheritdoc cref="IPostFeedGrain"/>
/// <remarks>
/// Every visible post of the feed is a row of <c>community_feed_items</c> (owner: the feed key),
/// read once on activation into three sorted sets (new, hot, top). A score change moves one entry
/// in each set (O(log n)); a page walks a set from a position, so it costs O(log n + page) whatever
/// the feed's size. "top" with a period skips older posts while it walks, bounded by
/// <see cref="MaxScanned"/> per page (a page may come back short, with a cursor to go on).
/// </remarks>
public sealed class PostFeedGrain(
    [RecordCollection("community_feed_items")] IRecordCollection<FeedItem> rows,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, IPostFeedGrain
{
    private const int MaxScanned = 5_000;

    private readonly Dictionary<Guid, FeedItem> _items = [];
    private readonly SortedSet<FeedPosition> _new = new(FeedSorts.Order);
    private readonly SortedSet<FeedPosition> _hot = new(FeedSorts.Order);
    private readonly SortedSet<FeedPosition> _top = new(FeedSorts.Order);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var batch = await rows.QueryAsync(new RecordQuery(after, Limit: 1_000), cancellationToken);
            foreach (var row in batch)
            {
                Index(row.Value);
            }

            if (batch.Count < 1_000)
            {
                break;
            }

            after = batch[^1].Key;
        }
    }

    public async Task UpsertAsync(FeedItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_items.TryGetValue(item.PostId, out var old) && old == item)
        {
            return;
        }

        await rows.PutAsync(item.PostId.ToString("D"), item);
        Unindex(item.PostId);
        Index(item);
    }

    public async Task RemoveAsync(Guid postId)
    {
        if (_items.ContainsKey(postId))
        {
            await rows.RemoveAsync(postId.ToString("D"));
            Unindex(postId);
        }
    }

    public Task<FeedPage> QueryAsync(FeedQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, CommunityRules.MaxPageSize);
        var set = query.Sort switch
        {
            FeedSorts.Hot => _hot,
            FeedSorts.Top => _top,
            _ => _new,
        };
        var since = query.Sort == FeedSorts.Top && FeedSorts.PeriodSpan(query.Period) is { } span ? query.AsOf - span : DateTimeOffset.MinValue;
        var asOf = query.AsOf > clock.GetUtcNow() ? clock.GetUtcNow() : query.AsOf;

        var page = new List<FeedItem>(limit);
        FeedPosition? last = null;
        var scanned = 0;
        foreach (var position in From(set, query.After))
        {
            if (page.Count == limit || scanned++ >= MaxScanned)
            {
                return Task.FromResult(new FeedPage(page, last));
            }

            last = position;
            var item = _items[position.PostId];
            if (item.CreatedAt <= asOf && item.CreatedAt >= since && query.Hidden?.Hides(item.Author, item.PostId) != true)
            {
                page.Add(item);
            }
        }

        return Task.FromResult(new FeedPage(page, null));
    }

    /// <summary>The set's positions strictly after <paramref name="after"/> in its order (all of it when null).</summary>
    private static IEnumerable<FeedPosition> From(SortedSet<FeedPosition> set, FeedPosition? after)
    {
        if (after is null)
        {
            return set;
        }

        if (set.Count == 0 || FeedSorts.Order.Compare(after, set.Max!) >= 0)
        {
            return [];
        }

        return set.GetViewBetween(after, set.Max!).Where(p => FeedSorts.Order.Compare(p, after) > 0);
    }

    private void Index(FeedItem item)
    {
        _items[item.PostId] = item;
        _new.Add(FeedSorts.PositionOf(FeedSorts.New, item));
        _hot.Add(FeedSorts.PositionOf(FeedSorts.Hot, item));
        _top.Add(FeedSorts.PositionOf(FeedSorts.Top, item));
    }

    private void Unindex(Guid postId)
    {
        if (_items.Remove(postId, out var item))
        {
            _new.Remove(FeedSorts.PositionOf(FeedSorts.New, item));
            _hot.Remove(FeedSorts.PositionOf(FeedSorts.Hot, item));
            _top.Remove(FeedSorts.PositionOf(FeedSorts.Top, item));
        }
    }
}
