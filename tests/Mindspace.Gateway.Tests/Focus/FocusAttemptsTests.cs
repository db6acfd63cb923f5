using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Focus;
using Mindspace.Grains.Records;
using Orleans.Core.Internal;

namespace Mindspace.Gateway.Tests.Focus;

/// <summary>A person's friction counters ("attempts today") are stored when counted, not when the grain next writes.</summary>
public sealed class FocusAttemptsTests(FocusApiFixture fixture) : IClassFixture<FocusApiFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task Attempts_are_stored_as_they_are_counted_and_survive_the_grain_being_deactivated()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: fixture.NoonZone);
        await user.Client.CreateRuleAsync(new { name = "Not now", sites = new[] { "example.org" }, action = "block" });
        await user.Client.CreateRuleAsync(new { name = "Breathe", sites = new[] { "example.net" }, action = "pause", pauseSeconds = 5 });

        Assert.Equal(1, (await user.Client.DecideAsync("https://example.org/a")).GetProperty("attemptsToday").GetInt32());
        Assert.Equal(2, (await user.Client.DecideAsync("https://www.example.org/b")).GetProperty("attemptsToday").GetInt32());
        Assert.Equal(1, (await user.Client.DecideAsync("https://example.net/")).GetProperty("attemptsToday").GetInt32());
        Assert.Equal(0, (await user.Client.DecideAsync("https://example.com/")).GetProperty("attemptsToday").GetInt32());

        // Already in storage, before anything deactivates: a crash now would lose nothing.
        var focus = Host.Grains.GetGrain<IFocusGrain>(user.UserId);
        var store = Host.Services.GetRequiredService<IRecordStore>();
        var rows = await store.QueryAsync("focus_attempts", focus.GetGrainId().Key.ToString()!, new RecordQuery(), default);
        var stored = rows.Select(r => JsonSerializer.Deserialize<FocusAttempts>(r.Payload, RecordJson.Options)!).ToDictionary(a => a.Site, a => a.Count);
        Assert.Equal(new Dictionary<string, int> { ["example.org"] = 2, ["example.net"] = 1 }, stored);

        // A new activation reads them back and goes on counting.
        await focus.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Equal(3, (await user.Client.DecideAsync("https://example.org/c")).GetProperty("attemptsToday").GetInt32());
        Assert.Equal(2, (await user.Client.DecideAsync("https://example.net/")).GetProperty("attemptsToday").GetInt32());

        // They are the person's data: exported with the rest of their friction.
        var export = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/me/export");
        var exported = export.GetProperty("focus").GetProperty("attempts").EnumerateArray().ToDictionary(a => a.GetProperty("site").GetString()!, a => a.GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["example.org"] = 3, ["example.net"] = 2 }, exported);
    }
}
