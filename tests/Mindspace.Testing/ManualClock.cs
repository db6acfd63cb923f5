using System.Globalization;

namespace Mindspace.Testing;

/// <summary>
/// A clock tests move by hand (grains, auth and the cluster's lease read time through
/// <see cref="TimeProvider"/>). Its timestamps move with it, so elapsed-time checks follow the hand too.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;
    private long _ticksPerRead;

    public ManualClock()
        : this(DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture))
    {
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>
    /// How far the clock moves on after each <see cref="GetUtcNow"/> (zero by default): a clock that
    /// runs on while the code under test reads it, for races across an instant such as a due time.
    /// </summary>
    public TimeSpan AdvancePerRead
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _ticksPerRead));
        set => Interlocked.Exchange(ref _ticksPerRead, value.Ticks);
    }

    /// <summary>The time now; the clock then moves on by <see cref="AdvancePerRead"/>.</summary>
    public override DateTimeOffset GetUtcNow()
    {
        var step = Interlocked.Read(ref _ticksPerRead);
        return new(Interlocked.Add(ref _utcTicks, step) - step, TimeSpan.Zero);
    }

    public override long GetTimestamp() => Interlocked.Read(ref _utcTicks);

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _utcTicks, now.UtcTicks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
}
