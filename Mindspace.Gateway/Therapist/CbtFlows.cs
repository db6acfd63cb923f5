using System.Text.RegularExpressions;
using Mindspace.Grains.Interfaces.Therapist;

namespace Mindspace.Gateway.Therapist;

/// <summary>The CBT flows the companion can walk through, each an explicit state machine.</summary>
public static partial class TherapistFlows
{
    public const string ThoughtRecord = "thought-record";
    public const string Distortions = "distortions";
    public const string Activation = "behavioural-activation";
    public const string Grounding = "grounding";
    public const string Breathing = "breathing";

    public static IReadOnlyList<string> All { get; } = [ThoughtRecord, Distortions, Activation, Grounding, Breathing];

    /// <summary>The flow the text asks for by name ("can we do the breathing exercise?"), or null.</summary>
    public static string? Requested(string text)
    {
        var t = text.ToLowerInvariant();
        return ThoughtRecordWords().IsMatch(t) ? ThoughtRecord
            : DistortionWords().IsMatch(t) ? Distortions
            : ActivationWords().IsMatch(t) ? Activation
            : GroundingWords().IsMatch(t) ? Grounding
            : BreathingWords().IsMatch(t) ? Breathing
            : null;
    }

    public static bool IsYes(string text) => YesWords().IsMatch(text.ToLowerInvariant());

    public static bool IsStop(string text) => StopWords().IsMatch(text.ToLowerInvariant());

    public static string Title(string flow) => flow switch
    {
        ThoughtRecord => "a thought record",
        Distortions => "spotting thinking traps",
        Activation => "planning one small thing",
        Grounding => "5-4-3-2-1 grounding",
        Breathing => "slow breathing",
        _ => flow,
    };

    [GeneratedRegex(@"\b(thought record|thought diary|record (a|my) thought|write down (the|my) thought)")]
    private static partial Regex ThoughtRecordWords();

    [GeneratedRegex(@"\b(distortion|thinking trap|thinking error|cognitive bias|unhelpful thinking)")]
    private static partial Regex DistortionWords();

    [GeneratedRegex(@"\b(behaviou?ral activation|plan (one|a|something) (small )?(thing|step|activity)|one small thing|small step)")]
    private static partial Regex ActivationWords();

    [GeneratedRegex(@"\b(grounding|ground me|5-4-3-2-1|54321|five senses)")]
    private static partial Regex GroundingWords();

    [GeneratedRegex(@"\b(breathing|breathe|breath exercise|calm my breath)")]
    private static partial Regex BreathingWords();

    [GeneratedRegex(@"^\s*(yes|yeah|yep|yup|sure|ok|okay|alright|please|let'?s|go on|i'?d like that|sounds good|why not|si|oui|ja|sim|haan|ha)\b")]
    private static partial Regex YesWords();

    [GeneratedRegex(@"^\s*(stop|cancel|exit|quit|enough|not now|no thanks|no thank you|let'?s stop|skip)\b")]
    private static partial Regex StopWords();
}

/// <summary>One step of a flow: what to ask, and the name its answer is kept under.</summary>
internal sealed record FlowStep(string AnswerKey, string Prompt);

