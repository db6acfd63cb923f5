namespace Mindspace.Runtime.Cluster;

/// <summary>The silo that should answer a call could not be reached or went away.</summary>
public abstract class SiloUnavailableException : Exception
{
    protected SiloUnavailableException(string message)
        : base(message)
    {
    }

    protected SiloUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The call never ran anywhere: no connection could be opened, the connection closed before the
/// request was written, or no silo served the grain's partition before the call's deadline.
/// Sending it again is safe.
/// </summary>
public sealed class CallNotSentException : SiloUnavailableException
{
    public CallNotSentException(string message)
        : base(message)
    {
    }

    public CallNotSentException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The connection closed after the request was sent and before its answer came: the call may or
/// may not have run, so it is never retried blindly.
/// </summary>
public sealed class SiloConnectionLostException : SiloUnavailableException
{
    public SiloConnectionLostException(string message)
        : base(message)
    {
    }

    public SiloConnectionLostException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
