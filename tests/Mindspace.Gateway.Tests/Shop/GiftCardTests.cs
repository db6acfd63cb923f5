using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Interfaces.Shop;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Shop;

/// <summary>Gift cards: issued when their order is paid, redeemed once into a wallet, voided by a refund.</summary>
public sealed class GiftCardTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private const string Redeem = "/api/v1/wallet/gift-cards";

    private MindspaceTestHost Host => shop.Host;

    [Fact]
    public async Task A_paid_gift_card_order_shows_its_codes_and_a_code_credits_the_redeemers_wallet_once()
    {
        var card = (await GiftCardProductAsync(2500)).Id();
        var buyer = await Host.RegisterAndLoginAsync();
        var friend = await Host.RegisterAndLoginAsync();

        var order = await buyer.Client.BuyAsync(card, quantity: 2);
        Assert.Equal(0, order.GetProperty("giftCards").GetArrayLength()); // not before it is paid
        await shop.PayAsync(order);
        var codes = await CodesAsync(buyer, order.Id());

        Assert.Equal(2, codes.Count);
        Assert.NotEqual(codes[0], codes[1]);
        Assert.All(codes, c => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$", c));
        var inbox = await Host.Grains.GetGrain<INotificationInboxGrain>(buyer.UserId).ListAsync(null, 20);
        var ready = Assert.Single(inbox.Items, n => n.Notification.Kind == GiftCardCodes.ReadyNotificationKind);
        Assert.DoesNotContain(codes[0], ready.Notification.Body + ready.Notification.Title, StringComparison.Ordinal);

        // Typed loosely: lower case, no dashes, spaces around.
        var typed = $"  {codes[0].Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant()} ";
        var first = await (await friend.Client.PostAsJsonAsync(Redeem, new { code = typed })).ReadJsonAsync();
        Assert.Equal((2500L, "EUR", false), (first.GetProperty("amount").GetInt64(), first.GetProperty("currency").GetString(), first.GetProperty("alreadyRedeemed").GetBoolean()));
        Assert.Equal(2500, first.GetProperty("wallet").GetProperty("balance").GetInt64());

        var again = await (await friend.Client.PostAsJsonAsync(Redeem, new { code = codes[0] })).ReadJsonAsync();
        Assert.True(again.GetProperty("alreadyRedeemed").GetBoolean());
        Assert.Equal(2500, (await friend.Client.GetJsonAsync("/api/v1/wallet")).GetProperty("balance").GetInt64());
        Assert.Single((await friend.Client.GetJsonAsync("/api/v1/wallet")).GetProperty("entries").EnumerateArray());

        var taken = await (await buyer.Client.PostAsJsonAsync(Redeem, new { code = codes[0] })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Gift card already used", taken.GetProperty("title").GetString());
        Assert.Equal(0, (await buyer.Client.GetJsonAsync("/api/v1/wallet")).GetProperty("balance").GetInt64());

        // The registry is keyed by the code's hash and knows who redeemed it.
        var stored = await Host.Grains.GetGrain<IGiftCardGrain>(GiftCardCodes.Hash(codes[0])!).GetAsync();
        Assert.Equal((GiftCardStatus.Redeemed, friend.UserId), (stored!.Status, stored.RedeemedBy));
        Assert.Equal(GiftCardStatus.Active, (await Host.Grains.GetGrain<IGiftCardGrain>(GiftCardCodes.Hash(codes[1])!).GetAsync())!.Status);
    }

    [Fact]
    public async Task Of_many_simultaneous_redemptions_of_one_code_exactly_one_wins()
    {
        var card = (await GiftCardProductAsync(1000)).Id();
        var buyer = await Host.RegisterAndLoginAsync();
        var order = await buyer.Client.BuyAsync(card);
        await shop.PayAsync(order);
        var code = Assert.Single(await CodesAsync(buyer, order.Id()));
        var people = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Host.RegisterAndLoginAsync()));

        var responses = await Task.WhenAll(people.Select(p => p.Client.PostAsJsonAsync(Redeem, new { code })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var balances = await Task.WhenAll(people.Select(async p => (await p.Client.GetJsonAsync("/api/v1/wallet")).GetProperty("balance").GetInt64()));
        Assert.Equal(1000, balances.Sum());
        Assert.Equal(1, balances.Count(b => b == 1000));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"code\":\"\"}")]
    [InlineData("{\"code\":\"ABCDE-12345\"}")]
    [InlineData("{\"code\":\"ABCDE-12345-FGHJK-6789U\"}")]
    [InlineData("{\"code\":\"ABCDE-12345-FGHJK-67890-XYZ\"}")]
    public async Task A_code_that_cannot_be_one_is_a_400_on_the_code_field(string body)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.PostAsync(Redeem, HttpJson.Json(body))).AssertValidationProblemAsync("code");
    }

    [Fact]
    public async Task Unknown_codes_are_404_and_bad_bodies_4xx_and_nothing_is_credited()
    {
        var user = await Host.RegisterAndLoginAsync();

        var unknown = await (await user.Client.PostAsJsonAsync(Redeem, new { code = GiftCardCodes.New() })).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("Gift card not found", unknown.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await user.Client.PostAsync(Redeem, HttpJson.Json("{\"code\":"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await user.Client.PostAsync(Redeem, HttpJson.Json("{\"code\":42}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.PostAsJsonAsync(Redeem, new { code = GiftCardCodes.New() })).StatusCode);
        Assert.Equal(0, (await user.Client.GetJsonAsync("/api/v1/wallet")).GetProperty("balance").GetInt64());
    }

    [Fact]
    public async Task Refunding_a_gift_card_order_voids_its_unredeemed_codes_and_a_redeemed_one_is_not_refunded()
    {
        var card = (await GiftCardProductAsync(2500)).Id();
        var buyer = await Host.RegisterAndLoginAsync();
        var friend = await Host.RegisterAndLoginAsync();
        var admin = await shop.AdminAsync();
        var order = await buyer.Client.BuyAsync(card, quantity: 2);
        await shop.PayAsync(order);
        var codes = await CodesAsync(buyer, order.Id());
        await (await friend.Client.PostAsJsonAsync(Redeem, new { code = codes[0] })).ReadJsonAsync();
        var refunds = $"/api/v1/orders/{order.Id()}/refunds";

        var tooMuch = await (await admin.Client.PostAsJsonAsync(refunds, new { amount = 5000 })).AssertValidationProblemAsync("amount");
        Assert.Contains("2500", tooMuch.GetRawText(), StringComparison.Ordinal);
        await (await admin.Client.PostAsJsonAsync(refunds, new { amount = 2500 })).ReadJsonAsync(HttpStatusCode.Created);

        var voided = await (await friend.Client.PostAsJsonAsync(Redeem, new { code = codes[1] })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Gift card no longer valid", voided.GetProperty("title").GetString());
        Assert.Equal(2500, (await friend.Client.GetJsonAsync("/api/v1/wallet")).GetProperty("balance").GetInt64()); // the redeemed credit stays
        Assert.Equal(2500, (await buyer.Client.GetOrderAsync(order.Id())).GetProperty("refunded").GetInt64());
        await (await admin.Client.PostAsJsonAsync(refunds, new { amount = 1 })).AssertValidationProblemAsync("amount");
    }

    [Fact]
    public async Task Cancelling_a_paid_gift_card_order_voids_the_code_and_refunds_in_full()
    {
        var card = (await GiftCardProductAsync(1000)).Id();
        var buyer = await Host.RegisterAndLoginAsync();
        var order = await buyer.Client.BuyAsync(card);
        await shop.PayAsync(order);
        var code = Assert.Single(await CodesAsync(buyer, order.Id()));

        var cancelled = await (await buyer.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/cancel", new { })).ReadJsonAsync();

        Assert.Equal(("cancelled", 1000L), (cancelled.Status(), cancelled.GetProperty("refunded").GetInt64()));
        await (await buyer.Client.PostAsJsonAsync(Redeem, new { code })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(0, (await buyer.Client.GetJsonAsync("/api/v1/wallet")).GetProperty("balance").GetInt64());
    }

    [Fact]
    public async Task A_partial_refund_of_a_mixed_order_that_stays_within_the_other_goods_leaves_the_card_valid()
    {
        var card = (await GiftCardProductAsync(1000)).Id();
        var cushion = (await shop.CreateProductAsync(price: 3000)).Id();
        var buyer = await Host.RegisterAndLoginAsync();
        var admin = await shop.AdminAsync();
        var order = await (await buyer.Client.CreateOrderAsync(new { items = new[] { new { productId = card, quantity = 1 }, new { productId = cushion, quantity = 1 } } }))
            .ReadJsonAsync(HttpStatusCode.Created);
        await shop.PayAsync(order);
        var code = Assert.Single(await CodesAsync(buyer, order.Id()));

        await (await admin.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/refunds", new { amount = 3000, reason = "Cushion arrived torn" })).ReadJsonAsync(HttpStatusCode.Created);

        var redeemed = await (await buyer.Client.PostAsJsonAsync(Redeem, new { code })).ReadJsonAsync();
        Assert.Equal(1000, redeemed.GetProperty("wallet").GetProperty("balance").GetInt64());
    }

    [Fact]
    public async Task Other_products_issue_no_codes()
    {
        var product = (await shop.CreateProductAsync()).Id();
        var buyer = await Host.RegisterAndLoginAsync();
        var order = await buyer.Client.BuyAsync(product);
        await shop.PayAsync(order);

        Assert.Empty(await CodesAsync(buyer, order.Id()));
    }

    private Task<JsonElement> GiftCardProductAsync(long price) => shop.CreateProductAsync(price: price, category: GiftCardCodes.Category, stock: 1000);

    private static async Task<List<string>> CodesAsync(TestUser buyer, Guid orderId)
    {
        var order = await buyer.Client.GetOrderAsync(orderId);
        Assert.Equal("paid", order.Status());
        return [.. order.GetProperty("giftCards").EnumerateArray().Select(g => g.GetProperty("code").GetString()!)];
    }
}
