using System.Text;
using System.Text.RegularExpressions;
using Mindspace.Grains.Interfaces.Safety;
using Mindspace.Grains.Interfaces.Therapist;

namespace Mindspace.Gateway.Therapist;

/// <summary>What the engine (and the model) know when replying.</summary>
/// <param name="Window">The conversation before this message, oldest first.</param>
/// <param name="Flow">The flow in progress or offered.</param>
/// <param name="Memory">The user's own earlier words that relate to this message.</param>
/// <param name="JournalMemory">With the person's consent only: a few lines about their recent journal signals (never its words).</param>
public sealed record ReplyContext(
    string Text,
    SafetyAssessment Assessment,
    IReadOnlyList<ChatMessage> Window,
    FlowState? Flow,
    SafetyPlanView Plan,
    CountryResources Resources,
    IReadOnlyList<MemorySnippet> Memory,
    string? JournalMemory = null);

/// <summary>A reply and the flow state after it.</summary>
/// <param name="FinishedThoughtRecord">When the reply ends a thought record: its answers, so the person can save it to their journal.</param>
public sealed record EngineReply(string Text, string? FlowName, FlowState? Flow, IReadOnlyDictionary<string, string>? FinishedThoughtRecord = null);

/// <summary>
/// The deterministic CBT companion: crisis replies, the CBT flows, reflective listening. It needs no
/// model and answers in microseconds; it is what answers whenever the model is absent, slow, broken or
/// unsafe, and it always writes the crisis reply, so its safety content never depends on a model.
/// </summary>
public sealed partial class CbtEngine
{
    /// <summary>Whether the engine must answer this message itself (crisis, a flow in progress, a flow asked for or accepted).</summary>
    public static bool OwnsTurn(ReplyContext context)
        => RiskLevels.NeedsCrisisCare(context.Assessment.Level)
            || context.Flow is { Step: >= 0 }
            || TherapistFlows.Requested(context.Text) is not null
            || (context.Flow is { Step: -1 } && TherapistFlows.IsYes(context.Text));

    public EngineReply Reply(ReplyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RiskLevels.NeedsCrisisCare(context.Assessment.Level))
        {
            // A flow in progress pauses: safety comes first, and the person can start it again later.
            return new EngineReply(CrisisReplies.Compose(context.Assessment, context.Plan, context.Resources), null, null);
        }

        if (context.Flow is { Step: >= 0 } flow)
        {
            if (TherapistFlows.IsStop(context.Text))
            {
                return new EngineReply("Of course — we can stop here. You can pick it up again whenever you like. What would feel most helpful right now?", null, null);
            }

            var (text, next, answers) = FlowMachine.Advance(flow, context.Text);
            return new EngineReply(text, flow.Flow, next, next is null && flow.Flow == TherapistFlows.ThoughtRecord ? answers : null);
        }

        if (TherapistFlows.Requested(context.Text) is { } requested)
        {
            var (text, state) = FlowMachine.Start(requested);
            return new EngineReply(text, requested, state);
        }

        if (context.Flow is { Step: -1 } offered && TherapistFlows.IsYes(context.Text))
        {
            var (text, state) = FlowMachine.Start(offered.Flow);
            return new EngineReply(text, offered.Flow, state);
        }

