namespace Mindspace.Runtime.Messaging;

/// <summary>
/// One grain call as it travels: target, method, arguments in wire format, deadline, and the chain
/// of activations awaiting it (for deadlock detection).
/// </summary>
/// <param name="InterfaceName">Full name of the grain interface that declares the method.</param>
/// <param name="MethodKey">The method's key within that interface (<see cref="MethodDescriptor.Key"/>).</param>
/// <param name="Deadline">UTC time after which nobody waits for the answer any more.</param>
/// <param name="CallChain">Grains that are awaiting this call, outermost first.</param>
public sealed record GrainRequest(
    GrainId Target,
    string InterfaceName,
    string MethodKey,
    byte[] Arguments,
    DateTimeOffset Deadline,
    IReadOnlyList<GrainId> CallChain);

/// <summary>An exception as it travels: enough to recreate it on the caller's side.</summary>
public sealed record ExceptionInfo(string Type, string Message);

/// <summary>
/// The outcome of a grain call: a result in wire format (null for <see cref="Task"/>) or an
/// exception — or <see cref="IsNotOwner"/>: the silo that got the call does not serve the grain's
/// partition, so the call never ran and the caller may send it again to the right silo.
/// </summary>
public sealed record GrainResponse(byte[]? Result, ExceptionInfo? Exception)
{
    public static readonly GrainResponse Completed = new(null, null);

    /// <summary>The answer of a silo that does not serve the target's partition (the call did not run).</summary>
    public static readonly GrainResponse NotOwner = new(null, null) { IsNotOwner = true };

    public bool IsNotOwner { get; private init; }

    public static GrainResponse Failed(Exception exception) => new(null, ExceptionCodec.Encode(exception));
}
