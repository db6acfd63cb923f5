namespace Mindspace.Runtime.Messaging;

/// <summary>
/// What flows with the async control of a grain turn: which activation is running and the call
/// chain that led to it. Calls made during the turn extend the chain.
/// </summary>
internal sealed record RuntimeContext(GrainId Activation, IReadOnlyList<GrainId> CallChain)
{
    private static readonly AsyncLocal<RuntimeContext?> CurrentContext = new();

    public static RuntimeContext? Current
    {
        get => CurrentContext.Value;
        set => CurrentContext.Value = value;
    }

    /// <summary>The chain an outgoing call from this turn carries: the incoming chain plus this activation.</summary>
    public static IReadOnlyList<GrainId> OutgoingCallChain()
        => Current is { } context ? [.. context.CallChain, context.Activation] : [];
}
