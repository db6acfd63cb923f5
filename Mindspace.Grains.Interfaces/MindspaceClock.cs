namespace Mindspace.Grains.Interfaces;

/// <summary>
/// The clock product logic reads (token lifetimes, lockouts, streaks, ids), registered as a keyed
/// <see cref="TimeProvider"/> apart from the one Orleans itself runs on: a test can stop or move
/// this clock without freezing the cluster's own heartbeats, timers and probes.
/// </summary>
public static class MindspaceClock
{
    /// <summary>The service key: inject with <c>[FromKeyedServices(MindspaceClock.Key)] TimeProvider</c>.</summary>
    public const string Key = "mindspace.clock";
}
