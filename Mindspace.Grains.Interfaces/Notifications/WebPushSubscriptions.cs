using System.Buffers.Text;

namespace Mindspace.Grains.Interfaces.Notifications;

/// <summary>
/// A browser's Web Push subscription (what <c>PushSubscription.toJSON()</c> gives): where to send and
/// the keys to encrypt for (RFC 8291). The endpoint is a capability: whoever knows it can push, so it is
/// never logged whole.
/// </summary>
/// <param name="P256dh">The browser's P-256 public key, base64url (65 bytes, uncompressed point).</param>
/// <param name="Auth">The browser's authentication secret, base64url (16 bytes).</param>
[GenerateSerializer, Immutable, Alias("ms.notifications.WebPushSubscription")]
public sealed record WebPushSubscription(string Endpoint, string P256dh, string Auth, DateTimeOffset CreatedAt);

/// <summary>What the export shows of a subscription: where, and since when; never its keys.</summary>
[GenerateSerializer, Immutable, Alias("ms.notifications.WebPushSubscriptionExport")]
public sealed record WebPushSubscriptionExport(string Endpoint, DateTimeOffset CreatedAt);

/// <summary>
/// One notification on its way to one browser, kept in the inbox's state until the push service
/// accepts it, refuses it, or the attempts run out: a restart or a deactivation loses none.
/// </summary>
/// <param name="DeliveryId">Names this delivery in the sender's reports; one per notification and subscription.</param>
/// <param name="Sequence">The notification's number in the inbox: the message is built from the stored notification.</param>
/// <param name="Attempts">Attempts started so far.</param>
/// <param name="DueAt">When it is (re)sent: after its back-off, or, while an attempt is out, when that attempt's lease ends.</param>
/// <param name="QueuedAt">When the notification was stored; a delivery older than the message's time to live is dropped.</param>
[GenerateSerializer, Immutable, Alias("ms.notifications.PendingWebPush")]
public sealed record PendingWebPush(Guid DeliveryId, long Sequence, string Endpoint, int Attempts, DateTimeOffset DueAt, DateTimeOffset QueuedAt);

/// <summary>How one Web Push attempt went.</summary>
[GenerateSerializer, Alias("ms.notifications.WebPushOutcome")]
public enum WebPushOutcome
{
    /// <summary>The push service accepted the message (2xx).</summary>
    Delivered,

    /// <summary>404 or 410: the subscription is gone for good.</summary>
    Gone,

    /// <summary>Another 4xx (a rejected VAPID token, a too-large body): sending again would fail the same way.</summary>
    Rejected,

    /// <summary>429, 5xx, a timeout or a network error: worth another attempt after a back-off.</summary>
    Failed,
}

/// <summary>Limits and validation of Web Push subscriptions, shared by the gateway and the inbox grain.</summary>
public static class WebPushRules
{
    /// <summary>Browsers a user can have push turned on in; a new one beyond this replaces the oldest.</summary>
    public const int MaxSubscriptionsPerUser = 10;

    public const int MaxEndpointLength = 2048;

    /// <summary>An uncompressed P-256 point: 0x04, X, Y.</summary>
    public const int P256dhBytes = 65;

    public const int AuthBytes = 16;

    /// <summary>
    /// Adds an error per bad field (<c>endpoint</c>, <c>keys.p256dh</c>, <c>keys.auth</c>). Endpoints
    /// are https; plain http is accepted only for a loopback host and only when
    /// <paramref name="allowLoopbackHttp"/> (development and tests, never Production).
    /// </summary>
    public static void Validate(string? endpoint, string? p256dh, string? auth, bool allowLoopbackHttp, IDictionary<string, List<string>> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            Add(errors, "endpoint", "The endpoint is required: the push service URL from the browser's subscription.");
        }
        else if (endpoint.Length > MaxEndpointLength || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            Add(errors, "endpoint", $"The endpoint must be an absolute https URL of at most {MaxEndpointLength} characters.");
        }
        else if (uri.Scheme != Uri.UriSchemeHttps && !(allowLoopbackHttp && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        {
            Add(errors, "endpoint", "The endpoint must be an https URL.");
        }

        if (DecodedLength(p256dh) != P256dhBytes || Base64Url.DecodeFromChars(p256dh!.TrimEnd('='))[0] != 0x04)
        {
            Add(errors, "keys.p256dh", $"p256dh must be the browser's P-256 public key: base64url of {P256dhBytes} bytes.");
        }

        if (DecodedLength(auth) != AuthBytes)
        {
            Add(errors, "keys.auth", $"auth must be the browser's authentication secret: base64url of {AuthBytes} bytes.");
        }
    }

    /// <summary>The bytes of base64url text (padding tolerated); check <see cref="DecodedLength"/> first.</summary>
    public static byte[] Decode(string text) => Base64Url.DecodeFromChars(text.TrimEnd('='));

    /// <summary>The decoded length of base64url text (padding tolerated), or -1 when it is not base64url.</summary>
    public static int DecodedLength(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 256)
        {
            return -1;
        }

        var trimmed = text.TrimEnd('=');
        return Base64Url.IsValid(trimmed, out var length) ? length : -1;
    }

    private static void Add(IDictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
    }
}
