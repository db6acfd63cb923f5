using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Grains.Shop;

/// <summary>Stored state of <see cref="OrderGrain"/>.</summary>
[GenerateSerializer, Alias("ms.state.OrderState")]
public sealed class OrderState
{
    [Id(0)]
    public Guid OwnerId { get; set; }

    [Id(1)]
    public OrderStatus Status { get; set; }

    [Id(2)]
    public List<OrderLine> Lines { get; set; } = [];

    [Id(3)]
    public string Currency { get; set; } = string.Empty;

    [Id(4)]
    public long Total { get; set; }

    [Id(5)]
    public long Paid { get; set; }

    /// <summary>The provider's own cumulative refunded amount (refund events), which may include refunds made at the provider.</summary>
    [Id(6)]
    public long ProviderRefunded { get; set; }

    [Id(7)]
    public PaymentInfo? Payment { get; set; }

    [Id(8)]
    public string? InvoiceNumber { get; set; }

    [Id(9)]
    public DateTimeOffset? InvoicedAt { get; set; }

    [Id(10)]
    public DateTimeOffset? PaymentDueBy { get; set; }

    [Id(11)]
    public List<RefundView> Refunds { get; set; } = [];

    [Id(12)]
    public List<TrackingEvent> Tracking { get; set; } = [];

    [Id(13)]
    public List<OrderHistoryEntry> History { get; set; } = [];

    /// <summary>Provider event ids applied to this order ("provider:id").</summary>
    [Id(14)]
    public List<string> AppliedEvents { get; set; } = [];

    /// <summary>Whether the lines' units have left the stock (on payment) and not come back.</summary>
    [Id(15)]
    public bool StockCommitted { get; set; }

    [Id(16)]
    public DateTimeOffset CreatedAt { get; set; }

    [Id(17)]
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The gift cards this order issued when paid (one per gift-card unit). Their registry keeps only hashes.</summary>
    [Id(18)]
    public List<OrderGiftCard> GiftCards { get; set; } = [];
}
