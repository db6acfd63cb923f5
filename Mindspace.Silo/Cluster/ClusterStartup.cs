using System.Diagnostics;
using Microsoft.Extensions.Logging;

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
        => settings.Tls is { } tls
            ? $"This process could not join the Mindspace cluster '{settings.ClusterId}' within {JoinTimeout.TotalSeconds:0} s. " +
              $"If the other members refused its TLS handshake, the certificate in {ClusterTlsSettings.CertificateKey}='{tls.CertificatePath}' is not the cluster's " +
              $"({(tls.CaPath is null ? "members pin one shared certificate" : $"members trust only the CA in {ClusterTlsSettings.CaKey}='{tls.CaPath}'")}). " +
              "Otherwise check that the silos run and that their ports are reachable."
            : $"This process could not join the Mindspace cluster within {JoinTimeout.TotalSeconds:0} s.";

    /// <summary>Lets a client retry connecting until <see cref="JoinTimeout"/> has passed since the first failure.</summary>
    public sealed class GiveUpAfterJoinTimeout(SiloSettings settings, ILogger<GiveUpAfterJoinTimeout> logger) : IClientConnectionRetryFilter
    {
        private long _firstFailure;

        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            var first = Interlocked.CompareExchange(ref _firstFailure, Stopwatch.GetTimestamp(), 0);
            if (first != 0 && Stopwatch.GetElapsedTime(first) >= JoinTimeout)
            {
                ClusterLog.GaveUpJoining(logger, DescribeJoinFailure(settings));
                return false;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        }
    }
}
