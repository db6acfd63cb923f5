namespace Mindspace.Grains.Interfaces.Attention;

/// <summary>
/// Focus, neutral or distracting: where a site usually sits. A user can move any site to another
/// category; these defaults only give a first picture that is roughly right for most people.
/// </summary>
public static class SiteCategories
{
    public const string Focus = "focus";
    public const string Neutral = "neutral";
    public const string Distracting = "distracting";

    public static readonly IReadOnlyList<string> All = [Focus, Neutral, Distracting];

    private static readonly Dictionary<string, string> Defaults = new(StringComparer.Ordinal)
    {
        ["youtube.com"] = Distracting,
        ["facebook.com"] = Distracting,
        ["instagram.com"] = Distracting,
        ["tiktok.com"] = Distracting,
        ["twitter.com"] = Distracting,
        ["x.com"] = Distracting,
        ["reddit.com"] = Distracting,
        ["netflix.com"] = Distracting,
        ["twitch.tv"] = Distracting,
        ["9gag.com"] = Distracting,
        ["pinterest.com"] = Distracting,
        ["tumblr.com"] = Distracting,
        ["snapchat.com"] = Distracting,
        ["github.com"] = Focus,
        ["gitlab.com"] = Focus,
        ["stackoverflow.com"] = Focus,
        ["wikipedia.org"] = Focus,
        ["notion.so"] = Focus,
        ["coursera.org"] = Focus,
        ["khanacademy.org"] = Focus,
        ["duolingo.com"] = Focus,
        ["overleaf.com"] = Focus,
        ["figma.com"] = Focus,
    };

    public static bool IsCategory(string? value) => value is Focus or Neutral or Distracting;

    /// <summary>Every site in <paramref name="category"/>: the user's own choices and the defaults they did not move, in order.</summary>
    public static IReadOnlyList<string> SitesIn(string category, IReadOnlyDictionary<string, string>? overrides)
        => [.. Defaults.Keys.Concat(overrides?.Keys ?? []).Distinct(StringComparer.Ordinal).Where(site => Of(site, overrides) == category).Order(StringComparer.Ordinal)];

    /// <summary>The category of <paramref name="site"/>: the user's own choice, else the default, else neutral.</summary>
    public static string Of(string site, IReadOnlyDictionary<string, string>? overrides)
        => overrides is not null && overrides.TryGetValue(site, out var own) ? own
            : Defaults.TryGetValue(site, out var category) ? category
            : Neutral;
}
