using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Reports;

/// <summary>
/// One user's weekly digests and when they are written, keyed by the user id. An Orleans reminder
/// wakes it at the chosen local weekday and time (default Monday 08:00); after each digest it is
/// set again for the next one in the profile's zone as it is then, so daylight-saving changes and
/// moves are followed. Each digest is stored, then the user's inbox is told.
/// </summary>
/// <remarks>
/// Calls the check-ins, user and notification inbox grains. The check-ins grain calls
/// <see cref="EnsureScheduledAsync"/> one-way only, so no awaited call chain loops back here.
/// </remarks>
[Alias("ms.reports.IWeeklyDigestGrain")]
public interface IWeeklyDigestGrain : IGrainWithGuidKey
{
    /// <summary>Makes sure the reminder exists (cheap when it does). One-way: the caller never waits.</summary>
    [Idempotent]
    [OneWay]
    [Alias("ensure-scheduled")]
    Task EnsureScheduledAsync();

    [Alias("get-schedule")]
    Task<DigestSchedule> GetScheduleAsync();

    /// <summary>Sets the weekday and local time (validated by <see cref="DigestRules"/>) and reschedules the reminder.</summary>
    /// <exception cref="ArgumentException">A value breaks <see cref="DigestRules"/> (callers validate first).</exception>
    [Alias("set-schedule")]
    Task<DigestSchedule> SetScheduleAsync(string dayOfWeek, string time);

    /// <returns>The newest digest, or null before the first.</returns>
    [Alias("get-latest")]
    Task<WeeklyDigest?> GetLatestAsync();

    /// <summary>Digests whose week started before <paramref name="before"/> (all when null), newest first.</summary>
    [Alias("list")]
    Task<WeeklyDigestPage> ListAsync(DateOnly? before, int limit);

    /// <summary>
    /// What the reminder does: writes the digest of the week whose scheduled time has passed, unless
    /// it was written already, then sets the reminder for the next one.
    /// </summary>
    /// <returns>The digest written, or null when none was due.</returns>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("run-due")]
    Task<WeeklyDigest?> RunDueAsync();

    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<ReportsExport> ExportAsync();

    /// <summary>Deletes every digest and the schedule, and unregisters the reminder.</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("erase")]
    Task EraseAsync();
}
