using Mindspace.Grains.Interfaces.Reports;

namespace Mindspace.Grains.Interfaces.Notifications;

/// <summary>
/// A user's gentle reminders at a local time they chose, keyed by user id: a daily check-in reminder
/// (skipped when they already checked in that local day) and a meditation reminder. Each is a
/// notification of category reminders, so the user's preferences and quiet hours apply.
/// </summary>
[Alias("ms.notifications.INotificationRemindersGrain")]
public interface INotificationRemindersGrain : IGrainWithGuidKey
{
    [Alias("get")]
    Task<ReminderSchedule> GetAsync();

    /// <summary>Replaces the settings (the caller validates with <see cref="ReminderRules.Validate"/>). A time already past today is not sent late.</summary>
    [Alias("set")]
    Task<ReminderSchedule> SetAsync(ReminderSettings settings);

    /// <summary>Sends what has fallen due since the last run (an Orleans reminder calls this).</summary>
    /// <returns>The kinds of the notifications handed to the inbox.</returns>
    [Alias("run-due")]
    Task<IReadOnlyList<string>> RunDueAsync();

    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<ReminderSettings> ExportAsync();

    [Alias("erase")]
    Task EraseAsync();
}

/// <param name="Time">Local <c>HH:mm</c> in the profile's time zone.</param>
/// <param name="Days">Lower-case weekday names, Monday first; every day when all seven.</param>
[GenerateSerializer, Immutable, Alias("ms.notifications.ReminderSetting")]
public sealed record ReminderSetting(bool Enabled, string Time, IReadOnlyList<string> Days);

[GenerateSerializer, Immutable, Alias("ms.notifications.ReminderSettings")]
public sealed record ReminderSettings(ReminderSetting CheckIn, ReminderSetting Meditation);

/// <param name="CheckInNextAt">When the next check-in reminder is due (UTC); null while it is off.</param>
[GenerateSerializer, Immutable, Alias("ms.notifications.ReminderSchedule")]
public sealed record ReminderSchedule(ReminderSettings Settings, string TimeZone, DateTimeOffset? CheckInNextAt, DateTimeOffset? MeditationNextAt);

/// <summary>The kinds of reminder notifications (category reminders).</summary>
public static class ReminderKinds
{
    public const string CheckIn = "reminders.check-in";
    public const string Meditation = "reminders.meditation";
}

/// <summary>Defaults and validation of reminder settings, shared by the gateway and the grain.</summary>
public static class ReminderRules
{
    public static IReadOnlyList<string> EveryDay { get; } = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>Both off until the person turns them on: reminders are asked for, never assumed.</summary>
    public static ReminderSettings Default { get; } = new(new ReminderSetting(false, "20:00", EveryDay), new ReminderSetting(false, "08:00", EveryDay));

    /// <summary>
    /// A reminder this late (the silo was down, say) is no longer at the chosen time and is not sent.
    /// Quiet hours are the user's own way to move one.
    /// </summary>
    public static readonly TimeSpan MaxLateness = TimeSpan.FromHours(2);

    /// <summary>Checks one setting (fields prefixed <paramref name="prefix"/>); returns it normalised, or null with errors added.</summary>
    public static ReminderSetting? Validate(string prefix, bool? enabled, string? time, IReadOnlyList<string?>? days, ReminderSetting fallback, IDictionary<string, List<string>> errors)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        ArgumentNullException.ThrowIfNull(errors);
        var ok = true;
        var minute = time is null ? DigestRules.MinuteOfDayOf(fallback.Time) : DigestRules.MinuteOfDayOf(time);
        if (minute is null)
        {
            Add(errors, prefix + ".time", "Use a 24-hour local time such as 20:00.");
            ok = false;
        }

        var isoDays = new SortedSet<int>();
        foreach (var day in days ?? fallback.Days)
        {
            if (DigestRules.IsoDayOf(day) is { } iso)
            {
                isoDays.Add(iso);
            }
            else
            {
                Add(errors, prefix + ".days", "Days are weekday names such as monday.");
                ok = false;
                break;
            }
        }

        if (ok && isoDays.Count == 0)
        {
            Add(errors, prefix + ".days", "Choose at least one day, or turn the reminder off.");
            ok = false;
        }

        return ok ? new ReminderSetting(enabled ?? fallback.Enabled, DigestRules.TimeOf(minute!.Value), [.. isoDays.Select(DigestRules.DayName)]) : null;
    }

    private static void Add(IDictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
    }
}
