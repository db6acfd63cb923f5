using System.Net.Mail;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;

namespace Mindspace.Grains.Interfaces.Users;

/// <summary>
/// What makes account input acceptable. The gateway uses these to name the bad field in a 400;
/// the user grain checks again so no caller can store what the API would refuse.
/// </summary>
public static class UserRules
{
    public const int MinPasswordLength = 10;

    /// <summary>Long enough for any passphrase; short enough that hashing cannot be abused.</summary>
    public const int MaxPasswordLength = 256;

    public const int MaxEmailLength = 254;
    public const int MaxDisplayNameLength = 80;
    public const int MaxPreferencesBytes = 4096;
    public const int MaxPreferenceKeyLength = 64;
    public const string DefaultTimeZone = "UTC";

    private static readonly Dictionary<string, string> TimeZoneIds =
        DateTimeZoneProviders.Tzdb.Ids.ToDictionary(id => id, id => id, StringComparer.OrdinalIgnoreCase);

    /// <returns>An error message, or null when the email is acceptable.</returns>
    public static string? ValidateEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return "Email is required.";
        }

        var trimmed = email.Trim();
        if (trimmed.Length > MaxEmailLength)
        {
            return $"Email must be at most {MaxEmailLength} characters.";
        }

        // MailAddress accepts display-name forms ("Ann <a@b.c>"); require the bare address with a dotted domain.
        if (!MailAddress.TryCreate(trimmed, out var address)
            || !string.Equals(address.Address, trimmed, StringComparison.Ordinal)
            || trimmed.Any(char.IsWhiteSpace)
            || address.Host.IndexOf('.', StringComparison.Ordinal) is <= 0
            || address.Host.EndsWith('.'))
        {
            return "Email must be a valid email address, like name@example.com.";
        }

        return null;
    }

    /// <returns>An error message, or null when the password is acceptable.</returns>
    public static string? ValidatePassword(string? password, string? email)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "Password is required.";
        }

        if (password.Length < MinPasswordLength)
        {
            return $"Password must be at least {MinPasswordLength} characters.";
        }

        if (password.Length > MaxPasswordLength)
        {
            return $"Password must be at most {MaxPasswordLength} characters.";
        }

        if (email is not null && string.Equals(password.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return "Password must not be your email address.";
        }

        return null;
    }

    /// <returns>An error message, or null when the display name is acceptable.</returns>
    public static string? ValidateDisplayName(string? displayName)
    {
        if (string.IsNullOrWhiteSpace(displayName))
        {
            return "Display name is required.";
        }

        var trimmed = displayName.Trim();
        if (trimmed.Length > MaxDisplayNameLength)
        {
            return $"Display name must be at most {MaxDisplayNameLength} characters.";
        }

        if (trimmed.Any(char.IsControl))
        {
            return "Display name must not contain control characters.";
        }

        return null;
    }

    /// <summary>
    /// Finds an IANA time zone id (tzdb, as NodaTime ships it), whatever its letter case, and
    /// gives its canonical spelling. Windows ids and offsets like "+02:00" are not IANA ids.
    /// </summary>
    public static bool TryCanonicalTimeZone(string? timeZone, out string canonical)
    {
        canonical = string.Empty;
        if (string.IsNullOrWhiteSpace(timeZone) || !TimeZoneIds.TryGetValue(timeZone.Trim(), out var id))
        {
            return false;
        }

        canonical = id;
        return true;
    }

    public const string TimeZoneError = "Time zone must be an IANA time zone id, like Europe/Paris or America/New_York.";

    /// <summary>
    /// Applies an RFC 7386 JSON merge patch to the preferences object and checks the result.
    /// </summary>
    /// <returns>The merged object, or an error message (and null) when the patch or the result is not acceptable.</returns>
    public static (JsonElement? Merged, string? Error) MergePreferences(JsonElement current, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return (null, "Preferences must be a JSON object.");
        }

        var target = current.ValueKind == JsonValueKind.Object ? JsonNode.Parse(current.GetRawText())!.AsObject() : [];
        MergeInto(target, JsonNode.Parse(patch.GetRawText())!.AsObject());

        if (LongestKey(target) > MaxPreferenceKeyLength)
        {
            return (null, $"Preference keys must be at most {MaxPreferenceKeyLength} characters.");
        }

        var bytes = Encoding.UTF8.GetBytes(target.ToJsonString());
        if (bytes.Length > MaxPreferencesBytes)
        {
            return (null, $"Preferences must be at most {MaxPreferencesBytes} bytes as JSON.");
        }

        using var document = JsonDocument.Parse(bytes);
        return (document.RootElement.Clone(), null);
    }

    /// <summary>The empty preferences object.</summary>
    public static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchObject)
            {
                if (target[key] is not JsonObject targetObject)
                {
                    targetObject = [];
                    target[key] = targetObject;
                }

                MergeInto(targetObject, patchObject);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private static int LongestKey(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Select(p => Math.Max(p.Key.Length, LongestKey(p.Value))).DefaultIfEmpty(0).Max(),
        JsonArray array => array.Select(LongestKey).DefaultIfEmpty(0).Max(),
        _ => 0,
    };
}
