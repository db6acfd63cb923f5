using System.Text.Json;
using Mindspace.Gateway.Tests.CheckIns;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Analytics;
using Mindspace.Grains.Interfaces.Analytics;

namespace Mindspace.Gateway.Tests.Analytics;

/// <summary>"What goes with your better days": learnt only with enough check-ins, reported only when it beats the user's average.</summary>
public sealed class BetterDaysTests(InsightsHost shared) : IClassFixture<InsightsHost>
{
    private static readonly DateTimeOffset Start = new(2026, 2, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Fewer_than_forty_check_ins_with_a_mood_are_not_enough_to_learn_from()
    {
        var insight = BetterDaysLearner.Learn(Pattern(39, new Random(1)), Now);

        Assert.Equal("not-enough-check-ins", insight.Status);
        Assert.Equal(39, insight.CheckIns);
        Assert.Equal(40, insight.Needed);
        Assert.Empty(insight.Factors);
        Assert.Null(insight.ModelError);
    }

    [Fact]
    public void A_clear_pattern_is_reported_in_words_that_say_goes_with()
    {
        var insight = BetterDaysLearner.Learn(Pattern(80, new Random(2)), Now);

        Assert.Equal("ready", insight.Status);
        Assert.True(insight.ModelError < insight.BaselineError * BetterDaysLearner.RequiredImprovement, $"{insight.ModelError} vs {insight.BaselineError}");
        var walk = Assert.Single(insight.Factors, f => f.Factor == "tag:walk");
        Assert.Equal("better", walk.Direction);
        Assert.StartsWith("“walk” goes with a brighter mood for you", walk.Sentence);
        Assert.Equal(insight.Factors.Max(f => f.Weight), walk.Weight);
        Assert.All(insight.Factors, f => Assert.Contains("goes with", f.Sentence));
        Assert.DoesNotContain("caus", string.Join(" ", insight.Factors.Select(f => f.Sentence).Append(insight.Message)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Moods_that_nothing_predicts_are_not_enough_signal_and_name_no_factor()
    {
        var random = new Random(3);
        var noise = Enumerable.Range(0, 90)
            .Select(i => new MoodSignal(Start.AddHours(11 * i), 0, "moods", random.Next(1, 6), random.Next(2) == 0 ? ["walk"] : ["work"]))
            .ToList();

        var insight = BetterDaysLearner.Learn(noise, Now);

        Assert.Equal("not-enough-signal", insight.Status);
        Assert.Empty(insight.Factors);
        Assert.Contains("not enough signal yet", insight.Message);
    }

    [Fact]
    public async Task The_endpoint_answers_at_once_and_the_model_is_learnt_in_the_background()
    {
        var user = await shared.Host.RegisterAndLoginAsync(timeZone: "Europe/Berlin");
        foreach (var signal in Pattern(48, new Random(4)))
        {
            shared.ManualClock.Set(signal.At);
            await user.Client.RecordMoodAsync(new { score = signal.Mood, tags = signal.Tags });
        }

        var first = await user.Client.GetJsonAsync("/api/v1/analytics/better-days");
        Assert.Equal("pending", first.GetProperty("status").GetString());

        // The refresh runs after the answer, on the grain's own turn: ask again until it has.
        JsonElement learnt;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            await Task.Delay(200);
            learnt = await user.Client.GetJsonAsync("/api/v1/analytics/better-days");
        }
        while (learnt.GetProperty("status").GetString() == "pending" && DateTime.UtcNow < deadline);

        Assert.Equal("ready", learnt.GetProperty("status").GetString());
        Assert.Equal(48, learnt.GetProperty("checkIns").GetInt32());
        Assert.Contains(learnt.GetProperty("factors").EnumerateArray(), f => f.GetProperty("factor").GetString() == "tag:walk");

        var export = await user.Client.GetJsonAsync("/api/v1/me/export");
        Assert.Equal("ready", export.GetProperty("analytics").GetProperty("betterDays").GetProperty("status").GetString());
    }

    /// <summary>Check-ins every 15 hours where "walk" goes with mood 4–5 and "work" with 1–2 (a little noise in each).</summary>
    private static List<MoodSignal> Pattern(int count, Random random)
        => [.. Enumerable.Range(0, count).Select(i =>
        {
            var walk = i % 2 == 0;
            var mood = walk ? random.Next(4, 6) : random.Next(1, 3);
            return new MoodSignal(Start.AddHours(15 * i), 60, "moods", mood, walk ? ["walk"] : ["work"]);
        })];
}
