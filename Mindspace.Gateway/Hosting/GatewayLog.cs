namespace Mindspace.Gateway.Hosting;

/// <summary>Log messages of the gateway host, with stable event ids. Never log bodies, tokens or journal text.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(2001, LogLevel.Error, "Unhandled exception for {Method} {Path}")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string method, PathString path);

    [LoggerMessage(2002, LogLevel.Warning, "Answered 503 to {Method} {Path}: {Reason}")]
    public static partial void Unavailable(ILogger logger, string reason, string method, PathString path);
}
