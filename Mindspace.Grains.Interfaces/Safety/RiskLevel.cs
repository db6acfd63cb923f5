namespace Mindspace.Grains.Interfaces.Safety;

/// <summary>
/// How much risk a piece of text shows, in the spirit of the Columbia scale: from nothing that
/// needs attention to someone in danger right now. Ordered, so the larger value is the greater risk.
/// </summary>
[GenerateSerializer, Alias("ms.safety.RiskLevel")]
public enum RiskLevel
{
    /// <summary>Nothing that suggests risk (idioms, stories, news, recovery and history included).</summary>
    None = 0,

    /// <summary>Distress worth a gentle check: hopelessness, passive wishes to be gone, worry about someone else, fear at home.</summary>
    Concern = 1,

    /// <summary>Active thoughts of suicide or self-harm, searching for a method, violence from someone at home.</summary>
    High = 2,

    /// <summary>Intent with a time or the means at hand, an act under way, a goodbye, or danger happening now.</summary>
    Imminent = 3,
}

/// <summary>The names of <see cref="RiskLevel"/> values as the API writes them.</summary>
public static class RiskLevels
{
    public const string None = "none";
    public const string Concern = "concern";
    public const string High = "high";
    public const string Imminent = "imminent";

    public static string Name(RiskLevel level) => level switch
    {
        RiskLevel.Concern => Concern,
        RiskLevel.High => High,
        RiskLevel.Imminent => Imminent,
        _ => None,
    };

    /// <returns>The level for <paramref name="name"/> (case-insensitive), or null when it names none.</returns>
    public static RiskLevel? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        None => RiskLevel.None,
        Concern => RiskLevel.Concern,
        High => RiskLevel.High,
        Imminent => RiskLevel.Imminent,
        _ => null,
    };

    /// <summary>Whether a reply must stay with the person and offer their safety plan and crisis resources.</summary>
    public static bool NeedsCrisisCare(RiskLevel level) => level >= RiskLevel.High;
}

/// <summary>What the safety classifier concluded about one text.</summary>
/// <param name="Level">The highest risk any part of the text shows.</param>
/// <param name="Signals">
/// Why, as stable short names (<see cref="SafetySignals"/>): what was found (e.g. <c>suicidal-intent</c>,
/// <c>violence-from-others</c>) and what lowered it (<c>negated</c>, <c>idiom</c>, <c>history</c>,
/// <c>fiction-or-news</c>, <c>someone-else</c>), in the order first seen. Never the text itself.
/// </param>
[GenerateSerializer, Immutable, Alias("ms.safety.SafetyAssessment")]
public sealed record SafetyAssessment(RiskLevel Level, IReadOnlyList<string> Signals)
{
    public static SafetyAssessment Safe { get; } = new(RiskLevel.None, []);
}
