using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Shop;

/// <summary>A payment provider's refusal or silence, in words an admin can act on. Never carries secrets.</summary>
/// <param name="providerStatus">The provider's HTTP status, if it answered.</param>
/// <param name="timedOut">The provider did not answer in time.</param>
public sealed class PaymentProviderException(string message, int? providerStatus = null, bool timedOut = false, Exception? inner = null)
    : HttpRequestException(message, inner)
{
    public int? ProviderStatus { get; } = providerStatus;

    public bool TimedOut { get; } = timedOut;
}

/// <summary>
/// A small typed client for the parts of Razorpay's REST API the shop uses: create an order, find
/// the captured payment of an order, list and create refunds. Basic auth with the key id and
/// secret; amounts in minor units (paise). There is no Razorpay package on our feed, and these four
/// documented calls are smaller than a dependency would be.
/// </summary>
public sealed class RazorpayClient(HttpClient http)
{
    /// <summary>The named <see cref="HttpClient"/> (base address, basic auth and timeout set at registration).</summary>
    public const string HttpClientName = "razorpay";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Sets up <paramref name="client"/> for <paramref name="settings"/>' account.</summary>
    public static void Configure(HttpClient client, ShopSettings settings)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        client.BaseAddress = settings.RazorpayApiBaseUrl;
        client.Timeout = settings.RazorpayApiTimeout;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.RazorpayKeyId}:{settings.RazorpayKeySecret}")));
    }

    /// <summary><c>POST /v1/orders</c>: the Razorpay order our checkout pays; <c>receipt</c> and <c>notes.order_id</c> name our order.</summary>
    public Task<RazorpayOrder> CreateOrderAsync(long amount, string currency, string receipt, IReadOnlyDictionary<string, string> notes, CancellationToken cancellationToken)
        => SendAsync<RazorpayOrder>(HttpMethod.Post, "v1/orders", new RazorpayOrderRequest(amount, currency, receipt, notes), cancellationToken);

    /// <summary><c>GET /v1/orders/{id}/payments</c>.</summary>
    public async Task<IReadOnlyList<RazorpayPayment>> OrderPaymentsAsync(string orderId, CancellationToken cancellationToken)
        => (await SendAsync<RazorpayCollection<RazorpayPayment>>(HttpMethod.Get, $"v1/orders/{Uri.EscapeDataString(orderId)}/payments", null, cancellationToken)).Items ?? [];

    /// <summary><c>GET /v1/payments/{id}/refunds</c> (up to 100, newest first).</summary>
    public async Task<IReadOnlyList<RazorpayRefund>> RefundsAsync(string paymentId, CancellationToken cancellationToken)
        => (await SendAsync<RazorpayCollection<RazorpayRefund>>(HttpMethod.Get, $"v1/payments/{Uri.EscapeDataString(paymentId)}/refunds?count=100", null, cancellationToken)).Items ?? [];

    /// <summary><c>POST /v1/payments/{id}/refund</c> with a <c>receipt</c> of ours, by which a retry finds it again.</summary>
    public Task<RazorpayRefund> RefundAsync(string paymentId, long amount, string receipt, IReadOnlyDictionary<string, string> notes, CancellationToken cancellationToken)
        => SendAsync<RazorpayRefund>(HttpMethod.Post, $"v1/payments/{Uri.EscapeDataString(paymentId)}/refund", new RazorpayRefundRequest(amount, "normal", receipt, notes), cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PaymentProviderException("Razorpay did not answer in time.", timedOut: true, inner: e);
        }
        catch (HttpRequestException e) when (e is not PaymentProviderException)
        {
            throw new PaymentProviderException("Razorpay could not be reached.", inner: e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new PaymentProviderException(await DescribeAsync(response, cancellationToken), (int)response.StatusCode);
            }

            try
            {
                return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                    ?? throw new PaymentProviderException("Razorpay answered with an empty body.", (int)response.StatusCode);
            }
            catch (JsonException e)
            {
                throw new PaymentProviderException("Razorpay answered with something that is not the documented JSON.", (int)response.StatusCode, inner: e);
            }
        }
    }

    /// <summary>Razorpay's <c>{"error": {"code", "description"}}</c>, or the status when the body is not that.</summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var error = await response.Content.ReadFromJsonAsync<RazorpayErrorEnvelope>(Json, cancellationToken);
            if (error?.Error?.Description is { Length: > 0 } description)
            {
                return $"Razorpay refused the request ({status} {error.Error.Code}): {description}";
            }
        }
        catch (JsonException)
        {
        }

        return response.StatusCode == HttpStatusCode.Unauthorized
            ? "Razorpay refused our credentials (401). Check RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET."
            : $"Razorpay answered {status}.";
    }
}

