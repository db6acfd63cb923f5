using System.Net;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Shop;

namespace Mindspace.Gateway.Tests.Shop;

/// <summary>Idempotency keys are remembered for a day, then forgotten (this moves the clock, so it has a shop of its own).</summary>
public sealed class IdempotencyExpiryTests(ClockShopFixture shop) : IClassFixture<ClockShopFixture>
{
    [Fact]
    public async Task A_key_is_replayed_or_refused_within_a_day_and_is_a_new_request_after_it()
    {
        var user = await shop.Host.RegisterAndLoginAsync();
        var product = await shop.CreateProductAsync(stock: 10);
        var key = Guid.NewGuid().ToString();
        var body = new { items = new[] { new { productId = product.Id(), quantity = 1 } } };
        var other = new { items = new[] { new { productId = product.Id(), quantity = 2 } } };

        var first = await (await user.Client.CreateOrderAsync(body, key)).ReadJsonAsync(HttpStatusCode.Created);
        shop.Clock.Advance(CustomerGrain.KeyLifetime - TimeSpan.FromMinutes(1));
        var replay = await user.Client.CreateOrderAsync(body, key);
        Assert.Equal(first.Id(), (await replay.ReadJsonAsync(HttpStatusCode.Created)).Id());
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        await (await user.Client.CreateOrderAsync(other, key)).AssertProblemAsync(HttpStatusCode.Conflict);

        shop.Clock.Advance(TimeSpan.FromMinutes(1));
        var fresh = await user.Client.CreateOrderAsync(other, key);
        var second = await fresh.ReadJsonAsync(HttpStatusCode.Created);

        Assert.NotEqual(first.Id(), second.Id());
        Assert.False(fresh.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, second.GetProperty("items").EnumerateArray().Single().GetProperty("quantity").GetInt32());
        Assert.Equal(second.Id(), (await (await user.Client.CreateOrderAsync(other, key)).ReadJsonAsync(HttpStatusCode.Created)).Id()); // remembered again
    }
}
