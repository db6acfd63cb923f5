namespace Mindspace.Grains.Interfaces.Safety;

/// <summary>The names <see cref="SafetyAssessment.Signals"/> uses. Stable: clients and the care team read them.</summary>
public static class SafetySignals
{
    // What was found.
    public const string SuicidalIntent = "suicidal-intent";
    public const string SuicidalDesire = "suicidal-desire";
    public const string SuicidalThoughts = "suicidal-thoughts";
    public const string PassiveIdeation = "passive-ideation";
    public const string Hopelessness = "hopelessness";
    public const string MethodSeeking = "method-seeking";
    public const string Plan = "plan";
    public const string MeansAtHand = "means-at-hand";
    public const string ActUnderWay = "act-under-way";
    public const string Goodbye = "goodbye";
    public const string SelfHarm = "self-harm";
    public const string PastAttempt = "past-attempt";
    public const string ViolenceFromOthers = "violence-from-others";
    public const string ThreatFromOthers = "threat-from-others";
    public const string FearAtHome = "fear-at-home";
    public const string HarmToOthers = "harm-to-others";
    public const string Bullying = "bullying";

    // What changed the level.
    public const string TimeGiven = "time-given";
    public const string Negated = "negated";
    public const string Idiom = "idiom";
    public const string History = "history";
    public const string FictionOrNews = "fiction-or-news";
    public const string SomeoneElse = "someone-else";
    public const string PossibleJoke = "possible-joke";
}
