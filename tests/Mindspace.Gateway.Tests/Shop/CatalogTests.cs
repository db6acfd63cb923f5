using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Shop;

public sealed class CatalogTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private MindspaceTestHost Host => shop.Host;

    [Fact]
    public async Task The_starter_catalogue_is_seeded_in_embedded_mode_with_facets()
    {
        var page = await (await Host.Client.GetAsync("/api/v1/products?category=cushions&limit=100")).ReadJsonAsync();
        Assert.True(page.GetProperty("total").GetInt32() >= 4);
        var categories = page.GetProperty("facets").GetProperty("categories").EnumerateArray().Select(f => f.GetProperty("value").GetString()).ToList();
        Assert.Contains("journals", categories);
        Assert.Contains("books", categories);
        Assert.Contains("gift-cards", categories);
        Assert.All(page.GetProperty("items").EnumerateArray(), p => Assert.Equal("cushions", p.GetProperty("category").GetString()));
    }

    [Fact]
    public async Task Search_ranks_a_name_match_above_a_description_match_and_finds_word_starts()
    {
        var word = "quokka" + Guid.NewGuid().ToString("N")[..6];
        var inDescription = await shop.CreateProductAsync(name: "Plain notebook", description: $"Pairs well with a {word} on the cover.");
        var inName = await shop.CreateProductAsync(name: $"The {word} journal");
        await shop.CreateProductAsync(name: "Unrelated candle");

        var page = await (await Host.Client.GetAsync($"/api/v1/products?q={word}")).ReadJsonAsync();
        var ids = page.GetProperty("items").EnumerateArray().Select(p => p.Id()).ToList();
        Assert.Equal([inName.Id(), inDescription.Id()], ids);
        var scores = page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("score").GetDouble()).ToList();
        Assert.True(scores[0] > scores[1]);

        var prefix = await (await Host.Client.GetAsync($"/api/v1/products?q={word[..8]}%20JOURNALS")).ReadJsonAsync();
        Assert.Equal([inName.Id()], prefix.GetProperty("items").EnumerateArray().Select(p => p.Id()));
    }

    [Fact]
    public async Task Cursor_paging_visits_every_match_once_in_price_order()
    {
        var tag = "page" + Guid.NewGuid().ToString("N")[..8];
        var created = new List<Guid>();
        foreach (var price in new long[] { 900, 300, 700, 300, 500 })
        {
            created.Add((await shop.CreateProductAsync(price: price, tags: [tag])).Id());
        }

        var seen = new List<(Guid Id, long Price)>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await Host.Client.GetAsync($"/api/v1/products?tag={tag}&sort=price&limit=2" + (cursor is null ? string.Empty : $"&cursor={cursor}"))).ReadJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => (p.Id(), p.GetProperty("price").GetInt64())));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(created.Order(), seen.Select(s => s.Id).Order());
        Assert.Equal(new long[] { 300, 300, 500, 700, 900 }, seen.Select(s => s.Price));
    }

    [Fact]
    public async Task Facets_count_each_facet_with_the_other_filters_but_not_its_own()
    {
        var tag = "facet" + Guid.NewGuid().ToString("N")[..8];
        await shop.CreateProductAsync(price: 500, category: "facet-a", tags: [tag]);
        await shop.CreateProductAsync(price: 1500, category: "facet-a", tags: [tag, "extra"]);
        await shop.CreateProductAsync(price: 3000, category: "facet-b", tags: [tag]);

        var page = await (await Host.Client.GetAsync($"/api/v1/products?tag={tag}&category=facet-a")).ReadJsonAsync();
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        var facets = page.GetProperty("facets");
        Assert.Equal(Counts(("facet-a", 2), ("facet-b", 1)), Facet(facets, "categories"));
        Assert.Equal(2, Facet(facets, "tags")[tag]);
        Assert.Equal(1, Facet(facets, "tags")["extra"]);
        var bands = Facet(facets, "priceBands");
        Assert.Equal(1, bands["under-10"]);
        Assert.Equal(1, bands["10-25"]);
        Assert.Equal(0, bands["25-50"]);

        var priced = await (await Host.Client.GetAsync($"/api/v1/products?tag={tag}&minPrice=1000&maxPrice=3000")).ReadJsonAsync();
        Assert.Equal(2, priced.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Only_admins_change_the_catalogue_and_bad_input_names_each_field()
    {
        var member = await Host.RegisterAndLoginAsync();
        var body = new { name = "x", description = "", price = 100, currency = "EUR", category = "books", stock = 1 };
        await (await member.Client.PostAsJsonAsync("/api/v1/products", body)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await Host.Client.PostAsJsonAsync("/api/v1/products", body)).AssertProblemAsync(HttpStatusCode.Unauthorized);

        var admin = await shop.AdminAsync();
        var bad = await (await admin.Client.PostAsJsonAsync("/api/v1/products", new { name = "", price = -1, currency = "XYZ", category = "Not A Slug", stock = -5, images = new[] { "http://insecure.example/x.png" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors");
        foreach (var field in new[] { "name", "price", "currency", "category", "stock", "images" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }

        await (await Host.Client.GetAsync("/api/v1/products?sort=cheapest&limit=0&minPrice=-3&cursor=nope")).AssertValidationProblemAsync("sort");
        await (await Host.Client.GetAsync($"/api/v1/products/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_admin_replaces_deactivates_and_deletes_a_product()
    {
        var admin = await shop.AdminAsync();
        var product = await shop.CreateProductAsync(stock: 3);
        var replaced = await (await admin.Client.PutAsJsonAsync($"/api/v1/products/{product.Id()}", new
        {
            name = "Renamed",
            description = "New words",
            price = 2500,
            currency = "eur",
            category = "books",
            tags = new[] { "Calm" },
            stock = 7,
            active = false,
        })).ReadJsonAsync();
        Assert.Equal("Renamed", replaced.GetProperty("name").GetString());
        Assert.Equal("EUR", replaced.GetProperty("currency").GetString());
        Assert.Equal(7, replaced.GetProperty("available").GetInt32());
        Assert.Equal("calm", replaced.GetProperty("tags")[0].GetString());

        // Inactive: hidden from shoppers, visible to admins.
        await (await Host.Client.GetAsync($"/api/v1/products/{product.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.Client.GetAsync($"/api/v1/products/{product.Id()}")).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"/api/v1/products/{product.Id()}")).StatusCode);
        await (await admin.Client.GetAsync($"/api/v1/products/{product.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static Dictionary<string, int> Facet(JsonElement facets, string name)
        => facets.GetProperty(name).EnumerateArray().ToDictionary(f => f.GetProperty("value").GetString()!, f => f.GetProperty("count").GetInt32());

    private static Dictionary<string, int> Counts(params (string, int)[] counts) => counts.ToDictionary(c => c.Item1, c => c.Item2);
}
