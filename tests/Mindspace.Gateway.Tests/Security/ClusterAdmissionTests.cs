using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Silo;
using Mindspace.Silo.Cluster;
using Mindspace.Testing;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Runtime.Messaging;

namespace Mindspace.Gateway.Tests.Security;

/// <summary>One cluster member (a gateway co-hosting a silo, on PostgreSQL, with the CA-issued cluster certificate) that strangers knock on.</summary>
public sealed class AdmissionCluster : IAsyncLifetime
{
    public MindspaceTestHost Host { get; private set; } = null!;

    public Guid UserId { get; private set; }

    /// <summary>The cluster's database as this member reads it (a connection string).</summary>
    public string DatabaseUrl => Host.Services.GetRequiredService<SiloSettings>().DatabaseUrl!;

    public async Task InitializeAsync()
    {
        Host = await MindspaceTestHost.StartOnPostgresAsync();
        UserId = (await Host.RegisterAndLoginAsync()).UserId;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// In cluster mode only holders of the cluster's certificate get in: a client with another
/// certificate, or none, calls no grain, and a member refused this way stops within 30 s saying
/// which certificate it presented. The 30 s are a correctness bound (a refused client used to retry
/// for about three minutes), not a speed measurement.
/// </summary>
public sealed class ClusterAdmissionTests(AdmissionCluster cluster) : IClassFixture<AdmissionCluster>
{
    private static readonly TimeSpan StopsWithin = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_client_with_the_cluster_certificate_calls_a_grain()
    {
        // The control: same database, ports and client set-up as the strangers below, so only the certificate differs.
        var attempts = new List<Exception>();
        using var client = await StartClientAsync(attempts, client => client.UseTls(TheClustersCertificate));

        Assert.True(await client.Services.GetRequiredService<IClusterClient>().GetGrain<IUserGrain>(cluster.UserId).ExistsAsync());
        Assert.Empty(attempts);
    }

    [Fact]
    public async Task A_client_with_another_CAs_certificate_cannot_call_a_grain()
    {
        var attempts = new List<Exception>();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => StartClientAsync(attempts, client => client.UseTls(options =>
        {
            new ClusterTlsSettings(TestCertificates.Shared.StrangerCertificatePath, TestCertificates.Shared.StrangerKeyPath, CaPath: null).Apply(options);

            // A stranger trusts anyone: only the silo's check keeps it out.
            options.AllowAnyRemoteCertificate();
        })));

        AssertRefusedAtTheDoor(failure, attempts);
    }

    [Fact]
    public async Task A_client_without_TLS_cannot_call_a_grain()
    {
        var attempts = new List<Exception>();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => StartClientAsync(attempts, _ => { }));

        AssertRefusedAtTheDoor(failure, attempts);
    }

