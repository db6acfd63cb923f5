using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Grains.Shop;

/// <summary>Stored state of <see cref="InvoiceNumberGrain"/>.</summary>
[GenerateSerializer, Alias("ms.state.InvoiceSequence")]
public sealed class InvoiceSequence
{
    [Id(0)]
    public long Last { get; set; }
}

/// <inheritdoc cref="IInvoiceNumberGrain"/>
/// <remarks>The number is stored before it is handed out, so a crash can skip a number but never repeat one.</remarks>
public sealed class InvoiceNumberGrain([PersistentState("invoices")] IPersistentState<InvoiceSequence> sequence) : Grain, IInvoiceNumberGrain
{
    public async Task<long> NextAsync()
    {
        sequence.State.Last++;
        await sequence.WriteStateAsync();
        return sequence.State.Last;
    }
}
