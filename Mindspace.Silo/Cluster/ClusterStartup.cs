using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.MembershipService;

namespace Mindspace.Silo.Cluster;

/// <summary>
/// How long a member keeps trying to join the cluster, and what it says when it gives up. A
/// member whose certificate the others refuse would otherwise retry for minutes without a word.
/// </summary>
public static class ClusterStartup
{
    /// <summary>A silo that is not an active member by then stops (Orleans' <c>MaxJoinAttemptTime</c>); a client gives up connecting.</summary>
    public static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Why a member could not join, naming its certificate, for the log and the exit message.</summary>
    public static string DescribeJoinFailure(SiloSettings settings)
        => Explain(settings, $"This process could not join the Mindspace cluster '{settings.ClusterId}' within {JoinTimeout.TotalSeconds:0} s.");

    /// <summary>Why the cluster declared a silo dead before it ever joined, naming its certificate.</summary>
    public static string DescribeDeathBeforeJoining(SiloSettings settings)
        => Explain(settings, $"This silo is stopping: the Mindspace cluster '{settings.ClusterId}' declared it dead before it could join (the other members could not reach it).");

    private static string Explain(SiloSettings settings, string what)
        => settings.Tls is { } tls
            ? $"{what} If the other members refused its TLS handshake, the certificate in {ClusterTlsSettings.CertificateKey}='{tls.CertificatePath}' is not the cluster's " +
              $"({(tls.CaPath is null ? "members pin one shared certificate" : $"members trust only the CA in {ClusterTlsSettings.CaKey}='{tls.CaPath}'")}). " +
              "Otherwise check that the silos run and that their ports are reachable."
            : what;

    /// <summary>
    /// Makes a silo that ends before it joined say why first. The other members probe a joining
    /// silo; when they cannot reach it (they refuse its certificate) they declare it dead, and when
    /// it reads that, Orleans ends the process at once with a message about membership only — often
    /// before <see cref="JoinTimeout"/> is up. Wraps the fatal error handler already registered.
    /// </summary>
    public static ISiloBuilder ExplainFailedJoins(this ISiloBuilder silo)
    {
        var services = silo.Services;
        var inner = services.LastOrDefault(descriptor => descriptor.ServiceType == typeof(IFatalErrorHandler) && !descriptor.IsKeyedService);
        if (inner is null)
        {
            return silo;
        }

        services.Remove(inner);
        services.AddSingleton(provider => new ExplainingFatalErrorHandler(
            (IFatalErrorHandler)(inner.ImplementationInstance ?? inner.ImplementationFactory?.Invoke(provider) ?? ActivatorUtilities.CreateInstance(provider, inner.ImplementationType!)),
            provider.GetRequiredService<SiloSettings>(),
            provider.GetRequiredService<ILogger<ExplainingFatalErrorHandler>>()));
        services.AddSingleton<IFatalErrorHandler>(provider => provider.GetRequiredService<ExplainingFatalErrorHandler>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<ExplainingFatalErrorHandler>());
        return silo;
    }

