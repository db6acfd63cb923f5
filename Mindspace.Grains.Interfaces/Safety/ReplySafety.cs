using System.Text.RegularExpressions;

namespace Mindspace.Grains.Interfaces.Safety;

/// <summary>Why a model's reply may not be sent.</summary>
public static class ReplyProblems
{
    /// <summary>How to hurt oneself: doses, means, heights, "the most painless way".</summary>
    public const string MethodDetail = "method-detail";

    /// <summary>Anything that urges or approves self-harm ("you should do it", "they'd be better off").</summary>
    public const string Encouragement = "encouragement";

    /// <summary>Belittling the person ("you're overreacting", "just get over it").</summary>
    public const string Dismissal = "dismissal";

    /// <summary>Leaving the person alone ("I can't help with that", "talk to someone else").</summary>
    public const string Withdrawal = "withdrawal";

    /// <summary>The reply itself reads as someone at risk (a model role-playing despair).</summary>
    public const string RiskyVoice = "risky-voice";

    /// <summary>Empty or cut off.</summary>
    public const string Empty = "empty";
}

/// <summary>
/// Checks a model's reply before anyone sees it: a reply with method detail, encouragement,
/// dismissal or withdrawal is never sent (the deterministic engine answers instead). Rules and the
/// <see cref="SafetyClassifier"/> together, both independent of the model.
/// </summary>
public static partial class ReplySafety
{
    /// <returns>The first problem found (one of <see cref="ReplyProblems"/>), or null when the reply may be sent.</returns>
    public static string? Check(string? reply)
    {
        var text = SafetyText.Normalize(reply);
        if (text.Length == 0)
        {
            return ReplyProblems.Empty;
        }

        if (MethodDetail().IsMatch(text))
        {
            return ReplyProblems.MethodDetail;
        }

        if (Encouragement().IsMatch(text))
        {
            return ReplyProblems.Encouragement;
        }

        if (Dismissal().IsMatch(text))
        {
            return ReplyProblems.Dismissal;
        }

        if (Withdrawal().IsMatch(text))
        {
            return ReplyProblems.Withdrawal;
        }

        var assessment = SafetyClassifier.Assess(reply);
        return assessment.Level >= RiskLevel.High && !assessment.Signals.Contains(SafetySignals.SomeoneElse)
            ? ReplyProblems.RiskyVoice
            : null;
    }

    [GeneratedRegex(@"\b(?:\d+ ?(?:mg|milligrams|g|grams|pills|tablets|capsules)\b[^.!?]{0,60}\b(?:lethal|fatal|deadly|kill|die|enough)|(?:lethal|fatal|deadly) (?:dose|amount|quantity)|(?:most|more|least) (?:effective|painless|reliable|certain|lethal|quick) (?:way|method|methods)|(?:tie|tying|make|making) a (?:noose|knot)|carbon monoxide|(?:how|where) to (?:hang|overdose|jump|cut deep)|(?:high|tall) enough to (?:die|kill)|cut (?:along|down) the (?:vein|wrist|arm)|(?:which|what) (?:pills|drugs|medication) (?:would|will|can) (?:kill|be fatal))\b", RegexOptions.CultureInvariant)]
    private static partial Regex MethodDetail();

    [GeneratedRegex(@"\b(?:you should (?:do it|go ahead|kill yourself|end it|end your life|die|hurt yourself)|go ahead and (?:do it|end it|kill yourself|hurt yourself)|(?:just|why not|then) (?:do it|end it|kill yourself)|kill yourself|kys|(?:you would|you will|everyone would|they would|your family would) (?:all )?be better off (?:dead|without you)|it is your (?:choice|right|decision) to (?:die|end your life|kill yourself)|nobody would (?:miss|care about) you|no one would (?:miss|care about) you|you deserve to (?:die|suffer|feel this way|be hurt)|(?:death|dying|suicide) (?:is|would be|could be) (?:a |the )?(?:good|reasonable|valid|right|best) (?:option|choice|answer|solution|way out)|you (?:are|re) right,? (?:there is no|it is not worth|life is not worth))", RegexOptions.CultureInvariant)]
    private static partial Regex Encouragement();

    [GeneratedRegex(@"\b(?:you are (?:just )?(?:overreacting|being dramatic|being silly|exaggerating|attention seeking|seeking attention|being selfish|weak)|(?:just )?(?:get over it|snap out of it|man up|toughen up|cheer up and move on)|(?:it is|that is) not that (?:bad|serious|big a deal)|stop (?:complaining|whining|being (?:so )?(?:dramatic|negative|sensitive))|others have it (?:much )?worse|you have nothing to be (?:sad|depressed|upset) about|you (?:do not|do n't) really mean (?:it|that)|(?:that is|it is) (?:silly|stupid|ridiculous) to feel)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Dismissal();

    [GeneratedRegex(@"\b(?:i (?:cannot|can not|am unable to|am not able to|will not|must not) (?:help|assist|continue|talk about|discuss|engage|respond)|(?:this|that) (?:is|falls|goes) (?:outside|beyond) (?:my|what i)|i am (?:just |only )?(?:an ai|a language model|a bot)\b[^.!?]{0,40}\b(?:cannot|can not|not able)|(?:please )?(?:talk|speak) to (?:someone|somebody) else instead|i (?:have to|must|need to) end (?:this|our) conversation)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Withdrawal();
}