public sealed record RazorpayOrderRequest(long Amount, string Currency, string Receipt, IReadOnlyDictionary<string, string> Notes);

public sealed record RazorpayRefundRequest(long Amount, string Speed, string Receipt, IReadOnlyDictionary<string, string> Notes);

public sealed record RazorpayOrder(string Id, long Amount, string Currency, string? Receipt, string? Status);

public sealed record RazorpayPayment(string Id, string? OrderId, long Amount, string? Currency, string? Status);

/// <param name="Status">pending, processed or failed.</param>
public sealed record RazorpayRefund(string Id, string? PaymentId, long Amount, string? Currency, string? Receipt, string? Status);

public sealed record RazorpayCollection<T>(int Count, IReadOnlyList<T>? Items);

public sealed record RazorpayError(string? Code, string? Description);

public sealed record RazorpayErrorEnvelope(RazorpayError? Error);

/// <summary>Razorpay through its REST API (used when <c>RAZORPAY_KEY_ID</c> is set).</summary>
/// <remarks>
/// A refund is idempotent by its receipt (<c>rf_</c> and our refund id): before creating one, and
/// after a timeout, the payment's refunds are searched for it, so a refund Razorpay took while we
/// were not listening is found instead of being made twice.
/// </remarks>
public sealed class RazorpayPaymentProvider(RazorpayClient client) : IPaymentProvider
{
    public string Name => ShopSettings.Razorpay;

    public async Task<PaymentInfo> CreatePaymentAsync(OrderView order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var created = await client.CreateOrderAsync(
            order.Total, order.Currency, order.Id.ToString("N"), new Dictionary<string, string> { ["order_id"] = order.Id.ToString("D") }, cancellationToken);
        return new PaymentInfo(Name, created.Id, null);
    }

    public async Task<ProviderRefund> RefundAsync(RefundPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var paymentId = await CapturedPaymentAsync(plan.Payment.Reference, cancellationToken);
        var receipt = "rf_" + plan.RefundId.ToString("N");
        if (await FindAsync(paymentId, receipt, cancellationToken) is { } existing)
        {
            return Outcome(existing);
        }

        try
        {
            var notes = new Dictionary<string, string> { ["refund_id"] = plan.RefundId.ToString("D") };
            return Outcome(await client.RefundAsync(paymentId, plan.Amount, receipt, notes, cancellationToken));
        }
        catch (PaymentProviderException e) when (e.TimedOut)
        {
            // It may have been made all the same: look once more before calling it failed.
            if (await FindAsync(paymentId, receipt, cancellationToken) is { } late)
            {
                return Outcome(late);
            }

            throw;
        }
    }

    /// <summary>Our payment reference is Razorpay's order; a refund needs the captured payment of it.</summary>
    private async Task<string> CapturedPaymentAsync(string reference, CancellationToken cancellationToken)
    {
        if (reference.StartsWith("pay_", StringComparison.Ordinal))
        {
            return reference;
        }

        var payments = await client.OrderPaymentsAsync(reference, cancellationToken);
        return payments.FirstOrDefault(p => p.Status == "captured")?.Id
            ?? throw new PaymentProviderException("Razorpay has no captured payment for this order, so there is nothing to refund there.");
    }

    private async Task<RazorpayRefund?> FindAsync(string paymentId, string receipt, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.RefundsAsync(paymentId, cancellationToken)).FirstOrDefault(r => r.Receipt == receipt);
        }
        catch (PaymentProviderException e) when (e.TimedOut)
        {
            return null;
        }
    }

    private static ProviderRefund Outcome(RazorpayRefund refund) => new(refund.Status is "processed" or "pending", refund.Id);
}
