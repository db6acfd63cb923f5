using System.Net.Http.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Analytics;
using NodaTime;

namespace Mindspace.Gateway.Tests.Analytics;

/// <summary>Focus minutes feed "what goes with your better days" without ever counting as a check-in.</summary>
public sealed class FocusInAnalyticsTests
{
    private static readonly DateTimeOffset Start = new(2026, 2, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Focus_minutes_join_days_with_check_ins_and_never_make_a_day_of_their_own()
    {
        MoodSignal[] signals =
        [
            new(Start.AddHours(9), 60, "moods", 3, []),
            new(Start.AddHours(10), 60, FocusSignalSource.Focus, null, [], Minutes: 25),
            new(Start.AddHours(15), 60, FocusSignalSource.Focus, null, [], Minutes: 20),
            new(Start.AddDays(1).AddHours(10), 60, FocusSignalSource.Focus, null, [], Minutes: 40),
        ];

        var days = DayAggregate.ByDay(signals);

        var day = Assert.Single(days.Values);
        Assert.Equal(new LocalDate(2026, 2, 2), day.Date);
        Assert.Equal(45, day.Minutes[FocusSignalSource.Focus]);
        Assert.Equal(1, day.Total);
        Assert.Equal(0, day.CountOf(FocusSignalSource.Focus));
        Assert.Equal(3, day.MeanMood);
    }

    [Fact]
    public void Days_with_a_focus_session_that_go_with_a_brighter_mood_are_named_in_words_that_say_goes_with()
    {
        var random = new Random(11);
        var signals = new List<MoodSignal>();
        for (var d = 0; d < 60; d++)
        {
            var focused = d % 2 == 0;
            var day = Start.AddDays(d);
            if (focused)
            {
                signals.Add(new MoodSignal(day.AddHours(10), 0, FocusSignalSource.Focus, null, [], Minutes: random.Next(15, 90)));
            }

            for (var c = 0; c < 2; c++)
            {
                var mood = focused ? random.Next(4, 6) : random.Next(1, 3);
                signals.Add(new MoodSignal(day.AddHours(8 + (c * 10) + random.Next(0, 3)), 0, "moods", mood, []));
            }
        }

        var insight = BetterDaysLearner.Learn(signals, Now);

        Assert.Equal("ready", insight.Status);
        Assert.Equal(120, insight.CheckIns);
        var focus = Assert.Single(insight.Factors, f => f.Factor == "day-has:focus");
        Assert.Equal("better", focus.Direction);
        Assert.StartsWith("A day with a focus session goes with a brighter mood for you", focus.Sentence, StringComparison.Ordinal);
        Assert.DoesNotContain(insight.Factors, f => f.Factor.StartsWith("day-minutes:", StringComparison.Ordinal));
    }

    [Fact]
    public void Focus_is_one_of_the_analytics_sources()
        => Assert.Contains(AnalyticsSources.All, s => s is FocusSignalSource);
}

/// <summary>The focus source reads ended sessions' focused minutes from the focus grain.</summary>
public sealed class FocusSignalSourceTests(Mindspace.Gateway.Tests.Focus.FocusApiFixture fixture) : IClassFixture<Mindspace.Gateway.Tests.Focus.FocusApiFixture>
{
    [Fact]
    public async Task An_ended_session_is_read_as_its_focused_minutes_and_a_running_one_not_yet()
    {
        var user = await fixture.Host.RegisterAndLoginAsync(timeZone: "Europe/Berlin");
        var source = new FocusSignalSource();
        var started = await user.Client.PostAsJsonAsync("/api/v1/focus/sessions", new { plannedMinutes = 25 });
        var id = (await started.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();
        fixture.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Empty(await source.ReadAsync(fixture.Host.Grains, user.UserId, DateTimeOffset.UnixEpoch, fixture.Clock.GetUtcNow().AddDays(1), CancellationToken.None));

        Assert.True((await user.Client.PostAsync($"/api/v1/focus/sessions/{id}/end", null)).IsSuccessStatusCode);
        var signals = await source.ReadAsync(fixture.Host.Grains, user.UserId, DateTimeOffset.UnixEpoch, fixture.Clock.GetUtcNow().AddDays(1), CancellationToken.None);

        var signal = Assert.Single(signals);
        Assert.Equal(FocusSignalSource.Focus, signal.Source);
        Assert.Equal(3, signal.Minutes);
        Assert.Null(signal.Mood);
        Assert.Equal(UserUtcOffsetsOfBerlin(signal.At), signal.UtcOffsetMinutes);
        Assert.Empty(await source.ReadAsync(fixture.Host.Grains, user.UserId, signal.At.AddSeconds(1), fixture.Clock.GetUtcNow().AddDays(1), CancellationToken.None));
    }

    private static int UserUtcOffsetsOfBerlin(DateTimeOffset at)
        => DateTimeZoneProviders.Tzdb["Europe/Berlin"].GetUtcOffset(Instant.FromDateTimeOffset(at)).Seconds / 60;
}
