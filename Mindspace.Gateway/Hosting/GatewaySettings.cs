using System.Globalization;

namespace Mindspace.Gateway.Hosting;

/// <summary>
/// The gateway's settings, read from configuration (environment variables first) and validated at
/// start: a bad value stops the process with a message that names it.
/// </summary>
public sealed record GatewaySettings(
    int Port,
    string Host,
    IReadOnlyList<string> CorsOrigins,
    long MaxRequestBodyBytes,
    int AuthRequestsPerMinute,
    int UserRequestsPerMinute)
{
    public const int DefaultPort = 5080;

    public static GatewaySettings From(IConfiguration configuration)
    {
        return new GatewaySettings(
            Port: ReadInt(configuration, "PORT", DefaultPort, 1, 65535),
            Host: configuration["HOST"] is { Length: > 0 } host ? host : "localhost",
            CorsOrigins: (configuration["CORS_ORIGINS"] ?? string.Empty)
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            MaxRequestBodyBytes: ReadInt(configuration, "MAX_REQUEST_BODY_BYTES", 64 * 1024, 1024, 64 * 1024 * 1024),
            AuthRequestsPerMinute: ReadInt(configuration, "RATE_LIMIT_AUTH_PER_MINUTE", 20, 1, 1_000_000),
            UserRequestsPerMinute: ReadInt(configuration, "RATE_LIMIT_USER_PER_MINUTE", 600, 1, 1_000_000));
    }

    private static int ReadInt(IConfiguration configuration, string key, int defaultValue, int min, int max)
    {
        var raw = configuration[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return defaultValue;
        }

        return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidOperationException($"{key} must be a whole number from {min} to {max}; it is '{raw}'.");
    }
}
