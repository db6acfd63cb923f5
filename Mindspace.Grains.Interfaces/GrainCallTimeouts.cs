namespace Mindspace.Grains.Interfaces;

/// <summary>
/// Grain calls fail after a few seconds without an answer (so a caller notices a dead silo fast);
/// the few methods that legitimately take longer name their own limit here.
/// </summary>
public static class GrainCallTimeouts
{
    /// <summary>Exporting or erasing a user's whole history reads or deletes every record they have.</summary>
    public const string WholeHistory = "00:01:00";
}
