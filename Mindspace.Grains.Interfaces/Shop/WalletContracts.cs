namespace Mindspace.Grains.Interfaces.Shop;

/// <param name="Amount">Positive for a credit, negative for a debit (minor units).</param>
/// <param name="Reference">What it is about (an order or refund id): one entry per reference and direction.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.WalletEntry")]
public sealed record WalletEntry(Guid Id, long Amount, string Currency, string Reason, string Reference, long BalanceAfter, DateTimeOffset At);

[GenerateSerializer, Immutable, Alias("ms.shop.WalletView")]
public sealed record WalletView(long Balance, string? Currency, IReadOnlyList<WalletEntry> Entries);

[GenerateSerializer, Alias("ms.shop.WalletStatus")]
public enum WalletStatus
{
    Ok,

    /// <summary>An entry with this reference and direction exists: nothing changed.</summary>
    Duplicate,
    CurrencyMismatch,

    /// <summary>The debit is larger than the balance: nothing changed (a wallet never goes negative).</summary>
    Insufficient,
    Invalid,
}

[GenerateSerializer, Immutable, Alias("ms.shop.WalletResult")]
public sealed record WalletResult(WalletStatus Status, WalletView Wallet);

/// <summary>A user's store credit: an append-only ledger whose balance never goes below zero.</summary>
[Alias("ms.shop.IWalletGrain")]
public interface IWalletGrain : IGrainWithGuidKey
{
    /// <summary>The balance and the newest <paramref name="limit"/> entries, newest first.</summary>
    [Alias("get")]
    Task<WalletView> GetAsync(int limit);

    [Alias("credit")]
    Task<WalletResult> CreditAsync(long amount, string currency, string reason, string reference);

    [Alias("debit")]
    Task<WalletResult> DebitAsync(long amount, string currency, string reason, string reference);

    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<WalletView> ExportAsync();

    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("erase")]
    Task EraseAsync();
}
