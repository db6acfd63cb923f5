using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Journal;

namespace Mindspace.Gateway.Tests.Journal;

/// <summary>
/// Listing the journal starts building the search index in the background, a batch at a time;
/// writes that land while it is part-built must still be found (or not) exactly as they should.
/// </summary>
public sealed class JournalIndexWarmUpTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Writes_during_a_background_index_build_are_searched_correctly()
    {
        var user = await fixture.Host.RegisterAndLoginAsync();
        var journal = fixture.Host.Grains.GetGrain<IJournalGrain>(user.UserId);
        var ids = new List<Guid>();
        for (var i = 0; i < 1_200; i++)
        {
            ids.Add((await journal.CreateAsync(new JournalContent(JournalKinds.Free, null, $"ordinary day entry{i:D4}x", null, [], null), null)).Id);
        }

        await user.Client.GetJsonAsync("/api/v1/journal?limit=5");

        // While the build may be anywhere: an old entry edited, an old and a new one deleted, one added.
        var edited = ids[3];
        await user.Client.PatchAsync($"/api/v1/journal/{edited}", Json("""{"body":"a heron by the water"}"""));
        await user.Client.DeleteAsync($"/api/v1/journal/{ids[4]}");
        await user.Client.DeleteAsync($"/api/v1/journal/{ids[1_100]}");
        var added = await user.Client.WriteAsync(new { body = "another heron, later" });
        await user.Client.GetJsonAsync("/api/v1/journal?limit=5");

        var herons = await user.Client.GetJsonAsync("/api/v1/journal?q=heron");
        Assert.Equal(
            new HashSet<string> { added.Id(), edited.ToString() },
            herons.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("entry").Id()).ToHashSet());

        async Task<int> TotalAsync(string q) => (await user.Client.GetJsonAsync($"/api/v1/journal?q={q}")).GetProperty("total").GetInt32();
        Assert.Equal(0, await TotalAsync("entry0003x"));
        Assert.Equal(0, await TotalAsync("entry0004x"));
        Assert.Equal(0, await TotalAsync("entry1100x"));
        Assert.Equal(1, await TotalAsync("entry0005x"));
        Assert.Equal(1, await TotalAsync("entry1199x"));
        Assert.Equal(1_200 - 3, (await user.Client.GetJsonAsync("/api/v1/journal?q=ordinary")).GetProperty("total").GetInt32());
    }
}