/// <summary>Runs a flow one answer at a time. The state (<see cref="FlowState"/>) lives in the conversation grain.</summary>
internal static partial class FlowMachine
{
    private static readonly Dictionary<string, FlowStep[]> Steps = new(StringComparer.Ordinal)
    {
        [TherapistFlows.ThoughtRecord] =
        [
            new("situation", "Let's write a thought record together — one step at a time, and you can say \"stop\" whenever you like. First: what was the situation? Where were you, and what was happening?"),
            new("thought", "Thank you. What went through your mind in that moment? Try to catch the thought in the words it came in."),
            new("emotion", "What did you feel when that thought came — and how strong was it, from 0 to 100?"),
            new("evidence-for", "Let's look at it like a fair judge. What makes the thought feel true?"),
            new("evidence-against", "And what doesn't quite fit the thought? Anything that points the other way, even a little?"),
            new("balanced", "Holding both sides, how might you put it in a way that's fair and kind — what would you say to a friend who had this thought?"),
            new("rerate", "Now, reading that more balanced thought back: how strong is the feeling from 0 to 100?"),
        ],
        [TherapistFlows.Distortions] =
        [
            new("thought", "Let's look for thinking traps. Tell me a thought that's been bothering you, as close to how it sounds in your head as you can."),
            new("trap", ""),
            new("reframe", "If that trap is part of it, how could the thought sound without it? It doesn't have to be positive — just fairer."),
        ],
        [TherapistFlows.Activation] =
        [
            new("activity", "Let's plan one small thing — small enough that it feels almost too easy. Something you used to enjoy, or something that would give you a little sense of having done it. What comes to mind?"),
            new("when", "That sounds like a good one. When could you do it — today, or tomorrow? A time helps."),
            new("expect", "How much do you think you'll enjoy it or feel good about it, from 0 to 10? There's no wrong answer; we'll compare afterwards."),
        ],
        [TherapistFlows.Grounding] =
        [
            new("see", "Let's ground ourselves in the here and now with 5-4-3-2-1. Take your time. Look around you: what are five things you can see?"),
            new("touch", "Good. Now four things you can feel — your feet on the floor, the chair, the air on your skin."),
            new("hear", "Now three things you can hear, near or far."),
            new("smell", "Two things you can smell — or two smells you like, if nothing's there."),
            new("taste", "And one thing you can taste."),
        ],
        [TherapistFlows.Breathing] =
        [
            new("ready", "Let's slow the breath together: in through the nose for 4, out through the mouth for 6 — a longer out-breath tells the body it's safe. Say \"ready\" when you are."),
            new("after", "Breathe in… 2… 3… 4… and out… 2… 3… 4… 5… 6.\nIn… 2… 3… 4… and out… 2… 3… 4… 5… 6.\nOnce more: in… 2… 3… 4… and slowly out… 2… 3… 4… 5… 6.\nHow does your body feel now, compared to a minute ago?"),
        ],
    };

    private static readonly (string Name, string Explanation, Regex Pattern)[] Traps =
    [
        ("all-or-nothing thinking", "seeing things as total success or total failure", AllOrNothing()),
        ("overgeneralising", "taking one event as proof that it always happens", Overgeneralising()),
        ("catastrophising", "jumping to the worst possible outcome", Catastrophising()),
        ("mind reading", "assuming we know what others think of us", MindReading()),
        ("fortune telling", "predicting that things will turn out badly", FortuneTelling()),
        ("labelling", "summing ourselves up with one harsh word", Labelling()),
        ("\"should\" statements", "holding ourselves to rigid rules", Shoulds()),
        ("emotional reasoning", "taking a feeling as proof of a fact", EmotionalReasoning()),
    ];

    public static FlowState Offer(string flow) => new(flow, -1, new Dictionary<string, string>());

    /// <summary>Starts <paramref name="flow"/>: the first prompt and the state awaiting its answer.</summary>
    public static (string Text, FlowState State) Start(string flow) => (Steps[flow][0].Prompt, new FlowState(flow, 0, new Dictionary<string, string>()));

    /// <summary>Takes the answer to the current step: the next prompt, or the closing summary and no state; and the answers so far.</summary>
    public static (string Text, FlowState? State, IReadOnlyDictionary<string, string> Answers) Advance(FlowState state, string answer)
    {
        var steps = Steps[state.Flow];
        var answers = new Dictionary<string, string>(state.Answers) { [steps[state.Step].AnswerKey] = Clip(answer) };
        var next = state.Step + 1;
        if (state.Flow == TherapistFlows.Distortions && next == 1)
        {
            return (TrapPrompt(answer), new FlowState(state.Flow, next, answers), answers);
        }

        if (next < steps.Length)
        {
            return (steps[next].Prompt, new FlowState(state.Flow, next, answers), answers);
        }

        return (Finish(state.Flow, answers), null, answers);
    }

