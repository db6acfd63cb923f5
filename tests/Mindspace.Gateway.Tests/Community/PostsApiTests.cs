using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Community;

/// <summary>Posts, comments, likes and bookmarks through the HTTP API.</summary>
public sealed class PostsApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task A_post_is_created_and_its_markdown_is_rendered_without_raw_html_or_script_links()
    {
        var user = await Host.RegisterAndLoginAsync();
        var post = await user.PostAsync(
            title: "  Small wins  ",
            body: "**Made tea.** <script>alert(1)</script> [click](javascript:alert(1))",
            tags: ["Sleep", "sleep", "Wins"]);

        Assert.Equal("Small wins", post.Str("title"));
        Assert.Equal(["sleep", "wins"], post.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var html = post.Str("html");
        Assert.Contains("<strong>Made tea.</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
        Assert.Equal("visible", post.Str("status"));
        Assert.True(post.GetProperty("isMine").GetBoolean());
        Assert.Equal(user.UserId.ToString(), post.GetProperty("author").Str("userId"));

        var other = await Host.RegisterAndLoginAsync();
        var read = await other.Client.GetJsonAsync($"/api/v1/posts/{post.Id()}");
        Assert.Equal("Small wins", read.Str("title"));
        Assert.False(read.GetProperty("isMine").GetBoolean());
    }

    [Theory]
    [InlineData("""{"body":"text"}""", "title")]
    [InlineData("""{"title":"   ","body":"text"}""", "title")]
    [InlineData("""{"title":"t"}""", "body")]
    [InlineData("""{"title":"t","body":"text","tags":["a","b","c","d","e","f"]}""", "tags")]
    [InlineData("""{"title":"t","body":"text","tags":[""]}""", "tags")]
    public async Task Bad_posts_are_400_problems_naming_the_field(string json, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.PostAsync("/api/v1/posts", HttpJson.Json(json))).AssertValidationProblemAsync(field);
    }

    [Fact]
    public async Task A_body_over_ten_thousand_characters_malformed_json_and_wrong_types_are_4xx_problems()
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.PostAsJsonAsync("/api/v1/posts", new { title = "t", body = new string('a', 10_001) })).AssertValidationProblemAsync("body");
        Assert.Equal(HttpStatusCode.Created, (await user.Client.PostAsJsonAsync("/api/v1/posts", new { title = "t", body = new string('a', 10_000) })).StatusCode);
        await (await user.Client.PostAsync("/api/v1/posts", HttpJson.Json("{\"title\":"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Client.PostAsync("/api/v1/posts", HttpJson.Json("""{"title":5,"body":[]}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Client.GetAsync("/api/v1/posts?limit=0")).AssertValidationProblemAsync("limit");
        await (await user.Client.GetAsync("/api/v1/posts?sort=best")).AssertValidationProblemAsync("sort");
        await (await user.Client.GetAsync("/api/v1/posts?sort=top&period=year")).AssertValidationProblemAsync("period");
    }

    [Fact]
    public async Task Only_the_author_edits_or_deletes_a_post_others_get_403_and_unknown_ids_404()
    {
        var author = await Host.RegisterAndLoginAsync();
        var other = await Host.RegisterAndLoginAsync();
        var post = await author.PostAsync();
        var id = post.Id();

        await (await other.Client.PatchAsJsonAsync($"/api/v1/posts/{id}", new { title = "Mine now" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await other.Client.DeleteAsync($"/api/v1/posts/{id}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await other.Client.PatchAsJsonAsync($"/api/v1/posts/{Guid.NewGuid()}", new { title = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.GetAsync("/api/v1/posts/not-an-id")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("A small win today", (await other.Client.GetJsonAsync($"/api/v1/posts/{id}")).Str("title"));

        var edited = await author.Client.PatchAsJsonAsync($"/api/v1/posts/{id}", new { title = "A bigger win", tags = new[] { "walks" } });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var read = await other.Client.GetJsonAsync($"/api/v1/posts/{id}");
        Assert.Equal("A bigger win", read.Str("title"));
        Assert.Equal("I went for a walk and it helped a little.", read.Str("body"));
        Assert.NotEqual(JsonValueKind.Null, read.GetProperty("editedAt").ValueKind);
        await (await author.Client.PatchAsJsonAsync($"/api/v1/posts/{id}", new { body = "" })).AssertValidationProblemAsync("body");

        Assert.Equal(HttpStatusCode.NoContent, (await author.Client.DeleteAsync($"/api/v1/posts/{id}")).StatusCode);
        await (await other.Client.GetAsync($"/api/v1/posts/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await author.Client.DeleteAsync($"/api/v1/posts/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Comments_thread_under_their_parents_and_nest_no_deeper_than_the_limit()
    {
        var author = await Host.RegisterAndLoginAsync();
        var friend = await Host.RegisterAndLoginAsync();
        var id = (await author.PostAsync()).Id();

        var first = await friend.CommentAsync(id, "First");
        var second = await author.CommentAsync(id, "Second");
        var reply = await author.CommentAsync(id, "Reply to first", first.Id());
        Assert.Equal(1, reply.GetProperty("depth").GetInt32());

        var list = (await friend.Client.GetJsonAsync($"/api/v1/posts/{id}/comments")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["First", "Reply to first", "Second"], list.Select(c => c.Str("body")));
        Assert.Equal(first.Id(), list[1].Str("parentId"));
        Assert.Equal(3, (await friend.Client.GetJsonAsync($"/api/v1/posts/{id}")).GetProperty("comments").GetInt32());

        var parent = reply.Id();
        for (var depth = 2; depth <= 8; depth++)
        {
            parent = (await friend.CommentAsync(id, $"Depth {depth}", parent)).Id();
        }

        await (await friend.Client.PostAsJsonAsync($"/api/v1/posts/{id}/comments", new { body = "Too deep", parentId = parent })).AssertValidationProblemAsync("parentId");
        await (await friend.Client.PostAsJsonAsync($"/api/v1/posts/{id}/comments", new { body = "Lost", parentId = Guid.NewGuid() })).AssertValidationProblemAsync("parentId");
        await (await friend.Client.PostAsJsonAsync($"/api/v1/posts/{id}/comments", new { body = "  " })).AssertValidationProblemAsync("body");
        await (await friend.Client.PostAsJsonAsync($"/api/v1/posts/{Guid.NewGuid()}/comments", new { body = "Hello" })).AssertProblemAsync(HttpStatusCode.NotFound);

        // Someone else's comment cannot be deleted; one's own leaves a placeholder so replies keep their parent.
        await (await author.Client.DeleteAsync($"/api/v1/posts/{id}/comments/{first.Id()}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NoContent, (await friend.Client.DeleteAsync($"/api/v1/posts/{id}/comments/{first.Id()}")).StatusCode);
        var after = (await author.Client.GetJsonAsync($"/api/v1/posts/{id}/comments")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("deleted", after[0].Str("status"));
        Assert.Equal(JsonValueKind.Null, after[0].GetProperty("body").ValueKind);
        Assert.Equal("Reply to first", after[1].Str("body"));
    }

    [Fact]
    public async Task A_like_counts_once_per_person_and_put_and_delete_are_idempotent()
    {
        var author = await Host.RegisterAndLoginAsync();
        var a = await Host.RegisterAndLoginAsync();
        var b = await Host.RegisterAndLoginAsync();
        var id = (await author.PostAsync()).Id();

        Assert.Equal(1, (await (await a.Client.PutAsync($"/api/v1/posts/{id}/like", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("likes").GetInt32());
        Assert.Equal(1, (await (await a.Client.PutAsync($"/api/v1/posts/{id}/like", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("likes").GetInt32());
        Assert.Equal(2, (await (await b.Client.PutAsync($"/api/v1/posts/{id}/like", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("likes").GetInt32());
        Assert.True((await a.Client.GetJsonAsync($"/api/v1/posts/{id}")).GetProperty("likedByMe").GetBoolean());
        Assert.False((await author.Client.GetJsonAsync($"/api/v1/posts/{id}")).GetProperty("likedByMe").GetBoolean());

        var unliked = await (await a.Client.DeleteAsync($"/api/v1/posts/{id}/like")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(unliked.GetProperty("liked").GetBoolean());
        Assert.Equal(1, unliked.GetProperty("likes").GetInt32());
        Assert.Equal(1, (await (await a.Client.DeleteAsync($"/api/v1/posts/{id}/like")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("likes").GetInt32());
        await (await a.Client.PutAsync($"/api/v1/posts/{Guid.NewGuid()}/like", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bookmarks_are_idempotent_and_nobody_else_sees_them()
    {
        var author = await Host.RegisterAndLoginAsync();
        var saver = await Host.RegisterAndLoginAsync();
        var other = await Host.RegisterAndLoginAsync();
        var first = (await author.PostAsync(title: "First")).Id();
        var second = (await author.PostAsync(title: "Second")).Id();

        Assert.Equal(HttpStatusCode.OK, (await saver.Client.PutAsync($"/api/v1/posts/{first}/bookmark", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await saver.Client.PutAsync($"/api/v1/posts/{first}/bookmark", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await saver.Client.PutAsync($"/api/v1/posts/{second}/bookmark", null)).StatusCode);

        var page = await saver.Client.GetJsonAsync("/api/v1/me/bookmarks?limit=1");
        Assert.Equal(second, page.GetProperty("items")[0].Str("postId"));
        Assert.Equal("Second", page.GetProperty("items")[0].GetProperty("post").Str("title"));
        var next = await saver.Client.GetJsonAsync("/api/v1/me/bookmarks?limit=1&cursor=" + page.Str("nextCursor"));
        Assert.Equal(first, next.GetProperty("items")[0].Str("postId"));
        Assert.Equal(JsonValueKind.Null, next.GetProperty("nextCursor").ValueKind);
        Assert.True((await saver.Client.GetJsonAsync($"/api/v1/posts/{first}")).GetProperty("bookmarkedByMe").GetBoolean());

        Assert.Empty((await other.Client.GetJsonAsync("/api/v1/me/bookmarks")).GetProperty("items").EnumerateArray());
        Assert.False((await other.Client.GetJsonAsync($"/api/v1/posts/{first}")).GetProperty("bookmarkedByMe").GetBoolean());
        Assert.False((await author.Client.GetJsonAsync($"/api/v1/posts/{first}")).GetProperty("bookmarkedByMe").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, (await saver.Client.DeleteAsync($"/api/v1/posts/{first}/bookmark")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await saver.Client.DeleteAsync($"/api/v1/posts/{first}/bookmark")).StatusCode);
        Assert.Single((await saver.Client.GetJsonAsync("/api/v1/me/bookmarks")).GetProperty("items").EnumerateArray());
        await (await saver.Client.GetAsync("/api/v1/me/bookmarks?cursor=nope!")).AssertValidationProblemAsync("cursor");
        await (await saver.Client.PutAsync($"/api/v1/posts/{Guid.NewGuid()}/bookmark", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
