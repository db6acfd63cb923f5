namespace Mindspace.Grains.Interfaces.Users;

/// <summary>Paging of a user's activity log, shared by the gateway (to answer a 400) and the user grain.</summary>
public static class ActivityRules
{
    public const int MaxPage = 100;

    /// <summary>
    /// Whether <paramref name="cursor"/> has the form of an activity key (a <see cref="ActivityPage.NextCursor"/>):
    /// UTC ticks, 19 digits, so keys sort by time.
    /// </summary>
    public static bool IsCursor(string cursor) => cursor.Length == 19 && cursor.All(char.IsAsciiDigit);
}
