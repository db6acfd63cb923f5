using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Journal;

/// <summary>Prompts follow the time of day where the user is, on the product clock.</summary>
public sealed class JournalPromptsTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private MindspaceTestHost _host = null!;

    public async Task InitializeAsync() => _host = await MindspaceTestHost.StartAsync(clock: _clock);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("Asia/Tokyo")]
    [InlineData("America/Los_Angeles")]
    public async Task The_time_of_day_is_the_users_own(string timeZone)
    {
        var user = await _host.RegisterAndLoginAsync(timeZone: timeZone);
        var local = TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(timeZone));
        var expected = local.Hour switch
        {
            >= 5 and < 12 => "morning",
            >= 12 and < 17 => "afternoon",
            >= 17 and < 22 => "evening",
            _ => "night",
        };

        var prompts = await user.Client.GetJsonAsync("/api/v1/journal/prompts");
        Assert.Equal(expected, prompts.Str("timeOfDay"));
    }

    [Fact]
    public async Task Good_days_get_an_invitation_to_notice_what_helped_and_old_moods_are_forgotten()
    {
        var user = await _host.RegisterAndLoginAsync();
        await user.Client.WriteAsync(new { body = "Lovely.", mood = 5 });
        var good = await user.Client.GetJsonAsync("/api/v1/journal/prompts");
        Assert.Equal("good", good.Str("moodBand"));
        Assert.Null(good.Str("support"));
        Assert.Contains(good.GetProperty("prompts").EnumerateArray(), p => p.Str("id")!.StartsWith("good-", StringComparison.Ordinal));

        _clock.Advance(TimeSpan.FromDays(4));
        try
        {
            Assert.Equal("unknown", (await user.Client.GetJsonAsync("/api/v1/journal/prompts")).Str("moodBand"));
        }
        finally
        {
            _clock.Advance(TimeSpan.FromDays(-4));
        }
    }
}
