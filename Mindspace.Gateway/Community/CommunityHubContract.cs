using System.Text.Json.Nodes;
using static Mindspace.Gateway.Notifications.HubContractSchema;

namespace Mindspace.Gateway.Community;

/// <summary>The <c>/hubs/community</c> entry of <c>/openapi/hubs.json</c>: what docs/realtime.md says of the community hub, for machines.</summary>
public static class CommunityHubContract
{
    public static JsonObject Build() => Hub(
        "community",
        CommunityHub.Path,
        "Live hints for open community screens: new posts in a feed, new comments and like counts on a post. No sequence numbers and no replay: after reconnecting, join again and read over HTTP. Only what everyone may see is sent, never what the listener blocked, never an anonymous author's id. A connection listens to at most 50 feeds and posts.",
        serverMethods: new JsonObject
        {
            ["JoinFeed"] = Method("Hear of new posts in the global feed (no tag) or one tag's feed. An invalid tag fails the call.", [("tag", "string", false, "A tag; omit or null for the global feed.")]),
            ["LeaveFeed"] = Method("Stop hearing of a feed's new posts.", [("tag", "string", false, "The tag joined; omit or null for the global feed.")]),
            ["JoinPost"] = Method("Hear of new comments and like counts on a post you can see. A post you cannot see fails with \"There is no post with this id.\"", [("postId", "string", true, "The post's id (uuid).")]),
            ["LeavePost"] = Method("Stop hearing of a post.", [("postId", "string", true, "The post's id (uuid).")]),
        },
        clientMethods: new JsonObject
        {
            [CommunityHub.PostCreatedMethod] = Event("A new post in a feed you joined.", Shape(
                ("tag", NullableOf("string", "The tag feed it arrived in; null for the global feed.")),
                ("post", Ref("A feed item, the same object as an item of GET /api/v1/posts.")))),
            [CommunityHub.CommentAddedMethod] = Event("A new comment on a post you joined, as everyone sees it.", Shape(
                ("id", Uuid()),
                ("postId", Uuid()),
                ("parentId", NullableOf("string", "The comment it replies to; null for a reply to the post.")),
                ("depth", new JsonObject { ["type"] = "integer" }),
                ("author", Author()),
                ("body", NullableOf("string", "Markdown as written.")),
                ("html", NullableOf("string", "The safe rendering of the body.")),
                ("createdAt", new JsonObject { ["type"] = "string", ["format"] = "date-time" }))),
            [CommunityHub.LikesChangedMethod] = Event("A post's like count now.", Shape(
                ("postId", Uuid()),
                ("likes", new JsonObject { ["type"] = "integer" }))),
        });

    private static JsonObject Author() => Shape(
        ("userId", NullableOf("string", "The author's id; null for an anonymous post's pseudonym or a former member.")),
        ("name", new JsonObject { ["type"] = "string" }),
        ("anonymous", new JsonObject { ["type"] = "boolean" }));
}