    [Fact]
    public async Task A_gateway_with_a_strangers_certificate_stops_within_30_s_naming_the_certificate()
    {
        var stopwatch = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => MindspaceTestHost.StartGatewayOnlyAsync(cluster.DatabaseUrl, WithStrangersCertificate));
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < StopsWithin, $"The refused gateway took {stopwatch.Elapsed.TotalSeconds:0.0} s to stop.");
        var joinFailure = Assert.IsType<ClusterJoinException>(failure);
        Assert.Contains($"CLUSTER_TLS_CERT='{TestCertificates.Shared.StrangerCertificatePath}'", joinFailure.Message);
    }

    [Fact]
    public async Task A_silo_with_a_strangers_certificate_does_not_join_and_stops_within_30_s_naming_the_certificate()
    {
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        TestClusterSettings.ApplyPorts(settings);
        TestClusterSettings.ApplyCluster(settings, cluster.DatabaseUrl);
        WithStrangersCertificate(settings);
        var logs = new CapturedLogs();
        var fatalErrors = new FatalErrorRecorder();
        var silo = MindspaceSilo.Build(
            [],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
            },
            orleans =>
            {
                // As Program.cs does, around a handler that notes what Orleans' own would end the process for.
                orleans.Services.AddSingleton<IFatalErrorHandler>(fatalErrors);
                orleans.ExplainFailedJoins();
            });

        try
        {
            var stopwatch = Stopwatch.StartNew();
            var failure = await Assert.ThrowsAsync<ClusterJoinException>(() => silo.StartMemberAsync());
            stopwatch.Stop();

            Assert.True(stopwatch.Elapsed < StopsWithin, $"The refused silo took {stopwatch.Elapsed.TotalSeconds:0.0} s to stop.");
            Assert.Contains($"CLUSTER_TLS_CERT='{TestCertificates.Shared.StrangerCertificatePath}'", failure.Message);
            var explanations = logs.Lines.Where(line => line.Contains("[Critical]", StringComparison.Ordinal) && line.Contains(TestCertificates.Shared.StrangerCertificatePath, StringComparison.Ordinal)).ToList();
            Assert.Contains(explanations, line => line.Contains("could not join", StringComparison.Ordinal));

            // Declared dead by the cluster before it gave up (it often is): it said why before Orleans would have ended the process.
            if (fatalErrors.Errors.Count > 0)
            {
                Assert.Contains(explanations, line => line.Contains("declared it dead before it could join", StringComparison.Ordinal));
            }
        }
        finally
        {
            await silo.DisposeAsync();
        }

        // The cluster never counted it: only the one real member is active.
        var management = cluster.Host.Grains.GetGrain<IManagementGrain>(0);
        var active = await management.GetHosts(onlyActive: true);
        var strangersPort = int.Parse(settings["SILO_PORT"]!, CultureInfo.InvariantCulture);
        Assert.DoesNotContain(active.Keys, member => member.Endpoint.Port == strangersPort);
        Assert.Single(active);
    }

    /// <summary>
    /// Orleans ends the whole process when a silo learns it was declared dead, which a refused silo
    /// usually learns while it is still trying to join; in this test process that would end every
    /// test, so it is noted instead.
    /// </summary>
    private sealed class FatalErrorRecorder : IFatalErrorHandler
    {
        public List<string> Errors { get; } = [];

        public bool IsUnexpected(Exception exception) => true;

        public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
        {
            lock (Errors)
            {
                Errors.Add($"{sender?.GetType().Name}: {context} {exception?.Message}");
            }
        }
    }

    private static void WithStrangersCertificate(IDictionary<string, string?> settings)
    {
        settings[ClusterTlsSettings.CertificateKey] = TestCertificates.Shared.StrangerCertificatePath;
        settings[ClusterTlsSettings.PrivateKeyKey] = TestCertificates.Shared.StrangerKeyPath;
    }

    private static void TheClustersCertificate(TlsOptions options)
        => new ClusterTlsSettings(TestCertificates.Shared.ClusterCertificatePath, TestCertificates.Shared.ClusterKeyPath, TestCertificates.Shared.CaPath).Apply(options);

    /// <summary>The client found the silo (the gateway list came from the database) and was turned away while connecting.</summary>
    private static void AssertRefusedAtTheDoor(Exception failure, List<Exception> attempts)
    {
        Assert.NotEmpty(attempts);
        Assert.All(attempts, attempt => Assert.IsAssignableFrom<ConnectionFailedException>(attempt));
        Assert.IsAssignableFrom<ConnectionFailedException>(failure);
    }

    /// <summary>
    /// An Orleans client of the cluster's database, secured by <paramref name="security"/>; it gives
    /// up after a few refused attempts (recorded in <paramref name="attempts"/>) instead of retrying for minutes.
    /// </summary>
    private async Task<IHost> StartClientAsync(List<Exception> attempts, Action<IClientBuilder> security)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var siloSettings = cluster.Host.Services.GetRequiredService<SiloSettings>();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = siloSettings.ClusterId;
                options.ServiceId = siloSettings.ServiceId;
            });
            client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(10));
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = MindspaceOrleans.AdoNetInvariant;
                options.ConnectionString = cluster.DatabaseUrl;
            });
            security(client);
            client.UseConnectionRetryFilter(async (exception, cancellationToken) =>
            {
                lock (attempts)
                {
                    attempts.Add(exception);
                    if (attempts.Count >= 3)
                    {
                        return false;
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                return true;
            });
        });

        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
