using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Gateway.Tests.Notifications;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Testing;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>
/// Live notifications across the death of the silo that holds a user's inbox (issue 8, item 8): three
/// silos and a gateway-only process on a throwaway PostgreSQL, a hub client connected through the
/// gateway, notifications appended while the inbox's silo dies. The client must see every sequence
/// exactly once and in order, live delivery must be back within 5 s of the first notification stored
/// after the death, and a device that was away must get exactly what it missed.
/// </summary>
/// <remarks>
/// Two ways to die. <see cref="SiloProcess"/>: a silo process is SIGKILLed (sockets reset by the
/// kernel, death learned from missed probes, pushes in flight lost). <see cref="InProcessSilo"/>: a
/// silo in this process is stopped with an already-cancelled token (no hand-over, connections
/// dropped, but it still marks itself dead in the membership table) — quicker, and what
/// <c>InProcessTestCluster.KillSiloAsync</c> does. <c>deploy/local/chaos.py</c> SIGKILLs silos of a
/// local cluster under a write load.
/// </remarks>
public sealed class NotificationFailoverTests(ITestOutputHelper output)
{
    private const int Silos = 3;

    /// <summary>The bound: live delivery is back this soon after a notification is stored.</summary>
    private const int ResumeWithinSeconds = 5;

    /// <summary>Notifications acknowledged after the kill before the producer stops.</summary>
    private const int AfterKill = 30;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public Task SIGKILL_of_the_silo_process_that_holds_a_users_inbox_loses_no_notification_and_live_delivery_resumes_within_5_s()
        => KillTheInboxSiloAsync(async databaseUrl => await SiloProcess.StartAsync(databaseUrl));

    [Fact]
    public Task Killing_the_in_process_silo_that_holds_a_users_inbox_loses_no_notification_and_live_delivery_resumes_within_5_s()
        => KillTheInboxSiloAsync(async databaseUrl => await InProcessSilo.StartAsync(databaseUrl));

