namespace Mindspace.Grains.Interfaces.Safety;

/// <summary>
/// A personal safety plan (after Stanley and Brown): what the person noticed, what helps, who and
/// where to turn to, and why they stay. Written by the person, offered back to them when risk is high.
/// </summary>
/// <param name="WarningSigns">Thoughts, moods, situations that mean a crisis may be coming.</param>
/// <param name="CopingSteps">Things they can do on their own to feel a little better.</param>
/// <param name="PeopleAndPlaces">People and places that help them feel better or take their mind off things.</param>
/// <param name="Professionals">Professionals and services to contact (name and number as they wrote it).</param>
/// <param name="SaferEnvironment">How to make their surroundings safer (e.g. who keeps the medication).</param>
/// <param name="ReasonsForLiving">What matters to them and is worth living for.</param>
[GenerateSerializer, Immutable, Alias("ms.safety.SafetyPlan")]
public sealed record SafetyPlan(
    IReadOnlyList<string> WarningSigns,
    IReadOnlyList<string> CopingSteps,
    IReadOnlyList<string> PeopleAndPlaces,
    IReadOnlyList<string> Professionals,
    IReadOnlyList<string> SaferEnvironment,
    IReadOnlyList<string> ReasonsForLiving)
{
    public static SafetyPlan Empty { get; } = new([], [], [], [], [], []);

    public bool IsEmpty => WarningSigns.Count + CopingSteps.Count + PeopleAndPlaces.Count + Professionals.Count + SaferEnvironment.Count + ReasonsForLiving.Count == 0;
}

/// <summary>A safety plan and when it was last saved (null: never).</summary>
[GenerateSerializer, Immutable, Alias("ms.safety.SafetyPlanView")]
public sealed record SafetyPlanView(SafetyPlan Plan, DateTimeOffset? UpdatedAt);

/// <summary>What a safety plan may hold. The gateway names the bad field; the grain checks again.</summary>
public static class SafetyPlanRules
{
    public const int MaxItems = 20;
    public const int MaxItemLength = 500;

    /// <returns>An error message, or null with <paramref name="normalized"/> trimmed and without blank items.</returns>
    public static string? Check(IReadOnlyList<string?>? items, out IReadOnlyList<string> normalized)
    {
        normalized = [];
        if (items is null)
        {
            return null;
        }

        var kept = new List<string>();
        foreach (var item in items)
        {
            if (item is null)
            {
                return "Items cannot be null.";
            }

            var trimmed = item.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (trimmed.Length > MaxItemLength)
            {
                return $"Each item can be at most {MaxItemLength} characters.";
            }

            kept.Add(trimmed);
        }

        if (kept.Count > MaxItems)
        {
            return $"At most {MaxItems} items.";
        }

        normalized = kept;
        return null;
    }

    /// <summary>The plan with every list checked; throws when one breaks the rules (callers validate first).</summary>
    public static SafetyPlan Normalize(SafetyPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new SafetyPlan(
            Require(plan.WarningSigns, "warningSigns"),
            Require(plan.CopingSteps, "copingSteps"),
            Require(plan.PeopleAndPlaces, "peopleAndPlaces"),
            Require(plan.Professionals, "professionals"),
            Require(plan.SaferEnvironment, "saferEnvironment"),
            Require(plan.ReasonsForLiving, "reasonsForLiving"));

        static IReadOnlyList<string> Require(IReadOnlyList<string> items, string field)
            => Check(items, out var normalized) is { } error ? throw new ArgumentException(error, field) : normalized;
    }
}

/// <summary>One user's safety plan, keyed by the user id.</summary>
[Alias("ms.safety.ISafetyPlanGrain")]
public interface ISafetyPlanGrain : IGrainWithGuidKey
{
    /// <returns>The plan (empty lists and no time when never saved).</returns>
    [Alias("get")]
    Task<SafetyPlanView> GetAsync();

    /// <summary>Replaces the whole plan.</summary>
    /// <exception cref="ArgumentException">The plan breaks <see cref="SafetyPlanRules"/>.</exception>
    [Alias("save")]
    Task<SafetyPlanView> SaveAsync(SafetyPlan plan);

    /// <summary>Removes the plan.</summary>
    [Alias("erase")]
    Task EraseAsync();
}
