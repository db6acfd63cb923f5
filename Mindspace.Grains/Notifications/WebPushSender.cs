using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Grains.Interfaces.Notifications;

namespace Mindspace.Grains.Notifications;

/// <summary>One attempt to send one notification to one browser.</summary>
/// <param name="DeliveryId">The inbox's <see cref="PendingWebPush.DeliveryId"/>; the outcome is reported against it.</param>
/// <param name="Attempt">Which attempt this is (1 for the first); reports for another attempt are ignored by the inbox.</param>
/// <param name="Payload">The JSON the service worker receives (title, body, url…), encrypted per subscription.</param>
/// <param name="Topic">Lets a push service replace an undelivered earlier message with the same topic (a batch, or this very notification sent twice).</param>
public sealed record WebPushDelivery(Guid UserId, Guid DeliveryId, int Attempt, WebPushSubscription Subscription, string Payload, string? Topic, bool Urgent);

/// <summary>Sends Web Push attempts outside the grain turn that asked for them, and reports each outcome to the user's inbox.</summary>
public interface IWebPushSender
{
    bool Enabled { get; }

    /// <summary>
    /// Never blocks and never throws. A delivery this process is already sending is not sent twice.
    /// </summary>
    /// <returns>False when the queue is full: the inbox sends it again when the attempt's lease ends.</returns>
    bool TryEnqueue(WebPushDelivery delivery);
}

/// <summary>
/// Sends Web Push attempts with <c>Lib.Net.Http.WebPush</c> (VAPID, RFC 8291 aes128gcm), one HTTP
/// request each, and reports the outcome to the user's inbox (<see cref="INotificationInboxGrain.CompletePushAsync"/>),
/// which keeps every pending delivery in its state and decides what comes next: removing a gone
/// subscription (404, 410), sending a failure (429, 5xx, network) again after its back-off, giving up
/// after the last attempt. This queue holds only attempts being sent: if the process stops, the inbox
/// sends them again once their lease ends. Logs carry the user id and the endpoint's host only.
/// </summary>
public sealed partial class WebPushSender(WebPushConfiguration configuration, IGrainFactory grains, ILogger<WebPushSender> logger) : BackgroundService, IWebPushSender
{
    public const int QueueCapacity = 10_000;
    private const int Concurrency = 8;

    private readonly Channel<WebPushDelivery> _queue = Channel.CreateBounded<WebPushDelivery>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly ConcurrentDictionary<Guid, byte> _inFlight = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private PushServiceClient? _client;

    public bool Enabled => configuration.Enabled;

    public bool TryEnqueue(WebPushDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (!Enabled)
        {
            return false;
        }

        if (!_inFlight.TryAdd(delivery.DeliveryId, 0))
        {
            // Still being sent here (the inbox reactivated, or the lease ended while the push service was slow).
            return true;
        }

        if (_queue.Writer.TryWrite(delivery))
        {
            return true;
        }

        _inFlight.TryRemove(delivery.DeliveryId, out _);
        LogQueueFull(delivery.UserId, QueueCapacity);
        return false;
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration.Keys is not { } keys)
        {
            LogDisabled(configuration.DisabledReason ?? "no VAPID keys");
            return;
        }

        _client = new PushServiceClient(_http)
        {
            DefaultAuthentication = new VapidAuthentication(keys.PublicKey, keys.PrivateKey) { Subject = keys.Subject },
            DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid,
            DefaultTimeToLive = (int)WebPushRetries.TimeToLive.TotalSeconds,
        };

        using var slots = new SemaphoreSlim(Concurrency);
        var running = new List<Task>();
        try
        {
            await foreach (var delivery in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(
                    async () =>
                    {
                        try
                        {
                            await DeliverAsync(delivery, stoppingToken);
                        }
                        finally
                        {
                            _inFlight.TryRemove(delivery.DeliveryId, out _);
                            slots.Release();
                        }
                    },
                    CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running);
        if (_queue.Reader.Count > 0)
        {
            LogUnsentAtStop(_queue.Reader.Count);
        }
    }

    private async Task DeliverAsync(WebPushDelivery delivery, CancellationToken stoppingToken)
    {
        if (await SendAsync(delivery, stoppingToken) is not { } outcome)
        {
            return;
        }

        try
        {
            await grains.GetGrain<INotificationInboxGrain>(delivery.UserId).CompletePushAsync(delivery.DeliveryId, delivery.Attempt, outcome);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The inbox still holds the delivery: it is sent again when the attempt's lease ends.
            LogReportFailed(delivery.UserId, e.GetType().Name);
        }
    }

    /// <returns>The outcome, or null when the process is stopping (the inbox sends it again after the lease).</returns>
    private async Task<WebPushOutcome?> SendAsync(WebPushDelivery delivery, CancellationToken stoppingToken)
    {
        var subscription = delivery.Subscription;
        var target = new PushSubscription { Endpoint = subscription.Endpoint };
        target.SetKey(PushEncryptionKeyName.P256DH, subscription.P256dh);
        target.SetKey(PushEncryptionKeyName.Auth, subscription.Auth);
        var host = HostOf(subscription.Endpoint);
        string failure;
        try
        {
            var message = new PushMessage(delivery.Payload)
            {
                Topic = delivery.Topic,
                Urgency = delivery.Urgent ? PushMessageUrgency.High : PushMessageUrgency.Normal,
            };
            await _client!.RequestPushMessageDeliveryAsync(target, message, stoppingToken);
            return WebPushOutcome.Delivered;
        }
        catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            // The browser unsubscribed or the subscription expired: it will never work again.
            LogExpired(delivery.UserId, host, (int)e.StatusCode);
            return WebPushOutcome.Gone;
        }
        catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError)
        {
            failure = $"HTTP {(int)e.StatusCode}";
        }
        catch (PushServiceClientException e)
        {
            // 400, 401/403 (VAPID rejected), 413: sending again would fail the same way.
            LogRejected(delivery.UserId, host, (int)e.StatusCode);
            return WebPushOutcome.Rejected;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogUnsentAtStop(1);
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            failure = e.GetType().Name;
        }

        if (delivery.Attempt >= WebPushRetries.MaxAttempts)
        {
            LogGaveUp(delivery.UserId, host, delivery.Attempt, failure);
        }

        return WebPushOutcome.Failed;
    }

    /// <summary>A Topic header value (at most 32 URL-safe characters) for a batch key.</summary>
    public static string TopicOf(string batchKey)
        => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(batchKey))).Replace('+', '-').Replace('/', '_')[..32];

    private static string HostOf(string endpoint) => Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri.Host : "?";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web Push is disabled: {Reason}. Notifications set to push arrive in the app only.")]
    private partial void LogDisabled(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Web Push subscription of user {UserId} at {Host} is gone ({Status}): removed.")]
    private partial void LogExpired(Guid userId, string host, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web Push to user {UserId} at {Host} was refused with HTTP {Status}; not retried.")]
    private partial void LogRejected(Guid userId, string host, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web Push to user {UserId} at {Host} failed {Attempts} times (last: {Failure}); giving up. The notification stays in the inbox.")]
    private partial void LogGaveUp(Guid userId, string host, int attempts, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web Push queue is full ({Capacity}): a push to user {UserId} waits for its lease to end and is sent again then.")]
    private partial void LogQueueFull(Guid userId, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} Web Push attempt(s) not finished because the process is stopping; the inboxes send them again when their leases end.")]
    private partial void LogUnsentAtStop(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outcome of a Web Push to user {UserId} could not be reported to the inbox ({Error}); it is sent again when its lease ends.")]
    private partial void LogReportFailed(Guid userId, string error);
}
