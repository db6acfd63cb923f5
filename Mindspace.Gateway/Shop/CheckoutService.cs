using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Shop;

/// <summary>A response kept for an idempotency key, so a retry gets exactly the same answer.</summary>
public sealed record CheckoutResponse(int StatusCode, string Body, string? Location, bool Replayed)
{
    public IResult ToResult(HttpContext http)
    {
        if (Location is not null)
        {
            http.Response.Headers.Location = Location;
        }

        if (Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return Results.Text(Body, StatusCode >= 400 ? "application/problem+json" : "application/json", Encoding.UTF8, StatusCode);
    }
}

/// <summary>
/// Places an order: the idempotency key is claimed first (one answer per key, 409 for the same key
/// with other parameters), the order grain holds the stock (the cart's holds pass to it), the
/// provider starts a payment, and the answer is stored under the key.
/// </summary>
public sealed class CheckoutService(
    IGrainFactory grains,
    PaymentProviders providers,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock,
    ILogger<CheckoutService> logger)
{
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;

    public async Task<IResult> CreateAsync(HttpContext http, Guid userId, CreateOrderRequest? request, string? idempotencyKey)
    {
        var errors = new FieldErrors();
        request ??= new CreateOrderRequest(null, null);
        var method = (request.PaymentMethod ?? "card").Trim().ToLowerInvariant();
        var provider = method switch
        {
            "card" => providers.Card.Name,
            ShopSettings.Razorpay => ShopSettings.Razorpay,
            ShopSettings.Wallet => ShopSettings.Wallet,
            _ => null,
        };
        errors.Add("paymentMethod", provider is null ? "Choose card, razorpay or wallet." : null);
        List<OrderLineInput>? items = null;
        if (request.Items is { } requested)
        {
            if (requested.Count is 0 or > ShopRules.MaxCartLines)
            {
                errors.Add("items", $"List 1 to {ShopRules.MaxCartLines} items, or leave items out to buy your cart.");
            }
            else if (requested.Any(i => i.ProductId is null || i.ProductId == Guid.Empty))
            {
                errors.Add("items", "Each item needs a productId.");
            }
            else if (requested.Any(i => ShopRules.CheckQuantity(i.Quantity ?? 1) is not null))
            {
                errors.Add("items", ShopRules.CheckQuantity(0));
            }
            else
            {
                items = [.. requested.Select(i => new OrderLineInput(i.ProductId!.Value, i.Quantity ?? 1))];
            }
        }

        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > ShopRules.MaxIdempotencyKeyLength || idempotencyKey.Any(char.IsControl)))
        {
            errors.Add("Idempotency-Key", $"Use 1 to {ShopRules.MaxIdempotencyKeyLength} printable characters.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var customer = grains.GetGrain<ICustomerGrain>(userId);
        Guid orderId;
        if (idempotencyKey is null)
        {
            orderId = Guid.CreateVersion7();
        }
        else
        {
            var claim = await customer.ClaimAsync(idempotencyKey, Hash(items, method));
            switch (claim.Status)
            {
                case IdempotencyStatus.Conflict:
                    return Problem(StatusCodes.Status409Conflict, "Idempotency key reused", "This Idempotency-Key was already used for a different order request. Use a new key for a new order.");
                case IdempotencyStatus.InProgress:
                    return Problem(StatusCodes.Status409Conflict, "Request in progress", "An order request with this Idempotency-Key is still being processed. Try again in a moment.");
                case IdempotencyStatus.Replay:
                    return new CheckoutResponse(claim.StatusCode!.Value, claim.Body!, claim.Location, Replayed: true).ToResult(http);
            }

            orderId = claim.OrderId;
        }

        CheckoutResponse response;
        try
        {
            response = await PlaceAsync(userId, orderId, items, provider!, http.RequestAborted);
        }
        catch
        {
            if (idempotencyKey is not null)
            {
                await customer.CompleteAsync(idempotencyKey, StatusCodes.Status500InternalServerError, string.Empty, null);
            }

            throw;
        }

        if (idempotencyKey is not null)
        {
            await customer.CompleteAsync(idempotencyKey, response.StatusCode, response.Body, response.Location);
        }

        return response.ToResult(http);
    }

    private async Task<CheckoutResponse> PlaceAsync(Guid userId, Guid orderId, List<OrderLineInput>? items, string provider, CancellationToken cancellationToken)
    {
        string? cartKey = null;
        var cart = grains.GetGrain<ICartGrain>(CartKeys.ForUser(userId));
        if (items is null)
        {
            cartKey = CartKeys.ForUser(userId);
            var lines = (await cart.GetAsync()).Items;
            if (lines.Count == 0)
            {
                return Stored(StatusCodes.Status400BadRequest, ValidationBody("items", "Your cart is empty. Add something first, or list items."));
            }

            items = [.. lines.Select(l => new OrderLineInput(l.ProductId, l.Quantity))];
        }

        var order = grains.GetGrain<IOrderGrain>(orderId);
        var created = await order.CreateAsync(new OrderDraft(userId, items, cartKey));
        switch (created.Status)
        {
            case OrderCreateStatus.Empty:
                return Stored(StatusCodes.Status400BadRequest, ValidationBody("items", "There is nothing to order."));
            case OrderCreateStatus.NoSuchProduct:
                return Stored(StatusCodes.Status400BadRequest, ValidationBody("items", $"There is no product {created.ProductId} for sale."));
            case OrderCreateStatus.CurrencyMismatch:
                return Stored(StatusCodes.Status400BadRequest, ValidationBody("items", "All items of one order need the same currency."));
            case OrderCreateStatus.OutOfStock:
                var available = (await grains.GetGrain<IStockGrain>(created.ProductId!.Value).GetAsync()).Available;
                return Stored(StatusCodes.Status409Conflict, ProblemBody(StatusCodes.Status409Conflict, "Not enough in stock",
                    "Sorry, there isn't enough of one item left to complete this order.",
                    new() { ["productId"] = created.ProductId, ["available"] = available }));
        }

        var view = created.Order!;
        await grains.GetGrain<ICustomerGrain>(userId).AddOrderAsync(orderId);
        if (cartKey is not null)
        {
            await cart.RemoveBoughtAsync([.. view.Lines.Select(l => l.ProductId)]);
        }

        if (view.Payment is null)
        {
            view = provider == ShopSettings.Wallet
                ? await PayFromWalletAsync(order, view, userId)
                : await StartPaymentAsync(order, view, provider, cancellationToken);
            if (view.Status == OrderStatus.Cancelled && view.Paid == 0 && provider == ShopSettings.Wallet)
            {
                return Stored(StatusCodes.Status409Conflict, ProblemBody(StatusCodes.Status409Conflict, "Not enough store credit",
                    "Your store credit doesn't cover this order, so it was not placed. You can pay by card instead.", new() { ["orderId"] = orderId }));
            }
        }

        return new CheckoutResponse(StatusCodes.Status201Created, JsonSerializer.Serialize(OrderResponse.From(view), _json), $"/api/v1/orders/{orderId:D}", false);
    }

    private async Task<OrderView> StartPaymentAsync(IOrderGrain order, OrderView view, string providerName, CancellationToken cancellationToken)
    {
        var provider = providers.Find(providerName)!;
        PaymentInfo payment;
        try
        {
            payment = await provider.CreatePaymentAsync(view, cancellationToken);
        }
        catch (Exception e) when (e is Stripe.StripeException or HttpRequestException)
        {
            ShopLog.PaymentStartFailed(logger, view.Id, e.GetType().Name);
            await order.CancelAsync("The payment could not be started.");
            throw;
        }

        return await order.AttachPaymentAsync(payment) ?? view;
    }

    /// <summary>Store credit pays in full or not at all: the debit is booked before the order hears of it, and never goes below zero.</summary>
    private async Task<OrderView> PayFromWalletAsync(IOrderGrain order, OrderView view, Guid userId)
    {
        var debit = await grains.GetGrain<IWalletGrain>(userId).DebitAsync(view.Total, view.Currency, "Order", $"order:{view.Id:D}");
        if (debit.Status is not (WalletStatus.Ok or WalletStatus.Duplicate))
        {
            return (await order.CancelAsync("Store credit does not cover the order.")).Order ?? view;
        }

        await order.AttachPaymentAsync(new PaymentInfo(ShopSettings.Wallet, view.Id.ToString("D"), null));
        await order.ApplyPaymentEventAsync(new PaymentEvent(
            ShopSettings.Wallet, $"debit:{view.Id:D}", PaymentEventKind.Succeeded, view.Id.ToString("D"), view.Total, view.Currency, clock.GetUtcNow()));
        return await order.GetAsync() ?? view;
    }

    private static string Hash(List<OrderLineInput>? items, string method)
    {
        var canonical = items is null
            ? "cart"
            : string.Join(';', items.GroupBy(i => i.ProductId).OrderBy(g => g.Key).Select(g => $"{g.Key:N}x{g.Sum(i => i.Quantity)}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{method}|{canonical}")));
    }

    private CheckoutResponse Stored(int status, string body) => new(status, body, null, false);

    private string ValidationBody(string field, string message)
        => JsonSerializer.Serialize(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Some fields need attention",
            Detail = "The request has invalid fields; see errors.",
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        }, _json);

    private string ProblemBody(int status, string title, string detail, Dictionary<string, object?> extensions)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = "https://tools.ietf.org/html/rfc9110#section-15.5.10" };
        foreach (var (key, value) in extensions)
        {
            problem.Extensions[key] = value;
        }

        return JsonSerializer.Serialize(problem, _json);
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
