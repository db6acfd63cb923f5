using System.Net;
using System.Runtime.CompilerServices;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Hosting;

/// <summary>
/// A stopped gateway leaves nothing of itself reachable: a process that starts and stops many (this test suite)
/// must not keep each one's services and silo (RateLimitPolicies.UseMindspaceRateLimiting).
/// </summary>
public sealed class StoppedGatewayTests
{
    [Fact]
    public async Task A_stopped_gateway_that_served_rate_limited_requests_can_be_collected()
    {
        var services = await ServeAndStopAsync();

        // One collection at a time, a quarter second apart: other tests share this process, and a burst of
        // full collections would stall them.
        for (var attempt = 0; attempt < 40 && services.IsAlive; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            if (services.IsAlive)
            {
                await Task.Delay(250); // a stopped silo's last tasks may still be finishing
            }
        }

        Assert.False(services.IsAlive, "the stopped gateway's services are still reachable");
    }

    /// <summary>Starts a gateway, sends requests through both rate limiting policies, stops it, and returns a weak reference to its services.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> ServeAndStopAsync()
    {
        var host = await MindspaceTestHost.StartAsync();
        var user = await host.RegisterAndLoginAsync(); // the auth policy
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/api/v1/me")).StatusCode); // the user policy
        user.Client.Dispose();

        var services = new WeakReference(host.Services);
        await host.DisposeAsync();
        return services;
    }
}