    private static string TrapPrompt(string thought)
    {
        var found = Traps.Where(t => t.Pattern.IsMatch(thought.ToLowerInvariant())).Take(2).ToList();
        var list = string.Join("\n", Traps.Select(t => $"• {t.Name}: {t.Explanation}"));
        return found.Count == 0
            ? $"Thank you for sharing it. Here are some common thinking traps:\n{list}\nDo any of these feel familiar in that thought?"
            : $"Thank you for sharing it. I wonder if there's a bit of {string.Join(" or ", found.Select(t => t.Name))} in there — {found[0].Explanation}. Here are the common ones:\n{list}\nWhich, if any, feel familiar?";
    }

    private static string Finish(string flow, IReadOnlyDictionary<string, string> a) => flow switch
    {
        TherapistFlows.ThoughtRecord =>
            $"You did the whole thought record — that takes effort. Here it is:\n• Situation: {a["situation"]}\n• Thought: {a["thought"]}\n• Feeling: {a["emotion"]}\n• What fits: {a["evidence-for"]}\n• What doesn't: {a["evidence-against"]}\n• A fairer thought: {a["balanced"]}\n• Feeling now: {a["rerate"]}\nEven a small shift counts. If you'd like to keep it, you can save it to your journal. How was it to look at the thought this way?",
        TherapistFlows.Distortions =>
            $"Nicely done. You started with \"{a["thought"]}\" and found a fairer way to say it: \"{a["reframe"]}\". Thinking traps are habits, not truths — noticing them is most of the work. Would you like to keep talking about it?",
        TherapistFlows.Activation =>
            $"Here's your plan: {a["activity"]} — {a["when"]}. You expect about {a["expect"]} out of 10. Afterwards, notice how it actually felt; low mood tends to underestimate how much small things help. I'd love to hear how it goes.",
        TherapistFlows.Grounding =>
            "You did all five senses. Take one more slow breath. You're here, in this moment, and you got through the last few minutes. How are you feeling now?",
        TherapistFlows.Breathing =>
            "Thank you for trying that with me. You can come back to this breath any time — even one round helps. Is there anything on your mind you'd like to talk about?",
        _ => "Thank you for doing that with me.",
    };

    private static string Clip(string text) => text.Trim() is { Length: > 300 } longer ? longer[..300] + "…" : text.Trim();

    [GeneratedRegex(@"\b(always|never|completely|totally|nothing|everything|perfect|ruined)\b")]
    private static partial Regex AllOrNothing();

    [GeneratedRegex(@"\b(every time|everyone|nobody|no one|all the time|always happens)\b")]
    private static partial Regex Overgeneralising();

    [GeneratedRegex(@"\b(worst|disaster|terrible|awful|can'?t stand|end of the world|catastroph)")]
    private static partial Regex Catastrophising();

    [GeneratedRegex(@"\b(they think|he thinks|she thinks|everyone thinks|people think|they must think|judging me|hates me|hate me)\b")]
    private static partial Regex MindReading();

    [GeneratedRegex(@"\b(will never|won'?t ever|going to fail|i'?ll fail|it won'?t work|never going to)\b")]
    private static partial Regex FortuneTelling();

    [GeneratedRegex(@"\bi'?m (a |an |such a )?(failure|loser|idiot|stupid|useless|worthless|mess|disappointment)\b")]
    private static partial Regex Labelling();

    [GeneratedRegex(@"\b(should|must|have to|ought to)\b")]
    private static partial Regex Shoulds();

    [GeneratedRegex(@"\bi feel (like )?(a |an )?(failure|stupid|useless|worthless|unlovable|guilty)\b")]
    private static partial Regex EmotionalReasoning();
}
