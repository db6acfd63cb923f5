using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Mindspace.Silo;

/// <summary>
/// Reads typed settings from configuration the same way everywhere: a missing value takes its
/// default, a bad one stops the process with a message that names the setting.
/// </summary>
public static class ConfigurationValues
{
    public static int ReadInt(IConfiguration configuration, string key, int defaultValue, int min, int max)
    {
        var raw = configuration[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return defaultValue;
        }

        return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidOperationException($"{key} must be a whole number from {min} to {max}; it is '{raw}'.");
    }

    public static bool ReadBool(IConfiguration configuration, string key, bool defaultValue)
    {
        var raw = configuration[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return defaultValue;
        }

        return bool.TryParse(raw.Trim(), out var value)
            ? value
            : throw new InvalidOperationException($"{key} must be true or false; it is '{raw}'.");
    }

    public static TimeSpan ReadDuration(IConfiguration configuration, string key, TimeSpan defaultValue)
    {
        var raw = configuration[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return defaultValue;
        }

        return TryParseDuration(raw, out var duration)
            ? duration
            : throw new InvalidOperationException($"{key} must be a positive duration in seconds (\"900\"), like \"15m\", \"1h\", \"500ms\", or a time span (\"00:15:00\"); it is '{raw}'.");
    }

    /// <summary>Reads "900" (seconds), "15m", "1h", "30s", "2d", "500ms" or a time span ("00:15:00"); only positive durations.</summary>
    public static bool TryParseDuration(string? value, out TimeSpan duration)
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

        (string Suffix, Func<double, TimeSpan> Make)[] units =
        [
            ("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes),
            ("h", TimeSpan.FromHours), ("d", TimeSpan.FromDays),
        ];
        foreach (var (suffix, make) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                && amount > 0 && amount < 1e7)
            {
                duration = make(amount);
                return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }
}
