using Mindspace.Grains.Reports;
using NodaTime;

namespace Mindspace.Gateway.Tests.Reports;

/// <summary>When a weekly digest falls due, in local time, across daylight-saving changes.</summary>
public sealed class DigestSchedulingTests
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private const int Monday = 1;
    private const int Sunday = 7;
    private const int Eight = 8 * 60;

    [Fact]
    public void Monday_eight_oclock_stays_eight_oclock_local_when_the_clocks_go_forward()
    {
        // 2026-03-29: Berlin moves from UTC+1 to UTC+2.
        var before = DigestScheduling.Next(Monday, Eight, Berlin, Utc("2026-03-20T12:00:00Z"));
        var after = DigestScheduling.Next(Monday, Eight, Berlin, Utc("2026-03-25T12:00:00Z"));

        Assert.Equal(Utc("2026-03-23T07:00:00Z"), before.ToInstant());
        Assert.Equal(Utc("2026-03-30T06:00:00Z"), after.ToInstant());
        Assert.Equal(new LocalTime(8, 0), after.TimeOfDay);
    }

    [Fact]
    public void Monday_eight_oclock_stays_eight_oclock_local_when_the_clocks_go_back()
    {
        // 2026-10-25: Berlin moves from UTC+2 to UTC+1.
        Assert.Equal(Utc("2026-10-26T07:00:00Z"), DigestScheduling.Next(Monday, Eight, Berlin, Utc("2026-10-20T00:00:00Z")).ToInstant());
        Assert.Equal(Utc("2026-10-19T06:00:00Z"), DigestScheduling.Latest(Monday, Eight, Berlin, Utc("2026-10-26T06:59:59Z")).ToInstant());
        Assert.Equal(Utc("2026-10-26T07:00:00Z"), DigestScheduling.Latest(Monday, Eight, Berlin, Utc("2026-10-26T07:00:00Z")).ToInstant());
    }

    [Fact]
    public void A_time_the_clocks_skip_happens_just_after_the_gap_and_a_repeated_time_happens_once_the_first_time()
    {
        var skipped = DigestScheduling.Next(Sunday, (2 * 60) + 30, Berlin, Utc("2026-03-25T00:00:00Z"));
        Assert.Equal(Utc("2026-03-29T01:30:00Z"), skipped.ToInstant()); // 03:30 CEST

        var repeated = DigestScheduling.Next(Sunday, (2 * 60) + 30, Berlin, Utc("2026-10-20T00:00:00Z"));
        Assert.Equal(Utc("2026-10-25T00:30:00Z"), repeated.ToInstant()); // 02:30 CEST, the first of the two
    }

    [Fact]
    public void The_digest_covers_the_seven_days_before_its_day()
        => Assert.Equal((new LocalDate(2026, 3, 23), new LocalDate(2026, 3, 29)), DigestScheduling.WeekBefore(new LocalDate(2026, 3, 30)));

    private static Instant Utc(string text) => Instant.FromDateTimeOffset(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
}
