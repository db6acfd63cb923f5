using System.Net;
using System.Net.Http.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Hosting;

public sealed class RateLimitTests : IAsyncLifetime
{
    private MindspaceTestHost _host = null!;

    public async Task InitializeAsync() => _host = await MindspaceTestHost.StartAsync(settings =>
    {
        settings["RATE_LIMIT_AUTH_PER_MINUTE"] = "5";
        settings["RATE_LIMIT_USER_PER_MINUTE"] = "4";
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Auth_endpoints_are_limited_per_client_address_with_retry_after()
    {
        HttpResponseMessage? last = null;
        for (var i = 0; i < 6; i++)
        {
            last = await _host.Client.PostLoginAsync($"nobody{i}@example.test", "wrong-password-1");
        }

        await last!.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(last!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    [Fact]
    public async Task Other_endpoints_are_limited_per_user_so_one_user_does_not_starve_another()
    {
        var register = await _host.Client.RegisterAsync("first@example.test");
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        var register2 = await _host.Client.RegisterAsync("second@example.test");
        Assert.Equal(HttpStatusCode.Created, register2.StatusCode);
        var first = _host.CreateClient((await _host.LoginAsync("first@example.test", TestUsers.DefaultPassword)).AccessToken);
        var second = _host.CreateClient((await _host.LoginAsync("second@example.test", TestUsers.DefaultPassword)).AccessToken);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/me")).StatusCode);
        }

        var limited = await first.GetAsync("/api/v1/me");
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/me")).StatusCode);
    }
}
