using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Shop;

/// <summary>
/// A stand-in for Razorpay's REST API on loopback, checking requests the way Razorpay documents them:
/// HTTP basic auth with key id and secret (401 otherwise), JSON bodies, integer amounts in minor units,
/// a refund no larger than what is left of the captured payment, receipts of at most 40 characters.
/// Errors come as <c>{"error": {"code", "description"}}</c>. <see cref="RefundMode"/> makes refunds fail.
/// </summary>
public sealed class FakeRazorpay : IAsyncDisposable
{
    public const string KeyId = "rzp_test_fakekey";

    private readonly ConcurrentDictionary<string, (long Amount, string Currency)> _orders = new();
    private readonly ConcurrentDictionary<string, (string OrderId, long Amount, string Currency)> _payments = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JsonElement>> _refunds = new();
    private readonly Lock _refundLock = new();
    private LoopbackServer _server = null!;

    private FakeRazorpay()
    {
    }

    public enum Mode
    {
        Ok,
        ServerError,
        BadRequest,

        /// <summary>Never answers.</summary>
        Hang,

        /// <summary>Makes the refund, then never answers.</summary>
        MakeThenHang,
    }

    public Uri Url => _server.Url;

    public string KeySecret { get; set; } = ShopFixture.RazorpayKeySecret;

    public Mode RefundMode { get; set; }

    /// <summary>Every request: method, path and its JSON body (or null).</summary>
    public ConcurrentQueue<(string Method, string Path, JsonElement? Body)> Requests { get; } = new();

    public static async Task<FakeRazorpay> StartAsync()
    {
        var self = new FakeRazorpay();
        self._server = await LoopbackServer.StartAsync(app =>
        {
            app.Use(async (http, next) =>
            {
                if (!self.Authorized(http.Request))
                {
                    await Error(http, 401, "BAD_REQUEST_ERROR", "Authentication failed");
                    return;
                }

                await next(http);
            });
            app.MapPost("/v1/orders", (HttpContext http) => self.CreateOrderAsync(http));
            app.MapGet("/v1/orders/{id}/payments", (string id, HttpContext http) => self.OrderPaymentsAsync(id, http));
            app.MapGet("/v1/payments/{id}/refunds", (string id, HttpContext http) => self.ListRefundsAsync(id, http));
            app.MapPost("/v1/payments/{id}/refund", (string id, HttpContext http) => self.RefundAsync(id, http));
        });
        return self;
    }

    /// <summary>The buyer pays the Razorpay order: a captured payment, whose id is returned.</summary>
    public string Capture(string orderId)
    {
        var (amount, currency) = _orders[orderId];
        var id = $"pay_{Guid.NewGuid():N}"[..18];
        _payments[id] = (orderId, amount, currency);
        return id;
    }

