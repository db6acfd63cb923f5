using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Grains.Shop;

/// <summary>Stored state of <see cref="GiftCardGrain"/>. The code is not here: the grain's key is its hash.</summary>
[GenerateSerializer, Alias("ms.state.GiftCardState")]
public sealed class GiftCardState
{
    [Id(0)]
    public GiftCardStatus Status { get; set; }

    [Id(1)]
    public long Amount { get; set; }

    [Id(2)]
    public string Currency { get; set; } = string.Empty;

    [Id(3)]
    public Guid OrderId { get; set; }

    [Id(4)]
    public Guid? RedeemedBy { get; set; }

    [Id(5)]
    public DateTimeOffset? RedeemedAt { get; set; }
}

/// <inheritdoc cref="IGiftCardGrain"/>
/// <remarks>
/// Redemption writes "redeemed by this user" before crediting the wallet; the wallet books one
/// entry per reference, so a repeat by the same user (after a crash between the two) completes the
/// credit instead of doubling it. Everyone else finds the card used.
/// </remarks>
public sealed class GiftCardGrain(
    [PersistentState("gift-card")] IPersistentState<GiftCardState> card,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, IGiftCardGrain
{
    private GiftCardState State => card.State;

    private string Reference => $"gift-card:{this.GetPrimaryKeyString()[..24]}";

    public async Task<bool> IssueAsync(Guid orderId, long amount, string currency)
    {
        if (card.RecordExists)
        {
            return State.OrderId == orderId;
        }

        card.State = new GiftCardState { Status = GiftCardStatus.Active, Amount = amount, Currency = currency, OrderId = orderId };
        await card.WriteStateAsync();
        return true;
    }

    public async Task<GiftCardRedeemResult> RedeemAsync(Guid userId)
    {
        if (!card.RecordExists)
        {
            return new GiftCardRedeemResult(GiftCardRedeemStatus.NotFound, 0, null, null);
        }

        switch (State.Status)
        {
            case GiftCardStatus.Voided:
                return Result(GiftCardRedeemStatus.Voided, null);
            case GiftCardStatus.Redeemed when State.RedeemedBy != userId:
                return Result(GiftCardRedeemStatus.Used, null);
            case GiftCardStatus.Redeemed:
                var again = await CreditAsync(userId);
                return Result(GiftCardRedeemStatus.AlreadyRedeemedByYou, again.Wallet);
        }

        State.Status = GiftCardStatus.Redeemed;
        State.RedeemedBy = userId;
        State.RedeemedAt = clock.GetUtcNow();
        await card.WriteStateAsync();
        var credit = await CreditAsync(userId);
        if (credit.Status is WalletStatus.Ok or WalletStatus.Duplicate)
        {
            return Result(GiftCardRedeemStatus.Redeemed, credit.Wallet);
        }

        // The wallet refused (credit in another currency): the card stays unused.
        State.Status = GiftCardStatus.Active;
        State.RedeemedBy = null;
        State.RedeemedAt = null;
        await card.WriteStateAsync();
        return Result(GiftCardRedeemStatus.CurrencyMismatch, credit.Wallet);
    }

    public async Task<GiftCardStatus?> VoidAsync(Guid orderId)
    {
        if (!card.RecordExists || State.OrderId != orderId)
        {
            return null;
        }

        if (State.Status == GiftCardStatus.Active)
        {
            State.Status = GiftCardStatus.Voided;
            await card.WriteStateAsync();
        }

        return State.Status;
    }

    public Task<GiftCardView?> GetAsync()
        => Task.FromResult(card.RecordExists ? new GiftCardView(State.Status, State.Amount, State.Currency, State.OrderId, State.RedeemedBy, State.RedeemedAt) : null);

    private Task<WalletResult> CreditAsync(Guid userId)
        => GrainFactory.GetGrain<IWalletGrain>(userId).CreditAsync(State.Amount, State.Currency, "Gift card", Reference);

    private GiftCardRedeemResult Result(GiftCardRedeemStatus status, WalletView? wallet) => new(status, State.Amount, State.Currency, wallet);
}
