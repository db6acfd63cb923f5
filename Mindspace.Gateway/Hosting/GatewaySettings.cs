using Mindspace.Silo;

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
    int UserRequestsPerMinute,
    bool GatewayOnly)
{
    public const int DefaultPort = 5080;
    public const string GatewayOnlyKey = "GATEWAY_ONLY";

    /// <summary>Whether this gateway hosts a silo in-process or only routes calls to the cluster's silos.</summary>
    public SiloRole SiloRole => GatewayOnly ? SiloRole.ClientOnly : SiloRole.HostsGrains;

    public static GatewaySettings From(IConfiguration configuration)
    {
        return new GatewaySettings(
            Port: ConfigurationValues.ReadInt(configuration, "PORT", DefaultPort, 1, 65535),
            Host: configuration["HOST"] is { Length: > 0 } host ? host : "localhost",
            CorsOrigins: (configuration["CORS_ORIGINS"] ?? string.Empty)
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            MaxRequestBodyBytes: ConfigurationValues.ReadInt(configuration, "MAX_REQUEST_BODY_BYTES", 64 * 1024, 1024, 64 * 1024 * 1024),
            AuthRequestsPerMinute: ConfigurationValues.ReadInt(configuration, "RATE_LIMIT_AUTH_PER_MINUTE", 20, 1, 1_000_000),
            UserRequestsPerMinute: ConfigurationValues.ReadInt(configuration, "RATE_LIMIT_USER_PER_MINUTE", 600, 1, 1_000_000),
            GatewayOnly: ReadGatewayOnly(configuration));
    }

    private static bool ReadGatewayOnly(IConfiguration configuration)
    {
        var raw = configuration[GatewayOnlyKey];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return false;
        }

        if (!bool.TryParse(raw, out var gatewayOnly))
        {
            throw new InvalidOperationException($"{GatewayOnlyKey} must be true or false; it is '{raw}'.");
        }

        if (gatewayOnly && string.IsNullOrWhiteSpace(configuration[SiloSettings.DatabaseUrlKey]))
        {
            throw new InvalidOperationException(
                $"{GatewayOnlyKey}=true needs {SiloSettings.DatabaseUrlKey}: a gateway without grains routes calls to the cluster's silos, which it finds in that database.");
        }

        return gatewayOnly;
    }
}
