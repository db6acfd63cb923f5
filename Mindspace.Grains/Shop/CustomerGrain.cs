using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Shop;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Shop;

/// <summary>An idempotency key's request hash and, once answered, the response (its key is the record key).</summary>
/// <param name="ClaimedAt">When the key was first used; null for keys stored before keys expired (those are kept).</param>
[GenerateSerializer, Immutable, Alias("ms.state.StoredOrderRequest")]
public sealed record StoredOrderRequest(string RequestHash, Guid OrderId, int? StatusCode, string? Body, string? Location, DateTimeOffset? ClaimedAt = null);

/// <inheritdoc cref="ICustomerGrain"/>
public sealed class CustomerGrain(
    [RecordCollection("shop_customer_orders")] IRecordCollection<bool> orders,
    [RecordCollection("shop_order_requests")] IRecordCollection<StoredOrderRequest> requests,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, ICustomerGrain
{
    /// <summary>How long an Idempotency-Key is remembered: a replay after this is a new request.</summary>
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(24);

    /// <summary>Expired keys are swept from storage at most this often (per activation).</summary>
    private static readonly TimeSpan SweepEvery = TimeSpan.FromHours(1);

    private const int ExportBatch = 500;

    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    public async Task<IdempotencyClaim> ClaimAsync(string key, string requestHash)
    {
        var now = clock.GetUtcNow();
        await SweepExpiredAsync(now);
        if (await requests.GetAsync(key) is { } stored && !Expired(stored, now))
        {
            if (!string.Equals(stored.RequestHash, requestHash, StringComparison.Ordinal))
            {
                return new IdempotencyClaim(IdempotencyStatus.Conflict, stored.OrderId);
            }

            return stored.StatusCode is { } status
                ? new IdempotencyClaim(IdempotencyStatus.Replay, stored.OrderId, status, stored.Body, stored.Location)
                : new IdempotencyClaim(IdempotencyStatus.InProgress, stored.OrderId);
        }

        var orderId = Guid.CreateVersion7();
        await requests.PutAsync(key, new StoredOrderRequest(requestHash, orderId, null, null, null, now));
        return new IdempotencyClaim(IdempotencyStatus.New, orderId);
    }

    public async Task CompleteAsync(string key, int statusCode, string body, string? location)
    {
        if (await requests.GetAsync(key) is not { } stored)
        {
            return;
        }

        if (statusCode >= 500)
        {
            // A failure on our side is not an answer: the client may retry with the same key.
            await requests.RemoveAsync(key);
            return;
        }

        await requests.PutAsync(key, stored with { StatusCode = statusCode, Body = body, Location = location });
    }

    private static bool Expired(StoredOrderRequest stored, DateTimeOffset now) => stored.ClaimedAt is { } at && at + KeyLifetime <= now;

    /// <summary>Removes the keys that have expired, so the table holds about a day of keys per buyer.</summary>
    private async Task SweepExpiredAsync(DateTimeOffset now)
    {
        if (now - _lastSweep < SweepEvery)
        {
            return;
        }

        _lastSweep = now;
        string? after = null;
        while (true)
        {
            var batch = await requests.QueryAsync(new RecordQuery(after, Limit: ExportBatch));
            foreach (var record in batch.Where(r => Expired(r.Value, now)))
            {
                await requests.RemoveAsync(record.Key);
            }

            if (batch.Count < ExportBatch)
            {
                return;
            }

            after = batch[^1].Key;
        }
    }

    public Task AddOrderAsync(Guid orderId) => orders.PutAsync(orderId.ToString("D"), true);

    public async Task<IReadOnlyList<Guid>> ListOrdersAsync(Guid? after, int limit)
    {
        var page = await orders.QueryAsync(new RecordQuery(after?.ToString("D"), Descending: true, Limit: limit));
        return [.. page.Select(r => Guid.Parse(r.Key))];
    }

    public async Task<CustomerExport> ExportAsync()
    {
        var ids = new List<Guid>();
        string? after = null;
        while (true)
        {
            var batch = await orders.QueryAsync(new RecordQuery(after, Limit: ExportBatch));
            ids.AddRange(batch.Select(r => Guid.Parse(r.Key)));
            if (batch.Count < ExportBatch)
            {
                return new CustomerExport(ids);
            }

            after = batch[^1].Key;
        }
    }

    public async Task EraseAsync()
    {
        await orders.ClearAsync();
        await requests.ClearAsync();
    }
}
