using System.Globalization;
using System.Text.RegularExpressions;
using Mindspace.Gateway.Hosting;
using NodaTime;

namespace Mindspace.Gateway.CheckIns;

/// <summary>
/// Reads the <c>from</c>/<c>to</c> query values of the check-in lists. Each is one of:
/// <list type="bullet">
/// <item>an instant: ISO 8601 date-time with <c>Z</c> or an offset (<c>2025-03-01T08:30:00+05:30</c>);</item>
/// <item>a date (<c>2025-03-01</c>): that day in the user's time zone — <c>from</c> is its start,
/// <c>to</c> its end (inclusive);</item>
/// <item>a date-time without an offset (<c>2025-03-01T08:30</c>): a wall-clock time in the user's time zone.</item>
/// </list>
/// Both bounds are inclusive; a space where an offset's <c>+</c> belongs is read as <c>+</c> (an
/// unencoded <c>+</c> in a query string arrives as a space).
/// </summary>
internal static partial class CheckInTimeRange
{
    private const int MinYear = 1900;
    private const int MaxYear = 9000;

    private static readonly string[] OffsetFormats =
        ["yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz"];

    private static readonly string[] LocalFormats =
        ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"];

    /// <returns>The range as [From, To) instants (each null when not given); errors name <c>from</c>/<c>to</c>.</returns>
    /// <param name="timeZone">The user's time zone; only asked for when a value needs it.</param>
    public static async Task<(DateTimeOffset? From, DateTimeOffset? ToExclusive)> ParseAsync(
        string? from, string? to, Func<Task<DateTimeZone>> timeZone, FieldErrors errors)
    {
        var fromValue = Parse(from, "from", errors);
        var toValue = Parse(to, "to", errors);
        if (errors.Any)
        {
            return (null, null);
        }

        DateTimeZone? zone = null;
        if (fromValue.NeedsZone || toValue.NeedsZone)
        {
            zone = await timeZone();
        }

        DateTimeOffset? start = fromValue switch
        {
            { Instant: { } instant } => instant,
            { Date: { } date } => zone!.AtStartOfDay(date).ToDateTimeOffset(),
            { Local: { } local } => zone!.AtLeniently(local).ToDateTimeOffset(),
            _ => null,
        };
        DateTimeOffset? end = toValue switch
        {
            { Instant: { } instant } => instant.AddTicks(1),
            { Date: { } date } => zone!.AtStartOfDay(date.PlusDays(1)).ToDateTimeOffset(),
            { Local: { } local } => zone!.AtLeniently(local).ToDateTimeOffset().AddTicks(1),
            _ => null,
        };

        if (start is { } s && end is { } e && s >= e)
        {
            errors.Add("to", "The end of the range must not be before its start.");
        }

        return (start, end);
    }

    private static TimeValue Parse(string? value, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return default;
        }

        var text = value.Trim().Replace(' ', '+');
        var result = TryParse(text);
        var year = result switch
        {
            { Instant: { } instant } => instant.Year,
            { Date: { } date } => date.Year,
            { Local: { } local } => local.Year,
            _ => 0,
        };

        if (year is < MinYear or > MaxYear)
        {
            errors.Add(field, result.IsEmpty
                ? "Use an ISO 8601 date (2025-03-01) or date-time (2025-03-01T08:30:00Z)."
                : $"Use a date between the years {MinYear} and {MaxYear}.");
            return default;
        }

        return result;
    }

    private static TimeValue TryParse(string text)
    {
        if (DateOnlyPattern().IsMatch(text))
        {
            return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? new TimeValue(null, LocalDate.FromDateOnly(date), null)
                : default;
        }

        if (text.EndsWith('Z') || text.EndsWith('z'))
        {
            text = string.Concat(text.AsSpan(0, text.Length - 1), "+00:00");
        }

        if (OffsetPattern().IsMatch(text))
        {
            return DateTimeOffset.TryParseExact(text, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
                ? new TimeValue(instant, null, null)
                : default;
        }

        return DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new TimeValue(null, null, LocalDateTime.FromDateTime(local))
            : default;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DateOnlyPattern();

    [GeneratedRegex(@"[+-]\d{2}:\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetPattern();

    private readonly record struct TimeValue(DateTimeOffset? Instant, LocalDate? Date, LocalDateTime? Local)
    {
        public bool IsEmpty => Instant is null && Date is null && Local is null;

        public bool NeedsZone => Date is not null || Local is not null;
    }
}
