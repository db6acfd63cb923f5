using System.Text.RegularExpressions;

namespace Mindspace.Gateway.Therapist.Languages;

/// <summary>The companion's words in English. The other languages follow this one, step for step.</summary>
public static class EnglishCompanion
{
    public static CompanionCatalog Catalog { get; } = new()
    {
        Language = "en",
        EnglishName = "English",

        EscalationNotice = """
            Before we talk: the companion is not a therapist and not an emergency service.
            Every message you send is checked automatically for signs that you may be in danger — from yourself or from someone else.
            If a message looks like you might be at high risk, three things happen: the companion asks you directly about your safety and shows you crisis lines for your country and your safety plan; and a short excerpt of that message (at most 160 characters), the time and the risk level are placed in a queue for Mindspace's trained care team, who can see that you may need support.
            The care team does not read your other messages, and every time they look at the queue it is recorded.
            Mindspace cannot send help to where you are. If you are in immediate danger, call your local emergency number.
            """,
        ThoughtRecordTitle = "Thought record with the companion",

        CrisisOpening = "Thank you for telling me. I can hear how much pain you're in, and I'm staying right here with you.",
        CrisisQuestion = "I want to ask you directly, because it matters: are you thinking about ending your life? Are you safe right now?",
        FromOthersOpening = "I'm really glad you told me, and I'm staying right here with you. What's happening is not your fault, and you deserve to be safe.",
        FromOthersQuestion = "I need to ask you directly: are you safe right now? Is the person who hurt you near you?",
        EmergencyCall = phone => $"If you're in danger right now or have already hurt yourself, please call {phone} now — or ask someone near you to call. You can keep talking to me while you do.",
        EmergencyCallNoNumber = "If you're in danger right now or have already hurt yourself, please call your local emergency number now — or ask someone near you to call. You can keep talking to me while you do.",
        ResourcesIntro = "You don't have to get through this alone. People are ready to talk, any time:",
        CallLine = phone => $"call {phone}",
        TextLine = number => $"text {number}",
        PlanIntro = "You made a safety plan for moments like this.",
        PlanCopingStep = step => $"One thing you wrote that helps: \"{step}\".",
        PlanPersonOrPlace = who => $"You also wrote that {who} helps.",
        PlanReason = reason => $"And you wrote this reason for living: \"{reason}\".",
        PlanOffer = "Would you like to go through your plan together?",
        MakePlanOffer = "If it would help, we can make a safety plan together, one small step at a time — what you notice, what helps, who you can reach.",
        StayingWithYou = "I'm not going anywhere. Can you tell me a little about where you are and what's happening right now?",

        SlowDown = "I want to give each of your messages real attention, and they're coming in quickly — let's take a breath together. I'm still here. Send me your next thought in a minute, and we'll go on from there.",
        BudgetNote = "(I've reached my limit for longer replies today, so mine will be simpler until tomorrow — but I'm still here with you.)",
        ConcernOpening = "That sounds really heavy, and I'm glad you told me.",
        ConcernSomeoneElse = "It's hard to carry worry for someone you care about. Is that person safe right now? If you think they're in danger, calling emergency services is okay. And how are you holding up?",
        ConcernSelf = "Can I ask you something directly, because it matters: are you having thoughts of not wanting to be alive, or of hurting yourself? Whatever the answer, I'm here to listen.",
        Openers =
        [
            "Thank you for telling me.",
            "I'm listening.",
            "I hear you.",
            "That sounds like a lot to hold.",
        ],
        Questions =
        [
            "What's been on your mind most today?",
            "How has that been affecting you?",
            "What do you think you need most right now?",
            "When did you first notice feeling this way?",
            "What's one thing that's helped, even a little, when it felt like this before?",
        ],
        Feelings =
        [
            new(R(@"\b(anxious|anxiety|worried|worry|nervous|on edge|can'?t relax|restless)\b"), ["It sounds like anxiety has a strong grip right now — that's exhausting.", "Feeling on edge like that is really uncomfortable, and it makes sense you'd want it to ease."], TherapistFlows.Breathing),
            new(R(@"\b(panic|panicking|can'?t breathe|heart racing|overwhelmed|spiral)"), ["That sounds overwhelming. Let's slow things down together.", "When everything rushes in at once, coming back to the present can help."], TherapistFlows.Grounding),
            new(R(@"\b(sad|down|depressed|low|empty|numb|hopeless|unmotivated|no energy|tired of everything)\b"), ["I'm sorry it feels so heavy. Low days can make everything harder, even small things.", "That sounds really draining. When mood is low, it can feel like nothing will help."], TherapistFlows.Activation),
            new(R(@"\b(i'?m (a )?(failure|loser|stupid|useless|worthless|not good enough)|hate myself|my fault)\b"), ["You're being really hard on yourself. That inner voice can be so loud.", "It sounds like your mind is telling you harsh things about yourself."], TherapistFlows.ThoughtRecord),
            new(R(@"\b(lonely|alone|isolated|no friends|nobody to talk)\b"), ["Loneliness hurts — I'm glad you reached out here.", "Feeling alone with it is so hard. I'm here with you now."], TherapistFlows.Activation),
            new(R(@"\b(stress|stressed|pressure|deadline|too much|burn(ed|t)? out|exhausted)\b"), ["That's a lot on your plate. No wonder you feel stretched.", "It sounds like the pressure is piling up."], TherapistFlows.Distortions),
            new(R(@"\b(angry|furious|mad at|pissed|rage|annoyed)\b"), ["It makes sense to feel angry about that.", "That sounds really frustrating."], TherapistFlows.Breathing),
        ],
        OfferFlow = title => $"Would you like to try {title} together? Just say yes — or we can simply keep talking.",

        FlowTitles = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TherapistFlows.ThoughtRecord] = "a thought record",
            [TherapistFlows.Distortions] = "spotting thinking traps",
            [TherapistFlows.Activation] = "planning one small thing",
            [TherapistFlows.Grounding] = "5-4-3-2-1 grounding",
            [TherapistFlows.Breathing] = "slow breathing",
        },
        FlowRequests =
        [
            (TherapistFlows.ThoughtRecord, R(@"\b(thought record|thought diary|record (a|my) thought|write down (the|my) thought)")),
            (TherapistFlows.Distortions, R(@"\b(distortion|thinking trap|thinking error|cognitive bias|unhelpful thinking)")),
            (TherapistFlows.Activation, R(@"\b(behaviou?ral activation|plan (one|a|something) (small )?(thing|step|activity)|one small thing|small step)")),
            (TherapistFlows.Grounding, R(@"\b(grounding|ground me|5-4-3-2-1|54321|five senses)")),
            (TherapistFlows.Breathing, R(@"\b(breathing|breathe|breath exercise|calm my breath)")),
        ],
        Yes = R(@"^\s*(yes|yeah|yep|yup|sure|ok|okay|alright|please|let'?s|go on|i'?d like that|sounds good|why not|si|oui|ja|sim|haan|ha)\b"),
        Stop = R(@"^\s*(stop|cancel|exit|quit|enough|not now|no thanks|no thank you|let'?s stop|skip)\b"),
        Stopped = "Of course — we can stop here. You can pick it up again whenever you like. What would feel most helpful right now?",

        FlowPrompts = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            [TherapistFlows.ThoughtRecord] =
            [
                "Let's write a thought record together — one step at a time, and you can say \"stop\" whenever you like. First: what was the situation? Where were you, and what was happening?",
                "Thank you. What went through your mind in that moment? Try to catch the thought in the words it came in.",
                "What did you feel when that thought came — and how strong was it, from 0 to 100?",
                "Let's look at it like a fair judge. What makes the thought feel true?",
                "And what doesn't quite fit the thought? Anything that points the other way, even a little?",
                "Holding both sides, how might you put it in a way that's fair and kind — what would you say to a friend who had this thought?",
                "Now, reading that more balanced thought back: how strong is the feeling from 0 to 100?",
            ],
            [TherapistFlows.Distortions] =
            [
                "Let's look for thinking traps. Tell me a thought that's been bothering you, as close to how it sounds in your head as you can.",
                "",
                "If that trap is part of it, how could the thought sound without it? It doesn't have to be positive — just fairer.",
            ],
            [TherapistFlows.Activation] =
            [
                "Let's plan one small thing — small enough that it feels almost too easy. Something you used to enjoy, or something that would give you a little sense of having done it. What comes to mind?",
                "That sounds like a good one. When could you do it — today, or tomorrow? A time helps.",
                "How much do you think you'll enjoy it or feel good about it, from 0 to 10? There's no wrong answer; we'll compare afterwards.",
            ],
            [TherapistFlows.Grounding] =
            [
                "Let's ground ourselves in the here and now with 5-4-3-2-1. Take your time. Look around you: what are five things you can see?",
                "Good. Now four things you can feel — your feet on the floor, the chair, the air on your skin.",
                "Now three things you can hear, near or far.",
                "Two things you can smell — or two smells you like, if nothing's there.",
                "And one thing you can taste.",
            ],
            [TherapistFlows.Breathing] =
            [
                "Let's slow the breath together: in through the nose for 4, out through the mouth for 6 — a longer out-breath tells the body it's safe. Say \"ready\" when you are.",
                "Breathe in… 2… 3… 4… and out… 2… 3… 4… 5… 6.\nIn… 2… 3… 4… and out… 2… 3… 4… 5… 6.\nOnce more: in… 2… 3… 4… and slowly out… 2… 3… 4… 5… 6.\nHow does your body feel now, compared to a minute ago?",
            ],
        },
        Traps =
        [
            new("all-or-nothing thinking", "seeing things as total success or total failure", R(@"\b(always|never|completely|totally|nothing|everything|perfect|ruined)\b")),
            new("overgeneralising", "taking one event as proof that it always happens", R(@"\b(every time|everyone|nobody|no one|all the time|always happens)\b")),
            new("catastrophising", "jumping to the worst possible outcome", R(@"\b(worst|disaster|terrible|awful|can'?t stand|end of the world|catastroph)")),
            new("mind reading", "assuming we know what others think of us", R(@"\b(they think|he thinks|she thinks|everyone thinks|people think|they must think|judging me|hates me|hate me)\b")),
            new("fortune telling", "predicting that things will turn out badly", R(@"\b(will never|won'?t ever|going to fail|i'?ll fail|it won'?t work|never going to)\b")),
            new("labelling", "summing ourselves up with one harsh word", R(@"\bi'?m (a |an |such a )?(failure|loser|idiot|stupid|useless|worthless|mess|disappointment)\b")),
            new("\"should\" statements", "holding ourselves to rigid rules", R(@"\b(should|must|have to|ought to)\b")),
            new("emotional reasoning", "taking a feeling as proof of a fact", R(@"\bi feel (like )?(a |an )?(failure|stupid|useless|worthless|unlovable|guilty)\b")),
        ],
        TrapPrompt = (list, found) => found.Count == 0
            ? $"Thank you for sharing it. Here are some common thinking traps:\n{list}\nDo any of these feel familiar in that thought?"
            : $"Thank you for sharing it. I wonder if there's a bit of {string.Join(" or ", found.Select(t => t.Name))} in there — {found[0].Explanation}. Here are the common ones:\n{list}\nWhich, if any, feel familiar?",
        Finish = (flow, a) => flow switch
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
        },
    };

    private static Regex R(string pattern) => new(pattern, RegexOptions.CultureInvariant);
}
