using System.Diagnostics;
using System.Globalization;
using System.Net;
using Mindspace.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mindspace.Gateway.Tests.Auth;

/// <summary>
/// Sign-ins of different people at the same moment: each hashes its password off the grain scheduler
/// (<c>PasswordWork</c>), so none waits behind the others' hashing, and all of them succeed.
/// </summary>
public sealed class ConcurrentSignInTests(SharedHost shared, ITestOutputHelper output) : IClassFixture<SharedHost>
{
    private const int People = 10;

    [Fact]
    public async Task Ten_people_signing_in_at_once_are_all_signed_in()
    {
        var emails = Enumerable.Range(0, People).Select(_ => TestUsers.NewEmail("together")).ToList();
        foreach (var register in await Task.WhenAll(emails.Select(email => shared.Host.Client.RegisterAsync(email))))
        {
            Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        }

        var alone = Stopwatch.StartNew();
        await shared.Host.LoginAsync(emails[0], TestUsers.DefaultPassword);
        alone.Stop();

        var together = Stopwatch.StartNew();
        var tokens = await Task.WhenAll(emails.Select(email => shared.Host.LoginAsync(email, TestUsers.DefaultPassword)));
        together.Stop();

        Assert.Equal(People, tokens.Select(t => t.AccessToken).Distinct().Count());
        foreach (var (access, _) in tokens)
        {
            var me = await shared.Host.CreateClient(access).GetAsync("/api/v1/me");
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        // Indicative only (never asserted: the machine is shared).
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one sign-in {alone.ElapsedMilliseconds} ms; {People} at once {together.ElapsedMilliseconds} ms on {Environment.ProcessorCount} cores"));
    }
}

/// <summary>Failed sign-ins at the same moment still lock the account: the throttle is one grain per email.</summary>
public sealed class ConcurrentLockoutTests(ShortLockoutHost shared) : IClassFixture<ShortLockoutHost>
{
    [Fact]
    public async Task Wrong_passwords_sent_at_once_lock_the_account_and_none_signs_in()
    {
        var user = await shared.Host.RegisterAndLoginAsync();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => shared.Host.Client.PostLoginAsync(user.Email, $"wrong-password-{i}")));

        Assert.All(attempts, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        Assert.Contains(attempts, a => a.StatusCode == HttpStatusCode.TooManyRequests);
        var right = await shared.Host.Client.PostLoginAsync(user.Email, user.Password);
        await right.AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }
}
