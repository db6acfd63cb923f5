using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mindspace.Gateway.Tests.Notifications;

/// <summary>
/// A push service on loopback for tests: each browser it stands for has its own P-256 key and auth
/// secret, and everything it receives is decrypted (RFC 8291, aes128gcm per RFC 8188) with that
/// browser's private key, and its VAPID token (RFC 8292) checked, exactly as a browser would.
/// </summary>
public sealed class LocalPushService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, PushBrowser> _browsers = new(StringComparer.Ordinal);

    private LocalPushService(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<LocalPushService> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        LocalPushService? service = null;
        app.MapPost("/push/{id}", async (string id, HttpRequest request) =>
        {
            if (!service!._browsers.TryGetValue(id, out var browser))
            {
                return Results.StatusCode(StatusCodes.Status404NotFound);
            }

            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            await browser.Received.Writer.WriteAsync(new ReceivedPush(
                request.Headers.Authorization.ToString(), request.Headers.ContentEncoding.ToString(), request.Headers["TTL"].ToString(), request.Headers["Topic"].ToString(), body.ToArray()));
            return Results.StatusCode(browser.Answer);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        service = new LocalPushService(app, new Uri(address));
        return service;
    }

    /// <summary>A new browser with its own keys, subscribed at <c>/push/{id}</c>.</summary>
    public PushBrowser NewBrowser()
    {
        var browser = new PushBrowser(new Uri(BaseAddress, "/push/" + Guid.NewGuid().ToString("N")).ToString());
        _browsers[browser.Endpoint[(browser.Endpoint.LastIndexOf('/') + 1)..]] = browser;
        return browser;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedPush(string Authorization, string ContentEncoding, string Ttl, string Topic, byte[] Body);

/// <summary>One subscribed browser: its keys, what it answers, what it received.</summary>
public sealed class PushBrowser(string endpoint) : IDisposable
{
    private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public string Endpoint { get; } = endpoint;

    public byte[] AuthSecret { get; } = RandomNumberGenerator.GetBytes(16);

    /// <summary>The status the push service answers (201 created; 410 when the subscription is gone).</summary>
    public int Answer { get; set; } = StatusCodes.Status201Created;

    public Channel<ReceivedPush> Received { get; } = Channel.CreateUnbounded<ReceivedPush>();

    public byte[] PublicKey
    {
        get
        {
            var q = _key.ExportParameters(false).Q;
            return [0x04, .. q.X!, .. q.Y!];
        }
    }

    /// <summary>The body of <c>POST /api/v1/notifications/push/subscriptions</c>, as <c>PushSubscription.toJSON()</c> gives it.</summary>
    public object SubscriptionJson => new { endpoint = Endpoint, expirationTime = (long?)null, keys = new { p256dh = Base64Url.EncodeToString(PublicKey), auth = Base64Url.EncodeToString(AuthSecret) } };

    public async Task<ReceivedPush> NextAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        return await Received.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Decrypts an aes128gcm body sent to this browser (RFC 8291 §3.4, RFC 8188 §2) and parses the JSON.</summary>
    public JsonElement Decrypt(byte[] body)
    {
        var salt = body[..16];
        var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        int keyIdLength = body[20];
        var senderPublic = body[21..(21 + keyIdLength)];
        var ciphertext = body[(21 + keyIdLength)..];
        Assert.Equal(65, keyIdLength);
        Assert.True(ciphertext.Length <= recordSize, "one record");

        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = senderPublic[1..33], Y = senderPublic[33..] },
        });
        var ecdhSecret = _key.DeriveRawSecretAgreement(sender.PublicKey);
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. PublicKey, .. senderPublic];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ecdhSecret, 32, AuthSecret, keyInfo);
        var cek = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, "Content-Encoding: aes128gcm\0"u8.ToArray());
        var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, "Content-Encoding: nonce\0"u8.ToArray());

        var plaintext = new byte[ciphertext.Length - 16];
        using (var aes = new AesGcm(cek, 16))
        {
            aes.Decrypt(nonce, ciphertext.AsSpan(0, plaintext.Length), ciphertext.AsSpan(plaintext.Length), plaintext);
        }

        // The last record's padding: a 0x02 delimiter, then zeros.
        var end = plaintext.Length - 1;
        while (plaintext[end] == 0)
        {
            end--;
        }

        Assert.Equal(2, plaintext[end]);
        return JsonDocument.Parse(plaintext.AsMemory(0, end)).RootElement.Clone();
    }

    /// <summary>Checks the VAPID header (RFC 8292): ES256 over the token by key <paramref name="vapidPublicKey"/>, audience this push service, not expired.</summary>
    public void AssertVapid(string authorization, string vapidPublicKey, DateTimeOffset now)
    {
        Assert.StartsWith("vapid ", authorization, StringComparison.Ordinal);
        var parameters = authorization["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        Assert.Equal(vapidPublicKey, parameters["k"]);

        var parts = parameters["t"].Split('.');
        Assert.Equal(3, parts.Length);
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
        var endpoint = new Uri(Endpoint);
        // The library's audience leaves out the port: the origin itself for real push services, which are on 443.
        Assert.Equal($"{endpoint.Scheme}://{endpoint.Host}", claims.GetProperty("aud").GetString());
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64());
        Assert.True(expires > now && expires <= now.AddHours(24).AddMinutes(5), $"exp {expires:O} within 24 hours of {now:O}");
        Assert.StartsWith("mailto:", claims.GetProperty("sub").GetString(), StringComparison.Ordinal);

        var q = Base64Url.DecodeFromChars(vapidPublicKey);
        using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = q[1..33], Y = q[33..] } });
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256), "the VAPID token is signed by the server's key");
    }

    public void Dispose() => _key.Dispose();
}
