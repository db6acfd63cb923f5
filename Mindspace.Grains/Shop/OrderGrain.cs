using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Grains.Shop;

/// <inheritdoc cref="IOrderGrain"/>
/// <remarks>
/// Every transition writes the order first and then acts on stock (release, commit, restock), so a
/// crash between the two leaves an order whose stock step is repeated by the next call, never a
/// stock change without its order. Refunds are planned here (the amount reserved against what was
/// paid) and carried out by the gateway through the provider, which reports back.
/// </remarks>
public sealed class OrderGrain(
    [PersistentState("order")] IPersistentState<OrderState> order,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, IOrderGrain, IRemindable
{
    private const string PaymentWindowReminder = "payment-window";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private OrderState State => order.State;

    private string Holder => $"order:{this.GetPrimaryKey():D}";

    private bool Exists => order.RecordExists;

    public async Task<OrderCreateResult> CreateAsync(OrderDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (Exists)
        {
            return new OrderCreateResult(OrderCreateStatus.AlreadyExists, View());
        }

        var wanted = draft.Lines.GroupBy(l => l.ProductId).Select(g => (ProductId: g.Key, Quantity: g.Sum(l => l.Quantity))).ToList();
        if (wanted.Count == 0)
        {
            return new OrderCreateResult(OrderCreateStatus.Empty, null);
        }

        var products = (await GrainFactory.GetGrain<ICatalogGrain>(0).GetManyAsync([.. wanted.Select(w => w.ProductId)])).ToDictionary(p => p.Id);
        if (wanted.FirstOrDefault(w => !products.TryGetValue(w.ProductId, out var p) || !p.Active) is { ProductId: var missing } && missing != Guid.Empty)
        {
            return new OrderCreateResult(OrderCreateStatus.NoSuchProduct, null, missing);
        }

        var currency = products[wanted[0].ProductId].Currency;
        if (wanted.FirstOrDefault(w => products[w.ProductId].Currency != currency) is { ProductId: var other } && other != Guid.Empty)
        {
            return new OrderCreateResult(OrderCreateStatus.CurrencyMismatch, null, other);
        }

        var now = clock.GetUtcNow();
        var dueBy = now + ShopRules.PaymentWindow;
        var replaces = draft.CartKey is { } cartKey ? CartKeys.Holder(cartKey) : null;
        var held = new List<Guid>();
        foreach (var (productId, quantity) in wanted)
        {
            var hold = await GrainFactory.GetGrain<IStockGrain>(productId).HoldAsync(new StockHold(Holder, quantity, dueBy, replaces));
            if (!hold.Held)
            {
                await Task.WhenAll(held.Select(id => GrainFactory.GetGrain<IStockGrain>(id).ReleaseAsync(Holder)));
                return new OrderCreateResult(OrderCreateStatus.OutOfStock, null, productId);
            }

            held.Add(productId);
        }

        var lines = wanted.Select(w =>
        {
            var p = products[w.ProductId];
            return new OrderLine(p.Id, p.Name, p.Category, p.Price, w.Quantity, p.Price * w.Quantity, ShopRules.TaxRateBasisPoints(p.Category));
        }).ToList();
        order.State = new OrderState
        {
            OwnerId = draft.OwnerId,
            Status = OrderStatus.Created,
            Lines = lines,
            Currency = currency,
            Total = lines.Sum(l => l.LineTotal),
            PaymentDueBy = dueBy,
            CreatedAt = now,
        };
        Record(OrderStatus.Created, "Order placed. Your items are set aside while you pay.");
        await order.WriteStateAsync();
        await this.RegisterOrUpdateReminder(PaymentWindowReminder, ShopRules.PaymentWindow, ReminderPeriod);
        return new OrderCreateResult(OrderCreateStatus.Created, View());
    }

    public async Task<OrderView?> AttachPaymentAsync(PaymentInfo payment)
    {
        if (!Exists)
        {
            return null;
        }

        if (State.Status == OrderStatus.Created)
        {
            State.Payment = payment;
            Record(OrderStatus.AwaitingPayment, "Waiting for your payment to be confirmed.");
            await order.WriteStateAsync();
        }

        return View();
    }

    public Task<OrderView?> GetAsync() => Task.FromResult(Exists ? View() : null);

    public async Task<OrderChange> CancelAsync(string reason)
    {
        if (!Exists)
        {
            return new OrderChange(OrderChangeStatus.NotFound, null);
        }

        switch (State.Status)
        {
            case OrderStatus.Created or OrderStatus.AwaitingPayment:
                Record(OrderStatus.Cancelled, Note("Order cancelled.", reason));
                await order.WriteStateAsync();
                await ReleaseHoldsAsync();
                return new OrderChange(OrderChangeStatus.Ok, View());

            case OrderStatus.Paid:
                // A gift card that was already redeemed has been spent as store credit: its value is not paid back.
                var spent = await VoidGiftCardsAsync();
                var amount = RefundableAmount() - spent;
                var plan = amount > 0 ? PlanRefund(amount, "Order cancelled", toWallet: State.Payment?.Provider == "wallet") : null;
                Record(OrderStatus.Cancelled, Note(plan is null ? "Order cancelled." : "Order cancelled; the payment is being refunded.", reason));
                var restock = State.StockCommitted;
                State.StockCommitted = false;
                await order.WriteStateAsync();
                if (restock)
                {
                    await RestockAsync();
                }

                await TakeBackBoughtTogetherAsync();
                return new OrderChange(OrderChangeStatus.Ok, View(), plan);

            default:
                return new OrderChange(OrderChangeStatus.NotAllowed, View(), Reason: State.Status switch
                {
                    OrderStatus.Cancelled => "This order is already cancelled.",
                    OrderStatus.Refunded => "This order has been refunded.",
                    _ => "This order is already on its way, so it can no longer be cancelled. A refund is still possible.",
                });
        }
    }

    public async Task<OrderChange> AdvanceAsync(OrderStatus to, TrackingInput? tracking)
    {
        if (!Exists)
        {
            return new OrderChange(OrderChangeStatus.NotFound, null);
        }

        var from = to switch
        {
            OrderStatus.Fulfilled => OrderStatus.Paid,
            OrderStatus.Shipped => OrderStatus.Fulfilled,
            OrderStatus.Delivered => OrderStatus.Shipped,
            _ => (OrderStatus?)null,
        };
        if (from is null || State.Status != from)
        {
            return new OrderChange(OrderChangeStatus.NotAllowed, View(), Reason: $"An order that is {OrderStatuses.Wire(State.Status)} cannot become {OrderStatuses.Wire(to)}.");
        }

        Record(to, to switch
        {
            OrderStatus.Fulfilled => "Your order has been packed.",
            OrderStatus.Shipped => "Your order is on its way.",
            _ => "Your order has been delivered.",
        });
        if (tracking is not null)
        {
            State.Tracking.Add(new TrackingEvent(clock.GetUtcNow(), tracking.Description, tracking.Carrier, tracking.TrackingNumber));
        }

        await order.WriteStateAsync();
        return new OrderChange(OrderChangeStatus.Ok, View());
    }

    public async Task<OrderChange> AddTrackingAsync(TrackingInput tracking)
    {
        if (!Exists)
        {
            return new OrderChange(OrderChangeStatus.NotFound, null);
        }

        if (State.Status is not (OrderStatus.Fulfilled or OrderStatus.Shipped or OrderStatus.Delivered))
        {
            return new OrderChange(OrderChangeStatus.NotAllowed, View(), Reason: "Tracking starts once the order is packed.");
        }

        State.Tracking.Add(new TrackingEvent(clock.GetUtcNow(), tracking.Description, tracking.Carrier, tracking.TrackingNumber));
        State.UpdatedAt = clock.GetUtcNow();
        await order.WriteStateAsync();
        return new OrderChange(OrderChangeStatus.Ok, View());
    }

    public async Task<PaymentEventResult> ApplyPaymentEventAsync(PaymentEvent paymentEvent)
    {
        ArgumentNullException.ThrowIfNull(paymentEvent);
        if (!Exists)
        {
            return new PaymentEventResult(PaymentEventOutcome.NotFound);
        }

        var eventKey = $"{paymentEvent.Provider}:{paymentEvent.EventId}";
        if (State.AppliedEvents.Contains(eventKey))
        {
            return new PaymentEventResult(PaymentEventOutcome.Duplicate);
        }

        if (State.Payment is not { } payment || payment.Provider != paymentEvent.Provider || payment.Reference != paymentEvent.PaymentReference)
        {
            return new PaymentEventResult(PaymentEventOutcome.Ignored);
        }

        State.AppliedEvents.Add(eventKey);
        switch (paymentEvent.Kind)
        {
            case PaymentEventKind.Succeeded:
                return await PaidAsync(paymentEvent);

            case PaymentEventKind.Failed when State.Status == OrderStatus.AwaitingPayment:
                State.History.Add(new OrderHistoryEntry(clock.GetUtcNow(), State.Status, "The payment did not go through. Your items are still set aside, so you can try again."));
                await order.WriteStateAsync();
                return new PaymentEventResult(PaymentEventOutcome.Applied);

            case PaymentEventKind.Refunded when paymentEvent.Amount > State.ProviderRefunded && paymentEvent.Amount <= State.Paid:
                // Cumulative: events arriving out of order can only raise it, never lower it.
                State.ProviderRefunded = paymentEvent.Amount;
                MarkRefundedIfWhole();
                await order.WriteStateAsync();
                if (State.Status == OrderStatus.Refunded)
                {
                    // Refunded at the provider in full: its gift cards can no longer be redeemed, and it no longer counts as bought together.
                    await VoidGiftCardsAsync();
                    await TakeBackBoughtTogetherAsync();
                }

                return new PaymentEventResult(PaymentEventOutcome.Applied);

            default:
                // A failure after success, or a refund total no larger than the one already known: remembered, nothing changes.
                await order.WriteStateAsync();
                return new PaymentEventResult(PaymentEventOutcome.Ignored);
        }
    }

    public async Task<OrderChange> BeginRefundAsync(long amount, string reason, bool toWallet)
    {
        if (!Exists)
        {
            return new OrderChange(OrderChangeStatus.NotFound, null);
        }

        if (State.Paid == 0 || State.Payment is null)
        {
            return new OrderChange(OrderChangeStatus.NotAllowed, View(), Reason: "Nothing has been paid for this order.");
        }

        var spent = 0L;
        if (State.GiftCards.Count > 0 && amount > RefundableAmount() - State.GiftCards.Sum(g => g.Amount))
        {
            // The refund reaches into the gift cards' value: unredeemed codes are voided first, redeemed ones cannot be refunded.
            spent = await VoidGiftCardsAsync();
        }

        if (amount <= 0 || amount > RefundableAmount() - spent)
        {
            return new OrderChange(OrderChangeStatus.TooMuch, View(), Reason: $"At most {Math.Max(0, RefundableAmount() - spent)} can be refunded.");
        }

        var plan = PlanRefund(amount, reason, toWallet || State.Payment.Provider == "wallet");
        State.UpdatedAt = clock.GetUtcNow();
        await order.WriteStateAsync();
        return new OrderChange(OrderChangeStatus.Ok, View(), plan);
    }

    public async Task<OrderChange> CompleteRefundAsync(Guid refundId, bool succeeded, string? providerRefundId)
    {
        if (!Exists)
        {
            return new OrderChange(OrderChangeStatus.NotFound, null);
        }

        var index = State.Refunds.FindIndex(r => r.Id == refundId);
        if (index < 0 || State.Refunds[index].Status != RefundStatus.Pending)
        {
            return new OrderChange(index < 0 ? OrderChangeStatus.NotFound : OrderChangeStatus.Ok, View());
        }

        State.Refunds[index] = State.Refunds[index] with
        {
            Status = succeeded ? RefundStatus.Succeeded : RefundStatus.Failed,
            ProviderRefundId = providerRefundId,
        };
        if (succeeded)
        {
            MarkRefundedIfWhole();
        }

        State.UpdatedAt = clock.GetUtcNow();
        await order.WriteStateAsync();
        if (State.Status == OrderStatus.Refunded)
        {
            await TakeBackBoughtTogetherAsync();
        }

        return new OrderChange(OrderChangeStatus.Ok, View());
    }

    public async Task<bool> ExpireIfDueAsync()
    {
        if (!Exists || State.Status is not (OrderStatus.Created or OrderStatus.AwaitingPayment))
        {
            await StopRemindingAsync();
            return false;
        }

        if (State.PaymentDueBy is { } due && clock.GetUtcNow() < due)
        {
            return false;
        }

        Record(OrderStatus.Cancelled, "No payment arrived in time, so the order was cancelled and the items went back on the shelf. You're welcome to order again whenever you like.");
        await order.WriteStateAsync();
        await ReleaseHoldsAsync();
        await StopRemindingAsync();
        return true;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => ExpireIfDueAsync();

    private async Task<PaymentEventResult> PaidAsync(PaymentEvent paymentEvent)
    {
        if (State.Paid > 0 || State.Status is not (OrderStatus.Created or OrderStatus.AwaitingPayment or OrderStatus.Cancelled))
        {
            await order.WriteStateAsync();
            return new PaymentEventResult(PaymentEventOutcome.Ignored);
        }

        if (paymentEvent.Amount != State.Total || !string.Equals(paymentEvent.Currency, State.Currency, StringComparison.OrdinalIgnoreCase))
        {
            State.History.Add(new OrderHistoryEntry(clock.GetUtcNow(), State.Status, "A payment arrived that does not match this order; we are looking into it."));
            await order.WriteStateAsync();
            return new PaymentEventResult(PaymentEventOutcome.Mismatch);
        }

        State.Paid = paymentEvent.Amount;
        if (State.Status == OrderStatus.Cancelled)
        {
            // The money came after the order was cancelled (the window closed or the buyer changed their mind): it all goes back.
            var late = PlanRefund(State.Paid, "Payment arrived after the order was cancelled", toWallet: false);
            State.History.Add(new OrderHistoryEntry(clock.GetUtcNow(), State.Status, "Your payment arrived after the order was cancelled, so it is being refunded in full."));
            await order.WriteStateAsync();
            return new PaymentEventResult(PaymentEventOutcome.Applied, late);
        }

        var year = clock.GetUtcNow().Year;
        var number = await GrainFactory.GetGrain<IInvoiceNumberGrain>(year).NextAsync();
        State.InvoiceNumber = $"MS-{year}-{number:D6}";
        State.InvoicedAt = clock.GetUtcNow();
        Record(OrderStatus.Paid, "Payment received. Thank you!");
        await order.WriteStateAsync();
        await StopRemindingAsync();

        var committed = new List<OrderLine>();
        foreach (var line in State.Lines)
        {
            if (!await GrainFactory.GetGrain<IStockGrain>(line.ProductId).CommitAsync(Holder, line.Quantity))
            {
                // Sold out while the payment was on its way: put back what was taken and refund everything.
                foreach (var done in committed)
                {
                    await GrainFactory.GetGrain<IStockGrain>(done.ProductId).RestockAsync(done.Quantity);
                }

                var plan = PlanRefund(State.Paid, "Sold out before the payment arrived", toWallet: false);
                Record(OrderStatus.Cancelled, $"We're sorry: \"{line.Name}\" sold out before your payment arrived, so the order was cancelled and refunded in full.");
                await order.WriteStateAsync();
                return new PaymentEventResult(PaymentEventOutcome.Applied, plan);
            }

            committed.Add(line);
        }

        State.StockCommitted = true;
        await IssueGiftCardsAsync();
        await order.WriteStateAsync();
        if (State.GiftCards.Count > 0)
        {
            var now = clock.GetUtcNow();
            await GrainFactory.GetGrain<INotificationInboxGrain>(State.OwnerId).NotifyAsync(new UserNotification(
                Guid.CreateVersion7(now), GiftCardCodes.ReadyNotificationKind, State.GiftCards.Count == 1 ? "Your gift card is ready" : "Your gift cards are ready",
                "You'll find the code on your order. Keep it somewhere safe; whoever has it can redeem it once.", now));
        }

        // After the order is stored, one way: a lost count only makes "bought together" a little less informed.
        await GrainFactory.GetGrain<IRecommendationsGrain>(0).RecordPaidOrderAsync(this.GetPrimaryKey(), [.. State.Lines.Select(l => l.ProductId)]);
        return new PaymentEventResult(PaymentEventOutcome.Applied);
    }

    /// <summary>
    /// Makes a code for every gift-card unit and registers its hash, before the order that shows the
    /// codes is written: a crash between leaves registered codes nobody knows (a new payment attempt
    /// makes new ones), never a shown code that cannot be redeemed.
    /// </summary>
    private async Task IssueGiftCardsAsync()
    {
        if (State.GiftCards.Count > 0)
        {
            return;
        }

        var cards = State.Lines.Where(l => l.Category == GiftCardCodes.Category)
            .SelectMany(l => Enumerable.Range(0, l.Quantity).Select(_ => new OrderGiftCard(GiftCardCodes.New(), l.UnitPrice, State.Currency, l.ProductId)))
            .ToList();
        foreach (var card in cards)
        {
            await GrainFactory.GetGrain<IGiftCardGrain>(GiftCardCodes.Hash(card.Code)!).IssueAsync(this.GetPrimaryKey(), card.Amount, card.Currency);
        }

        State.GiftCards = cards;
    }

    /// <summary>Voids every unredeemed gift card of this order; returns the value of those already redeemed (spent, so not refundable).</summary>
    private async Task<long> VoidGiftCardsAsync()
    {
        var spent = 0L;
        foreach (var card in State.GiftCards)
        {
            if (await GrainFactory.GetGrain<IGiftCardGrain>(GiftCardCodes.Hash(card.Code)!).VoidAsync(this.GetPrimaryKey()) == GiftCardStatus.Redeemed)
            {
                spent += card.Amount;
            }
        }

        return spent;
    }

    /// <summary>One way, after the order is stored: a refunded or cancelled paid order no longer counts as bought together.</summary>
    private Task TakeBackBoughtTogetherAsync()
        => GrainFactory.GetGrain<IRecommendationsGrain>(0).RecordReturnedOrderAsync(this.GetPrimaryKey(), [.. State.Lines.Select(l => l.ProductId)]);

    private long RefundedSoFar()
    {
        var viaProvider = State.Refunds.Where(r => !r.ToWallet && r.Status == RefundStatus.Succeeded).Sum(r => r.Amount);
        var toWallet = State.Refunds.Where(r => r.ToWallet && r.Status == RefundStatus.Succeeded).Sum(r => r.Amount);
        return Math.Max(viaProvider, State.ProviderRefunded) + toWallet;
    }

    private long RefundableAmount()
        => State.Paid - RefundedSoFar() - State.Refunds.Where(r => r.Status == RefundStatus.Pending).Sum(r => r.Amount);

    private RefundPlan PlanRefund(long amount, string reason, bool toWallet)
    {
        var refund = new RefundView(Guid.CreateVersion7(clock.GetUtcNow()), amount, RefundStatus.Pending, toWallet, reason, clock.GetUtcNow(), null);
        State.Refunds.Add(refund);
        return new RefundPlan(refund.Id, amount, State.Currency, toWallet, State.Payment!);
    }

    private void MarkRefundedIfWhole()
    {
        if (State.Paid > 0 && RefundedSoFar() >= State.Paid && State.Status != OrderStatus.Cancelled && State.Status != OrderStatus.Refunded)
        {
            Record(OrderStatus.Refunded, "Your payment has been refunded in full.");
        }
    }

    private async Task ReleaseHoldsAsync()
        => await Task.WhenAll(State.Lines.Select(l => GrainFactory.GetGrain<IStockGrain>(l.ProductId).ReleaseAsync(Holder)));

    private async Task RestockAsync()
    {
        foreach (var line in State.Lines)
        {
            await GrainFactory.GetGrain<IStockGrain>(line.ProductId).RestockAsync(line.Quantity);
        }
    }

    private async Task StopRemindingAsync()
    {
        if (await this.GetReminder(PaymentWindowReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private void Record(OrderStatus status, string note)
    {
        var now = clock.GetUtcNow();
        State.Status = status;
        State.UpdatedAt = now;
        State.History.Add(new OrderHistoryEntry(now, status, note));
    }

    private static string Note(string text, string reason) => string.IsNullOrWhiteSpace(reason) ? text : $"{text} Reason: {reason.Trim()}";

    private OrderView View()
    {
        var s = State;
        var taxLines = s.Lines.GroupBy(l => l.TaxRateBasisPoints).OrderByDescending(g => g.Key).Select(g =>
        {
            var gross = g.Sum(l => l.LineTotal);
            var tax = ShopRules.TaxIncluded(gross, g.Key);
            return new TaxLine(g.Key, gross - tax, tax, gross);
        }).ToList();
        return new OrderView(
            this.GetPrimaryKey(), s.OwnerId, s.Status, [.. s.Lines], s.Currency, s.Total, taxLines, s.Paid, RefundedSoFar(), s.Payment,
            s.InvoiceNumber, s.InvoicedAt, s.Status is OrderStatus.Created or OrderStatus.AwaitingPayment ? s.PaymentDueBy : null,
            [.. s.Refunds], [.. s.Tracking], [.. s.History], s.CreatedAt, s.UpdatedAt, [.. s.GiftCards]);
    }
}
