using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Focus;

/// <summary>
/// Receives users' focus-session changes as their <see cref="IFocusGrain"/> stores them: implemented
/// by each gateway process, which forwards them to the user's <c>/hubs/attention</c> connections
/// there. The same shape as live notifications (<c>INotificationObserver</c>): one observer per
/// gateway process, subscribed to the grains of the users connected to it, refreshed periodically.
/// </summary>
[Alias("ms.focus.IFocusSessionObserver")]
public interface IFocusSessionObserver : IGrainObserver
{
    /// <summary>
    /// One-way, so a focus grain never waits on a gateway that has gone. A lost push is caught up at
    /// the gateway's next refresh (<see cref="IFocusGrain.SubscribeAsync"/> tells it the version).
    /// </summary>
    [OneWay]
    [Alias("on-session")]
    Task OnFocusSessionAsync(Guid userId, FocusSessionUpdate update);

    /// <summary>
    /// The friction in force for the user changed (a rule set created, edited or deleted, an unlock
    /// granted, a limit's usage crossing into another decision, a lockdown beginning or ending): the
    /// gateway tells the user's connections, which ask for the friction again. One-way and not
    /// replayed: a lost push is made good by the clients' own periodic refresh.
    /// </summary>
    [OneWay]
    [Alias("on-friction")]
    Task OnFrictionChangedAsync(Guid userId, FrictionChange change);
}

/// <summary>
/// The friction in force for a user changed at <paramref name="At"/>, because of <paramref name="Cause"/>
/// (one of <see cref="FrictionCauses"/>). Carries no rule, site or unlock: a client asks
/// <c>GET /api/v1/focus/friction</c> for what is in force now.
/// </summary>
[GenerateSerializer, Immutable, Alias("ms.focus.FrictionChange")]
public sealed record FrictionChange(string Cause, DateTimeOffset At);

/// <summary>Why the friction in force changed (<see cref="FrictionChange.Cause"/>).</summary>
public static class FrictionCauses
{
    /// <summary>A rule set was created, edited or deleted.</summary>
    public const string Rules = "rules";

    /// <summary>An unlock was granted.</summary>
    public const string Unlock = "unlock";

    /// <summary>A limit's usage crossed into a different decision (reached, or a new hour or day began).</summary>
    public const string Limit = "limit";

    /// <summary>A lockdown began (a rule set locked) or ended (its lock ran out).</summary>
    public const string Lockdown = "lockdown";
}

/// <summary>
/// The user's latest focus-session change: <paramref name="Version"/> grows by one with every start,
/// pause, resume and end, so a gateway can drop a push it has already passed on and notice one it
/// missed. <paramref name="Session"/> is the session that changed (an ended one carries its report),
/// or null when the user never had one or it was not asked for.
/// </summary>
[GenerateSerializer, Immutable, Alias("ms.focus.FocusSessionUpdate")]
public sealed record FocusSessionUpdate(long Version, FocusSessionView? Session);

/// <summary>Timing of live focus-session pushes, shared by the focus grain and the gateways that subscribe.</summary>
public static class FocusSessionDelivery
{
    /// <summary>An observer not refreshed for this long is dropped (its gateway has gone).</summary>
    public static readonly TimeSpan ObserverExpiry = TimeSpan.FromMinutes(3);

    /// <summary>How often a gateway refreshes its subscriptions: well inside <see cref="ObserverExpiry"/>.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(45);
}
