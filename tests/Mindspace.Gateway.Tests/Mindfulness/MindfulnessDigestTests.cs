using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Gateway.Tests.Reports;
using Mindspace.Grains.Interfaces.Mindfulness;
using Mindspace.Grains.Interfaces.Reports;
using Mindspace.Grains.Reports;
using NodaTime;

namespace Mindspace.Gateway.Tests.Mindfulness;

/// <summary>The weekly digest says a gentle word about mindfulness practice, only when there was some.</summary>
public sealed class MindfulnessDigestTests(MindfulnessHost fixture) : IClassFixture<MindfulnessHost>
{
    private static readonly LocalDate WeekStart = new(2026, 3, 23);
    private static readonly DateTimeOffset Written = new(2026, 3, 30, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_week_with_practice_gets_one_kind_line_about_it()
    {
        var practice = new PracticeWeek(new(2026, 3, 23), new(2026, 3, 29), 25, 3, 2, []);

        var digest = WeeklyDigestWriter.Write(WeekStart, new(), Written, practice);

        Assert.Contains("You made time for mindfulness on 2 days (25 minutes in all), a quiet gift to yourself.", digest.WentWell);
        Assert.Contains("quiet week", digest.WentWell);
        NoGuilt.Assert(digest);
    }

    [Fact]
    public void One_minute_on_one_day_is_named_in_the_singular()
    {
        var digest = WeeklyDigestWriter.Write(WeekStart, new(), Written, new PracticeWeek(new(2026, 3, 23), new(2026, 3, 29), 1, 1, 1, []));

        Assert.Contains("mindfulness on one day (1 minute in all)", digest.WentWell);
    }

    [Fact]
    public void A_week_without_practice_does_not_mention_it()
    {
        var none = WeeklyDigestWriter.Write(WeekStart, new(), Written, new PracticeWeek(new(2026, 3, 23), new(2026, 3, 29), 0, 0, 0, []));
        var absent = WeeklyDigestWriter.Write(WeekStart, new(), Written);

        Assert.DoesNotContain("mindfulness", none.WentWell, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(absent.WentWell, none.WentWell);
    }

    [Fact]
    public async Task The_written_digest_counts_the_weeks_practice_in_the_users_zone()
    {
        fixture.Set("2026-03-04T12:00:00Z");
        var user = await fixture.Host.RegisterAndLoginAsync(timeZone: "UTC");
        await user.Client.LogAsync("meditation", "breathing-space", 3, "2026-03-02T09:00:00Z");
        await user.Client.LogAsync("yoga", "childs-pose", 4, "2026-03-04T09:00:00Z");
        await user.Client.LogAsync("yoga", "childs-pose", 2, "2026-03-04T10:00:00Z");

        fixture.Set("2026-03-09T08:00:00Z"); // Monday 08:00, the default digest time
        var digest = await fixture.Host.Grains.GetGrain<IWeeklyDigestGrain>(user.UserId).RunDueAsync();

        Assert.NotNull(digest);
        Assert.Equal(new DateOnly(2026, 3, 2), digest.WeekStart);
        Assert.Contains("mindfulness on 2 days (9 minutes in all)", digest.WentWell);
        NoGuilt.Assert(digest);
    }
}
