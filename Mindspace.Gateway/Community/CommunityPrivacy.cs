using Mindspace.Grains.Interfaces.Community;

namespace Mindspace.Gateway.Community;

/// <summary>
/// A person's community data for <c>/me/export</c> and account deletion: their posts (anonymous ones
/// included, opened from their sealed links), comments, likes and bookmarks.
/// </summary>
/// <remarks>
/// Erasure wipes the text, tags and author of each of their posts; a post others replied to stays as
/// a "[deleted]" tombstone so the replies — other people's words — keep their place, any other post
/// disappears. Their comments become "deleted" placeholders (the thread keeps its shape), their likes
/// are taken back, and their bookmarks and links are cleared. Safe to run again after a failure.
/// </remarks>
public static class CommunityPrivacy
{
    public static async Task<object> ExportAsync(IGrainFactory grains, Guid userId)
    {
        var activity = await grains.GetGrain<ICommunityMemberGrain>(userId).GetActivityAsync();
        var posts = await Task.WhenAll(activity.Posts.Select(id => grains.GetGrain<IPostGrain>(id).GetAsync(userId)));
        var anonymous = await Task.WhenAll(activity.AnonymousPosts.Select(id => grains.GetGrain<IPostGrain>(id).GetAsync(userId)));
        var comments = new List<CommentView>();
        foreach (var group in activity.Comments.GroupBy(c => c.PostId))
        {
            var all = await grains.GetGrain<IPostGrain>(group.Key).ListCommentsAsync(userId) ?? [];
            comments.AddRange(all.Where(c => c.IsMine && group.Any(g => g.CommentId == c.Id)));
        }

        return new CommunityExport([.. posts.OfType<PostView>()], [.. anonymous.OfType<PostView>()], comments, activity.Likes, activity.Bookmarks);
    }

    public static async Task EraseAsync(IGrainFactory grains, Guid userId)
    {
        var member = grains.GetGrain<ICommunityMemberGrain>(userId);
        var activity = await member.GetActivityAsync();
        var touched = activity.Posts.Concat(activity.AnonymousPosts).Concat(activity.Comments.Select(c => c.PostId)).Concat(activity.Likes).Distinct();
        foreach (var postId in touched)
        {
            await grains.GetGrain<IPostGrain>(postId).EraseUserAsync(userId);
        }

        await member.ClearAsync();
    }
}
