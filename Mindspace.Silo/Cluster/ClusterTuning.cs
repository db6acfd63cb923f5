using Orleans.Configuration;

namespace Mindspace.Silo.Cluster;

/// <summary>
/// How fast the cluster notices a dead member, and how long a caller waits on a call. The reasons
/// and the measurements behind these values are in docs/architecture.md ("Failover").
/// </summary>
/// <remarks>
/// Orleans' defaults declare a SIGKILLed silo dead after ~7 s, and a caller whose request was in
/// flight waits out the 30 s response timeout. Here a silo probes its peers every
/// <see cref="ProbeTimeout"/>; two missed probes and two votes (capped by Orleans for small
/// clusters) declare death, so a dead silo is out in about 3–4 s. Not faster: on a busy 2-core
/// machine the thread pool stalls for 1–2 s at times, and a single vote after one-second probes
/// risked declaring a healthy silo dead. Indirect probes and the slower probes Orleans uses while a
/// silo's own health is degraded guard against the same.
/// </remarks>
public static class ClusterTuning
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1.5);
    public const int NumMissedProbesLimit = 2;
    public const int NumVotesForDeathDeclaration = 2;
    public const int NumProbedSilos = 3;
    public static readonly TimeSpan TableRefreshTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A call from a silo (a grain, or a gateway's in-process silo) that gets no answer fails after
    /// this long. Silos fail their calls to a silo as soon as it is declared dead, so this only
    /// bounds a slow or stuck grain.
    /// </summary>
    public static readonly TimeSpan SiloResponseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A call from a client (a gateway-only process) fails after this long. An Orleans client is
    /// not told which silo ended up holding its call, so a call in flight to a silo that died
    /// waits out this whole timeout: in a chaos run with 10 s, that wait, not membership, was the
    /// longest outage a user saw. Not shorter: with 3 s, first calls on a cold, busy 2-core
    /// machine (activation, JIT, password hashing) timed out. Every grain method answers in
    /// milliseconds when warm; the few that legitimately take longer carry <c>[ResponseTimeout]</c>
    /// (<c>GrainCallTimeouts</c>). The wait after a SIGKILL is cut instead where it arises:
    /// <see cref="SiloLossCutoff"/> gives up on the calls a client had in flight when its connection
    /// to a silo closed <see cref="SiloLossCutoff.Grace"/> after the close (and sends again at once
    /// those safe to run twice), while every other call keeps this timeout.
    /// </summary>
    public static readonly TimeSpan ClientResponseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A stopping silo tells its connected clients it is leaving, then waits this long before it
    /// stops taking their calls (Orleans' default: no wait), so calls already on their way through it finish.
    /// </summary>
    public static readonly TimeSpan ClientGatewayShutdownNotificationTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How often a client (a gateway-only process) re-reads the list of silos it may connect to.</summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(5);

    public static void Apply(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = ProbeTimeout;
        options.NumMissedProbesLimit = NumMissedProbesLimit;
        options.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration;
        options.NumProbedSilos = NumProbedSilos;
        options.TableRefreshTimeout = TableRefreshTimeout;
        options.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout;
    }
}
