using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Shop;

/// <param name="Orders">Every order, oldest first, with its history, refunds and invoice number.</param>
/// <param name="Wallet">Store credit and every ledger entry.</param>
/// <param name="Retention">What stays after the account is deleted, and why.</param>
public sealed record ShopExport(IReadOnlyList<OrderResponse> Orders, WalletResponse Wallet, string Retention);

/// <summary>The shop's part of a data export and of deleting an account.</summary>
public static class ShopPrivacy
{
    public const string Retention =
        "When you delete your account, your cart, store credit and order list are erased. Orders and their invoices are kept, " +
        "as tax law requires sellers to keep invoices (in Germany for 10 years); they hold what was bought, the amounts and a " +
        "random account id, not your name, email or address.";

    public static async Task<ShopExport> ExportAsync(IGrainFactory grains, Guid userId)
    {
        var ids = (await grains.GetGrain<ICustomerGrain>(userId).ExportAsync()).OrderIds;
        var orders = await Task.WhenAll(ids.Select(id => grains.GetGrain<IOrderGrain>(id).GetAsync()));
        var wallet = await grains.GetGrain<IWalletGrain>(userId).ExportAsync();
        return new ShopExport(
            [.. orders.OfType<OrderView>().Where(o => o.OwnerId == userId).Select(OrderResponse.From)],
            new WalletResponse(wallet.Balance, wallet.Currency, wallet.Entries),
            Retention);
    }

    /// <summary>Erases what can be erased; orders stay for the accounts (see <see cref="Retention"/>).</summary>
    public static async Task EraseAsync(IGrainFactory grains, Guid userId)
    {
        await grains.GetGrain<ICartGrain>(CartKeys.ForUser(userId)).ClearAsync();
        await grains.GetGrain<IWalletGrain>(userId).EraseAsync();
        await grains.GetGrain<ICustomerGrain>(userId).EraseAsync();
        await grains.GetGrain<Mindspace.Grains.Interfaces.Billing.ISubscriptionGrain>(userId).EraseAsync();
    }
}
