using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Journal;

namespace Mindspace.Gateway.Tests.Journal;

/// <summary>The seam analytics uses: signals of entries in a time range, never their words.</summary>
public sealed class JournalSignalsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Signals_carry_time_kind_mood_sentiment_and_tags_of_entries_in_range_only()
    {
        var user = await fixture.Host.RegisterAndLoginAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var happy = await user.Client.WriteAsync(new { body = "A wonderful, happy day with friends!", mood = 5, tags = new[] { "friends" } });
        var grateful = await user.Client.WriteAsync(new { kind = "gratitude", body = "Grateful for the sun." });
        var after = DateTimeOffset.UtcNow.AddSeconds(1);

        var journal = fixture.Host.Grains.GetGrain<IJournalGrain>(user.UserId);
        var signals = await journal.GetSignalsAsync(before, after, CancellationToken.None);
        Assert.Equal([happy.Id(), grateful.Id()], signals.Select(s => s.Id.ToString()));
        Assert.Equal(5, signals[0].Mood);
        Assert.Null(signals[1].Mood);
        Assert.True(signals[0].Compound > 0.5);
        Assert.Equal("gratitude", signals[1].Kind);
        Assert.Equal(["friends"], signals[0].Tags);
        Assert.Empty(await journal.GetSignalsAsync(after, after.AddDays(1), CancellationToken.None));

        // Only non-text signals can cross: no member of a signal holds words.
        var textMembers = typeof(JournalSignal).GetProperties().Where(p => p.PropertyType == typeof(string)).Select(p => p.Name);
        Assert.Equal(["Kind"], textMembers);
    }
}
