using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Tests.Auth;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Auth;
using Mindspace.Testing;
using Orleans.Hosting;
using Xunit.Abstractions;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>
/// A silo on a throwaway PostgreSQL and two gateway-only processes in front of it, each with a clock that
/// moves only by hand (so a cached session leaves the cache only by eviction unless a test moves the clock).
/// The silo can be told to lose the revocation pushes on their way to the gateways.
/// </summary>
public sealed class TwoGatewaysFixture : IAsyncLifetime
{
    public LostRevocationPushes Pushes { get; } = new();

    public ManualClock FirstClock { get; } = new(DateTimeOffset.UtcNow);

    public ManualClock SecondClock { get; } = new(DateTimeOffset.UtcNow);

    public InProcessSilo Silo { get; private set; } = null!;

    public MindspaceTestHost First { get; private set; } = null!;

    public MindspaceTestHost Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var databaseUrl = await PostgresServer.Shared.CreateDatabaseAsync("session-revocations");
        Silo = await InProcessSilo.StartAsync(databaseUrl, builder => builder.AddOutgoingGrainCallFilter(Pushes));
        First = await MindspaceTestHost.StartGatewayOnlyAsync(databaseUrl, clock: FirstClock);
        Second = await MindspaceTestHost.StartGatewayOnlyAsync(databaseUrl, clock: SecondClock);
    }

    /// <summary>Writes to <paramref name="output"/>, when disposed, what the silo and both gateways logged from now on.</summary>
    public LogWatch WatchLogs(ITestOutputHelper output) => new(output, ("silo", Silo.Logs), ("first gateway", First.Logs), ("second gateway", Second.Logs));

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await Silo.DisposeAsync();
    }

    /// <summary>A silo's outgoing call filter that loses revocation pushes while told to, as a dropped connection would.</summary>
    public sealed class LostRevocationPushes : IOutgoingGrainCallFilter
    {
        private int _lost;

        public volatile bool Lose;

        public int Lost => Volatile.Read(ref _lost);

        public Task Invoke(IOutgoingGrainCallContext context)
        {
            if (Lose && context.InterfaceMethod.Name == nameof(ISessionRevocationObserver.OnSessionRevokedAsync))
            {
                Interlocked.Increment(ref _lost);
                return Task.CompletedTask; // one-way: the revocations grain never learns
            }

            return context.Invoke();
        }
    }
}

/// <summary>
/// Ending a session through one gateway refuses its token on every other gateway within the push, and
/// within the cache's lifetime (<see cref="SessionCache.DefaultLifetime"/>) at worst when the push is lost.
/// </summary>
public sealed class SessionRevocationAcrossGatewaysTests(TwoGatewaysFixture cluster, ITestOutputHelper output) : IClassFixture<TwoGatewaysFixture>, IDisposable
{
    private readonly LogWatch _logs = cluster.WatchLogs(output);

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Signing_out_through_one_gateway_refuses_the_token_on_the_other_by_push()
    {
        var user = await SignedInAndCachedOnBothAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsync("/api/v1/auth/logout", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await cluster.First.MeStatusAsync(user.AccessToken));
        // The second gateway's clock stands still: only the pushed revocation can end its cached answer.
        await Eventually.ReturnsAsync(() => cluster.Second.MeStatusAsync(user.AccessToken), status => status == HttpStatusCode.Unauthorized, "the pushed revocation");
    }

    [Fact]
    public async Task Signing_out_everywhere_through_one_gateway_refuses_every_session_on_the_other_by_push()
    {
        var user = await SignedInAndCachedOnBothAsync();
        var (secondDevice, _) = await cluster.Second.LoginAsync(user.Email, user.Password);
        Assert.Equal(HttpStatusCode.OK, await cluster.Second.MeStatusAsync(secondDevice));

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync("/api/v1/me/sessions")).StatusCode);

        await Eventually.ReturnsAsync(() => cluster.Second.MeStatusAsync(user.AccessToken), status => status == HttpStatusCode.Unauthorized, "the pushed revocation");
        await Eventually.ReturnsAsync(() => cluster.Second.MeStatusAsync(secondDevice), status => status == HttpStatusCode.Unauthorized, "the pushed revocation");
    }

    [Fact]
    public async Task A_lost_push_leaves_the_other_gateway_trusting_the_session_no_longer_than_the_cache_lifetime()
    {
        var user = await SignedInAndCachedOnBothAsync();
        var lostBefore = cluster.Pushes.Lost;
        cluster.Pushes.Lose = true;
        try
        {
            Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsync("/api/v1/auth/logout", null)).StatusCode);
        }
        finally
        {
            cluster.Pushes.Lose = false;
        }

        Assert.True(cluster.Pushes.Lost > lostBefore);
        Assert.Equal(HttpStatusCode.Unauthorized, await cluster.First.MeStatusAsync(user.AccessToken)); // evicted locally, push or not
        Assert.Equal(HttpStatusCode.OK, await cluster.Second.MeStatusAsync(user.AccessToken)); // the window the lifetime bounds

        cluster.SecondClock.Advance(SessionCache.DefaultLifetime);

        Assert.Equal(HttpStatusCode.Unauthorized, await cluster.Second.MeStatusAsync(user.AccessToken));
    }

    /// <summary>A fresh person signed in through the first gateway, whose session both gateways now answer from their caches.</summary>
    private async Task<TestUser> SignedInAndCachedOnBothAsync()
    {
        var caches = new[] { cluster.First, cluster.Second }.Select(host => host.Services.GetRequiredService<SessionCache>()).ToList();
        await Eventually.TrueAsync(() => caches.All(cache => cache.Trusted), "both gateways subscribed to session revocations");
        var user = await cluster.First.RegisterAndLoginAsync();
        var sessionId = SessionRevocationTests.SessionOf(user.AccessToken);
        foreach (var (host, cache) in new[] { cluster.First, cluster.Second }.Zip(caches))
        {
            Assert.Equal(HttpStatusCode.OK, await host.MeStatusAsync(user.AccessToken));
            Assert.True(cache.IsActive(sessionId, user.UserId));
        }

        return user;
    }
}
