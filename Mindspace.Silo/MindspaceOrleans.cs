using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Records;
using Mindspace.Silo.Cluster;
using Mindspace.Silo.Journal;
using Mindspace.Silo.Notifications;
using Mindspace.Silo.Storage;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace Mindspace.Silo;

/// <summary>
/// Puts Mindspace on Orleans in this process: a silo hosting every grain, or a client of the
/// cluster. Without <c>DATABASE_URL</c> this is the one embedded silo (localhost clustering on
/// loopback ports, grain state, records and reminders in SQLite under <c>DATA_DIR</c>). With it, the
/// process is a member of the cluster on that PostgreSQL (AdoNet clustering, state and reminders;
/// our record tables), every connection between members mutually authenticated with TLS.
/// </summary>
public static class MindspaceOrleans
{
    public const string AdoNetInvariant = "Npgsql";

    /// <param name="configureSilo">Lets tests and benchmarks add to the silo (extra grains, options).</param>
    public static SiloSettings AddMindspaceOrleans(this IHostApplicationBuilder builder, SiloRole role, Action<ISiloBuilder>? configureSilo = null)
    {
        var settings = SiloSettings.From(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.Configure<HostOptions>(options => options.ShutdownTimeout = settings.ShutdownTimeout);
        services.TryAddKeyedSingleton(MindspaceClock.Key, TimeProvider.System);

        // Registered before Orleans, so the schema is in place before membership reads its table.
        services.AddMindspaceStorage(settings);
        if (role == SiloRole.HostsGrains)
        {
            // Read now, so a Production process without MASTER_KEY stops at start with a message.
            services.AddSingleton(JournalMasterKeySettings.Load(builder.Configuration, settings));
        }

        var observability = ObservabilitySettings.From(builder.Configuration);
        if (role == SiloRole.HostsGrains)
        {
            builder.UseOrleans(silo =>
            {
                ConfigureSilo(silo, settings);
                if (observability.ExportsAnything)
                {
                    silo.AddActivityPropagation();
                }

                if (observability.DashboardEnabled)
                {
                    silo.AddDashboard();
                }

                configureSilo?.Invoke(silo);
            });
        }
        else
        {
            if (settings.IsEmbedded)
            {
                throw new InvalidOperationException($"A process that hosts no grains needs {SiloSettings.DatabaseUrlKey}: it finds the silos in that database.");
            }

            builder.UseOrleansClient(client =>
            {
                ConfigureClient(client, settings);
                if (observability.ExportsAnything)
                {
                    client.AddActivityPropagation();
                }

                if (observability.DashboardEnabled)
                {
                    client.AddDashboard();
                }
            });
        }

        builder.AddMindspaceTelemetry(observability);
        return settings;
    }

    /// <summary>
    /// What a silo needs to host Mindspace's grains, apart from how it finds its peers: the record
    /// collections, grain state and reminders on the configured database, call timeouts, and grain
    /// references made without working out the interface's name each time (<see cref="GrainInterfaceTypeCache"/>). The
    /// database's services come from <see cref="StorageServices.AddMindspaceStorage"/>.
    /// </summary>
    public static ISiloBuilder AddMindspaceGrainServices(this ISiloBuilder silo, SiloSettings settings)
    {
        GrainInterfaceTypeCache.AddTo(silo.Services);
        silo.Services.AddSingleton<IAttributeToFactoryMapper<RecordCollectionAttribute>, RecordCollectionAttributeMapper>();
        silo.Services.TryAddSingleton(sp => JournalMasterKeySettings.Load(sp.GetRequiredService<IConfiguration>(), settings));
        silo.Services.AddMindspaceWebPush(settings, hostsGrains: true);
        silo.Configure<SiloMessagingOptions>(options =>
        {
            options.ResponseTimeout = ClusterTuning.SiloResponseTimeout;
            options.ClientGatewayShutdownNotificationTimeout = ClusterTuning.ClientGatewayShutdownNotificationTimeout;
        });
        silo.AddOutgoingGrainCallFilter<RejectedCallRetry>();
        if (settings.IsEmbedded)
        {
            return silo.AddMindspaceSqliteStorage();
        }

        var connectionString = settings.DatabaseUrl!;
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.AddAdoNetGrainStorageAsDefault(options =>
        {
            options.Invariant = AdoNetInvariant;
            options.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = AdoNetInvariant;
            options.ConnectionString = connectionString;
        });
        return silo;
    }

    private static void ConfigureSilo(ISiloBuilder silo, SiloSettings settings)
    {
        silo.AddMindspaceGrainServices(settings);
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = settings.ClusterId;
            options.ServiceId = settings.ServiceId;
        });

        if (settings.IsEmbedded)
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
            return;
        }

        silo.Configure<ClusterMembershipOptions>(ClusterTuning.Apply);
        silo.Configure<ClusterMembershipOptions>(options => options.MaxJoinAttemptTime = ClusterStartup.JoinTimeout);
        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = AdoNetInvariant;
            options.ConnectionString = settings.DatabaseUrl;
        });

        var advertised = IPAddress.Parse(settings.AdvertiseAddress);
        silo.ConfigureEndpoints(advertised, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
        silo.UseTls(settings.Tls!.Apply);
        if (settings.InKubernetes)
        {
            // Only inside Kubernetes: outside it, Orleans' Kubernetes hosting stops the process at start.
            silo.UseKubernetesHosting();
        }
    }

    /// <summary>
    /// How a client of the cluster calls grains, whatever its membership: timeouts, gateway refresh, giving up
    /// on calls in flight soon after a connection to a silo closes (<see cref="SiloLossCutoff"/>, around the
    /// retry of rejected calls, so it bounds the retries too), the retry of rejected calls, and grain references made
    /// without working out the interface's name each time (<see cref="GrainInterfaceTypeCache"/>).
    /// </summary>
    public static IClientBuilder AddMindspaceClientCalls(this IClientBuilder client)
    {
        GrainInterfaceTypeCache.AddTo(client.Services);
        client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = ClusterTuning.ClientResponseTimeout);
        client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = ClusterTuning.GatewayListRefreshPeriod);
        client.Services.AddSingleton<SiloLossCutoff>();
        client.Services.AddSingleton<IOutgoingGrainCallFilter>(sp => sp.GetRequiredService<SiloLossCutoff>());
        client.AddGatewayCountChangedHandler(sp => sp.GetRequiredService<SiloLossCutoff>().OnGatewayCountChanged);
        client.AddOutgoingGrainCallFilter<RejectedCallRetry>();
        return client;
    }

    private static void ConfigureClient(IClientBuilder client, SiloSettings settings)
    {
        var connectionString = settings.DatabaseUrl!;
        client.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = settings.ClusterId;
            options.ServiceId = settings.ServiceId;
        });
        client.AddMindspaceClientCalls();
        client.UseAdoNetClustering(options =>
        {
            options.Invariant = AdoNetInvariant;
            options.ConnectionString = connectionString;
        });
        client.UseTls(settings.Tls!.Apply);
        client.UseConnectionRetryFilter<ClusterStartup.GiveUpAfterJoinTimeout>();
    }
}
