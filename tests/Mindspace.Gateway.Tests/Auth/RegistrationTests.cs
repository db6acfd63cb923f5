using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Auth;

public sealed class RegistrationTests(SharedHost shared) : IClassFixture<SharedHost>
{
    private MindspaceTestHost Host => shared.Host;

    [Fact]
    public async Task Register_returns_201_with_the_new_user_id()
    {
        var response = await Host.Client.RegisterAsync(TestUsers.NewEmail(), timeZone: "Europe/Paris");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual(Guid.Empty, body.GetProperty("userId").GetGuid());
    }

    [Fact]
    public async Task Register_refuses_an_email_that_is_taken_in_any_letter_case()
    {
        var email = TestUsers.NewEmail("Taken");
        Assert.Equal(HttpStatusCode.Created, (await Host.Client.RegisterAsync(email)).StatusCode);

        var again = await Host.Client.RegisterAsync("  " + email.ToUpperInvariant() + " ", password: "another-password-1");

        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("already", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_email_create_exactly_one_account()
    {
        var email = TestUsers.NewEmail("race");
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Host.Client.RegisterAsync(i % 2 == 0 ? email : email.ToUpperInvariant())));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
    }

    [Theory]
    [InlineData("short-9ch")]
    [InlineData("")]
    public async Task Register_refuses_a_short_password_naming_the_field(string password)
    {
        var response = await Host.Client.RegisterAsync(TestUsers.NewEmail(), password);

        await response.AssertValidationProblemAsync("password");
    }

    [Fact]
    public async Task Register_refuses_the_email_as_password()
    {
        var email = TestUsers.NewEmail();

        var response = await Host.Client.RegisterAsync(email, password: email.ToUpperInvariant());

        await response.AssertValidationProblemAsync("password");
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("two@@example.test")]
    [InlineData("Ann <ann@example.test>")]
    [InlineData("ann@localhost")]
    [InlineData("")]
    public async Task Register_refuses_an_invalid_email_naming_the_field(string email)
    {
        var response = await Host.Client.RegisterAsync(email);

        await response.AssertValidationProblemAsync("email");
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("+02:00")]
    [InlineData("")]
    public async Task Register_refuses_an_unknown_time_zone_naming_the_field(string timeZone)
    {
        var response = await Host.Client.RegisterAsync(TestUsers.NewEmail(), timeZone: timeZone);

        await response.AssertValidationProblemAsync("timeZone");
    }

    [Fact]
    public async Task Register_names_every_bad_field_at_once_in_camel_case()
    {
        var response = await Host.Client.PostJsonAsync("/api/v1/auth/register", """{"email":"nope","password":"x","displayName":" ","timeZone":"Nowhere/Land"}""");

        var problem = await response.AssertValidationProblemAsync("email");
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "password", "displayName", "timeZone" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"errors lack {field}: {errors}");
        }
    }

    [Theory]
    [InlineData("{\"email\": ")]
    [InlineData("{\"email\": 5, \"password\": \"calm-waters-42\", \"displayName\": \"A\"}")]
    [InlineData("{\"email\": \"a@example.test\", \"password\": [\"calm-waters-42\"], \"displayName\": \"A\"}")]
    [InlineData("[1, 2, 3]")]
    [InlineData("not json at all")]
    [InlineData("")]
    public async Task Register_answers_malformed_or_mistyped_json_with_a_400_problem(string body)
    {
        var response = await Host.Client.PostJsonAsync("/api/v1/auth/register", body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_time_zone_is_stored_in_its_canonical_spelling_and_defaults_to_utc()
    {
        var lower = await Host.RegisterAndLoginAsync(timeZone: "america/new_york");
        var none = await Host.RegisterAndLoginAsync();

        Assert.Equal("America/New_York", (await lower.Client.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("timeZone").GetString());
        Assert.Equal("UTC", (await none.Client.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("timeZone").GetString());
    }
}
