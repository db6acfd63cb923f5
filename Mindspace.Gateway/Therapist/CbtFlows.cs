using Mindspace.Gateway.Therapist.Languages;
using Mindspace.Grains.Interfaces.Therapist;

namespace Mindspace.Gateway.Therapist;

/// <summary>The CBT flows the companion can walk through, each an explicit state machine. Their words are in the language catalogues (<see cref="CompanionCatalog"/>).</summary>
public static class TherapistFlows
{
    public const string ThoughtRecord = "thought-record";
    public const string Distortions = "distortions";
    public const string Activation = "behavioural-activation";
    public const string Grounding = "grounding";
    public const string Breathing = "breathing";

    public static IReadOnlyList<string> All { get; } = [ThoughtRecord, Distortions, Activation, Grounding, Breathing];

    /// <summary>The flow the text asks for by name ("can we do the breathing exercise?"), in the catalogue's language or English, or null.</summary>
    public static string? Requested(string text, CompanionCatalog? catalog = null)
    {
        var folded = CompanionCatalogs.Fold(text);
        return RequestedIn(folded, catalog ?? CompanionCatalogs.English) ?? RequestedIn(folded, CompanionCatalogs.English);
    }

    public static bool IsYes(string text, CompanionCatalog? catalog = null)
    {
        var folded = CompanionCatalogs.Fold(text);
        return (catalog ?? CompanionCatalogs.English).Yes.IsMatch(folded) || CompanionCatalogs.English.Yes.IsMatch(folded);
    }

    public static bool IsStop(string text, CompanionCatalog? catalog = null)
    {
        var folded = CompanionCatalogs.Fold(text);
        return (catalog ?? CompanionCatalogs.English).Stop.IsMatch(folded) || CompanionCatalogs.English.Stop.IsMatch(folded);
    }

    public static string Title(string flow, CompanionCatalog? catalog = null) => (catalog ?? CompanionCatalogs.English).Title(flow);

    private static string? RequestedIn(string folded, CompanionCatalog catalog)
        => catalog.FlowRequests.Where(r => r.Pattern.IsMatch(folded)).Select(r => r.Flow).FirstOrDefault();
}

/// <summary>Runs a flow one answer at a time. The state (<see cref="FlowState"/>) lives in the conversation grain; the words come from the catalogue of the language the person writes in, so a flow can even change language midway.</summary>
internal static class FlowMachine
{
    /// <summary>The keys each flow's answers are kept under, one per step (the journal reads the thought record's).</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> AnswerKeys = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [TherapistFlows.ThoughtRecord] = ["situation", "thought", "emotion", "evidence-for", "evidence-against", "balanced", "rerate"],
        [TherapistFlows.Distortions] = ["thought", "trap", "reframe"],
        [TherapistFlows.Activation] = ["activity", "when", "expect"],
        [TherapistFlows.Grounding] = ["see", "touch", "hear", "smell", "taste"],
        [TherapistFlows.Breathing] = ["ready", "after"],
    };

    public static FlowState Offer(string flow) => new(flow, -1, new Dictionary<string, string>());

    /// <summary>Starts <paramref name="flow"/>: the first prompt and the state awaiting its answer.</summary>
    public static (string Text, FlowState State) Start(string flow, CompanionCatalog catalog)
        => (catalog.FlowPrompts[flow][0], new FlowState(flow, 0, new Dictionary<string, string>()));

    /// <summary>Takes the answer to the current step: the next prompt, or the closing summary and no state; and the answers so far.</summary>
    public static (string Text, FlowState? State, IReadOnlyDictionary<string, string> Answers) Advance(FlowState state, string answer, CompanionCatalog catalog)
    {
        var keys = AnswerKeys[state.Flow];
        var answers = new Dictionary<string, string>(state.Answers) { [keys[state.Step]] = Clip(answer) };
        var next = state.Step + 1;
        if (state.Flow == TherapistFlows.Distortions && next == 1)
        {
            var folded = CompanionCatalogs.Fold(answer);
            var found = catalog.Traps.Where(t => t.Pattern?.IsMatch(folded) == true).Take(2).ToList();
            return (catalog.TrapPrompt(catalog.TrapList(), found), new FlowState(state.Flow, next, answers), answers);
        }

        if (next < keys.Length)
        {
            return (catalog.FlowPrompts[state.Flow][next], new FlowState(state.Flow, next, answers), answers);
        }

        return (catalog.Finish(state.Flow, answers), null, answers);
    }

    private static string Clip(string text) => text.Trim() is { Length: > 300 } longer ? longer[..300] + "…" : text.Trim();
}