        return Listen(context);
    }

    /// <summary>The kind message when someone writes faster than the per-minute limit (never for high risk).</summary>
    public static string SlowDown =>
        "I want to give each of your messages real attention, and they're coming in quickly — let's take a breath together. I'm still here. Send me your next thought in a minute, and we'll go on from there.";

    /// <summary>Said once when the day's model budget is spent; the engine keeps answering.</summary>
    public static string BudgetNote => "(I've reached my limit for longer replies today, so mine will be simpler until tomorrow — but I'm still here with you.)";

    private static EngineReply Listen(ReplyContext context)
    {
        var text = context.Text.ToLowerInvariant();
        var feeling = Feelings.FirstOrDefault(f => f.Pattern.IsMatch(text));
        var seed = Seed(context.Text);
        var builder = new StringBuilder();
        if (context.Assessment.Level == RiskLevel.Concern)
        {
            builder.Append("That sounds really heavy, and I'm glad you told me. ");
            builder.Append(context.Assessment.Signals.Contains(SafetySignals.SomeoneElse)
                ? "It's hard to carry worry for someone you care about. Is that person safe right now? If you think they're in danger, calling emergency services is okay. And how are you holding up?"
                : "Can I ask you something directly, because it matters: are you having thoughts of not wanting to be alive, or of hurting yourself? Whatever the answer, I'm here to listen.");
            return new EngineReply(builder.ToString(), null, null);
        }

        if (feeling.Name is null)
        {
            builder.Append(Pick(Openers, seed)).Append(' ').Append(Pick(Questions, seed / 7));
            return new EngineReply(builder.ToString(), null, null);
        }

        builder.Append(Pick(feeling.Reflections, seed)).Append(' ');
        var offered = feeling.Offer;
        var alreadyOffered = context.Window.Any(m => m.Role == ChatRoles.Companion && m.Text.Contains(TherapistFlows.Title(offered), StringComparison.Ordinal));
        if (!alreadyOffered)
        {
            builder.Append($"Would you like to try {TherapistFlows.Title(offered)} together? Just say yes — or we can simply keep talking.");
            return new EngineReply(builder.ToString(), null, FlowMachine.Offer(offered));
        }

        builder.Append(Pick(Questions, seed / 7));
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

    private static readonly string[] Openers =
    [
        "Thank you for telling me.",
        "I'm listening.",
        "I hear you.",
        "That sounds like a lot to hold.",
    ];

    private static readonly string[] Questions =
    [
        "What's been on your mind most today?",
        "How has that been affecting you?",
        "What do you think you need most right now?",
        "When did you first notice feeling this way?",
        "What's one thing that's helped, even a little, when it felt like this before?",
    ];

    private static readonly (string? Name, Regex Pattern, string[] Reflections, string Offer)[] Feelings =
    [
        ("anxious", Anxious(), ["It sounds like anxiety has a strong grip right now — that's exhausting.", "Feeling on edge like that is really uncomfortable, and it makes sense you'd want it to ease."], TherapistFlows.Breathing),
        ("panic", Panic(), ["That sounds overwhelming. Let's slow things down together.", "When everything rushes in at once, coming back to the present can help."], TherapistFlows.Grounding),
        ("low", Low(), ["I'm sorry it feels so heavy. Low days can make everything harder, even small things.", "That sounds really draining. When mood is low, it can feel like nothing will help."], TherapistFlows.Activation),
        ("self-critical", SelfCritical(), ["You're being really hard on yourself. That inner voice can be so loud.", "It sounds like your mind is telling you harsh things about yourself."], TherapistFlows.ThoughtRecord),
        ("lonely", Lonely(), ["Loneliness hurts — I'm glad you reached out here.", "Feeling alone with it is so hard. I'm here with you now."], TherapistFlows.Activation),
        ("stressed", Stressed(), ["That's a lot on your plate. No wonder you feel stretched.", "It sounds like the pressure is piling up."], TherapistFlows.Distortions),
        ("angry", Angry(), ["It makes sense to feel angry about that.", "That sounds really frustrating."], TherapistFlows.Breathing),
    ];

    [GeneratedRegex(@"\b(anxious|anxiety|worried|worry|nervous|on edge|can'?t relax|restless)\b")]
    private static partial Regex Anxious();

    [GeneratedRegex(@"\b(panic|panicking|can'?t breathe|heart racing|overwhelmed|spiral)")]
    private static partial Regex Panic();

    [GeneratedRegex(@"\b(sad|down|depressed|low|empty|numb|hopeless|unmotivated|no energy|tired of everything)\b")]
    private static partial Regex Low();

    [GeneratedRegex(@"\b(i'?m (a )?(failure|loser|stupid|useless|worthless|not good enough)|hate myself|my fault)\b")]
    private static partial Regex SelfCritical();

    [GeneratedRegex(@"\b(lonely|alone|isolated|no friends|nobody to talk)\b")]
    private static partial Regex Lonely();

    [GeneratedRegex(@"\b(stress|stressed|pressure|deadline|too much|burn(ed|t)? out|exhausted)\b")]
    private static partial Regex Stressed();

    [GeneratedRegex(@"\b(angry|furious|mad at|pissed|rage|annoyed)\b")]
    private static partial Regex Angry();
}

/// <summary>
/// The reply to high or imminent risk: warm and present, asks about safety directly, offers the
/// person's own safety plan and the crisis lines of their country, and keeps the conversation open.
/// </summary>
public static class CrisisReplies
{
    public static string Compose(SafetyAssessment assessment, SafetyPlanView plan, CountryResources resources)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(resources);
        var fromOthers = assessment.Signals.Any(s => s is SafetySignals.ViolenceFromOthers or SafetySignals.ThreatFromOthers or SafetySignals.FearAtHome);
        var imminent = assessment.Level == RiskLevel.Imminent;
        var emergency = resources.Lines.FirstOrDefault(l => l.Kind == "emergency");
        var b = new StringBuilder();

        if (fromOthers)
        {
            b.Append("I'm really glad you told me, and I'm staying right here with you. What's happening is not your fault, and you deserve to be safe.\n\n");
            b.Append("I need to ask you directly: are you safe right now? Is the person who hurt you near you?\n\n");
        }
        else
        {
            b.Append("Thank you for telling me. I can hear how much pain you're in, and I'm staying right here with you.\n\n");
            b.Append("I want to ask you directly, because it matters: are you thinking about ending your life? Are you safe right now?\n\n");
        }

        if (imminent)
        {
            b.Append(emergency?.Phone is { } phone
                ? $"If you're in danger right now or have already hurt yourself, please call {phone} now — or ask someone near you to call. You can keep talking to me while you do.\n\n"
                : "If you're in danger right now or have already hurt yourself, please call your local emergency number now — or ask someone near you to call. You can keep talking to me while you do.\n\n");
        }

        b.Append("You don't have to get through this alone. People are ready to talk, any time:\n");
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
            b.Append("You made a safety plan for moments like this. ");
            if (p1.CopingSteps.Count > 0)
            {
                b.Append($"One thing you wrote that helps: \"{p1.CopingSteps[0]}\". ");
            }

            if (p1.PeopleAndPlaces.Count > 0)
            {
                b.Append($"You also wrote that {p1.PeopleAndPlaces[0]} helps. ");
            }

            if (p1.ReasonsForLiving.Count > 0)
            {
                b.Append($"And you wrote this reason for living: \"{p1.ReasonsForLiving[0]}\". ");
            }

            b.Append("Would you like to go through your plan together?\n\n");
        }
        else
        {
            b.Append("If it would help, we can make a safety plan together, one small step at a time — what you notice, what helps, who you can reach.\n\n");
        }

        b.Append("I'm not going anywhere. Can you tell me a little about where you are and what's happening right now?");
        return b.ToString();
    }
}
