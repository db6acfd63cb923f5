namespace Mindspace.Grains;

/// <summary>
/// A grain's one Orleans reminder, set for the next occurrence of a local time (a weekly digest, a
/// check-in nudge), with a one-shot grain timer beside it when that occurrence is moments away.
/// </summary>
/// <remarks>
/// Orleans skips a reminder's tick that is already past when the silo starts the reminder's local
/// timer: the first tick is then a whole period later. Registering writes the reminder table first,
/// and under load that can take longer than a due time of a moment or a few seconds, which is what a
/// tick that wakes a moment early, or a schedule set just before its time, asks for. So an occurrence
/// due within <see cref="TimerWithin"/> is also called by a grain timer. The grain's tick must
/// handle each occurrence once, whichever of the two comes first.
/// </remarks>
internal sealed class OccurrenceReminder(Grain grain, string name, TimeSpan period, Func<Task> tick)
{
    /// <summary>Occurrences closer than this get the grain timer as well as the reminder.</summary>
    private static readonly TimeSpan TimerWithin = TimeSpan.FromMinutes(1);

    private IGrainTimer? _timer;

    /// <summary>Sets the reminder (and, when it is close, the timer) for <paramref name="due"/> from now; a due time already past means now.</summary>
    public async Task SetAsync(TimeSpan due)
    {
        due = due > TimeSpan.Zero ? due : TimeSpan.Zero;
        await grain.RegisterOrUpdateReminder(name, due, period);
        StopTimer();
        if (due < TimerWithin)
        {
            // KeepAlive: the activation must not be collected before a tick it has promised.
            _timer = grain.RegisterGrainTimer(_ => tick(), new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
    }

    /// <summary>Removes the reminder and any timer.</summary>
    public async Task ClearAsync()
    {
        StopTimer();
        if (await grain.GetReminder(name) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
