using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Community;
using Mindspace.Grains.Journal;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Community;

/// <inheritdoc cref="IMemberAppealsGrain"/>
/// <remarks>
/// Rows of <c>community_member_appeals</c>: each the appeal's id sealed with the community seal key and
/// bound to this person's id, under a random key (an appeal names its post, so a plain link would tie an
/// anonymous author to their post).
/// </remarks>
public sealed class MemberAppealsGrain(
    [RecordCollection("community_member_appeals")] IRecordCollection<MemberLink> links,
    JournalMasterKeys masterKeys,
    IRecordStore store,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, IMemberAppealsGrain
{
    private readonly AuthorSeal _seal = new(masterKeys, store, clock);

    private Guid UserId => this.GetPrimaryKey();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _seal.LoadAsync(cancellationToken);

    public Task AddAsync(Guid appealId)
    {
        var now = clock.GetUtcNow();
        return links.PutAsync(Guid.NewGuid().ToString("N"), new MemberLink(null, null, _seal.Seal(UserId, [appealId], now), now));
    }

    public async Task<IReadOnlyList<Appeal>> ExportAsync()
    {
        var appeals = await GrainFactory.GetGrain<ICommunityModerationGrain>(0).GetAppealsAsync(await AppealIdsAsync());

        // Without the deciding moderator's id: an id could be matched to a moderator's own posts.
        return [.. appeals.Select(a => a with { DecidedBy = null })];
    }

    public async Task EraseAsync()
    {
        await GrainFactory.GetGrain<ICommunityModerationGrain>(0).EraseAppealsAsync(await AppealIdsAsync());
        await links.ClearAsync();
    }

    private async Task<List<Guid>> AppealIdsAsync()
    {
        var ids = new List<Guid>();
        string? after = null;
        while (true)
        {
            var batch = await links.QueryAsync(new RecordQuery(after, Limit: 1_000));
            foreach (var link in batch)
            {
                if (_seal.Open(UserId, link.Value.Sealed) is [var appealId])
                {
                    ids.Add(appealId);
                }
            }

            if (batch.Count < 1_000)
            {
                return ids;
            }

            after = batch[^1].Key;
        }
    }
}
