namespace Mindspace.Gateway.Shop;

/// <summary>A product as an admin sends it (create, or replace with PUT).</summary>
public sealed record ProductRequest(
    string? Name, string? Description, long? Price, string? Currency, List<string>? Images, string? Category, List<string>? Tags, int? Stock, bool? Active);

public sealed record CartItemRequest(int? Quantity);

public sealed record OrderItemRequest(Guid? ProductId, int? Quantity);

/// <param name="Items">What to buy; leave out to buy what is in your cart.</param>
/// <param name="PaymentMethod">card (default), razorpay or wallet.</param>
public sealed record CreateOrderRequest(List<OrderItemRequest>? Items, string? PaymentMethod);

public sealed record CancelOrderRequest(string? Reason);

public sealed record RefundRequest(long? Amount, string? Reason, bool? ToWallet);

public sealed record OrderStatusRequest(string? Status, string? Description, string? Carrier, string? TrackingNumber);

public sealed record TrackingRequest(string? Description, string? Carrier, string? TrackingNumber);

public sealed record RazorpayCheckoutRequest(string? RazorpayOrderId, string? RazorpayPaymentId, string? RazorpaySignature);

public sealed record FakePaymentRequest(string? Outcome);

public sealed record WalletCreditRequest(long? Amount, string? Currency, string? Reason);

public sealed record GiftCardRedeemRequest(string? Code);
