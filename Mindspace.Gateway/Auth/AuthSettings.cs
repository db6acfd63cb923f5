using System.Security.Cryptography;
using System.Text;
using Mindspace.Grains.Interfaces.Auth;
using Mindspace.Silo;

namespace Mindspace.Gateway.Auth;

/// <summary>
/// How tokens are signed and how long they live, sign-in lockout and configured admins. Read from
/// configuration at start; a bad value stops the process with a message that names it.
/// </summary>
/// <param name="SigningKey">HS256 key: <c>JWT_SECRET</c> (UTF-8, at least 32 bytes), or in embedded
/// non-production mode a random key kept in <c>DATA_DIR/jwt-secret</c>.</param>
/// <param name="AccessTokenLifetime"><c>JWT_EXPIRES_IN</c>: seconds ("900") or "15m", "1h", "30s", "1d"; default 15 minutes.</param>
/// <param name="RefreshTokenLifetime"><c>JWT_REFRESH_EXPIRES_IN</c>: same forms; default 30 days. Each rotation starts a new period.</param>
/// <param name="Lockout"><c>LOGIN_MAX_FAILURES</c> (5), <c>LOGIN_FAILURE_WINDOW</c> (15m), <c>LOGIN_LOCKOUT</c> (15m).</param>
/// <param name="AdminEmails"><c>ADMIN_EMAILS</c>: comma-separated; these accounts get the admin role at registration and sign-in.</param>
public sealed record AuthSettings(
    byte[] SigningKey,
    string Issuer,
    string Audience,
    TimeSpan AccessTokenLifetime,
    TimeSpan RefreshTokenLifetime,
    LoginThrottlePolicy Lockout,
    IReadOnlySet<string> AdminEmails)
{
    public const string SecretKey = "JWT_SECRET";
    public const string ExpiresInKey = "JWT_EXPIRES_IN";
    public const string RefreshExpiresInKey = "JWT_REFRESH_EXPIRES_IN";
    public const string IssuerKey = "JWT_ISSUER";
    public const string AudienceKey = "JWT_AUDIENCE";
    public const string AdminEmailsKey = "ADMIN_EMAILS";
    public const string MaxFailuresKey = "LOGIN_MAX_FAILURES";
    public const string FailureWindowKey = "LOGIN_FAILURE_WINDOW";
    public const string LockoutKey = "LOGIN_LOCKOUT";
    public const string DevSecretFileName = "jwt-secret";
    public const int MinSecretBytes = 32;

    public static AuthSettings From(IConfiguration configuration)
    {
        return new AuthSettings(
            SigningKey: ReadSigningKey(configuration),
            Issuer: configuration[IssuerKey] is { Length: > 0 } issuer ? issuer : "mindspace",
            Audience: configuration[AudienceKey] is { Length: > 0 } audience ? audience : "mindspace-api",
            AccessTokenLifetime: ConfigurationValues.ReadDuration(configuration, ExpiresInKey, TimeSpan.FromMinutes(15)),
            RefreshTokenLifetime: ConfigurationValues.ReadDuration(configuration, RefreshExpiresInKey, TimeSpan.FromDays(30)),
            Lockout: new LoginThrottlePolicy(
                ConfigurationValues.ReadInt(configuration, MaxFailuresKey, LoginThrottlePolicy.Default.MaxFailures, 1, 1000),
                ConfigurationValues.ReadDuration(configuration, FailureWindowKey, LoginThrottlePolicy.Default.Window),
                ConfigurationValues.ReadDuration(configuration, LockoutKey, LoginThrottlePolicy.Default.LockoutDuration)),
            AdminEmails: (configuration[AdminEmailsKey] ?? string.Empty)
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(EmailKeys.Normalize)
                .ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Whether <paramref name="email"/> is listed in <c>ADMIN_EMAILS</c>.</summary>
    public bool IsConfiguredAdmin(string email) => AdminEmails.Contains(EmailKeys.Normalize(email));

    private static byte[] ReadSigningKey(IConfiguration configuration)
    {
        if (configuration[SecretKey] is { Length: > 0 } secret)
        {
            var bytes = Encoding.UTF8.GetBytes(secret);
            return bytes.Length >= MinSecretBytes
                ? bytes
                : throw new InvalidOperationException($"{SecretKey} must be at least {MinSecretBytes} bytes long; it is {bytes.Length}.");
        }

        if (IsExplicitlyProduction(configuration))
        {
            throw new InvalidOperationException(
                $"{SecretKey} is required in Production: set it to a random secret of at least {MinSecretBytes} bytes (for example: openssl rand -base64 48).");
        }

        return LoadOrCreateDevSecret(SiloSettings.From(configuration).DataDirectory);
    }

    /// <summary>
    /// Production means the environment was named Production (ASPNETCORE_ENVIRONMENT,
    /// DOTNET_ENVIRONMENT or --environment). A plain <c>dotnet run</c> names none (ASP.NET Core
    /// would then assume Production) and must still start, with a dev secret.
    /// </summary>
    private static bool IsExplicitlyProduction(IConfiguration configuration)
        => new[] { configuration["environment"], configuration["ASPNETCORE_ENVIRONMENT"], configuration["DOTNET_ENVIRONMENT"] }
            .Any(name => string.Equals(name?.Trim(), "Production", StringComparison.OrdinalIgnoreCase));

    /// <summary>A random key kept beside the embedded data, so tokens survive restarts.</summary>
    private static byte[] LoadOrCreateDevSecret(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, DevSecretFileName);
        if (File.Exists(path))
        {
            return ParseDevSecret(path);
        }

        OwnerOnlyFiles.CreateDirectory(dataDirectory);
        var temporary = path + "." + Guid.NewGuid().ToString("N");
        using (var writer = new StreamWriter(temporary, Encoding.ASCII, OwnerOnlyFiles.NewFile()))
        {
            writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)));
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            File.Delete(temporary);
        }

        return ParseDevSecret(path);
    }

    private static byte[] ParseDevSecret(string path)
    {
        var text = File.ReadAllText(path).Trim();
        try
        {
            var key = Convert.FromBase64String(text);
            if (key.Length >= MinSecretBytes)
            {
                return key;
            }
        }
        catch (FormatException)
        {
        }

        throw new InvalidOperationException($"The dev signing key in {path} is damaged; delete the file to make a new one (signed-in users will need to sign in again), or set {SecretKey}.");
    }
}
