using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Shop;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Shop;

/// <summary>Stored state of <see cref="WalletGrain"/>: the balance; the entries are rows.</summary>
[GenerateSerializer, Alias("ms.state.WalletState")]
public sealed class WalletState
{
    [Id(0)]
    public long Balance { get; set; }

    [Id(1)]
    public string? Currency { get; set; }

    /// <summary>"+reference" for credits and "-reference" for debits already booked.</summary>
    [Id(2)]
    public List<string> References { get; set; } = [];
}

/// <inheritdoc cref="IWalletGrain"/>
/// <remarks>An entry row is written before the balance: if the balance write fails the entry is found by its reference on retry.</remarks>
public sealed class WalletGrain(
    [PersistentState("wallet")] IPersistentState<WalletState> wallet,
    [RecordCollection("shop_wallet_entries")] IRecordCollection<WalletEntry> entries,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, IWalletGrain
{
    private const int ExportBatch = 500;

    public async Task<WalletView> GetAsync(int limit)
    {
        var page = await entries.QueryAsync(new RecordQuery(Descending: true, Limit: Math.Clamp(limit, 1, ShopRules.MaxPageSize)));
        return new WalletView(wallet.State.Balance, wallet.State.Currency, [.. page.Select(r => r.Value)]);
    }

    public Task<WalletResult> CreditAsync(long amount, string currency, string reason, string reference)
        => BookAsync(amount, currency, reason, reference);

    public Task<WalletResult> DebitAsync(long amount, string currency, string reason, string reference)
        => BookAsync(-amount, currency, reason, reference);

    public async Task<WalletView> ExportAsync()
    {
        var all = new List<WalletEntry>();
        string? after = null;
        while (true)
        {
            var batch = await entries.QueryAsync(new RecordQuery(after, Limit: ExportBatch));
            all.AddRange(batch.Select(r => r.Value));
            if (batch.Count < ExportBatch)
            {
                return new WalletView(wallet.State.Balance, wallet.State.Currency, all);
            }

            after = batch[^1].Key;
        }
    }

    public async Task EraseAsync()
    {
        await entries.ClearAsync();
        await wallet.ClearStateAsync();
    }

    private async Task<WalletResult> BookAsync(long signedAmount, string currency, string reason, string reference)
    {
        var state = wallet.State;
        if (signedAmount == 0 || Math.Abs(signedAmount) > ShopRules.MaxPrice || ShopRules.CheckCurrency(currency, out var code) is not null)
        {
            return new WalletResult(WalletStatus.Invalid, await GetAsync(ShopRules.DefaultPageSize));
        }

        var referenceKey = (signedAmount > 0 ? "+" : "-") + reference;
        if (state.References.Contains(referenceKey))
        {
            return new WalletResult(WalletStatus.Duplicate, await GetAsync(ShopRules.DefaultPageSize));
        }

        if (state.Currency is { } walletCurrency && walletCurrency != code && state.Balance != 0)
        {
            return new WalletResult(WalletStatus.CurrencyMismatch, await GetAsync(ShopRules.DefaultPageSize));
        }

        if (state.Balance + signedAmount < 0)
        {
            return new WalletResult(WalletStatus.Insufficient, await GetAsync(ShopRules.DefaultPageSize));
        }

        var now = clock.GetUtcNow();
        var entry = new WalletEntry(Guid.CreateVersion7(now), signedAmount, code, reason, reference, state.Balance + signedAmount, now);
        await entries.PutAsync(entry.Id.ToString("D"), entry);
        state.Balance = entry.BalanceAfter;
        state.Currency = code;
        state.References.Add(referenceKey);
        await wallet.WriteStateAsync();
        return new WalletResult(WalletStatus.Ok, await GetAsync(ShopRules.DefaultPageSize));
    }
}
