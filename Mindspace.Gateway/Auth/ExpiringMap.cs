using System.Collections.Concurrent;

namespace Mindspace.Gateway.Auth;

/// <summary>
/// A bounded, thread-safe map whose entries stop being returned at a deadline, for the gateway's
/// in-process caches (<see cref="SessionCache"/>, <see cref="CachingTokenHandler"/>). Deadlines are
/// <see cref="TimeProvider"/> timestamps; an entry is also ignored if the clock reads earlier than when it
/// was set (a clock set back makes an entry stale, never longer-lived).
/// </summary>
/// <remarks>
/// When full, expired entries are swept (at most once a second); if it is still full, new keys are simply not
/// added, so callers must treat "not remembered" as "ask again", never as an answer.
/// </remarks>
public sealed class ExpiringMap<TKey, TValue>(TimeProvider time, int capacity)
    where TKey : notnull
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private long _lastSweep = long.MinValue;

    public int Capacity { get; } = capacity;

    /// <summary>How many entries are held now (expired ones included until swept).</summary>
    public int Count => _entries.Count;

    /// <summary>The clock's timestamp <paramref name="lifetime"/> from now, for <see cref="TrySet"/>.</summary>
    public long Deadline(TimeSpan lifetime) => time.GetTimestamp() + (long)(lifetime.TotalSeconds * time.TimestampFrequency);

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            var now = time.GetTimestamp();
            if (now >= entry.Since && now < entry.Until)
            {
                value = entry.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary>Holds <paramref name="value"/> until the timestamp <paramref name="until"/>; false when there is no room.</summary>
    public bool TrySet(TKey key, TValue value, long until)
    {
        var now = time.GetTimestamp();
        if (_entries.Count >= Capacity && !_entries.ContainsKey(key) && !SweepExpired(now))
        {
            return false;
        }

        _entries[key] = new Entry(value, now, until);
        return true;
    }

    public void Remove(TKey key) => _entries.TryRemove(key, out _);

    public void RemoveWhere(Func<TValue, bool> predicate)
    {
        foreach (var (key, entry) in _entries)
        {
            if (predicate(entry.Value))
            {
                _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry));
            }
        }
    }

    public void Clear() => _entries.Clear();

    /// <returns>Whether there is room now.</returns>
    private bool SweepExpired(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        var interval = (long)(SweepInterval.TotalSeconds * time.TimestampFrequency);
        if (last != long.MinValue && now - last < interval || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return false;
        }

        foreach (var (key, entry) in _entries)
        {
            if (now >= entry.Until || now < entry.Since)
            {
                _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry));
            }
        }

        return _entries.Count < Capacity;
    }

    /// <param name="Since">Timestamp when set.</param>
    /// <param name="Until">Timestamp when it stops being returned.</param>
    private sealed record Entry(TValue Value, long Since, long Until);
}
