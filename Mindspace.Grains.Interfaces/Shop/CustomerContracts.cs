namespace Mindspace.Grains.Interfaces.Shop;

[GenerateSerializer, Alias("ms.shop.IdempotencyStatus")]
public enum IdempotencyStatus
{
    /// <summary>A new key: go ahead, then report the response.</summary>
    New,

    /// <summary>The same key and parameters: the stored response is in the claim.</summary>
    Replay,

    /// <summary>The same key and parameters, still being processed.</summary>
    InProgress,

    /// <summary>The same key with different parameters.</summary>
    Conflict,
}

/// <param name="OrderId">The order id this key stands for.</param>
/// <param name="StatusCode">With <see cref="IdempotencyStatus.Replay"/>: the response's status code.</param>
/// <param name="Body">With <see cref="IdempotencyStatus.Replay"/>: the response's JSON body.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.IdempotencyClaim")]
public sealed record IdempotencyClaim(IdempotencyStatus Status, Guid OrderId, int? StatusCode = null, string? Body = null, string? Location = null);

[GenerateSerializer, Immutable, Alias("ms.shop.CustomerExport")]
public sealed record CustomerExport(IReadOnlyList<Guid> OrderIds);

/// <summary>
/// One shopper's index: their order ids (newest first) and the idempotency keys of their order
/// requests, so a retried checkout gets the same answer and never a second order.
/// </summary>
[Alias("ms.shop.ICustomerGrain")]
public interface ICustomerGrain : IGrainWithGuidKey
{
    /// <param name="requestHash">A hash of the request's parameters.</param>
    [Alias("claim")]
    Task<IdempotencyClaim> ClaimAsync(string key, string requestHash);

    /// <summary>Stores the response for a claimed key; 5xx responses release the key instead.</summary>
    [Alias("complete")]
    Task CompleteAsync(string key, int statusCode, string body, string? location);

    [Alias("add-order")]
    Task AddOrderAsync(Guid orderId);

    /// <summary>Order ids newest first, after <paramref name="after"/>.</summary>
    [Alias("list-orders")]
    Task<IReadOnlyList<Guid>> ListOrdersAsync(Guid? after, int limit);

    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<CustomerExport> ExportAsync();

    /// <summary>Forgets the order index and the idempotency keys (the orders themselves are kept for the accounts).</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("erase")]
    Task EraseAsync();
}
