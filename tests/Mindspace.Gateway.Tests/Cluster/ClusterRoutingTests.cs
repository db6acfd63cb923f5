using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Gateway.Tests.Notifications;
using Mindspace.Runtime;
using Mindspace.Runtime.Cluster;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>Calls and notifications find their way through a cluster of three silos and two gateways.</summary>
public sealed class ClusterRoutingTests(ClusterRoutingTests.ClusterFixture fixture) : IClassFixture<ClusterRoutingTests.ClusterFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Each_grain_has_one_activation_under_concurrent_callers_through_two_gateways()
    {
        var keys = Enumerable.Range(0, 24).Select(i => $"single-{Guid.NewGuid():N}").ToList();
        var calls = from key in keys
                    from gateway in Cluster.Gateways
                    from _ in Enumerable.Range(0, 25)
                    select (key, gateway.Grains.GetGrain<IClusterProbeGrain>(key).HitAsync());
        var replies = await Task.WhenAll(calls.Select(async call => (call.key, reply: await call.Item2)));

        foreach (var group in replies.GroupBy(r => r.key, r => r.reply))
        {
            Assert.Single(group.Select(r => r.ActivationId).Distinct());
            Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), group.Select(r => r.Hits).Order());
            Assert.Equal(Cluster.ServerOf(new GrainId(IClusterProbeGrain.ProbeGrainType, group.Key))!.SiloId, group.First().SiloId);
            Assert.Equal(1, ProbeActivations.MostAtOnceFor(group.Key));
        }

        Assert.True(replies.Select(r => r.reply.SiloId).Distinct().Count() > 1, "the grains should spread over several silos");
    }

    [Fact]
    public async Task Check_ins_written_through_both_gateways_at_once_are_all_kept()
    {
        var user = await Cluster.Gateways[0].RegisterAndLoginAsync();
        var clients = Cluster.Gateways.Select(g => g.CreateClient(user.AccessToken)).ToList();
        var writes = Enumerable.Range(0, 40).Select(i =>
            clients[i % clients.Count].PostAsJsonAsync("/api/v1/entries", new { text = $"Check-in {i} from gateway {i % clients.Count}", mood = 3 }));
        var responses = await Task.WhenAll(writes);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        var listed = await clients[1].GetFromJsonAsync<JsonElement>("/api/v1/entries?limit=100");
        Assert.Equal(40, listed.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_notification_crosses_from_a_silo_through_either_gateway_to_a_SignalR_client_and_a_reconnect_elsewhere_misses_nothing()
    {
        var (first, second) = (Cluster.Gateways[0], Cluster.Gateways[1]);
        var user = await first.RegisterAndLoginAsync();
        long lastSeen;
        await using (var client = await SignalRTestClient.ConnectAsync(second.BaseAddress, "/hubs/notifications", user.AccessToken))
        {
            await first.LoginAsync(user.Email, user.Password); // the user's grain, on some silo, publishes "new sign-in"
            var notification = (await client.NextInvocationAsync("notification", Wait)).Single();
            Assert.Equal("security.sign-in", notification.GetProperty("kind").GetString());
            lastSeen = notification.GetProperty("sequence").GetInt64();
            Assert.Equal(2, lastSeen);
        }

        await second.LoginAsync(user.Email, user.Password);
        await first.LoginAsync(user.Email, user.Password);

        await using var reconnected = await SignalRTestClient.ConnectAsync(
            first.BaseAddress, "/hubs/notifications", user.AccessToken, new Dictionary<string, string> { ["lastSequence"] = lastSeen.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var missed = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            missed.Add((await reconnected.NextInvocationAsync("notification", Wait)).Single().GetProperty("sequence").GetInt64());
        }

        Assert.Equal([lastSeen + 1, lastSeen + 2], missed);
        await second.LoginAsync(user.Email, user.Password);
        Assert.Equal(lastSeen + 3, (await reconnected.NextInvocationAsync("notification", Wait)).Single().GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task Gateways_host_no_grains_and_the_silo_port_answers_no_HTTP()
    {
        foreach (var gateway in Cluster.Gateways)
        {
            var member = gateway.Services.GetRequiredService<ClusterMember>();
            Assert.False(member.HostsGrains);
            Assert.Empty(member.ServedPartitions);
            Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/health/ready")).StatusCode);
        }

        var siloPort = Cluster.Silos[0].Services.GetRequiredService<ClusterOptions>().SiloPort;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"http://127.0.0.1:{siloPort}/health/live"));
    }

    public sealed class ClusterFixture : IAsyncLifetime
    {
        public TestCluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync() => Cluster = await TestCluster.StartAsync(silos: 3, gateways: 2);

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }
}
