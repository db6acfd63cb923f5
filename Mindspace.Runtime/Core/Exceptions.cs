namespace Mindspace.Runtime;

/// <summary>
/// The call would wait on itself: its call chain already holds the target activation, which is
/// not reentrant and is busy awaiting this very chain. Thrown at once instead of hanging until the deadline.
/// </summary>
public sealed class DeadlockException(string message) : Exception(message);

/// <summary>
/// A grain threw an exception whose type the caller cannot recreate; the message and the
/// original type name are kept.
/// </summary>
public sealed class GrainCallException(string message, string? originalType = null) : Exception(message)
{
    public string? OriginalType { get; } = originalType;
}
