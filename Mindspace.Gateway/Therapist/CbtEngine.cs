using System.Text;
using Mindspace.Gateway.Therapist.Languages;
using Mindspace.Grains.Interfaces.Safety;
using Mindspace.Grains.Interfaces.Therapist;

namespace Mindspace.Gateway.Therapist;

/// <summary>What the engine (and the model) know when replying.</summary>
/// <param name="Window">The conversation before this message, oldest first.</param>
/// <param name="Flow">The flow in progress or offered.</param>
/// <param name="Memory">The user's own earlier words that relate to this message.</param>
/// <param name="JournalMemory">With the person's consent only: a few lines about their recent journal signals (never its words).</param>
/// <param name="Language">The language to answer in (<see cref="CompanionCatalogs.LanguageOf"/>): one of the classifier's languages, or <see cref="CompanionCatalogs.HindiDevanagari"/>.</param>
public sealed record ReplyContext(
    string Text,
    SafetyAssessment Assessment,
    IReadOnlyList<ChatMessage> Window,
    FlowState? Flow,
    SafetyPlanView Plan,
    CountryResources Resources,
    IReadOnlyList<MemorySnippet> Memory,
    string? JournalMemory = null,
    string Language = SafetyLanguages.English)
{
    /// <summary>The words of <see cref="Language"/>.</summary>
    public CompanionCatalog Catalog => CompanionCatalogs.For(Language);
}

/// <summary>A reply and the flow state after it.</summary>
/// <param name="FinishedThoughtRecord">When the reply ends a thought record: its answers, so the person can save it to their journal.</param>
public sealed record EngineReply(string Text, string? FlowName, FlowState? Flow, IReadOnlyDictionary<string, string>? FinishedThoughtRecord = null);

/// <summary>
/// The deterministic CBT companion: crisis replies, the CBT flows, reflective listening, in the language
/// the person writes in (one catalogue per language, <see cref="CompanionCatalogs"/>). It needs no
/// model and answers in microseconds; it is what answers whenever the model is absent, slow, broken or
/// unsafe, and it always writes the crisis reply, so its safety content never depends on a model.
/// </summary>
public sealed class CbtEngine
{
    /// <summary>Whether the engine must answer this message itself (crisis, a flow in progress, a flow asked for or accepted).</summary>
    public static bool OwnsTurn(ReplyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RiskLevels.NeedsCrisisCare(context.Assessment.Level)
            || context.Flow is { Step: >= 0 }
            || TherapistFlows.Requested(context.Text, context.Catalog) is not null
            || (context.Flow is { Step: -1 } && TherapistFlows.IsYes(context.Text, context.Catalog));
    }

    public EngineReply Reply(ReplyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var catalog = context.Catalog;
        if (RiskLevels.NeedsCrisisCare(context.Assessment.Level))
        {
            // A flow in progress pauses: safety comes first, and the person can start it again later.
            return new EngineReply(CrisisReplies.Compose(context.Assessment, context.Plan, context.Resources, catalog), null, null);
        }

        if (context.Flow is { Step: >= 0 } flow)
        {
            if (TherapistFlows.IsStop(context.Text, catalog))
            {
                return new EngineReply(catalog.Stopped, null, null);
            }

            var (text, next, answers) = FlowMachine.Advance(flow, context.Text, catalog);
            return new EngineReply(text, flow.Flow, next, next is null && flow.Flow == TherapistFlows.ThoughtRecord ? answers : null);
        }

        if (TherapistFlows.Requested(context.Text, catalog) is { } requested)
        {
            var (text, state) = FlowMachine.Start(requested, catalog);
            return new EngineReply(text, requested, state);
        }

        if (context.Flow is { Step: -1 } offered && TherapistFlows.IsYes(context.Text, catalog))
        {
            var (text, state) = FlowMachine.Start(offered.Flow, catalog);
            return new EngineReply(text, offered.Flow, state);
        }

        return Listen(context, catalog);
    }

    /// <summary>The kind message when someone writes faster than the per-minute limit (never for high risk).</summary>
    public static string SlowDown(string language) => CompanionCatalogs.For(language).SlowDown;

    /// <summary>Said once when the day's model budget is spent; the engine keeps answering.</summary>
    public static string BudgetNote(string language) => CompanionCatalogs.For(language).BudgetNote;

