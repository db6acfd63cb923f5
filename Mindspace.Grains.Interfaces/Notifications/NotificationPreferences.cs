using System.Globalization;

namespace Mindspace.Grains.Interfaces.Notifications;

/// <summary>
/// What a user chose: per category, how notifications reach them; and quiet hours, in their
/// profile's time zone, during which notifications wait and arrive when the quiet hours end.
/// </summary>
/// <param name="Delivery">Category → <see cref="NotificationDeliveryModes"/>; every category is present.</param>
/// <param name="QuietHours">Null: no quiet hours.</param>
[GenerateSerializer, Immutable, Alias("ms.notifications.NotificationPreferences")]
public sealed record NotificationPreferences(IReadOnlyDictionary<string, string> Delivery, QuietHours? QuietHours)
{
    /// <summary>Every category in the app and on the hub; no quiet hours.</summary>
    public static NotificationPreferences Default { get; } =
        new(NotificationCategories.All.ToDictionary(c => c, _ => NotificationDeliveryModes.InApp, StringComparer.Ordinal), null);

    public string DeliveryOf(string category)
        => NotificationCategories.AlwaysDelivered.Contains(category) && Delivery.GetValueOrDefault(category) == NotificationDeliveryModes.None
            ? NotificationDeliveryModes.InApp
            : Delivery.GetValueOrDefault(category, NotificationDeliveryModes.InApp);
}

/// <summary>Local wall-clock times "HH:mm", in the user's profile time zone. Start after end spans midnight (22:00–07:00).</summary>
[GenerateSerializer, Immutable, Alias("ms.notifications.QuietHours")]
public sealed record QuietHours(string Start, string End);

/// <summary>How a category's notifications reach the user.</summary>
public static class NotificationDeliveryModes
{
    /// <summary>Kept in the inbox and pushed live to the notifications hub.</summary>
    public const string InApp = "inApp";

    /// <summary>As <see cref="InApp"/>, and also to the user's subscribed browsers by Web Push.</summary>
    public const string Push = "push";

    /// <summary>Not stored, not shown. Not allowed for <see cref="NotificationCategories.AlwaysDelivered"/>.</summary>
    public const string None = "none";

    public static IReadOnlyList<string> All { get; } = [InApp, Push, None];
}

/// <summary>The categories a user sets preferences for, and which kinds belong to each.</summary>
public static class NotificationCategories
{
    public const string Community = "community";
    public const string Reminders = "reminders";
    public const string Focus = "focus";
    public const string Digest = "digest";
    public const string Orders = "orders";
    public const string Safety = "safety";
    public const string Account = "account";

    public static IReadOnlyList<string> All { get; } = [Community, Reminders, Focus, Digest, Orders, Safety, Account];

    /// <summary>Never turned off, never held by quiet hours: care resources and account security.</summary>
    public static IReadOnlySet<string> AlwaysDelivered { get; } = new HashSet<string>(StringComparer.Ordinal) { Safety, Account };

    /// <summary>
    /// A kind's category: its first dotted segment when that names a category (<c>community.post-liked</c>),
    /// <c>security.*</c> is account and <c>reports.*</c> digest. A kind no category claims is treated
    /// as account — delivered always — so nothing new is lost silently.
    /// </summary>
    public static string Of(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var dot = kind.IndexOf('.', StringComparison.Ordinal);
        var prefix = dot < 0 ? kind : kind[..dot];
        return prefix switch
        {
            "security" => Account,
            "reports" => Digest,
            _ when All.Contains(prefix) => prefix,
            _ => Account,
        };
    }
}

/// <summary>Validation of <see cref="NotificationPreferences"/>, shared by the gateway and the inbox grain.</summary>
public static class NotificationPreferenceRules
{
    /// <summary>Parses "HH:mm" (24-hour, two digits each).</summary>
    public static bool TryParseTime(string? text, out TimeOnly time)
        => TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    /// <summary>
    /// Merges <paramref name="delivery"/> (some categories) over <paramref name="current"/>; adds an
    /// error per bad field (<c>delivery.&lt;category&gt;</c>, <c>quietHours.start</c>…) and returns null when any.
    /// </summary>
    public static NotificationPreferences? Merge(
        NotificationPreferences current, IReadOnlyDictionary<string, string?>? delivery, QuietHours? quietHours, bool clearQuietHours, IDictionary<string, List<string>> errors)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(errors);
        var merged = new Dictionary<string, string>(NotificationPreferences.Default.Delivery, StringComparer.Ordinal);
        foreach (var (category, mode) in current.Delivery)
        {
            merged[category] = mode;
        }

        foreach (var (category, mode) in delivery ?? new Dictionary<string, string?>())
        {
            var field = "delivery." + category;
            if (!NotificationCategories.All.Contains(category))
            {
                Add(errors, field, $"Unknown category. Categories are {string.Join(", ", NotificationCategories.All)}.");
            }
            else if (mode is null || !NotificationDeliveryModes.All.Contains(mode))
            {
                Add(errors, field, $"Delivery must be one of {string.Join(", ", NotificationDeliveryModes.All)}.");
            }
            else if (mode == NotificationDeliveryModes.None && NotificationCategories.AlwaysDelivered.Contains(category))
            {
                Add(errors, field, "Safety and account notifications cannot be turned off: they carry care resources and keep your account safe.");
            }
            else
            {
                merged[category] = mode;
            }
        }

        var quiet = clearQuietHours ? null : current.QuietHours;
        if (quietHours is not null)
        {
            var startOk = TryParseTime(quietHours.Start, out var start);
            var endOk = TryParseTime(quietHours.End, out var end);
            if (!startOk)
            {
                Add(errors, "quietHours.start", "Start must be a time like 22:00 (24-hour HH:mm).");
            }

            if (!endOk)
            {
                Add(errors, "quietHours.end", "End must be a time like 07:00 (24-hour HH:mm).");
            }
            else if (startOk && start == end)
            {
                Add(errors, "quietHours.end", "End must differ from start.");
            }

            quiet = quietHours;
        }

        return errors.Count > 0 ? null : new NotificationPreferences(merged, quiet);
    }

    /// <summary>
    /// When the quiet hours around <paramref name="now"/> end, or null when <paramref name="now"/> is
    /// outside them. Local times that a clock change skips or repeats resolve leniently.
    /// </summary>
    public static DateTimeOffset? QuietUntil(QuietHours? quietHours, NodaTime.DateTimeZone zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (quietHours is null || !TryParseTime(quietHours.Start, out var start) || !TryParseTime(quietHours.End, out var end))
        {
            return null;
        }

        var local = NodaTime.Instant.FromDateTimeOffset(now).InZone(zone).LocalDateTime;
        var time = TimeOnly.FromTimeSpan(new TimeSpan(local.TickOfDay));
        var today = local.Date;
        NodaTime.LocalDate? endDate = start < end
            ? (time >= start && time < end ? today : null)
            : (time >= start ? today.PlusDays(1) : time < end ? today : null);
        if (endDate is not { } date)
        {
            return null;
        }

        var endLocal = date + new NodaTime.LocalTime(end.Hour, end.Minute);
        return endLocal.InZoneLeniently(zone).ToDateTimeOffset().ToUniversalTime();
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
