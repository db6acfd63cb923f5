using System.Text;
using Mindspace.Grains.Interfaces.Safety;

namespace Mindspace.Gateway.Safety;

/// <summary>
/// Support that comes back with something a person wrote privately (a journal entry) when its words
/// read as high or imminent risk: a few warm words, the crisis lines of their country and their own
/// safety plan. Nothing is hidden, refused or shared: the writing is saved as written.
/// </summary>
/// <param name="Level"><c>high</c> or <c>imminent</c>.</param>
/// <param name="Signals">What the classifier noticed (never the text).</param>
/// <param name="Message">Plain words for the person, ready to show above their entry.</param>
/// <param name="Resources">The crisis lines of the country in their preferences (international when none), for buttons.</param>
/// <param name="SafetyPlan">Their safety plan when they have written one; null otherwise.</param>
/// <param name="Companion">Where to start a conversation with the companion, who answers at any hour.</param>
/// <param name="CareTeamNotified">Always false: private writing is never passed to the care team (docs/safety.md).</param>
public sealed record SupportResponse(
    string Level,
    IReadOnlyList<string> Signals,
    string Message,
    CrisisResourcesResponse Resources,
    SafetyPlanResponse? SafetyPlan,
    string Companion,
    bool CareTeamNotified);

/// <summary>Grades private writing with <see cref="SafetyClassifier"/> and, when it needs crisis care, composes <see cref="SupportResponse"/>.</summary>
public static class PrivateWritingSupport
{
    public const string CompanionPath = "/api/v1/therapist/conversations";

    /// <returns>Support to return with the writing, or null when its level does not call for crisis care.</returns>
    public static async Task<SupportResponse?> ForAsync(
        IEnumerable<string?> parts, Guid userId, IGrainFactory grains, CrisisDirectory directory)
    {
        var assessment = LongTextSafety.Assess(parts);
        if (!RiskLevels.NeedsCrisisCare(assessment.Level))
        {
            return null;
        }

        var planTask = grains.GetGrain<ISafetyPlanGrain>(userId).GetAsync();
        var resources = directory.For(await SafetyApi.CountryOfAsync(grains, userId));
        var plan = await planTask;
        return new SupportResponse(
            RiskLevels.Name(assessment.Level),
            assessment.Signals,
            Compose(assessment, plan.Plan, resources),
            new CrisisResourcesResponse(resources.Country, resources.Lines, SafetyApi.ResourcesNotice),
            plan.Plan.IsEmpty ? null : SafetyPlanResponse.Of(plan),
            CompanionPath,
            CareTeamNotified: false);
    }

    /// <summary>The words shown with the entry: it is kept, they are not alone, and where to turn now.</summary>
    public static string Compose(SafetyAssessment assessment, SafetyPlan plan, CountryResources resources)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(resources);
        var fromOthers = assessment.Signals.Any(s => s is SafetySignals.ViolenceFromOthers or SafetySignals.ThreatFromOthers or SafetySignals.FearAtHome);
        var imminent = assessment.Level == RiskLevel.Imminent;
        var b = new StringBuilder();

        b.Append("Your entry is saved just as you wrote it, and it stays private. ");
        b.Append(fromOthers
            ? "What you wrote sounds frightening. It is not your fault, and you deserve to be safe.\n\n"
            : "What you wrote sounds like a lot of pain, and you don't have to carry it on your own.\n\n");

        if (imminent)
        {
            var emergency = resources.Lines.FirstOrDefault(l => l.Kind == "emergency")?.Phone;
            b.Append(emergency is { } phone
                ? $"If you are in danger right now or have already hurt yourself, please call {phone} now, or ask someone near you to call.\n\n"
                : "If you are in danger right now or have already hurt yourself, please call your local emergency number now, or ask someone near you to call.\n\n");
        }

        b.Append(fromOthers
            ? "People who understand are ready to listen, any time:\n"
            : "If you are thinking about ending your life, please reach out now. People are ready to listen, any time:\n");
        var lines = resources.Lines
            .Where(l => l.Kind != "emergency" || !imminent)
            .OrderBy(l => fromOthers ? (l.Kind == "domestic-violence" ? 0 : 1) : (l.Kind == "suicide-crisis" ? 0 : 1))
            .Take(4);
        foreach (var line in lines)
        {
            var ways = new List<string>();
            if (line.Phone is { } p)
            {
                ways.Add($"call {p}");
            }

            if (line.Text is { } t)
            {
                ways.Add($"text {t}");
            }

            if (line.Url is { } u)
            {
                ways.Add(u);
            }

            b.Append("• ").Append(line.Name);
            if (ways.Count > 0)
            {
                b.Append(": ").Append(string.Join(", ", ways));
            }

            b.Append('\n');
        }

        b.Append('\n');
        if (!plan.IsEmpty)
        {
            var sentences = new List<string> { "You made a safety plan for moments like this; it is right here with this entry." };
            if (plan.CopingSteps.Count > 0)
            {
                sentences.Add($"One thing you wrote that helps: \"{plan.CopingSteps[0]}\".");
            }

            if (plan.ReasonsForLiving.Count > 0)
            {
                sentences.Add($"And a reason you wrote for living: \"{plan.ReasonsForLiving[0]}\".");
            }

            b.Append(string.Join(' ', sentences)).Append("\n\n");
        }

        b.Append("If you'd like to talk this through right now, the companion is here at any hour, and you can write to it as you are.");
        return b.ToString();
    }
}
