using System.Net;
using System.Net.Http.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Hosting;

public sealed class LogPrivacyTests
{
    [Fact]
    public async Task Nothing_a_person_writes_nor_their_password_email_or_tokens_reaches_the_logs_even_at_trace_level()
    {
        await using var host = await MindspaceTestHost.StartAsync(settings =>
        {
            settings["Logging:LogLevel:Default"] = "Trace";
            settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        });
        const string journalText = "I felt the heavy fog again today, marker-5b1f";
        const string moodNote = "quiet evening, marker-9c2e";
        var user = await host.RegisterAndLoginAsync(email: "private-person-7d3a@example.test", password: "secret-passphrase-e41b");

        Assert.Equal(HttpStatusCode.Created, (await user.Client.PostAsJsonAsync("/api/v1/entries", new { text = journalText, mood = 2 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await user.Client.PostAsJsonAsync("/api/v1/mood", new { score = 3, note = moodNote })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/api/v1/entries")).StatusCode);
        var failed = await host.Client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = "wrong-passphrase-e41b" });
        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.RefreshToken })).StatusCode);

        Assert.NotEmpty(host.Logs.Lines); // trace logging was on, so a leak would show
        foreach (var secret in new[] { "marker-5b1f", "marker-9c2e", "secret-passphrase-e41b", "wrong-passphrase-e41b", user.Email, user.AccessToken, user.RefreshToken })
        {
            Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }
}
