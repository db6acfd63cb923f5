using System.Net;
using System.Runtime.CompilerServices;
using Mindspace.Gateway.Tests.Cluster;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Hosting;

/// <summary>
/// A stopped gateway, or silo, leaves nothing of itself reachable: a process that starts and stops many (this
/// test suite) must not keep each one's services and silo (RateLimitPolicies.UseMindspaceRateLimiting).
/// </summary>
public sealed class StoppedGatewayTests
{
    [Fact]
    public async Task A_stopped_gateway_that_served_rate_limited_requests_can_be_collected()
    {
        var services = await ServeAndStopAsync(() => MindspaceTestHost.StartAsync());

        await AssertCollectedAsync(services, "the stopped gateway's services");
    }

    [Fact]
    public async Task A_stopped_gateway_only_process_and_the_silo_it_called_can_be_collected()
    {
        var (gateway, silo) = await ServeThroughSiloAndStopBothAsync();

        await AssertCollectedAsync(gateway, "the stopped gateway-only process's services");
        await AssertCollectedAsync(silo, "the stopped silo's services");
    }

    /// <summary>
    /// Collects until <paramref name="target"/> is gone (a stopped silo's last tasks may still be finishing), one
    /// collection a quarter second apart: other tests share this process, and a burst of full collections would stall them.
    /// </summary>
    private static Task AssertCollectedAsync(WeakReference target, string what)
        => Eventually.TrueAsync(
            () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                return !target.IsAlive;
            },
            $"{what} to be collected",
            seconds: 10,
            pollMilliseconds: 250);

    /// <summary>Starts a gateway, sends requests through both rate limiting policies, stops it, and returns a weak reference to its services.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> ServeAndStopAsync(Func<Task<MindspaceTestHost>> start)
    {
        var host = await start();
        var user = await host.RegisterAndLoginAsync(); // the auth policy
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/api/v1/me")).StatusCode); // the user policy
        user.Client.Dispose();

        var services = new WeakReference(host.Services);
        await host.DisposeAsync();
        return services;
    }

    /// <summary>Starts a silo and a gateway-only process in front of it, serves through them, stops both, and returns weak references to their services.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<(WeakReference Gateway, WeakReference Silo)> ServeThroughSiloAndStopBothAsync()
    {
        var databaseUrl = await PostgresServer.Shared.CreateDatabaseAsync("stopped-gateway");
        var silo = await InProcessSilo.StartAsync(databaseUrl);
        var siloServices = new WeakReference(silo.Services);
        var gateway = await ServeAndStopAsync(() => MindspaceTestHost.StartGatewayOnlyAsync(databaseUrl));
        await silo.DisposeAsync();
        return (gateway, siloServices);
    }
}