    private async Task KillTheInboxSiloAsync(Func<string, Task<ITestSilo>> startSilo)
    {
        var databaseUrl = await PostgresServer.Shared.CreateDatabaseAsync("notify-failover");
        var setUp = Stopwatch.StartNew();
        var silos = new List<ITestSilo>();
        try
        {
            silos.Add(await startSilo(databaseUrl)); // alone first: it creates the schema
            silos.AddRange(await Task.WhenAll(Enumerable.Range(1, Silos - 1).Select(_ => startSilo(databaseUrl))));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Silos} silos ready after {setUp.Elapsed.TotalSeconds:F1} s"));
            await using var gateway = await MindspaceTestHost.StartGatewayOnlyAsync(databaseUrl);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gateway ready after {setUp.Elapsed.TotalSeconds:F1} s"));

            var user = await gateway.RegisterAndLoginAsync(); // its sign-in is notification 1
            var inbox = gateway.Grains.GetGrain<INotificationInboxGrain>(user.UserId);
            await using var live = await NotificationsHubClient.ConnectAsync(gateway.BaseAddress, user.AccessToken, lastSequence: 0);
            var clock = Stopwatch.StartNew();
            var arrivals = Arrivals.Start(live, clock);
            long resumeFrom;

            // A second device, away from just before the kill, that comes back afterwards with lastSequence.
            var away = await NotificationsHubClient.ConnectAsync(gateway.BaseAddress, user.AccessToken, lastSequence: 0);
            var producer = Producer.Start(inbox, clock);
            try
            {
                await Eventually.TrueAsync(() => producer.Acknowledged.Count >= 5, "notifications acknowledged before the kill");
                resumeFrom = await ReadUpToAsync(away, producer.Acknowledged.Max(a => a.Sequence));
                await away.DisposeAsync();
                await Eventually.TrueAsync(() => arrivals.Highest >= resumeFrom, "live delivery before the kill");

                var holder = await gateway.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(inbox);
                Assert.NotNull(holder);
                var victim = silos.Single(silo => silo.Is(holder));
                var killedAt = clock.Elapsed;
                await victim.KillAsync();
                var killed = clock.Elapsed;
                silos.Remove(victim);
                await victim.DisposeAsync();

                // The first notification stored after the kill must reach the client within the bound,
                // counted from when its append was acknowledged (gaps before it are filled on the way).
                var first = await Eventually.ReturnsAsync(
                    () => Task.FromResult(producer.Acknowledged.FirstOrDefault(a => a.StartedAt >= killed)),
                    ack => ack is not null,
                    "a notification acknowledged after the kill",
                    seconds: 60);
                await Eventually.TrueAsync(() => arrivals.Highest >= first!.Sequence, $"live delivery of notification {first!.Sequence}", ResumeWithinSeconds);
                var resumedAt = arrivals.ArrivalOf(first.Sequence);

                await Eventually.TrueAsync(() => producer.Acknowledged.Count(a => a.StartedAt >= killed) >= AfterKill, "the producer to go on after the kill", seconds: 60);
                await producer.StopAsync();

                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"kill took {(killed - killedAt).TotalSeconds:F2} s; the first append started after it was acknowledged {(first.AcknowledgedAt - killedAt).TotalSeconds:F2} s after the kill "
                    + $"(#{first.Sequence}; {producer.Failures} failed attempts in all) and delivered {(resumedAt - killedAt).TotalSeconds:F2} s after the kill, "
                    + $"{(resumedAt - first.AcknowledgedAt).TotalSeconds:F2} s after its acknowledgement"));
            }
            finally
            {
                await producer.StopAsync();
                await away.DisposeAsync();
            }

            // Nothing missing, nothing twice, in order: everything the inbox holds, including appends
            // whose acknowledgement was lost with the silo (they are stored, so they are delivered).
            var last = (await inbox.ReadAfterAsync(0, 1)).LastSequence;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{last} notifications stored; checking the client at {clock.Elapsed.TotalSeconds:F1} s"));
            await Eventually.TrueAsync(() => arrivals.Highest >= last, "every stored notification at the client");
            Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), arrivals.Sequences);

            // The device that was away replays exactly what it missed, then carries on live.
            await using var back = await NotificationsHubClient.ConnectAsync(gateway.BaseAddress, user.AccessToken, resumeFrom);
            var replayed = new List<long>();
            while (replayed.Count < last - resumeFrom)
            {
                replayed.Add(await back.NextSequenceAsync(Wait));
            }

            Assert.Equal(Enumerable.Range((int)resumeFrom + 1, (int)(last - resumeFrom)).Select(i => (long)i), replayed);
            await gateway.LoginAsync(user.Email, user.Password); // the product's own path, after the failover
            Assert.Equal(last + 1, await back.NextSequenceAsync(Wait));
            await Eventually.TrueAsync(() => arrivals.Highest == last + 1, "the sign-in's notification live");
            Assert.Equal(Enumerable.Range(1, (int)last + 1).Select(i => (long)i), arrivals.Sequences);
        }
        finally
        {
            await Task.WhenAll(silos.Select(silo => silo.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Reads from <paramref name="client"/> until it has seen <paramref name="sequence"/>; returns the highest it saw.</summary>
    private static async Task<long> ReadUpToAsync(NotificationsHubClient client, long sequence)
    {
        long seen;
        do
        {
            seen = await client.NextSequenceAsync(Wait);
        }
        while (seen < sequence);

        return seen;
    }

    /// <summary>One acknowledged append: its sequence, when the call that stored it started and when it returned.</summary>
    private sealed record Acknowledgement(long Sequence, TimeSpan StartedAt, TimeSpan AcknowledgedAt);

    /// <summary>
    /// Appends notifications through the gateway's cluster client, retrying each until it is stored:
    /// a few writers at once, so one call stuck on the dead silo does not hide when the inbox came back.
    /// </summary>
    private sealed class Producer
    {
        private const int Writers = 4;

        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<Acknowledgement> _acknowledged = new();
        private Task _running = Task.CompletedTask;
        private int _failures;

        public IReadOnlyCollection<Acknowledgement> Acknowledged => _acknowledged;

        public int Failures => _failures;

        public static Producer Start(INotificationInboxGrain inbox, Stopwatch clock)
        {
            var producer = new Producer();
            producer._running = Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(() => producer.RunAsync(inbox, clock))));
            return producer;
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _running;
        }

        private async Task RunAsync(INotificationInboxGrain inbox, Stopwatch clock)
        {
            while (!_stop.IsCancellationRequested)
            {
                var startedAt = clock.Elapsed;
                try
                {
                    var stored = await inbox.AppendAsync(new UserNotification(Guid.NewGuid(), "test.failover", "Failover", "A notification written during a failover test.", DateTimeOffset.UtcNow));
                    _acknowledged.Enqueue(new Acknowledgement(stored.Sequence, startedAt, clock.Elapsed));
                    await Task.Delay(50);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The silo died under the call, or the cluster has not yet noticed: try again.
                    Interlocked.Increment(ref _failures);
                    await Task.Delay(100);
                }
            }
        }
    }

    /// <summary>What a hub client received, and when.</summary>
    private sealed class Arrivals
    {
        private readonly List<(long Sequence, TimeSpan At)> _arrivals = [];
        private Task _receiving = Task.CompletedTask;

        public long Highest
        {
            get
            {
                lock (_arrivals)
                {
                    return _arrivals.Count == 0 ? 0 : _arrivals.Max(a => a.Sequence);
                }
            }
        }

        public IReadOnlyList<long> Sequences
        {
            get
            {
                lock (_arrivals)
                {
                    return [.. _arrivals.Select(a => a.Sequence)];
                }
            }
        }

        public static Arrivals Start(NotificationsHubClient client, Stopwatch clock)
        {
            var arrivals = new Arrivals();
            arrivals._receiving = Task.Run(async () =>
            {
                while (true)
                {
                    long sequence;
                    try
                    {
                        sequence = await client.NextSequenceAsync(Timeout.InfiniteTimeSpan);
                    }
                    catch (InvalidOperationException)
                    {
                        return; // the connection closed
                    }

                    lock (arrivals._arrivals)
                    {
                        arrivals._arrivals.Add((sequence, clock.Elapsed));
                    }
                }
            });
            return arrivals;
        }

        public TimeSpan ArrivalOf(long sequence)
        {
            lock (_arrivals)
            {
                return _arrivals.First(a => a.Sequence == sequence).At;
            }
        }
    }
}
