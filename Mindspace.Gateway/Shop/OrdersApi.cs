using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Shop;

/// <summary>
/// Orders: <c>/api/v1/orders</c>. A member sees only their own orders (anyone else's id is 404);
/// admins move orders through fulfilment and issue refunds.
/// </summary>
public static class OrdersApi
{
    public const int MaxReasonLength = 500;
    public const int MaxTrackingLength = 200;

    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapMemberGroup("/api/v1/orders", "Shop");

        api.MapPost("", CreateAsync).WithName("CreateOrder")
            .WithSummary("Place an order from your cart (or from listed items)")
            .WithDescription("Send an `Idempotency-Key` header to make retries safe: the same key and body get the same response (with `Idempotent-Replayed: true`); the same key with a different body gets 409. Prices come from the catalogue. The order waits for payment for 30 minutes, holding its items, and is paid only when the payment provider confirms it.");
        api.MapGet("", ListAsync).WithName("ListOrders").WithSummary("Your orders, newest first");
        api.MapGet("/{id}", GetAsync).WithName("GetOrder").WithSummary("One order with its history and tracking");
        api.MapPost("/{id}/cancel", CancelAsync).WithName("CancelOrder")
            .WithSummary("Cancel an order")
            .WithDescription("Unpaid: the items go back on the shelf. Paid and not yet packed: the items go back and the payment is refunded in full.");
        api.MapGet("/{id}/refunds", ListRefundsAsync).WithName("ListRefunds").WithSummary("Refunds of an order");
        api.MapPost("/{id}/refunds", RefundAsync).WithName("RefundOrder")
            .WithSummary("Refund part or all of an order (admins)")
            .WithDescription("`amount` in minor units; refunds together never exceed what was paid. `toWallet: true` refunds as store credit.")
            .RequireAuthorization(AuthPolicies.Admin);
        api.MapGet("/{id}/invoice", InvoiceAsync).WithName("GetInvoice")
            .WithSummary("The invoice of a paid order, as PDF (default) or HTML")
            .WithDescription("`?format=pdf|html`, or `Accept: text/html`.");
        api.MapPost("/{id}/status", AdvanceAsync).WithName("AdvanceOrder")
            .WithSummary("Move a paid order on: fulfilled, shipped, delivered (admins)")
            .RequireAuthorization(AuthPolicies.Admin);
        api.MapPost("/{id}/tracking", TrackingAsync).WithName("AddTracking").WithSummary("Add a tracking event (admins)").RequireAuthorization(AuthPolicies.Admin);
        api.MapPost("/{id}/payments/razorpay", RazorpayCheckoutAsync).WithName("ConfirmRazorpayCheckout")
            .WithSummary("Hand over Razorpay's checkout result")
            .WithDescription("The signature over `order_id|payment_id` is checked; the order is marked paid only when Razorpay's own webhook confirms the capture.");
        return api;
    }

    private static Task<IResult> CreateAsync(
        [FromBody] CreateOrderRequest? request, HttpContext http, [FromServices] CheckoutService checkout, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey)
        => checkout.CreateAsync(http, http.User.GetUserId(), request, idempotencyKey);

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains, string? cursor = null, string? limit = null)
    {
        var errors = new FieldErrors();
        Guid? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (Guid.TryParseExact(cursor, "N", out var id))
            {
                after = id;
            }
            else
            {
                errors.Add("cursor", "Use the nextCursor of the previous page.");
            }
        }

        var size = ShopRules.DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, out size) || size is < 1 or > ShopRules.MaxPageSize))
        {
            errors.Add("limit", $"Limit must be from 1 to {ShopRules.MaxPageSize}.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var ids = await grains.GetGrain<ICustomerGrain>(user.GetUserId()).ListOrdersAsync(after, size + 1);
        var views = await Task.WhenAll(ids.Take(size).Select(id => grains.GetGrain<IOrderGrain>(id).GetAsync()));
        var next = ids.Count > size ? ids[size - 1].ToString("N") : null;
        return TypedResults.Ok(new OrderListResponse([.. views.OfType<OrderView>().Select(OrderResponse.From)], next));
    }

    private static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => await FindAsync(id, user, grains) is { } order ? TypedResults.Ok(OrderResponse.From(order)) : NotFound();

    private static async Task<IResult> CancelAsync(string id, [FromBody] CancelOrderRequest? request, HttpContext http, [FromServices] IGrainFactory grains, [FromServices] RefundExecutor refunds)
    {
        var reason = request?.Reason?.Trim() ?? string.Empty;
        if (reason.Length > MaxReasonLength)
        {
            return FieldErrors.Problem("reason", $"Keep the reason to {MaxReasonLength} characters.");
        }

        if (await FindAsync(id, http.User, grains) is not { } order)
        {
            return NotFound();
        }

        var change = await grains.GetGrain<IOrderGrain>(order.Id).CancelAsync(reason);
        return await ChangeResultAsync(change, order, refunds, http.RequestAborted);
    }

    private static async Task<IResult> ListRefundsAsync(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => await FindAsync(id, user, grains) is { } order ? TypedResults.Ok(OrderResponse.From(order).Refunds) : NotFound();

    private static async Task<IResult> RefundAsync(string id, RefundRequest request, HttpContext http, [FromServices] IGrainFactory grains, [FromServices] RefundExecutor refunds)
    {
        var errors = new FieldErrors();
        errors.Add("amount", request.Amount is null or <= 0 ? "Give a positive amount in minor units." : null);
        var reason = request.Reason?.Trim() ?? string.Empty;
        errors.Add("reason", reason.Length > MaxReasonLength ? $"Keep the reason to {MaxReasonLength} characters." : null);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await FindAsync(id, http.User, grains) is not { } order)
        {
            return NotFound();
        }

        var change = await grains.GetGrain<IOrderGrain>(order.Id).BeginRefundAsync(request.Amount!.Value, reason.Length == 0 ? "Refund" : reason, request.ToWallet ?? false);
        if (change.Status == OrderChangeStatus.TooMuch)
        {
            return FieldErrors.Problem("amount", change.Reason ?? "This is more than is left to refund.");
        }

        if (change.Status != OrderChangeStatus.Ok || change.Refund is not { } plan)
        {
            return await ChangeResultAsync(change, order, refunds, http.RequestAborted);
        }

        var execution = await refunds.ExecuteAsync(order.Id, order.OwnerId, plan, http.RequestAborted);
        if (execution.Failure is { } failure)
        {
            // Nothing was paid back: the attempt stays in the order's refunds as failed, and the amount can be refunded again.
            return TypedResults.Problem(
                statusCode: execution.TimedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway,
                title: "The refund was not made",
                detail: $"{failure} Nothing was paid back; you can try again.",
                extensions: new Dictionary<string, object?> { ["refundId"] = plan.RefundId });
        }

        var now = execution.Change.Order ?? change.Order!;
        return TypedResults.Created($"/api/v1/orders/{order.Id}/refunds", OrderResponse.From(now).Refunds.First(r => r.Id == plan.RefundId));
    }

    private static async Task<IResult> InvoiceAsync(string id, HttpContext http, [FromServices] IGrainFactory grains, [FromServices] ShopSettings settings, string? format = null)
    {
        if (await FindAsync(id, http.User, grains) is not { } order)
        {
            return NotFound();
        }

        var wantsHtml = format is not null
            ? string.Equals(format, "html", StringComparison.OrdinalIgnoreCase)
            : http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
        if (format is not null && !wantsHtml && !string.Equals(format, "pdf", StringComparison.OrdinalIgnoreCase))
        {
            return FieldErrors.Problem("format", "Choose pdf or html.");
        }

        if (order.InvoiceNumber is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No invoice yet", detail: "The invoice is made once the order is paid.");
        }

        var invoice = new InvoiceDocument(order, settings);
        return wantsHtml
            ? Results.Text(invoice.Html(), "text/html; charset=utf-8")
            : Results.File(invoice.Pdf(), "application/pdf", $"invoice-{order.InvoiceNumber}.pdf");
    }

    private static async Task<IResult> AdvanceAsync(string id, OrderStatusRequest request, HttpContext http, [FromServices] IGrainFactory grains)
    {
        if (!OrderStatuses.TryParse(request.Status, out var status) || status is not (OrderStatus.Fulfilled or OrderStatus.Shipped or OrderStatus.Delivered))
        {
            return FieldErrors.Problem("status", "Choose fulfilled, shipped or delivered (to cancel, use /cancel).");
        }

        if (CheckTracking(request.Description, request.Carrier, request.TrackingNumber, required: false) is { } problem)
        {
            return problem;
        }

        if (await FindAsync(id, http.User, grains) is not { } order)
        {
            return NotFound();
        }

        var tracking = request.Description is { Length: > 0 } || request.TrackingNumber is { Length: > 0 }
            ? new TrackingInput(request.Description?.Trim() ?? OrderStatuses.Wire(status), Trim(request.Carrier), Trim(request.TrackingNumber))
            : null;
        return await ChangeResultAsync(await grains.GetGrain<IOrderGrain>(order.Id).AdvanceAsync(status, tracking), order, null, http.RequestAborted);
    }

    private static async Task<IResult> TrackingAsync(string id, TrackingRequest request, HttpContext http, [FromServices] IGrainFactory grains)
    {
        if (CheckTracking(request.Description, request.Carrier, request.TrackingNumber, required: true) is { } problem)
        {
            return problem;
        }

        if (await FindAsync(id, http.User, grains) is not { } order)
        {
            return NotFound();
        }

        var input = new TrackingInput(request.Description!.Trim(), Trim(request.Carrier), Trim(request.TrackingNumber));
        return await ChangeResultAsync(await grains.GetGrain<IOrderGrain>(order.Id).AddTrackingAsync(input), order, null, http.RequestAborted);
    }

    private static async Task<IResult> RazorpayCheckoutAsync(string id, RazorpayCheckoutRequest request, HttpContext http, [FromServices] IGrainFactory grains, [FromServices] ShopSettings settings)
    {
        if (await FindAsync(id, http.User, grains) is not { } order)
        {
            return NotFound();
        }

        if (order.Payment is not { Provider: ShopSettings.Razorpay } payment || request.RazorpayOrderId != payment.Reference
            || string.IsNullOrEmpty(request.RazorpayPaymentId)
            || !PaymentSignatures.VerifyRazorpay($"{request.RazorpayOrderId}|{request.RazorpayPaymentId}", request.RazorpaySignature, settings.RazorpayKeySecret))
        {
            return FieldErrors.Problem("razorpaySignature", "This checkout result does not verify for this order.");
        }

        // A valid checkout signature says the buyer completed checkout; the capture webhook says the money is ours.
        return TypedResults.Accepted($"/api/v1/orders/{order.Id}", OrderResponse.From(order));
    }

    /// <summary>The order if it exists and the caller may see it (its owner, or an admin); otherwise null.</summary>
    private static async Task<OrderView?> FindAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Guid.TryParse(id, out var orderId))
        {
            return null;
        }

        var order = await grains.GetGrain<IOrderGrain>(orderId).GetAsync();
        return order is not null && (order.OwnerId == user.GetUserId() || user.IsInRole(AuthPolicies.Admin)) ? order : null;
    }

    private static async Task<IResult> ChangeResultAsync(OrderChange change, OrderView before, RefundExecutor? refunds, CancellationToken cancellationToken)
    {
        switch (change.Status)
        {
            case OrderChangeStatus.NotFound:
                return NotFound();
            case OrderChangeStatus.NotAllowed or OrderChangeStatus.TooMuch:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible for this order", detail: change.Reason);
        }

        var order = change.Order!;
        if (change.Refund is { } plan && refunds is not null)
        {
            order = (await refunds.ExecuteAsync(before.Id, before.OwnerId, plan, cancellationToken)).Change.Order ?? order;
        }

        return TypedResults.Ok(OrderResponse.From(order));
    }

    private static IResult? CheckTracking(string? description, string? carrier, string? number, bool required)
    {
        var errors = new FieldErrors();
        errors.Add("description", required && string.IsNullOrWhiteSpace(description) ? "Describe the tracking event." : null);
        foreach (var (field, value) in new[] { ("description", description), ("carrier", carrier), ("trackingNumber", number) })
        {
            errors.Add(field, value?.Trim().Length > MaxTrackingLength ? $"Keep it to {MaxTrackingLength} characters." : null);
        }

        return errors.Any ? errors.ToProblem() : null;
    }

    private static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static IResult NotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no order with this id.");
}