    /// <summary>
    /// Runs a silo or gateway until it is told to stop. A member that could not join the cluster has
    /// said why in a Critical log line (<see cref="StartMemberAsync"/>) and exits with code 1, not
    /// with a stack trace.
    /// </summary>
    public static async Task<int> RunMemberAsync(this IHost host)
    {
        try
        {
            await host.StartMemberAsync();
            await host.WaitForShutdownAsync();
            return 0;
        }
        catch (ClusterJoinException)
        {
            return 1;
        }
        finally
        {
            // Disposing flushes the console logger, so the reason is written before the process ends.
            if (host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
    }

    /// <summary>
    /// Starts a silo or gateway. When it could not join the cluster (a silo that reached no active
    /// member within <see cref="JoinTimeout"/>, a client that reached no silo), this logs
    /// <see cref="DescribeJoinFailure"/> at Critical, stops what did start, and throws
    /// <see cref="ClusterJoinException"/> with the reason, instead of Orleans' exception that names
    /// neither the certificate nor the setting.
    /// </summary>
    public static async Task StartMemberAsync(this IHost host, CancellationToken cancellationToken = default)
    {
        ClusterJoinException joinFailure;
        try
        {
            await host.StartAsync(cancellationToken);
            return;
        }
        catch (Exception exception) when (Find<ClusterJoinException>(exception) is { } clientGaveUp)
        {
            // A client's retry filter already logged it.
            joinFailure = clientGaveUp;
        }
        catch (Exception exception) when (Find<OrleansClusterConnectivityCheckFailedException>(exception) is not null
            && host.Services.GetService<SiloSettings>() is { IsEmbedded: false } settings)
        {
            var reason = DescribeJoinFailure(settings);
            ClusterLog.GaveUpJoining(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClusterStartup)), reason);
            joinFailure = new ClusterJoinException(reason, exception);
        }

        // A silo that failed to join is still listed as joining; left running, it would soon read that
        // the others declared it dead and end the process on the spot (Orleans' fatal error handler).
        try
        {
            await host.StopAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is OperationCanceledException or OrleansException or InvalidOperationException)
        {
            // Stopping what half started may fail too; the reason to report is the join failure.
        }

        throw joinFailure;
    }

    /// <summary>The first <typeparamref name="T"/> in <paramref name="exception"/> and what it wraps (the host wraps several start failures in one).</summary>
    private static T? Find<T>(Exception? exception)
        where T : Exception
        => exception switch
        {
            null => null,
            T found => found,
            AggregateException aggregate => aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(found => found is not null),
            _ => Find<T>(exception.InnerException),
        };

    /// <summary>
    /// Lets a client retry connecting until <see cref="JoinTimeout"/> has passed since the first
    /// failure, then stops its start with <see cref="ClusterJoinException"/> (a filter that only
    /// declined would leave Orleans' own connection error, which does not name the certificate).
    /// </summary>
    public sealed class GiveUpAfterJoinTimeout(SiloSettings settings, ILogger<GiveUpAfterJoinTimeout> logger) : IClientConnectionRetryFilter
    {
        private long _firstFailure;

        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            var first = Interlocked.CompareExchange(ref _firstFailure, Stopwatch.GetTimestamp(), 0);
            if (first != 0 && Stopwatch.GetElapsedTime(first) >= JoinTimeout)
            {
                var reason = DescribeJoinFailure(settings);
                ClusterLog.GaveUpJoining(logger, reason);
                throw new ClusterJoinException(reason, exception);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        }
    }
}

/// <summary>Logs <see cref="ClusterStartup.DescribeDeathBeforeJoining"/> when a cluster silo that never became active hits a fatal error, then hands over to Orleans' handler.</summary>
internal sealed class ExplainingFatalErrorHandler(IFatalErrorHandler inner, SiloSettings settings, ILogger<ExplainingFatalErrorHandler> logger)
    : IFatalErrorHandler, ILifecycleParticipant<ISiloLifecycle>
{
    private volatile bool _joined;

    public bool IsUnexpected(Exception exception) => inner.IsUnexpected(exception);

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        if (!_joined && !settings.IsEmbedded)
        {
            ClusterLog.GaveUpJoining(logger, ClusterStartup.DescribeDeathBeforeJoining(settings));
        }

        inner.OnFatalException(sender, context, exception);
    }

    public void Participate(ISiloLifecycle lifecycle)
        => lifecycle.Subscribe(nameof(ExplainingFatalErrorHandler), ServiceLifecycleStage.Active, _ =>
        {
            _joined = true;
            return Task.CompletedTask;
        });
}

/// <summary>This process could not join the cluster; the message says why and names the certificate it presented.</summary>
public sealed class ClusterJoinException(string message, Exception innerException) : Exception(message, innerException);
