using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Gateway.Tests.Therapist;

namespace Mindspace.Gateway.Tests.Safety;

public sealed class SafetyApiTests(TherapistFixture fixture) : IClassFixture<TherapistFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task Assess_grades_a_text_for_signed_in_users_only()
    {
        var user = await Host.RegisterAndLoginAsync();
        var response = await user.Client.PostAsJsonAsync("/api/v1/safety/assess", new { text = "I'm going to kill myself tonight" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("imminent", body.Str("level"));
        Assert.Contains("time-given", body.GetProperty("signals").EnumerateArray().Select(s => s.GetString()));

        var idiom = await (await user.Client.PostAsJsonAsync("/api/v1/safety/assess", new { text = "this homework is killing me" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("none", idiom.Str("level"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.PostAsJsonAsync("/api/v1/safety/assess", new { text = "hi" })).StatusCode);
        await (await user.Client.PostAsJsonAsync("/api/v1/safety/assess", new { text = " " })).AssertValidationProblemAsync("text");
        await (await user.Client.PostAsJsonAsync("/api/v1/safety/assess", new { text = new string('a', 20_001) })).AssertValidationProblemAsync("text");
        await ProblemAssertions.AssertProblemAsync(await user.Client.PostAsync("/api/v1/safety/assess", new StringContent("{\"text\": 5}", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_safety_plan_is_empty_until_saved_replaced_whole_and_checked()
    {
        var user = await Host.RegisterAndLoginAsync();
        var empty = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/safety-plan");
        Assert.Equal(0, empty.GetProperty("warningSigns").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("updatedAt").ValueKind);

        var saved = await user.Client.PutAsJsonAsync("/api/v1/safety-plan", new
        {
            warningSigns = new[] { "  Not sleeping  ", "" },
            copingSteps = new[] { "Cold water on my face" },
            peopleAndPlaces = new[] { "The library" },
            professionals = new[] { "Dr Okafor 020 7946 0000" },
            saferEnvironment = new[] { "Mum keeps my pills" },
            reasonsForLiving = new[] { "My dog" },
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var plan = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/safety-plan");
        Assert.Equal(["Not sleeping"], plan.GetProperty("warningSigns").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("Mum keeps my pills", plan.GetProperty("saferEnvironment")[0].GetString());
        Assert.Equal(JsonValueKind.String, plan.GetProperty("updatedAt").ValueKind);

        await (await user.Client.PutAsJsonAsync("/api/v1/safety-plan", new { copingSteps = Enumerable.Repeat("x", 21) })).AssertValidationProblemAsync("copingSteps");
        await (await user.Client.PutAsJsonAsync("/api/v1/safety-plan", new { reasonsForLiving = new[] { new string('r', 501) } })).AssertValidationProblemAsync("reasonsForLiving");
        var unchanged = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/safety-plan");
        Assert.Equal("Cold water on my face", unchanged.GetProperty("copingSteps")[0].GetString());

        var replaced = await (await user.Client.PutAsJsonAsync("/api/v1/safety-plan", new { reasonsForLiving = new[] { "My dog", "Spring" } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, replaced.GetProperty("copingSteps").GetArrayLength());
        Assert.Equal(2, replaced.GetProperty("reasonsForLiving").GetArrayLength());

        var other = await Host.RegisterAndLoginAsync();
        Assert.Equal(0, (await other.Client.GetFromJsonAsync<JsonElement>("/api/v1/safety-plan")).GetProperty("reasonsForLiving").GetArrayLength());
    }

    [Fact]
    public async Task Crisis_resources_follow_the_country_in_preferences_or_the_query()
    {
        var user = await Host.RegisterAndLoginAsync();
        var unknown = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/safety/resources");
        Assert.Equal("INTL", unknown.Str("country"));

        await user.Client.PatchAsJsonAsync("/api/v1/me", new { preferences = new { country = "de" } });
        var germany = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/safety/resources");
        Assert.Equal("DE", germany.Str("country"));
        Assert.Contains(germany.GetProperty("lines").EnumerateArray(), l => l.Str("phone") == "0800 111 0 111");

        var brazil = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/safety/resources?country=BR");
        Assert.Contains(brazil.GetProperty("lines").EnumerateArray(), l => l.Str("phone") == "188");
        await (await user.Client.GetAsync("/api/v1/safety/resources?country=Narnia")).AssertValidationProblemAsync("country");
    }
}
