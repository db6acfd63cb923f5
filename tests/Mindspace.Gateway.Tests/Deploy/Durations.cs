using System.Globalization;

namespace Mindspace.Gateway.Tests.Deploy;

/// <summary>
/// The duration forms the processes accept for settings such as <c>SHUTDOWN_TIMEOUT</c> (README's
/// configuration table): whole seconds ("900"), a number with ms/s/m/h/d ("30s", "1.5m"), or a time
/// span ("00:00:30"); only positive values. Kept here so these tests build without the product.
/// </summary>
internal static class Durations
{
    private static readonly (string Suffix, Func<double, TimeSpan> Make)[] Units =
    [
        ("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes),
        ("h", TimeSpan.FromHours), ("d", TimeSpan.FromDays),
    ];

    public static bool TryParse(string? value, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var text = value.Trim().ToLowerInvariant();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return seconds > 0;
        }

        foreach (var (suffix, make) in Units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                && amount > 0)
            {
                duration = make(amount);
                return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }
}
