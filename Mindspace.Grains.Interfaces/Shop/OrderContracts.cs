namespace Mindspace.Grains.Interfaces.Shop;

/// <summary>Where an order is in its saga.</summary>
[GenerateSerializer, Alias("ms.shop.OrderStatus")]
public enum OrderStatus
{
    Created,
    AwaitingPayment,
    Paid,
    Fulfilled,
    Shipped,
    Delivered,
    Cancelled,
    Refunded,
}

[GenerateSerializer, Immutable, Alias("ms.shop.OrderLineInput")]
public sealed record OrderLineInput(Guid ProductId, int Quantity);

/// <summary>What a new order is made of. Prices come from the catalogue, never from the client.</summary>
/// <param name="CartKey">The cart the lines come from: its holds pass to the order.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.OrderDraft")]
public sealed record OrderDraft(Guid OwnerId, IReadOnlyList<OrderLineInput> Lines, string? CartKey);

/// <summary>A line as bought: a copy of the product at the time, so later catalogue edits change nothing.</summary>
[GenerateSerializer, Immutable, Alias("ms.shop.OrderLine")]
public sealed record OrderLine(Guid ProductId, string Name, string Category, long UnitPrice, int Quantity, long LineTotal, int TaxRateBasisPoints);

/// <summary>Tax contained in the order's gross total at one rate.</summary>
[GenerateSerializer, Immutable, Alias("ms.shop.TaxLine")]
public sealed record TaxLine(int RateBasisPoints, long Net, long Tax, long Gross);

[GenerateSerializer, Immutable, Alias("ms.shop.OrderHistoryEntry")]
public sealed record OrderHistoryEntry(DateTimeOffset At, OrderStatus Status, string Note);

[GenerateSerializer, Immutable, Alias("ms.shop.TrackingEvent")]
public sealed record TrackingEvent(DateTimeOffset At, string Description, string? Carrier, string? TrackingNumber);

[GenerateSerializer, Alias("ms.shop.RefundStatus")]
public enum RefundStatus
{
    Pending,
    Succeeded,
    Failed,
}

/// <param name="ToWallet">Paid back as store credit instead of through the payment provider.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.RefundView")]
public sealed record RefundView(Guid Id, long Amount, RefundStatus Status, bool ToWallet, string Reason, DateTimeOffset CreatedAt, string? ProviderRefundId);

/// <param name="Provider">fake, stripe, razorpay or wallet.</param>
/// <param name="Reference">The provider's payment (intent, order) id.</param>
/// <param name="ClientSecret">What the client needs to complete the payment with the provider, if anything.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.PaymentInfo")]
public sealed record PaymentInfo(string Provider, string Reference, string? ClientSecret);

[GenerateSerializer, Immutable, Alias("ms.shop.OrderView")]
public sealed record OrderView(
    Guid Id,
    Guid OwnerId,
    OrderStatus Status,
    IReadOnlyList<OrderLine> Lines,
    string Currency,
    long Total,
    IReadOnlyList<TaxLine> TaxLines,
    long Paid,
    long Refunded,
    PaymentInfo? Payment,
    string? InvoiceNumber,
    DateTimeOffset? InvoicedAt,
    DateTimeOffset? PaymentDueBy,
    IReadOnlyList<RefundView> Refunds,
    IReadOnlyList<TrackingEvent> Tracking,
    IReadOnlyList<OrderHistoryEntry> History,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<OrderGiftCard> GiftCards);

[GenerateSerializer, Alias("ms.shop.OrderCreateStatus")]
public enum OrderCreateStatus
{
    Created,
    AlreadyExists,
    Empty,
    NoSuchProduct,
    OutOfStock,
    CurrencyMismatch,
}

/// <param name="ProductId">With a failure about one product: which one.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.OrderCreateResult")]
public sealed record OrderCreateResult(OrderCreateStatus Status, OrderView? Order, Guid? ProductId = null);

[GenerateSerializer, Alias("ms.shop.OrderChangeStatus")]
public enum OrderChangeStatus
{
    Ok,
    NotFound,

    /// <summary>The order's status does not allow this (e.g. shipping an unpaid order).</summary>
    NotAllowed,

    /// <summary>A refund larger than what is left to refund.</summary>
    TooMuch,
}

/// <summary>Money the gateway must send back through the provider (or the wallet) and then report.</summary>
[GenerateSerializer, Immutable, Alias("ms.shop.RefundPlan")]
public sealed record RefundPlan(Guid RefundId, long Amount, string Currency, bool ToWallet, PaymentInfo Payment);

[GenerateSerializer, Immutable, Alias("ms.shop.OrderChange")]
public sealed record OrderChange(OrderChangeStatus Status, OrderView? Order, RefundPlan? Refund = null, string? Reason = null);

