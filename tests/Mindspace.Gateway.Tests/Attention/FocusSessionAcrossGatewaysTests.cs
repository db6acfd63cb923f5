using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Mindspace.Gateway.Tests.Cluster;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Focus;
using Mindspace.Testing;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Mindspace.Gateway.Tests.Attention;

/// <summary>
/// A person's devices may be connected to different gateways of a cluster. A silo on a throwaway
/// PostgreSQL and two gateway-only processes in front of it: a focus session started, paused and
/// ended through one gateway must reach the person's hub connections on both, and a change made
/// through the second must reach the first.
/// </summary>
public sealed class FocusSessionAcrossGatewaysTests
{
    [Fact]
    public async Task A_focus_session_change_reaches_the_persons_connections_on_every_gateway()
    {
        var databaseUrl = await PostgresServer.Shared.CreateDatabaseAsync("focus-gateways");
        await using var silo = await InProcessSilo.StartAsync(databaseUrl);
        await using var first = await MindspaceTestHost.StartGatewayOnlyAsync(databaseUrl);
        await using var second = await MindspaceTestHost.StartGatewayOnlyAsync(databaseUrl);
        var user = await first.RegisterAndLoginAsync();
        var someoneElse = await first.RegisterAndLoginAsync();

        await using var onFirst = await SessionClient.ConnectAsync(first, user.AccessToken);
        await using var onSecond = await SessionClient.ConnectAsync(second, user.AccessToken);
        await using var othersDevice = await SessionClient.ConnectAsync(second, someoneElse.AccessToken);
        Assert.Equal(JsonValueKind.Null, (await onFirst.NextAsync()).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await onSecond.NextAsync()).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await othersDevice.NextAsync()).ValueKind);

        // Started through the first gateway: both devices hear it.
        var started = await user.Client.PostAsJsonAsync("/api/v1/focus/sessions", new { plannedMinutes = 25, strictness = "gentle" });
        started.EnsureSuccessStatusCode();
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        foreach (var device in new[] { onFirst, onSecond })
        {
            var running = await device.NextAsync();
            Assert.Equal(id, running.GetProperty("id").GetString());
            Assert.Equal("running", running.GetProperty("status").GetString());
        }

        // Paused through the second gateway: the first hears it too.
        using var throughSecond = second.CreateClient(user.AccessToken);
        (await throughSecond.PostAsync($"/api/v1/focus/sessions/{id}/pause", null)).EnsureSuccessStatusCode();
        Assert.Equal("paused", (await onFirst.NextAsync()).GetProperty("status").GetString());
        Assert.Equal("paused", (await onSecond.NextAsync()).GetProperty("status").GetString());

        (await user.Client.PostAsync($"/api/v1/focus/sessions/{id}/end", null)).EnsureSuccessStatusCode();
        foreach (var device in new[] { onFirst, onSecond })
        {
            var ended = await device.NextAsync();
            Assert.Equal("ended", ended.GetProperty("status").GetString());
            Assert.Equal(25, ended.GetProperty("report").GetProperty("plannedMinutes").GetInt32());
        }

        // Each change came once, and nobody else's device heard any of it.
        Assert.False(onFirst.HasMore);
        Assert.False(onSecond.HasMore);
        Assert.False(othersDevice.HasMore);
    }

    /// <summary>
    /// The push of a session start is lost on its way from the silo holding the person's focus grain,
    /// and then that silo dies. A gateway-only process (no membership of its own) must notice its
    /// connection to the silo closing and catch the person's connection up well before its periodic
    /// refresh (<see cref="FocusSessionDelivery.RefreshInterval"/>, 45 s).
    /// </summary>
    [Fact]
    public async Task A_gateway_only_process_catches_up_a_lost_session_push_once_the_silo_that_held_the_focus_grain_has_gone()
    {
        var databaseUrl = await PostgresServer.Shared.CreateDatabaseAsync("focus-lost-push");
        var pushes = new LostSessionPushes();
        var silos = new List<InProcessSilo>();
        try
        {
            silos.Add(await InProcessSilo.StartAsync(databaseUrl, builder => builder.AddOutgoingGrainCallFilter(pushes)));
            silos.Add(await InProcessSilo.StartAsync(databaseUrl, builder => builder.AddOutgoingGrainCallFilter(pushes)));
            await using var gateway = await MindspaceTestHost.StartGatewayOnlyAsync(databaseUrl);
            var user = await gateway.RegisterAndLoginAsync();
            await using var device = await SessionClient.ConnectAsync(gateway, user.AccessToken);
            Assert.Equal(JsonValueKind.Null, (await device.NextAsync()).ValueKind); // subscribed: the focus grain is active

            var address = await gateway.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(gateway.Grains.GetGrain<IFocusGrain>(user.UserId));
            var holder = silos.Single(silo => address is not null && silo.Is(address));

            pushes.Lose = true;
            var started = await user.Client.PostAsJsonAsync("/api/v1/focus/sessions", new { plannedMinutes = 25, strictness = "firm" });
            started.EnsureSuccessStatusCode();
            var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            Assert.Equal(1, pushes.Lost);
            Assert.False(device.HasMore);

            await holder.KillAsync();

            var caughtUp = await device.NextAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(id, caughtUp.GetProperty("id").GetString());
            Assert.Equal("running", caughtUp.GetProperty("status").GetString());
        }
        finally
        {
            await Task.WhenAll(silos.Select(silo => silo.DisposeAsync().AsTask()));
        }
    }

    /// <summary>A silo's outgoing call filter that loses live session pushes once told to, as a silo dying with them queued does.</summary>
    private sealed class LostSessionPushes : IOutgoingGrainCallFilter
    {
        private int _lost;

        public volatile bool Lose;

        public int Lost => Volatile.Read(ref _lost);

        public Task Invoke(IOutgoingGrainCallContext context)
        {
            if (Lose && context.InterfaceMethod.Name == nameof(IFocusSessionObserver.OnFocusSessionAsync))
            {
                Interlocked.Increment(ref _lost);
                return Task.CompletedTask; // one-way: the focus grain never learns
            }

            return context.Invoke();
        }
    }

    /// <summary>A real SignalR client of <c>/hubs/attention</c> that queues the sessions pushed to it.</summary>
    private sealed class SessionClient : IAsyncDisposable
    {
        private readonly Channel<JsonElement> _sessions = Channel.CreateUnbounded<JsonElement>();
        private readonly HubConnection _connection;

        private SessionClient(HubConnection connection)
        {
            _connection = connection;
            connection.On<JsonElement>("focusSession", session => _sessions.Writer.TryWrite(session.Clone()));
        }

        public bool HasMore => _sessions.Reader.TryPeek(out _);

        public static Task<SessionClient> ConnectAsync(MindspaceTestHost gateway, string token)
            => HubConnections.ConnectAsync(new Uri(gateway.BaseAddress, "/hubs/attention"), token, connection => new SessionClient(connection), TimeSpan.FromSeconds(60));

        public async Task<JsonElement> NextAsync(TimeSpan? within = null)
        {
            using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
            return await _sessions.Reader.ReadAsync(timeout.Token);
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
