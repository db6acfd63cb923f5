using System.Globalization;

namespace Mindspace.Testing;

/// <summary>
/// A clock tests move by hand (grains, auth and the cluster's lease read time through
/// <see cref="TimeProvider"/>). Its timestamps move with it, so elapsed-time checks follow the hand too.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public ManualClock()
        : this(DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture))
    {
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref _utcTicks);

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _utcTicks, now.UtcTicks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
}
