using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Shop;

/// <summary>A product in search results, with its relevance score when there was a query.</summary>
public sealed record ProductResponse(
    Guid Id, string Name, string Description, long Price, string Currency, IReadOnlyList<string> Images, string Category,
    IReadOnlyList<string> Tags, int Available, bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, double? Score)
{
    public static ProductResponse From(Product p, double? score = null)
        => new(p.Id, p.Name, p.Description, p.Price, p.Currency, p.Images, p.Category, p.Tags, p.Available, p.Active, p.CreatedAt, p.UpdatedAt, score);
}

public sealed record ProductSearchResponse(IReadOnlyList<ProductResponse> Items, string? NextCursor, ProductFacets Facets, int Total);

public sealed record OrderLineResponse(Guid ProductId, string Name, string Category, long UnitPrice, int Quantity, long LineTotal, int TaxRateBasisPoints);

public sealed record PaymentResponse(string Provider, string Reference, string? ClientSecret);

public sealed record RefundResponse(Guid Id, long Amount, string Status, bool ToWallet, string Reason, DateTimeOffset CreatedAt, string? ProviderRefundId);

public sealed record HistoryResponse(DateTimeOffset At, string Status, string Note);

public sealed record OrderResponse(
    Guid Id,
    string Status,
    IReadOnlyList<OrderLineResponse> Items,
    string Currency,
    long Total,
    IReadOnlyList<TaxLine> TaxLines,
    long Paid,
    long Refunded,
    PaymentResponse? Payment,
    string? InvoiceNumber,
    DateTimeOffset? PaymentDueBy,
    IReadOnlyList<RefundResponse> Refunds,
    IReadOnlyList<TrackingEvent> Tracking,
    IReadOnlyList<HistoryResponse> History,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<GiftCardResponse> GiftCards)
{
    public static OrderResponse From(OrderView o) => new(
        o.Id,
        OrderStatuses.Wire(o.Status),
        [.. o.Lines.Select(l => new OrderLineResponse(l.ProductId, l.Name, l.Category, l.UnitPrice, l.Quantity, l.LineTotal, l.TaxRateBasisPoints))],
        o.Currency,
        o.Total,
        o.TaxLines,
        o.Paid,
        o.Refunded,
        o.Payment is { } p ? new PaymentResponse(p.Provider, p.Reference, o.Status == OrderStatus.AwaitingPayment ? p.ClientSecret : null) : null,
        o.InvoiceNumber,
        o.PaymentDueBy,
        [.. o.Refunds.Select(r => new RefundResponse(r.Id, r.Amount, r.Status.ToString().ToLowerInvariant(), r.ToWallet, r.Reason, r.CreatedAt, r.ProviderRefundId))],
        o.Tracking,
        [.. o.History.Select(h => new HistoryResponse(h.At, OrderStatuses.Wire(h.Status), h.Note))],
        o.CreatedAt,
        o.UpdatedAt,
        [.. o.GiftCards.Select(g => new GiftCardResponse(g.Code, g.Amount, g.Currency, g.ProductId))]);
}

/// <summary>A gift card bought with an order: its code is shown only here, to the buyer.</summary>
public sealed record GiftCardResponse(string Code, long Amount, string Currency, Guid ProductId);

/// <param name="AlreadyRedeemed">You had redeemed this code before: nothing more was added.</param>
public sealed record GiftCardRedeemResponse(long Amount, string Currency, bool AlreadyRedeemed, WalletResponse Wallet);

public sealed record OrderListResponse(IReadOnlyList<OrderResponse> Items, string? NextCursor);

public sealed record WalletResponse(long Balance, string? Currency, IReadOnlyList<WalletEntry> Entries);

public sealed record WebhookResponse(bool Received, string Outcome);
