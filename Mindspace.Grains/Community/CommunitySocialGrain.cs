using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Community;
using Mindspace.Grains.Journal;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Community;

/// <summary>A followed tag or person, as a row of <c>community_follows</c> (key <c>t-tag</c> or <c>u-id</c>).</summary>
[GenerateSerializer, Immutable, Alias("ms.state.community.FollowRow")]
public sealed record FollowRow(string? Tag, Guid? UserId, string? Name, DateTimeOffset At);

/// <summary>
/// A block, as a row of <c>community_blocks</c>: a person by id (key <c>u-id</c>), or the author of an
/// anonymous post (key <c>p-postId</c>) sealed by the community seal key (<see cref="AuthorSeal"/>) and bound to the blocker's id, so the
/// table alone never says who wrote the post.
/// </summary>
[GenerateSerializer, Immutable, Alias("ms.state.community.BlockRow")]
public sealed record BlockRow(Guid? UserId, Guid? PostId, WrappedDataKey? SealedAuthor, string Name, DateTimeOffset At);

/// <inheritdoc cref="ICommunitySocialGrain"/>
/// <remarks>Both tables are small (see <see cref="SocialRules"/>) and read into memory on first use.</remarks>
public sealed class CommunitySocialGrain(
    [RecordCollection("community_follows")] IRecordCollection<FollowRow> follows,
    [RecordCollection("community_blocks")] IRecordCollection<BlockRow> blocks,
    JournalMasterKeys masterKeys,
    IRecordStore store,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, ICommunitySocialGrain
{
    private readonly AuthorSeal _seal = new(masterKeys, store, clock);
    [ReadCache]
    private Dictionary<string, FollowRow>? _follows;

    [ReadCache]
    private Dictionary<string, BlockRow>? _blocks;

    /// <summary>Everyone blocked, anonymous authors opened: for reply checks only, never shown.</summary>
    [ReadCache]
    private HashSet<Guid>? _blockedUsers;

    private Guid UserId => this.GetPrimaryKey();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _seal.LoadAsync(cancellationToken);

    public async Task<bool> SetFollowTagAsync(string tag, bool follow)
    {
        if (CommunityRules.CheckTag(tag, out var normalized) is not null)
        {
            throw new ArgumentException("Not a tag.", nameof(tag));
        }

        var all = await FollowsAsync();
        var key = "t-" + normalized;
        if (all.ContainsKey(key) == follow)
        {
            return follow;
        }

        if (follow && all.Values.Count(f => f.Tag is not null) >= SocialRules.MaxFollowedTags)
        {
            return false;
        }

        await SetRowAsync(follows, all, key, follow ? new FollowRow(normalized, null, null, clock.GetUtcNow()) : null);
        return follow;
    }

    public async Task<bool> SetFollowPersonAsync(Guid userId, string name, bool follow)
    {
        var all = await FollowsAsync();
        var key = $"u-{userId:N}";
        if (all.ContainsKey(key) == follow)
        {
            return follow;
        }

        if (follow && (userId == UserId || all.Values.Count(f => f.UserId is not null) >= SocialRules.MaxFollowedPeople))
        {
            return false;
        }

        await SetRowAsync(follows, all, key, follow ? new FollowRow(null, userId, name, clock.GetUtcNow()) : null);
        return follow;
    }

    public async Task<Following> GetFollowingAsync()
    {
        var all = await FollowsAsync();
        return new Following(
            [.. all.Values.Where(f => f.Tag is not null).Select(f => f.Tag!).Order(StringComparer.Ordinal)],
            [.. all.Values.Where(f => f.UserId is not null).OrderBy(f => f.At).Select(f => new FollowedPerson(f.UserId!.Value, f.Name ?? "Member", f.At))]);
    }

    public async Task<BlockView?> SetBlockAsync(BlockTarget target, bool block)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.UserId == UserId)
        {
            return null;
        }

        var all = await BlocksAsync();
        var key = target.AnonymousPostId is { } postId ? $"p-{postId:N}" : $"u-{target.UserId:N}";
        if (!block)
        {
            if (all.ContainsKey(key))
            {
                await SetRowAsync(blocks, all, key, null);
                _blockedUsers = null;
            }

            return null;
        }

        if (all.TryGetValue(key, out var existing))
        {
            return View(existing);
        }

        if (all.Count >= SocialRules.MaxBlocks)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var row = target.AnonymousPostId is { } anonymousPost
            ? new BlockRow(null, anonymousPost, _seal.Seal(UserId, [target.UserId], now), target.Name, now)
            : new BlockRow(target.UserId, null, null, target.Name, now);
        await SetRowAsync(blocks, all, key, row);
        _blockedUsers?.Add(target.UserId);
        return View(row);
    }

    public async Task<bool> UnblockAsync(Guid id)
    {
        var all = await BlocksAsync();
        var removed = false;
        foreach (var key in new[] { $"u-{id:N}", $"p-{id:N}" })
        {
            if (all.ContainsKey(key))
            {
                await SetRowAsync(blocks, all, key, null);
                removed = true;
            }
        }

        _blockedUsers = null;
        return removed;
    }

    public async Task<BlockFilter> GetBlockFilterAsync()
    {
        var all = await BlocksAsync();
        return all.Count == 0
            ? BlockFilter.None
            : new BlockFilter([.. all.Values.Where(b => b.UserId is not null).Select(b => b.UserId!.Value)], [.. all.Values.Where(b => b.PostId is not null).Select(b => b.PostId!.Value)]);
    }

    public async Task<bool> HasBlockedAsync(Guid userId)
    {
        if (_blockedUsers is null)
        {
            var all = await BlocksAsync();
            HashSet<Guid> blocked = [];
            foreach (var row in all.Values)
            {
                if (row.UserId is { } named)
                {
                    blocked.Add(named);
                }
                else if (_seal.Open(UserId, row.SealedAuthor) is [var author])
                {
                    blocked.Add(author);
                }
            }

            _blockedUsers = blocked;
        }

        return _blockedUsers.Contains(userId);
    }

    public async Task<IReadOnlyList<BlockView>> ListBlocksAsync()
        => [.. (await BlocksAsync()).Values.OrderByDescending(b => b.At).Select(View)];

    public async Task<SocialExport> ExportAsync() => new(await GetFollowingAsync(), await ListBlocksAsync());

    public async Task EraseAsync()
    {
        await follows.ClearAsync();
        await blocks.ClearAsync();
        _follows = [];
        _blocks = [];
        _blockedUsers = [];
    }

    /// <summary>The blocker's view: an anonymous author is the post and its pseudonym, never an id.</summary>
    private static BlockView View(BlockRow row)
        => row.PostId is { } postId
            ? new BlockView(postId, BlockKinds.AnonymousAuthor, null, row.Name, postId, row.At)
            : new BlockView(row.UserId!.Value, BlockKinds.Person, row.UserId, row.Name, null, row.At);

    private static async Task SetRowAsync<T>(IRecordCollection<T> table, Dictionary<string, T> memory, string key, T? row)
        where T : class
    {
        if (row is null)
        {
            await table.RemoveAsync(key);
            memory.Remove(key);
        }
        else
        {
            await table.PutAsync(key, row);
            memory[key] = row;
        }
    }

    private async Task<Dictionary<string, FollowRow>> FollowsAsync()
        => _follows ??= (await follows.QueryAsync(new RecordQuery(Limit: SocialRules.MaxFollowedTags + SocialRules.MaxFollowedPeople + 10)))
            .ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);

    private async Task<Dictionary<string, BlockRow>> BlocksAsync()
        => _blocks ??= (await blocks.QueryAsync(new RecordQuery(Limit: SocialRules.MaxBlocks + 10)))
            .ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
}
