using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Mindspace.Grains.Notifications;

namespace Mindspace.Silo.Notifications;

/// <summary>
/// Web Push's VAPID keys: <c>VAPID_PUBLIC_KEY</c> and <c>VAPID_PRIVATE_KEY</c> (base64url, P-256; for
/// example from <c>npx web-push generate-vapid-keys</c>) and <c>VAPID_SUBJECT</c> (<c>mailto:</c> or
/// <c>https:</c>, required with them). Without them an embedded process outside Production keeps a
/// generated pair in <c>DATA_DIR/vapid-keys.json</c> (owner-only, made once, like the journal's dev master
/// key); a cluster member or a Production process turns Web Push off and logs why at start (push is
/// an extra way to reach someone; the inbox and the hub still work). Keys that are set but wrong stop the process.
/// </summary>
public static class WebPushSettings
{
    public const string PublicKeyKey = "VAPID_PUBLIC_KEY";
    public const string PrivateKeyKey = "VAPID_PRIVATE_KEY";
    public const string SubjectKey = "VAPID_SUBJECT";
    public const string DevKeyFileName = "vapid-keys.json";

    /// <summary>The contact of generated development keys.</summary>
    public const string DevSubject = "mailto:push@localhost";

    /// <summary>The configuration and, in a silo, the sender (a hosted service). Safe to call twice.</summary>
    public static IServiceCollection AddMindspaceWebPush(this IServiceCollection services, SiloSettings settings, bool hostsGrains)
    {
        services.TryAddSingleton(sp => Load(sp.GetRequiredService<IConfiguration>(), settings));
        if (hostsGrains && !services.Any(d => d.ServiceType == typeof(IWebPushSender)))
        {
            services.AddSingleton<WebPushSender>();
            services.AddSingleton<IWebPushSender>(sp => sp.GetRequiredService<WebPushSender>());
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<WebPushSender>());
        }

        return services;
    }

    public static WebPushConfiguration Load(IConfiguration configuration, SiloSettings settings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        var production = IsExplicitlyProduction(configuration);
        var publicKey = configuration[PublicKeyKey]?.Trim();
        var privateKey = configuration[PrivateKeyKey]?.Trim();
        var subject = configuration[SubjectKey]?.Trim();
        if (!string.IsNullOrEmpty(publicKey) || !string.IsNullOrEmpty(privateKey))
        {
            if (string.IsNullOrEmpty(publicKey) || string.IsNullOrEmpty(privateKey))
            {
                throw new InvalidOperationException($"Set both {PublicKeyKey} and {PrivateKeyKey} (a VAPID key pair), or neither.");
            }

            if (string.IsNullOrEmpty(subject) || !(subject.StartsWith("mailto:", StringComparison.Ordinal) || subject.StartsWith("https://", StringComparison.Ordinal)))
            {
                throw new InvalidOperationException($"{SubjectKey} must be a mailto: or https: contact for the push services (for example mailto:ops@example.org).");
            }

            return new WebPushConfiguration(Checked(publicKey, privateKey, subject, "the VAPID keys in configuration"), null, !production);
        }

        if (production)
        {
            return new WebPushConfiguration(null, $"{PublicKeyKey}, {PrivateKeyKey} and {SubjectKey} are not set (Production)", false);
        }

        if (!settings.IsEmbedded)
        {
            // Each member generating its own pair would sign with keys the browsers never subscribed with.
            return new WebPushConfiguration(null, $"{PublicKeyKey}, {PrivateKeyKey} and {SubjectKey} are not set, and cluster members must share one pair", true);
        }

        return new WebPushConfiguration(LoadOrCreateDevKeys(settings.DataDirectory, subject), null, true);
    }

    /// <summary>A new VAPID key pair, base64url (public: uncompressed point; private: scalar).</summary>
    public static (string PublicKey, string PrivateKey) NewKeyPair()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        return (Base64Url.EncodeToString([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]), Base64Url.EncodeToString(parameters.D));
    }

    private static VapidKeys Checked(string publicKey, string privateKey, string subject, string where)
    {
        try
        {
            var q = Base64Url.DecodeFromChars(publicKey.TrimEnd('='));
            var d = Base64Url.DecodeFromChars(privateKey.TrimEnd('='));
            if (q.Length == 65 && q[0] == 0x04 && d.Length == 32)
            {
                // Importing checks that the point is on the curve and belongs to the scalar (OpenSSL's key check).
                using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = q[1..33], Y = q[33..] }, D = d });
                return new VapidKeys(publicKey, privateKey, subject);
            }
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
        }

        throw new InvalidOperationException($"{where} are not a P-256 key pair: the public key must be base64url of 65 bytes (uncompressed point) and the private key base64url of 32 bytes that belong to it.");
    }

    private static VapidKeys LoadOrCreateDevKeys(string dataDirectory, string? subject)
    {
        var path = Path.Combine(dataDirectory, DevKeyFileName);
        if (!File.Exists(path))
        {
            OwnerOnlyFiles.CreateDirectory(dataDirectory);
            var (publicKey, privateKey) = NewKeyPair();
            var temporary = path + "." + Guid.NewGuid().ToString("N");
            using (var writer = new StreamWriter(temporary, Encoding.UTF8, OwnerOnlyFiles.NewFile()))
            {
                writer.Write(JsonSerializer.Serialize(new DevKeyFile(publicKey, privateKey)));
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first: use theirs.
                File.Delete(temporary);
            }
        }

        try
        {
            var file = JsonSerializer.Deserialize<DevKeyFile>(File.ReadAllText(path)) ?? throw new JsonException();
            return Checked(file.PublicKey, file.PrivateKey, string.IsNullOrEmpty(subject) ? DevSubject : subject, path);
        }
        catch (JsonException)
        {
            throw new InvalidOperationException($"The VAPID keys in {path} are damaged. Delete the file to make new ones (browsers then subscribe again), or set {PublicKeyKey}, {PrivateKeyKey} and {SubjectKey}.");
        }
    }

    private static bool IsExplicitlyProduction(IConfiguration configuration)
        => new[] { configuration["environment"], configuration["ASPNETCORE_ENVIRONMENT"], configuration["DOTNET_ENVIRONMENT"] }
            .Any(name => string.Equals(name?.Trim(), "Production", StringComparison.OrdinalIgnoreCase));

    private sealed record DevKeyFile(string PublicKey, string PrivateKey);
}
