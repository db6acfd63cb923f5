namespace Mindspace.Grains.Notifications;

/// <summary>A VAPID key pair (RFC 8292), base64url: the public key an uncompressed P-256 point, the private key its 32-byte scalar.</summary>
/// <param name="Subject">A <c>mailto:</c> or <c>https:</c> contact the push services can reach.</param>
public sealed record VapidKeys(string PublicKey, string PrivateKey, string Subject)
{
    /// <summary>Never prints the private key.</summary>
    public override string ToString() => $"VapidKeys {{ PublicKey = {PublicKey}, Subject = {Subject} }}";
}

/// <summary>Whether this process sends Web Push, with which keys, and which endpoints it accepts.</summary>
/// <param name="Keys">Null: Web Push is off (<paramref name="DisabledReason"/> says why).</param>
/// <param name="AllowLoopbackHttp">Accept <c>http://</c> endpoints on a loopback host (development and tests; never Production).</param>
public sealed record WebPushConfiguration(VapidKeys? Keys, string? DisabledReason, bool AllowLoopbackHttp)
{
    public bool Enabled => Keys is not null;
}

/// <summary>What a service worker receives in a push event (JSON, camelCase).</summary>
/// <param name="Url">Where a click on the notification leads in the app.</param>
public sealed record WebPushPayload(Guid Id, long Sequence, string Kind, string Category, string Title, string Body, string Url, int Count, DateTimeOffset CreatedAt);
