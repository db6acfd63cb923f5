namespace Mindspace.Gateway.Auth;

/// <summary>What the activity log keeps about where a request came from.</summary>
internal static class ClientInfo
{
    private const int MaxUserAgentLength = 256;

    public static string? IpAddress(this HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    public static string? UserAgent(this HttpContext context)
        => context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent
            ? agent.Length > MaxUserAgentLength ? agent[..MaxUserAgentLength] : agent
            : null;
}
