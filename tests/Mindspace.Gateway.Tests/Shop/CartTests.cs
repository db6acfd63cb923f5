using System.Net;
using System.Net.Http.Json;
using Mindspace.Gateway.Shop;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Tests.Shop;

public sealed class CartTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private MindspaceTestHost Host => shop.Host;

    [Fact]
    public async Task A_cart_adds_updates_and_removes_with_an_ETag_and_refuses_a_stale_If_Match_with_412()
    {
        var user = await Host.RegisterAndLoginAsync();
        var product = await shop.CreateProductAsync(stock: 10, price: 1250);

        var added = await user.Client.AddToCartAsync(product.Id(), 2);
        var cart = await added.ReadJsonAsync();
        var etag = added.Headers.ETag!.Tag;
        Assert.Equal(2500, cart.GetProperty("subtotal").GetInt64());
        Assert.True(cart.GetProperty("items")[0].GetProperty("reserved").GetBoolean());
        Assert.Equal(8, await Host.AvailableAsync(product.Id()));

        var again = await user.Client.AddToCartAsync(product.Id(), 1, ifMatch: etag);
        Assert.Equal(3, (await again.ReadJsonAsync()).GetProperty("items")[0].GetProperty("quantity").GetInt32());

        // The first ETag is stale now: nothing changes.
        await (await user.Client.AddToCartAsync(product.Id(), 1, ifMatch: etag)).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await user.Client.AddToCartAsync(product.Id(), 1, ifMatch: "W/\"garbage\"")).AssertProblemAsync(HttpStatusCode.PreconditionFailed);

        var set = await user.Client.PutAsJsonAsync($"/api/v1/cart/items/{product.Id()}", new { quantity = 5 });
        Assert.Equal(5, (await set.ReadJsonAsync()).GetProperty("items")[0].GetProperty("quantity").GetInt32());
        Assert.Equal(5, await Host.AvailableAsync(product.Id()));

        Assert.Equal(HttpStatusCode.OK, (await user.Client.DeleteAsync($"/api/v1/cart/items/{product.Id()}")).StatusCode);
        Assert.Equal(10, await Host.AvailableAsync(product.Id()));
        var empty = await (await user.Client.GetAsync("/api/v1/cart")).ReadJsonAsync();
        Assert.Equal(0, empty.GetProperty("items").GetArrayLength());

        await (await user.Client.DeleteAsync($"/api/v1/cart/items/{product.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.Client.AddToCartAsync(Guid.NewGuid())).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.Client.AddToCartAsync(product.Id(), 0)).AssertValidationProblemAsync("quantity");
        await (await user.Client.PostAsync($"/api/v1/cart/items/{product.Id()}", new StringContent("{\"quantity\":\"lots\"}", System.Text.Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_guest_cart_merges_into_the_users_cart_at_sign_in_summed_and_capped_by_stock()
    {
        var plenty = await shop.CreateProductAsync(stock: 50);
        var scarce = await shop.CreateProductAsync(stock: 3);

        var guestAdd = await Host.Client.AddToCartAsync(plenty.Id(), 2);
        var token = guestAdd.Headers.GetValues(GuestCartTokens.Header).Single();
        await guestAdd.ReadJsonAsync();
        await (await Host.Client.AddToCartAsync(scarce.Id(), 2, guestToken: token)).ReadJsonAsync();

        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.AddToCartAsync(plenty.Id(), 1)).ReadJsonAsync();

        // Signed in with the guest token: the guest's 2 scarce units are released, then the user takes them.
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cart/merge");
        request.Headers.Add(GuestCartTokens.Header, token);
        var merged = await (await user.Client.SendAsync(request)).ReadJsonAsync();
        var quantities = merged.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("productId").GetGuid(), i => i.GetProperty("quantity").GetInt32());
        Assert.Equal(3, quantities[plenty.Id()]);
        Assert.Equal(2, quantities[scarce.Id()]);
        Assert.Equal(1, await Host.AvailableAsync(scarce.Id()));

        var guestGet = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cart");
        guestGet.Headers.Add(GuestCartTokens.Header, token);
        Assert.Equal(0, (await (await Host.Client.SendAsync(guestGet)).ReadJsonAsync()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Merging_caps_a_summed_line_at_what_can_be_had()
    {
        var product = await shop.CreateProductAsync(stock: 5);
        var guestAdd = await Host.Client.AddToCartAsync(product.Id(), 3);
        var token = guestAdd.Headers.GetValues(GuestCartTokens.Header).Single();
        await guestAdd.ReadJsonAsync();
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.AddToCartAsync(product.Id(), 2)).ReadJsonAsync();

        // A recount finds only 4 on hand: 2 + 3 no longer fit.
        var admin = await shop.AdminAsync();
        await (await admin.Client.PutAsJsonAsync($"/api/v1/products/{product.Id()}", new
        {
            name = product.GetProperty("name").GetString(),
            description = "Recounted",
            price = 1500,
            currency = "EUR",
            category = "test-goods",
            stock = 4,
        })).ReadJsonAsync();

        var merge = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cart");
        merge.Headers.Add(GuestCartTokens.Header, token);
        var merged = await (await user.Client.SendAsync(merge)).ReadJsonAsync();
        Assert.Equal(4, merged.GetProperty("items")[0].GetProperty("quantity").GetInt32());
        Assert.Equal(0, await Host.AvailableAsync(product.Id()));
        await (await Host.Client.AddToCartAsync(product.Id())).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_forged_guest_token_is_refused_and_changes_nothing()
    {
        var product = await shop.CreateProductAsync(stock: 5);
        var forged = $"{Guid.NewGuid():N}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        await (await Host.Client.AddToCartAsync(product.Id(), 1, guestToken: forged)).AssertValidationProblemAsync(GuestCartTokens.Header);
        Assert.Equal(5, await Host.AvailableAsync(product.Id()));
    }
}

/// <summary>Hold expiry moves the clock, so it runs in a shop of its own.</summary>
public sealed class CartExpiryTests(ClockShopFixture shop) : IClassFixture<ClockShopFixture>
{
    private MindspaceTestHost Host => shop.Host;

    [Fact]
    public async Task The_last_unit_held_in_one_cart_is_refused_to_another_until_the_hold_expires()
    {
        var first = await Host.RegisterAndLoginAsync();
        var second = await Host.RegisterAndLoginAsync();
        var product = await shop.CreateProductAsync(stock: 1);

        await (await first.Client.AddToCartAsync(product.Id())).ReadJsonAsync();
        var refused = await (await second.Client.AddToCartAsync(product.Id())).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(0, refused.GetProperty("available").GetInt32());

        shop.Clock.Advance(ShopRules.CartReservationLifetime + TimeSpan.FromSeconds(1));
        var firstCart = await (await first.Client.GetAsync("/api/v1/cart")).ReadJsonAsync();
        Assert.False(firstCart.GetProperty("items")[0].GetProperty("reserved").GetBoolean());

        await (await second.Client.AddToCartAsync(product.Id())).ReadJsonAsync();
        Assert.Equal(0, await Host.AvailableAsync(product.Id()));

        // The reminder's sweep deletes lapsed holds from the stored state; the live one stays.
        shop.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await Host.Grains.GetGrain<IStockGrain>(product.Id()).SweepAsync());
        Assert.Equal(1, (await Host.Grains.GetGrain<IStockGrain>(product.Id()).GetAsync()).Reserved);
    }
}