[GenerateSerializer, Alias("ms.shop.PaymentEventKind")]
public enum PaymentEventKind
{
    Succeeded,
    Failed,

    /// <summary>The provider's cumulative refunded amount for the payment.</summary>
    Refunded,
}

/// <summary>A verified event from a payment provider (its signature checked by the gateway).</summary>
/// <param name="EventId">The provider's event id: an order applies each at most once.</param>
/// <param name="Amount">Paid amount for <see cref="PaymentEventKind.Succeeded"/>; cumulative refunded amount for <see cref="PaymentEventKind.Refunded"/>.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.PaymentEvent")]
public sealed record PaymentEvent(string Provider, string EventId, PaymentEventKind Kind, string PaymentReference, long Amount, string Currency, DateTimeOffset OccurredAt);

[GenerateSerializer, Alias("ms.shop.PaymentEventOutcome")]
public enum PaymentEventOutcome
{
    Applied,

    /// <summary>This event id was applied before: nothing changed.</summary>
    Duplicate,

    /// <summary>Valid but changes nothing now (late, superseded, or about another payment).</summary>
    Ignored,

    /// <summary>The amount or currency does not match the order: recorded, nothing changed.</summary>
    Mismatch,
    NotFound,
}

[GenerateSerializer, Immutable, Alias("ms.shop.PaymentEventResult")]
public sealed record PaymentEventResult(PaymentEventOutcome Outcome, RefundPlan? Refund = null);

/// <summary>A new tracking event (admin or carrier).</summary>
[GenerateSerializer, Immutable, Alias("ms.shop.TrackingInput")]
public sealed record TrackingInput(string Description, string? Carrier, string? TrackingNumber);

/// <summary>
/// One order and its saga: created → awaiting payment → paid → fulfilled → shipped → delivered,
/// or cancelled, or refunded. Holds stock while unpaid (cancelled when the payment window closes),
/// commits it when paid, returns it when a paid order is cancelled. Payment state changes only on
/// verified provider events, never on anything a client says.
/// </summary>
[Alias("ms.shop.IOrderGrain")]
public interface IOrderGrain : IGrainWithGuidKey
{
    /// <summary>Creates the order (once: a second call returns <see cref="OrderCreateStatus.AlreadyExists"/>).</summary>
    [Alias("create")]
    Task<OrderCreateResult> CreateAsync(OrderDraft draft);

    /// <summary>Records the provider's payment for this order: created → awaiting payment.</summary>
    [Alias("attach-payment")]
    Task<OrderView?> AttachPaymentAsync(PaymentInfo payment);

    [Alias("get")]
    Task<OrderView?> GetAsync();

    /// <summary>Cancels an unpaid order (holds released) or a paid, unfulfilled one (stock returned, a full refund planned).</summary>
    [Alias("cancel")]
    Task<OrderChange> CancelAsync(string reason);

    /// <summary>Moves a paid order on: fulfilled, shipped, delivered, in that order.</summary>
    [Alias("advance")]
    Task<OrderChange> AdvanceAsync(OrderStatus to, TrackingInput? tracking);

    [Alias("add-tracking")]
    Task<OrderChange> AddTrackingAsync(TrackingInput tracking);

    [Alias("apply-payment-event")]
    Task<PaymentEventResult> ApplyPaymentEventAsync(PaymentEvent paymentEvent);

    /// <summary>Plans a refund of <paramref name="amount"/> (at most what was paid less what is refunded or pending).</summary>
    [Alias("begin-refund")]
    Task<OrderChange> BeginRefundAsync(long amount, string reason, bool toWallet);

    /// <summary>Reports how a planned refund went.</summary>
    [Alias("complete-refund")]
    Task<OrderChange> CompleteRefundAsync(Guid refundId, bool succeeded, string? providerRefundId);

    /// <summary>Cancels the order if it is still unpaid after its payment window (the reminder calls this).</summary>
    [Alias("expire-if-due")]
    Task<bool> ExpireIfDueAsync();
}

/// <summary>Sequential invoice numbers, one sequence per calendar year (UTC): no number is used twice.</summary>
[Alias("ms.shop.IInvoiceNumberGrain")]
public interface IInvoiceNumberGrain : IGrainWithIntegerKey
{
    [Alias("next")]
    Task<long> NextAsync();
}

/// <summary>How the API spells order statuses.</summary>
public static class OrderStatuses
{
    public static string Wire(OrderStatus status) => status switch
    {
        OrderStatus.AwaitingPayment => "awaiting_payment",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? text, out OrderStatus status)
    {
        foreach (var candidate in Enum.GetValues<OrderStatus>())
        {
            if (string.Equals(Wire(candidate), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }
}
