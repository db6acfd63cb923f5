namespace Mindspace.Gateway.Auth;

/// <summary>
/// This gateway's memory of "session S is active for user U", so an authenticated request need not ask the
/// session grain every time (<see cref="AuthSetup"/>). Only successes are remembered: a refused session is
/// asked about again every time, so a refusal is never cached longer than a success.
/// </summary>
/// <remarks>
/// <para>
/// An entry lives <see cref="Lifetime"/> at most, and goes at once when the session ends: the gateway that
/// ends it calls <see cref="Evict"/> or <see cref="EvictUser"/> before answering, and every other gateway
/// hears it pushed (<see cref="SessionRevocationRelay"/>). The lifetime is the safety net for a push lost
/// without the process noticing; a loss it does notice (a silo left, a connection closed, a subscription
/// failed) empties the cache and stops filling it (<see cref="Distrust"/>) until the relay is subscribed
/// again (<see cref="Trust"/>).
/// </para>
/// <para>
/// A lookup that misses reads <see cref="Generation"/> before it asks the grain and passes it to
/// <see cref="Remember"/>: if any eviction happened meanwhile, the answer may predate it and is not kept.
/// Evictions are rare (sign-outs), so the only cost is an occasional extra grain call.
/// </para>
/// <para>
/// Bounded by <see cref="Capacity"/> (an <see cref="ExpiringMap{TKey, TValue}"/>): when it is full, new sessions
/// are simply not remembered (their requests ask the grain, as before the cache).
/// </para>
/// </remarks>
public sealed class SessionCache(TimeProvider time, TimeSpan lifetime, int capacity)
{
    /// <summary>
    /// Five seconds: the worst-case delay of a revocation on a gateway whose push was lost unnoticed, against
    /// one session-grain call per active session per five seconds per gateway (a person's requests within
    /// five seconds cost one call, not one each). An access token itself lives 15 minutes.
    /// </summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(5);

    /// <summary>About 100 bytes an entry: 10 MB at most.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly ExpiringMap<Guid, Guid> _userOfSession = new(time, capacity);
    private long _generation;
    private volatile bool _trusted;

    public TimeSpan Lifetime { get; } = lifetime;

    public int Capacity => _userOfSession.Capacity;

    /// <summary>How many sessions are remembered now (expired ones included until swept).</summary>
    public int Count => _userOfSession.Count;

    /// <summary>Whether new answers are remembered: the relay is subscribed and has not heard of a loss since.</summary>
    public bool Trusted => _trusted;

    /// <summary>Changes with every eviction: see <see cref="Remember"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Whether <paramref name="sessionId"/> is remembered as active for <paramref name="userId"/>.</summary>
    public bool IsActive(Guid sessionId, Guid userId)
        => _userOfSession.TryGet(sessionId, out var remembered) && remembered == userId;

    /// <summary>
    /// Remembers that the session grain said <paramref name="sessionId"/> is active for <paramref name="userId"/>,
    /// unless an eviction happened since <paramref name="generationBeforeAsking"/> (read before asking).
    /// </summary>
    public void Remember(Guid sessionId, Guid userId, long generationBeforeAsking)
    {
        if (!_trusted || Generation != generationBeforeAsking)
        {
            return;
        }

        // An eviction between the check above and the write would have missed this entry: undo it.
        if (_userOfSession.TrySet(sessionId, userId, _userOfSession.Deadline(Lifetime)) && Generation != generationBeforeAsking)
        {
            _userOfSession.Remove(sessionId);
        }
    }

    /// <summary>Forgets one session (it ended).</summary>
    public void Evict(Guid sessionId)
    {
        Interlocked.Increment(ref _generation);
        _userOfSession.Remove(sessionId);
    }

    /// <summary>Forgets every session of <paramref name="userId"/> (all of them ended, or the account is gone).</summary>
    public void EvictUser(Guid userId)
    {
        Interlocked.Increment(ref _generation);
        _userOfSession.RemoveWhere(remembered => remembered == userId);
    }

    /// <summary>Pushes may have been lost: forget everything and remember nothing new until <see cref="Trust"/>.</summary>
    public void Distrust()
    {
        _trusted = false;
        Interlocked.Increment(ref _generation);
        _userOfSession.Clear();
    }

    /// <summary>
    /// The relay is subscribed: pushes reach this gateway from now on. Answers to lookups already under way
    /// are not remembered (a revocation before the subscription was never heard).
    /// </summary>
    public void Trust()
    {
        Interlocked.Increment(ref _generation);
        _trusted = true;
    }
}
