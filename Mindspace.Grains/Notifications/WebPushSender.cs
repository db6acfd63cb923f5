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

/// <summary>One notification to send to one user's subscribed browsers.</summary>
/// <param name="Payload">The JSON the service worker receives (title, body, url…), encrypted per subscription.</param>
/// <param name="Topic">Lets a push service replace an undelivered earlier message with the same topic (a batch).</param>
public sealed record WebPushJob(Guid UserId, IReadOnlyList<WebPushSubscription> Subscriptions, string Payload, string? Topic, bool Urgent);

/// <summary>Queues Web Push messages; sending happens outside the grain turn that queued them.</summary>
public interface IWebPushSender
{
    bool Enabled { get; }

    /// <summary>Never blocks and never throws: a full queue is logged, not waited on.</summary>
    void Enqueue(WebPushJob job);
}

/// <summary>
/// Sends queued Web Push messages with <c>Lib.Net.Http.WebPush</c> (VAPID, RFC 8291 aes128gcm). A
/// subscription the push service says is gone (404, 410) is removed from the user's inbox; 429, 5xx
/// and network failures are retried with backoff; whatever still fails is logged (user id and the
/// endpoint's host only), never dropped silently. The queue is in memory: messages queued when a
/// process stops are not sent (the notification itself is already in the inbox).
/// </summary>
public sealed partial class WebPushSender(WebPushConfiguration configuration, IGrainFactory grains, ILogger<WebPushSender> logger) : BackgroundService, IWebPushSender
{
    public const int QueueCapacity = 10_000;
    private const int Concurrency = 8;

    /// <summary>Waits before the 2nd, 3rd and 4th attempt.</summary>
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    private static readonly TimeSpan TimeToLive = TimeSpan.FromDays(1);

    private readonly Channel<WebPushJob> _queue = Channel.CreateBounded<WebPushJob>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private PushServiceClient? _client;

    public bool Enabled => configuration.Enabled;

    public void Enqueue(WebPushJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!Enabled || job.Subscriptions.Count == 0)
        {
            return;
        }

        if (!_queue.Writer.TryWrite(job))
        {
            LogQueueFull(job.UserId, QueueCapacity);
        }
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
            DefaultTimeToLive = (int)TimeToLive.TotalSeconds,
        };

        using var slots = new SemaphoreSlim(Concurrency);
        var running = new List<Task>();
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                foreach (var subscription in job.Subscriptions)
                {
                    await slots.WaitAsync(stoppingToken);
                    running.RemoveAll(t => t.IsCompleted);
                    running.Add(Task.Run(
                        async () =>
                        {
                            try
                            {
                                await DeliverAsync(job, subscription, stoppingToken);
                            }
                            finally
                            {
                                slots.Release();
                            }
                        },
                        CancellationToken.None));
                }
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

    private async Task DeliverAsync(WebPushJob job, WebPushSubscription subscription, CancellationToken stoppingToken)
    {
        var target = new PushSubscription { Endpoint = subscription.Endpoint };
        target.SetKey(PushEncryptionKeyName.P256DH, subscription.P256dh);
        target.SetKey(PushEncryptionKeyName.Auth, subscription.Auth);
        var host = HostOf(subscription.Endpoint);
        for (var attempt = 0; ; attempt++)
        {
            string failure;
            try
            {
                var message = new PushMessage(job.Payload)
                {
                    Topic = job.Topic,
                    Urgency = job.Urgent ? PushMessageUrgency.High : PushMessageUrgency.Normal,
                };
                await _client!.RequestPushMessageDeliveryAsync(target, message, stoppingToken);
                return;
            }
            catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                // The browser unsubscribed or the subscription expired: it will never work again.
                LogExpired(job.UserId, host, (int)e.StatusCode);
                await grains.GetGrain<INotificationInboxGrain>(job.UserId).RemovePushSubscriptionAsync(subscription.Endpoint);
                return;
            }
            catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError)
            {
                failure = $"HTTP {(int)e.StatusCode}";
            }
            catch (PushServiceClientException e)
            {
                // 400, 401/403 (VAPID rejected), 413: sending again would fail the same way.
                LogRejected(job.UserId, host, (int)e.StatusCode);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                LogUnsentAtStop(1);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                failure = e.GetType().Name;
            }

            if (attempt >= Backoff.Length)
            {
                LogGaveUp(job.UserId, host, attempt + 1, failure);
                return;
            }

            try
            {
                await Task.Delay(Backoff[attempt], stoppingToken);
            }
            catch (OperationCanceledException)
            {
                LogUnsentAtStop(1);
                return;
            }
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web Push queue is full ({Capacity}): a push to user {UserId} was not sent. The notification stays in the inbox.")]
    private partial void LogQueueFull(Guid userId, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} Web Push message(s) not sent because the process is stopping. The notifications stay in the inboxes.")]
    private partial void LogUnsentAtStop(int count);
}