    public IReadOnlyList<JsonElement> RefundsOf(string paymentId) => _refunds.TryGetValue(paymentId, out var list) ? [.. list] : [];

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private bool Authorized(HttpRequest request)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{KeyId}:{KeySecret}"));
        return request.Headers.Authorization.ToString() == expected;
    }

    private async Task<JsonElement?> ReadAsync(HttpContext http)
    {
        JsonElement? body = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            if (http.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
            {
                return null;
            }

            body = (await JsonDocument.ParseAsync(http.Request.Body)).RootElement.Clone();
        }

        Requests.Enqueue((http.Request.Method, http.Request.Path + http.Request.QueryString, body));
        return body;
    }

    private async Task CreateOrderAsync(HttpContext http)
    {
        if (await ReadAsync(http) is not { } body
            || !body.TryGetProperty("amount", out var amount) || amount.ValueKind != JsonValueKind.Number || !amount.TryGetInt64(out var minor) || minor < 100
            || !body.TryGetProperty("currency", out var currency) || currency.GetString() is not { Length: 3 }
            || (body.TryGetProperty("receipt", out var receipt) && receipt.GetString()!.Length > 40))
        {
            await Error(http, 400, "BAD_REQUEST_ERROR", "The amount must be an integer of at least 100 and the currency a 3-letter code.");
            return;
        }

        var id = $"order_{Guid.NewGuid():N}"[..20];
        _orders[id] = (minor, currency.GetString()!);
        await http.Response.WriteAsJsonAsync(new { id, entity = "order", amount = minor, amount_paid = 0, currency = currency.GetString(), receipt = body.GetProperty("receipt").GetString(), status = "created" });
    }

    private async Task OrderPaymentsAsync(string orderId, HttpContext http)
    {
        await ReadAsync(http);
        var items = _payments.Where(p => p.Value.OrderId == orderId)
            .Select(p => new { id = p.Key, entity = "payment", amount = p.Value.Amount, currency = p.Value.Currency, status = "captured", order_id = orderId })
            .ToArray();
        await http.Response.WriteAsJsonAsync(new { entity = "collection", count = items.Length, items });
    }

    private async Task ListRefundsAsync(string paymentId, HttpContext http)
    {
        await ReadAsync(http);
        var items = RefundsOf(paymentId).Reverse().ToArray();
        await http.Response.WriteAsJsonAsync(new { entity = "collection", count = items.Length, items });
    }

    private async Task RefundAsync(string paymentId, HttpContext http)
    {
        if (!_payments.TryGetValue(paymentId, out var payment))
        {
            await Error(http, 400, "BAD_REQUEST_ERROR", "The id provided does not exist");
            return;
        }

        var body = await ReadAsync(http);
        if (body is not { } b || !b.TryGetProperty("amount", out var amount) || amount.ValueKind != JsonValueKind.Number || !amount.TryGetInt64(out var minor) || minor <= 0
            || (b.TryGetProperty("receipt", out var receipt) && receipt.GetString()!.Length > 40)
            || (b.TryGetProperty("notes", out var notes) && (notes.ValueKind != JsonValueKind.Object || notes.EnumerateObject().Count() > 15)))
        {
            await Error(http, 400, "BAD_REQUEST_ERROR", "The amount must be a positive integer in the smallest currency unit.");
            return;
        }

        switch (RefundMode)
        {
            case Mode.ServerError:
                await Error(http, 500, "SERVER_ERROR", "We are facing some trouble completing your request at the moment. Please try again shortly.");
                return;
            case Mode.BadRequest:
                await Error(http, 400, "BAD_REQUEST_ERROR", "The payment has been fully refunded already");
                return;
            case Mode.Hang:
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
                return;
        }

        object refund;
        lock (_refundLock)
        {
            var list = _refunds.GetOrAdd(paymentId, _ => new());
            if (list.Sum(r => r.GetProperty("amount").GetInt64()) + minor > payment.Amount)
            {
                refund = null!;
            }
            else
            {
                refund = new
                {
                    id = $"rfnd_{Guid.NewGuid():N}"[..19],
                    entity = "refund",
                    amount = minor,
                    currency = payment.Currency,
                    payment_id = paymentId,
                    receipt = b.TryGetProperty("receipt", out var r) ? r.GetString() : null,
                    notes = b.TryGetProperty("notes", out var n) ? n : default,
                    status = "processed",
                    speed_requested = b.TryGetProperty("speed", out var s) ? s.GetString() : "normal",
                };
                list.Enqueue(JsonSerializer.SerializeToElement(refund));
            }
        }

        if (refund is null)
        {
            await Error(http, 400, "BAD_REQUEST_ERROR", "The refund amount provided is greater than amount captured");
            return;
        }

        if (RefundMode == Mode.MakeThenHang)
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
            return;
        }

        await http.Response.WriteAsJsonAsync(refund);
    }

    private static async Task Error(HttpContext http, int status, string code, string description)
    {
        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(new { error = new { code, description, source = "business", step = "payment_initiation", reason = "input_validation_failed", metadata = new { } } });
    }
}
