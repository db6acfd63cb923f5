using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Shop;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Shop;

/// <summary>A shop whose Razorpay calls go to <see cref="FakeRazorpay"/> (a 2-second API timeout, so a hung call ends soon).</summary>
public sealed class RazorpayShopFixture : ShopFixture, IAsyncLifetime
{
    public FakeRazorpay Razorpay { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Razorpay = await FakeRazorpay.StartAsync();
        SetHost(await MindspaceTestHost.StartAsync(
            settings =>
            {
                Configure(settings);
                settings["RAZORPAY_KEY_ID"] = FakeRazorpay.KeyId;
                settings["RAZORPAY_API_BASE_URL"] = Razorpay.Url.ToString();
                settings["RAZORPAY_API_TIMEOUT_SECONDS"] = "2";
            },
            Clock));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Razorpay.DisposeAsync();
    }
}

/// <summary>Refunds through Razorpay's REST API (our own small client), against a local fake that checks requests as Razorpay documents them.</summary>
public sealed class RazorpayRefundTests(RazorpayShopFixture shop) : IClassFixture<RazorpayShopFixture>
{
    private MindspaceTestHost Host => shop.Host;

    private FakeRazorpay Razorpay => shop.Razorpay;

    [Fact]
    public async Task Checkout_creates_a_Razorpay_order_and_a_refund_goes_to_the_captured_payment_in_minor_units_with_our_receipt()
    {
        var (order, paymentId) = await PaidRazorpayOrderAsync(price: 2999);
        var created = Assert.Single(Razorpay.Requests, r => r.Method == "POST" && r.Path == "/v1/orders").Body!.Value;
        Assert.Equal((2999L, "EUR", order.Id().ToString("N")), (created.GetProperty("amount").GetInt64(), created.GetProperty("currency").GetString(), created.GetProperty("receipt").GetString()));
        Assert.Equal(order.Id().ToString("D"), created.GetProperty("notes").GetProperty("order_id").GetString());
        var admin = await shop.AdminAsync();

        var refund = await (await admin.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/refunds", new { amount = 999, reason = "Late delivery" })).ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal("succeeded", refund.GetProperty("status").GetString());
        var made = Assert.Single(Razorpay.RefundsOf(paymentId));
        Assert.Equal(made.GetProperty("id").GetString(), refund.GetProperty("providerRefundId").GetString());
        var sent = Razorpay.Requests.Last(r => r.Path == $"/v1/payments/{paymentId}/refund").Body!.Value;
        Assert.Equal(JsonValueKind.Number, sent.GetProperty("amount").ValueKind);
        Assert.Equal(999, sent.GetProperty("amount").GetInt64());
        Assert.Equal("rf_" + refund.Id().ToString("N"), sent.GetProperty("receipt").GetString());
        Assert.Equal(refund.Id().ToString("D"), sent.GetProperty("notes").GetProperty("refund_id").GetString());
        Assert.Equal(999, (await Buyer(order).GetOrderAsync(order.Id())).GetProperty("refunded").GetInt64());
    }

    [Theory]
    [InlineData(FakeRazorpay.Mode.ServerError, HttpStatusCode.BadGateway, "trouble completing your request")]
    [InlineData(FakeRazorpay.Mode.BadRequest, HttpStatusCode.BadGateway, "fully refunded already")]
    [InlineData(FakeRazorpay.Mode.Hang, HttpStatusCode.GatewayTimeout, "did not answer in time")]
    public async Task A_refused_or_unanswered_refund_is_a_clear_problem_and_pays_nothing_back(FakeRazorpay.Mode mode, HttpStatusCode status, string says)
    {
        var (order, paymentId) = await PaidRazorpayOrderAsync(price: 1500);
        var admin = await shop.AdminAsync();
        var refunds = $"/api/v1/orders/{order.Id()}/refunds";

        Razorpay.RefundMode = mode;
        JsonElement problem;
        try
        {
            problem = await (await admin.Client.PostAsJsonAsync(refunds, new { amount = 1500 })).AssertProblemAsync(status);
        }
        finally
        {
            Razorpay.RefundMode = FakeRazorpay.Mode.Ok;
        }

        Assert.Equal("The refund was not made", problem.GetProperty("title").GetString());
        Assert.Contains(says, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Razorpay.RefundsOf(paymentId));
        var after = await Buyer(order).GetOrderAsync(order.Id());
        Assert.Equal(("paid", 0L), (after.Status(), after.GetProperty("refunded").GetInt64()));

        // Nothing was taken from what can be refunded: the whole amount goes through once Razorpay answers.
        await (await admin.Client.PostAsJsonAsync(refunds, new { amount = 1500 })).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("refunded", (await Buyer(order).GetOrderAsync(order.Id())).Status());
        Assert.Single(Razorpay.RefundsOf(paymentId));
    }

    [Fact]
    public async Task A_refund_Razorpay_made_while_we_timed_out_is_found_by_its_receipt_and_not_made_again()
    {
        var (order, paymentId) = await PaidRazorpayOrderAsync(price: 1200);
        var admin = await shop.AdminAsync();

        Razorpay.RefundMode = FakeRazorpay.Mode.MakeThenHang;
        JsonElement refund;
        try
        {
            refund = await (await admin.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/refunds", new { amount = 1200 })).ReadJsonAsync(HttpStatusCode.Created);
        }
        finally
        {
            Razorpay.RefundMode = FakeRazorpay.Mode.Ok;
        }

        var made = Assert.Single(Razorpay.RefundsOf(paymentId));
        Assert.Equal(("succeeded", made.GetProperty("id").GetString()), (refund.GetProperty("status").GetString(), refund.GetProperty("providerRefundId").GetString()));
        Assert.Equal("refunded", (await Buyer(order).GetOrderAsync(order.Id())).Status());
    }

    [Fact]
    public async Task Wrong_credentials_are_named_in_the_problem_and_nothing_is_refunded()
    {
        var (order, paymentId) = await PaidRazorpayOrderAsync(price: 1000);
        var admin = await shop.AdminAsync();

        Razorpay.KeySecret = "rotated-at-razorpay";
        JsonElement problem;
        try
        {
            problem = await (await admin.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/refunds", new { amount = 1000 })).AssertProblemAsync(HttpStatusCode.BadGateway);
        }
        finally
        {
            Razorpay.KeySecret = ShopFixture.RazorpayKeySecret;
        }

        Assert.Contains("401", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Razorpay.RefundsOf(paymentId));
        Assert.Equal(0, (await Buyer(order).GetOrderAsync(order.Id())).GetProperty("refunded").GetInt64());
    }

    private readonly Dictionary<Guid, TestUser> _buyers = [];

    private HttpClient Buyer(JsonElement order) => _buyers[order.Id()].Client;

    /// <summary>An order paid with Razorpay: created through the API client, captured at the fake, confirmed by a signed capture webhook.</summary>
    private async Task<(JsonElement Order, string PaymentId)> PaidRazorpayOrderAsync(long price)
    {
        var product = (await shop.CreateProductAsync(price: price)).Id();
        var buyer = await Host.RegisterAndLoginAsync();
        var order = await buyer.Client.BuyAsync(product, paymentMethod: "razorpay");
        _buyers[order.Id()] = buyer;
        var reference = order.GetProperty("payment").GetProperty("reference").GetString()!;
        Assert.StartsWith("order_", reference, StringComparison.Ordinal);
        var paymentId = Razorpay.Capture(reference);

        var body = FakePaymentWebhooks.RazorpayEvent("payment.captured", order.Id(), reference, paymentId, price, 0, "EUR", shop.Clock.GetUtcNow());
        var applied = await (await Host.PostWebhookAsync("razorpay", body, new()
        {
            [PaymentSignatures.RazorpayHeader] = PaymentSignatures.SignRazorpay(body, ShopFixture.RazorpayWebhookSecret),
            [PaymentSignatures.RazorpayEventIdHeader] = $"evt_{Guid.NewGuid():N}",
        })).ReadJsonAsync();
        Assert.Equal("applied", applied.GetProperty("outcome").GetString());
        return (await buyer.Client.GetOrderAsync(order.Id()), paymentId);
    }
}