    private static EngineReply Listen(ReplyContext context, CompanionCatalog catalog)
    {
        var text = CompanionCatalogs.Fold(context.Text);
        var feeling = catalog.Feelings.FirstOrDefault(f => f.Pattern.IsMatch(text));
        var seed = Seed(context.Text);
        var builder = new StringBuilder();
        if (context.Assessment.Level == RiskLevel.Concern)
        {
            builder.Append(catalog.ConcernOpening).Append(' ');
            builder.Append(context.Assessment.Signals.Contains(SafetySignals.SomeoneElse) ? catalog.ConcernSomeoneElse : catalog.ConcernSelf);
            return new EngineReply(builder.ToString(), null, null);
        }

        if (feeling is null)
        {
            builder.Append(Pick(catalog.Openers, seed)).Append(' ').Append(Pick(catalog.Questions, seed / 7));
            return new EngineReply(builder.ToString(), null, null);
        }

        builder.Append(Pick(feeling.Reflections, seed)).Append(' ');
        var offered = feeling.Offer;
        var title = catalog.Title(offered);
        var alreadyOffered = context.Window.Any(m => m.Role == ChatRoles.Companion && m.Text.Contains(title, StringComparison.Ordinal));
        if (!alreadyOffered)
        {
            builder.Append(catalog.OfferFlow(title));
            return new EngineReply(builder.ToString(), null, FlowMachine.Offer(offered));
        }

        builder.Append(Pick(catalog.Questions, seed / 7));
        return new EngineReply(builder.ToString(), null, null);
    }

    private static int Seed(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash & int.MaxValue;
    }

    private static string Pick(string[] options, int seed) => options[seed % options.Length];
}

/// <summary>
/// The reply to high or imminent risk, in the person's language: warm and present, asks about safety
/// directly, offers the person's own safety plan and the crisis lines of their country, and keeps the
/// conversation open.
/// </summary>
public static class CrisisReplies
{
    public static string Compose(SafetyAssessment assessment, SafetyPlanView plan, CountryResources resources, CompanionCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(resources);
        var words = catalog ?? CompanionCatalogs.English;
        var fromOthers = assessment.Signals.Any(s => s is SafetySignals.ViolenceFromOthers or SafetySignals.ThreatFromOthers or SafetySignals.FearAtHome);
        var imminent = assessment.Level == RiskLevel.Imminent;
        var emergency = resources.Lines.FirstOrDefault(l => l.Kind == "emergency");
        var b = new StringBuilder();

        if (fromOthers)
        {
            b.Append(words.FromOthersOpening).Append("\n\n");
            b.Append(words.FromOthersQuestion).Append("\n\n");
        }
        else
        {
            b.Append(words.CrisisOpening).Append("\n\n");
            b.Append(words.CrisisQuestion).Append("\n\n");
        }

        if (imminent)
        {
            b.Append(emergency?.Phone is { } phone ? words.EmergencyCall(phone) : words.EmergencyCallNoNumber).Append("\n\n");
        }

        b.Append(words.ResourcesIntro).Append('\n');
        var lines = resources.Lines
            .Where(l => l.Kind != "emergency" || !imminent)
            .OrderBy(l => fromOthers ? (l.Kind == "domestic-violence" ? 0 : 1) : (l.Kind == "suicide-crisis" ? 0 : 1))
            .Take(4);
        foreach (var line in lines)
        {
            b.Append("• ").Append(line.Name);
            var ways = new List<string>();
            if (line.Phone is { } p)
            {
                ways.Add(words.CallLine(p));
            }

            if (line.Text is { } t)
            {
                ways.Add(words.TextLine(t));
            }

            if (line.Url is { } u)
            {
                ways.Add(u);
            }

            if (ways.Count > 0)
            {
                b.Append(": ").Append(string.Join(", ", ways));
            }

            b.Append('\n');
        }

        b.Append('\n');
        var p1 = plan.Plan;
        if (!p1.IsEmpty)
        {
            b.Append(words.PlanIntro).Append(' ');
            if (p1.CopingSteps.Count > 0)
            {
                b.Append(words.PlanCopingStep(p1.CopingSteps[0])).Append(' ');
            }

            if (p1.PeopleAndPlaces.Count > 0)
            {
                b.Append(words.PlanPersonOrPlace(p1.PeopleAndPlaces[0])).Append(' ');
            }

            if (p1.ReasonsForLiving.Count > 0)
            {
                b.Append(words.PlanReason(p1.ReasonsForLiving[0])).Append(' ');
            }

            b.Append(words.PlanOffer).Append("\n\n");
        }
        else
        {
            b.Append(words.MakePlanOffer).Append("\n\n");
        }

        b.Append(words.StayingWithYou);
        return b.ToString();
    }
}
