using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Shop;

/// <summary>The shop's log messages. No card data, secrets or signatures are ever logged.</summary>
internal static partial class ShopLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "A {Provider} webhook was rejected: its signature does not verify")]
    public static partial void WebhookRejected(ILogger logger, string provider);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "A {Provider} webhook ({Kind}) was {Outcome}")]
    public static partial void WebhookApplied(ILogger logger, string provider, PaymentEventKind kind, PaymentEventOutcome outcome);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "A refund for order {OrderId} failed at the provider ({Error})")]
    public static partial void RefundFailed(ILogger logger, Guid orderId, string error);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Starting a payment for order {OrderId} failed ({Error}); the order was cancelled")]
    public static partial void PaymentStartFailed(ILogger logger, Guid orderId, string error);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Seeded the starter catalogue with {Count} products")]
    public static partial void CatalogSeeded(ILogger logger, int count);
}
