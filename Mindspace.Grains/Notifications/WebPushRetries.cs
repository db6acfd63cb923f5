namespace Mindspace.Grains.Notifications;

/// <summary>When a Web Push delivery is sent again, and when the inbox stops waiting for one.</summary>
public static class WebPushRetries
{
    /// <summary>Waits before the 2nd, 3rd and 4th attempt, counted from the failure the sender reported.</summary>
    public static readonly IReadOnlyList<TimeSpan> Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    /// <summary>The first attempt and one after each back-off.</summary>
    public static int MaxAttempts => Backoff.Count + 1;

    /// <summary>
    /// How long an attempt may be out before the inbox sends it again without a report (the silo
    /// sending it stopped, or its queue was full): well past the sender's HTTP timeout.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(90);

    /// <summary>What the push service is asked to keep an undelivered message; a delivery older than this is dropped.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromDays(1);

    /// <summary>Deliveries one inbox keeps pending at most; beyond it the oldest is dropped (and logged).</summary>
    public const int MaxPending = 200;

    /// <summary>How often an inbox with pending deliveries is woken if nothing else calls it (an Orleans reminder: it survives restarts).</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
}
