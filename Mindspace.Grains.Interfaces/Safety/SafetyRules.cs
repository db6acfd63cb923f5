using System.Text.RegularExpressions;
using static Mindspace.Grains.Interfaces.Safety.SafetySignals;

namespace Mindspace.Grains.Interfaces.Safety;

/// <summary>How a rule's match is read in its context.</summary>
[Flags]
internal enum RuleKind
{
    None = 0,

    /// <summary>About the writer's own safety: negation, history, quotes and fiction can lower it.</summary>
    Self = 1,

    /// <summary>A stated intent: a time ("tonight", "esta noche") makes it imminent.</summary>
    Intent = 2,

    /// <summary>The verb itself is in the past ("I tried to…"): history unless the clause says it was recent.</summary>
    PastTense = 4,

    /// <summary>About someone else: worry (concern), or nothing in fiction and news.</summary>
    Other = 8,

    /// <summary>Danger from someone else: history lowers it to concern, never to nothing.</summary>
    Violence = 16,

    /// <summary>Often said as a joke: laughter in the same clause lowers it to concern.</summary>
    Jokey = 32,

    /// <summary>Matched before every other rule and its words blanked, so they match nothing else.</summary>
    Consumes = 64,
}

/// <param name="Level">The level a match means before its context is read.</param>
internal sealed record SafetyRule(Regex Pattern, RiskLevel Level, string Signal, RuleKind Kind);

/// <summary>
/// The patterns, written against <see cref="SafetyText.Normalize"/>'s output (lower case, no accents,
/// "i am", "do not", "cannot"). English, Spanish, French, German, Portuguese and Hindi in Latin script.
/// </summary>
internal static class SafetyRules
{
    private const string KillSelfEn = @"(?:kill(?:ing)? myself|end(?:ing)? (?:my (?:own )?life|it all|everything|my existence)|commit(?:ting)? suicide|tak(?:e|ing) my (?:own )?life|hang(?:ing)? myself|shoot(?:ing)? myself|drown(?:ing)? myself|off myself|jump(?:ing)? (?:off (?:a|the) (?:bridge|roof|building|cliff)|in front of (?:a |the )?(?:train|bus|car|truck))|overdos(?:e|ing) on purpose|end(?:ing)? it\b(?! (?:with|between|for|early|off|here)\b))";
    private const string Person = @"(?:he|she|they|him|her|my (?:husband|wife|partner|boyfriend|girlfriend|dad|father|stepdad|stepfather|mom|mum|mother|stepmom|stepmother|ex|brother|sister|uncle|aunt|son|daughter|parents|family|roommate|flatmate|fiance|fiancee|spouse|grandfather|grandpa|cousin|landlord|boss))";
    private const string ThirdParty = @"(?:he|she|they|someone|somebody|my (?:\w+ ){0,2}(?:friend|friends|husband|wife|partner|boyfriend|girlfriend|dad|father|mom|mum|mother|brother|sister|son|daughter|cousin|classmate|coworker|colleague|roommate|uncle|aunt|grandfather|grandmother|teacher|neighbor|neighbour)|a (?:friend|classmate|coworker|colleague|student)|(?:the|a|this|that) (?:main )?(?:character|hero|heroine|protagonist|man|woman|girl|boy|guy|student|teen|teenager|celebrity|singer|actor|actress|person|kid))";

    /// <summary>Idioms, hyperbole and accidents: blanked first, so "this homework is killing me" means nothing.</summary>
    internal static readonly SafetyRule[] Idioms = Build(RiskLevel.None, Idiom, RuleKind.Consumes,
        // English
        @"\b(?:is|are|was|were|been|it is|that is|this is|these|those|heat|feet|back|head|legs|kids|suspense|waiting|wait) killing me\b",
        @"\b(?:kill|killing|killed) me (?:now|already)\b",
        @"\b(?:would|could) (?:kill|murder|die) for\b",
        @"\bkill(?:ing|ed)? (?:it|time|the (?:lights|engine|mood|vibe|process|pain|bug|app|music|game)|two birds|a few hours|an hour|some time)\b",
        @"\bkill(?:ing|ed)? myself (?:laughing|with laughter)\b",
        @"\bkill(?:ing|ed)? me (?:with|for) \w+",
        @"(?<!\b(?:said|says|threatened|threatens|told me|swore|swears|promised) (?:that )?(?:he|she|they) )(?<!\b(?:husband|boyfriend|partner|ex|wife|girlfriend|fiance|spouse) )\b(?:will|would|is going to|are going to|going to|gonna|is gonna|might) (?:kill|murder) (?:me|us|him|her|you|them|my \w+)(?: \w+)? (?:if|when|for|lol|haha|because|once)\b(?! i (?:ever )?(?:leave|left|tell|told|call|called|go to|went to|try|tried|report))",
        @"\b(?:kill|murder|strangle|throttle) (?:him|her|you|them|my (?:\w+ )?\w+) (?:for|if|when|lol|haha)\b",
        @"\bmurder (?:a|the|some|this) (?:pizza|burger|burrito|drink|beer|coffee|steak|sandwich|song|cake|meal)\b",
        @"\b(?:dying|die|died|dead) (?:to|for) (?:know|see|try|go|meet|hear|get|have|eat|tell|watch|a|some|one|this)\b",
        @"\b(?:dying|died|die|could die|could have died|nearly died|almost died) (?:of|from) (?:laughter|laughing|embarrassment|shame|boredom|curiosity|hunger|thirst|cringe|cuteness|the heat|heat|jealousy|envy|happiness)\b",
        @"\b(?:died|dying|dead) (?:laughing|of laughter)\b",
        @"\b(?:i am|i literally|i) (?:dead|dying|died)(?: (?:lol|lmao|haha|hahaha|rn|right now))? (?:lol|lmao|haha|hahaha)\b",
        @"\b(?:bored|scared|worried|tickled|loved|love it|frozen|freezing|starving|stressed|tired) to death\b",
        @"\bdead (?:tired|serious|on|end|last|wrong|right|set|heat|weight|line|ringer|beat)\b",
        @"\bdeadlines?\b",
        @"\bdying (?:my|your|her|his|the) (?:hair|clothes|shirt|jeans|beard)\b",
        @"\b(?:drop dead (?:gorgeous|beautiful)|(?<!\b(?:want|wanting|wanted|need|needing|wish|ready|going|like|try|trying|about) )to die for|over my dead body|dead inside lol|killer (?:workout|app|idea|outfit|song|deal))\b",
        @"\bwould rather (?:die|be dead) than (?!(?:live|go on|keep going|keep living|continue|feel|be alive|wake up|spend another|face another|carry on))\w+",
        @"\b(?:suicide|suicidal) (?:mission|squad|doors?|run|runs|drill|sprints?|pace|king|bomber|bombing)\b",
        @"\b(?:career|social|political|financial|commercial|electoral) suicide\b",
        @"\bcut(?:ting)? myself (?:off|some slack|a (?:slice|piece|break)|shaving|while|when|on (?:a|the|some|my)|by accident|accidentally|chopping|cooking|slicing)\b",
        @"\b(?:accidentally|by accident) (?:cut|burned|burnt|hurt) myself\b",
        @"\b(?:hurt|injured|burned|burnt|cut) myself (?:at|playing|in|lifting|skiing|running|falling|at the gym|cooking|on the|on a|with the(?! (?:lighter|cigarette|razor|blade|knife|match|matches|scissors|compass)\b)|with a(?! (?:lighter|cigarette|razor|blade|knife|match|scissors|compass)\b)|badly at|ironing|shaving|snowboarding|skating)\b",
        @"\b(?:hopeless|worthless) (?:at|with|when it comes to)\b",
        @"\bdisappear (?:for|from (?:social media|instagram|twitter|the internet)|off the grid)\b",
        @"\bshoot me (?:now|a (?:message|text|email|dm))\b",
        @"\bkill(?:ing|ed)? the (?:conversation|silence)\b",
        @"\bend it (?:with|between)\b",
        // Spanish
        @"\bme (?:muero|estoy muriendo|mori) de (?:hambre|risa|sueno|ganas|calor|frio|verguenza|aburrimiento|envidia|sed|miedo|amor|celos)\b",
        @"\bmuert[oa]s? de (?:hambre|risa|cansancio|sueno|miedo|frio|calor|verguenza|aburrimiento)\b",
        @"\b(?:me mata(?:n)?|me esta matando|me estan matando) (?:el|la|los|las|este|esta|estos|de|con)\b",
        @"\b(?:me va(?:n)?|nos va(?:n)?) a matar (?:si|cuando|por|con)\b",
        @"\bme (?:corto|cort[eo]) (?:el pelo|las unas|el cabello|la barba)\b",
        @"\bme mat[oe] (?:a )?(?:trabajar|estudiar|estudiando|trabajando|entrenando)\b",
        // French
        @"\bje (?:meurs|suis en train de mourir|suis mort[e]?) de (?:faim|soif|rire|envie|chaud|froid|fatigue|sommeil|peur|honte|ennui)\b",
        @"\bmort[e]?s? de (?:rire|fatigue|faim|froid|peur|honte)\b",
        @"\b(?:ca|ce \w+|cette \w+) me tue\b",
        @"\bva me tuer (?:si|quand|pour|avec)\b",
        @"\bje me (?:suis )?coupe(?:e)? (?:les cheveux|les ongles|en (?:cuisinant|coupant))\b",
        // German
        @"\bich sterbe (?:vor|fast vor) (?:hunger|durst|lachen|langeweile|hitze|kalte|neugier|angst|scham)\b",
        @"\b(?:todmude|totmude|todlangweilig|zu tode (?:gelangweilt|erschrocken|genervt)|ich lach mich tot|lach mich tot)\b",
        @"\b(?:das|es|die arbeit|die schule|der job) bringt mich (?:noch )?um\b",
        @"\bbringt mich um,? (?:wenn|falls)\b",
        @"\bmich (?:beim \w+|in den finger|am finger|aus versehen) (?:geschnitten|verletzt|verbrannt)\b",
        // Portuguese
        @"\b(?:to|estou|tou|tava|estava|ja estou) morrendo de (?:fome|rir|sono|vontade|calor|frio|saudade|saudades|medo|tedio|cansaco|vergonha|sede)\b",
        @"\bmorr(?:i|emos) de (?:rir|vergonha|medo|saudade|fome|calor)\b",
        @"\bmort[oa]s? de (?:fome|cansaco|sono|saudade)\b",
        @"\b(?:isso|essa \w+|esse \w+) me mata\b",
        @"\bvai me matar (?:se|quando|por|com)\b",
        // Hindi (Latin script)
        @"\bmar (?:gaya|gayi|gaye) (?:yaar|yar|bhai|re|lol)\b",
        @"\bhas(?:s)?(?:te)? has(?:s)?(?:te)? (?:ke |kar )?mar\w*\b",
        @"\b(?:bhook|bhookh|garmi|thand|sardi|bore ho ke|pyaas) (?:se )?mar (?:raha|rahi|gaya|gayi|jaunga|jaungi)\b",
        @"\b(?:maar|mar) (?:dalegi|dalega|daalega|daalegi|degi|dega|denge) (?:agar|jab|lol)\b",
        @"\b(?:garmi|sardi|thand|thandi|bhook|bhookh|pyaas|kaam|padhai|exam|exams|homework|traffic|tension|boriyat|dhoop|barish|mehngai) (?:toh |to |hi )?(?:mujhe|hume|humein|hamein) (?:maar|mar) (?:dalegi|dalega|daalega|daalegi|degi|dega|denge|dalenge)\b");

    /// <summary>Reframes blanked before the rest: "they told me to kill myself" is bullying, not the writer's intent.</summary>
    internal static readonly SafetyRule[] Reframes =
    [
        .. Build(RiskLevel.Concern, Bullying, RuleKind.Consumes,
            @"\b(?:told|tell|tells|telling|said|say|says|keep saying|kept saying|texted|messaged) (?:me )?(?:to|i should|that i should) (?:go )?(?:kill myself|die|kys|end my life)\b"),
        .. Build(RiskLevel.Concern, HarmToOthers, RuleKind.Consumes,
            @"\b(?:you should|go|just|please|why do not you|why not|u should) (?:go )?kill yourself\b"),
    ];

    internal static readonly SafetyRule[] Rules =
    [
        // ── English: imminent ──
        .. Build(RiskLevel.Imminent, Plan, RuleKind.Self,
            @"\bi (?:have|made|got|have got|came up with) (?:a|the|my) plan (?:to|for|on how to) (?:how to )?" + KillSelfEn,
            @"\bi (?:know|have decided|decided) (?:how|when|where) (?:i am going to|i will|to) " + KillSelfEn),
        .. Build(RiskLevel.Imminent, MeansAtHand, RuleKind.Self,
            @"\bi (?:have|have got|got|bought|collected|saved up|am holding|have been saving|have been collecting|have been stockpiling|stockpiled|hoarded) (?:a |the |my |all (?:my |the )?|enough |some |a bottle of |a rope and )?(?:pills|tablets|meds|medication|rope|noose|gun|razor|razors|blade|blades|knife|sleeping pills|painkillers)\b[^.!?;]{0,40}\b(?:ready|here|with me|in front of me|in my hand|lined up|counted out|laid out|set out|to do it|to end it|for it|tonight|enough to|to kill myself|to die)\b",
            @"\b(?:standing|sitting|stood|am) on the (?:edge|ledge|railing) (?:of|right now|now)\b",
            @"\bthe (?:rope|noose|belt|cord) is (?:already |all )?(?:up|tied|hung|set up|ready|in place)\b",
            @"\bi am (?:on|at|standing on|at the top of) (?:the|a) (?:bridge|roof|rooftop|tracks|cliff|building)\b[^.!?;]{0,40}\b(?:jump|end it|goodbye|kill myself|die|let go)\b",
            @"\b(?:wrote|written|writing|left|finished) (?:a |my )?(?:suicide|goodbye|final) (?:note|letter|letters|notes)\b",
            @"\bgave away (?:all )?my (?:things|stuff|belongings|cat|dog|pets)\b[^.!?;]{0,40}\b(?:will not need|do not need|gone|goodbye)\b"),
        .. Build(RiskLevel.Imminent, SuicidalIntent, RuleKind.Self,
            @"\b(?:i am )?about to (?:just |finally )?(?:" + KillSelfEn + @"|do it|jump)\b"),
        .. Build(RiskLevel.Imminent, ActUnderWay, RuleKind.Self,
            @"\bi (?:just |have just |already |have already |have )?(?:took|taken|swallowed|downed|ate) (?:everything|all of it|the lot|whatever (?:was|i found)) (?:in|from) (?:the|my) (?:medicine cabinet|cabinet|cupboard|drawer|bathroom|first aid kit)\b",
            @"\bi (?:[^.!?;]{0,40} and )?(?:just |have just |already |have already |have |just now )?(?:took|taken|swallowed|downed|ate) (?:all|a lot|a bunch|a handful|loads|too many|the whole|every|a whole|an entire|\d+|ten|twenty|thirty|forty|fifty|a hundred)\b[^.!?;]{0,30}\b(?:pills|tablets|meds|paracetamol|tylenol|sleeping pills|painkillers|bottle|pack|packet|box|box of|ibuprofen|aspirin|medication)\b",
            @"\bi (?:just |have just |have )?(?:overdosed|overdose)\b",
            @"\bi (?:just |have just )?(?:cut|slit|slashed) my (?:wrists?|throat)\b",
            @"\b(?:cut|went|gone) (?:\w+ )?too deep\b",
            @"\b(?:it|the cut|the bleeding|the wound|my (?:arm|wrist|leg)) (?:will not|would not|is not|does not|cannot|can not) stop(?:ping)? bleeding\b",
            @"\bi (?:have )?(?:already |just )?(?:taken|took|swallowed) (?:all of them|all of it|them all|the lot|the whole lot)\b[^.!?;]{0,40}\b(?:will not be long|not long now|kicking in|goodbye|feel (?:dizzy|sleepy|weird|sick))\b",
            @"\b(?:engine|car) (?:is )?running in (?:the |a |my )?(?:closed |shut |locked )?garage\b",
            @"\bin the car with the engine running\b[^.!?;]{0,30}\b(?:closed|shut|locked|garage|hose|pipe)\b",
            @"\b(?:bleeding|blood) (?:will not stop|a lot|everywhere|is not stopping)\b",
            @"\bthe (?:pills|tablets|overdose) (?:are|is) (?:starting to |beginning to |already )?(?:kicking in|kick in|working|work)\b",
            @"\bi (?:am|just) (?:tied|tying) (?:the|a) (?:rope|noose)\b"),
        .. Build(RiskLevel.Imminent, Goodbye, RuleKind.Self,
            @"\bthis is (?:my )?(?:goodbye|final goodbye|last (?:message|post|goodbye|night alive|day alive|night on earth|day on earth))\b",
            @"\bthis is the end (?:for me|of me)\b",
            @"\b(?:sorry|goodbye|bye) (?:everyone|everybody|all)\b[^.!?;]{0,40}\b(?:i love you|forgive me|the end)\b",
            @"\btonight(?: is|'s) the night\b",
            @"\bgoodbye (?:forever|cruel world|world|everyone forever)\b",
            @"\bby the time (?:you|anyone|someone) (?:read|reads|see|sees|find|finds) this\b",
            @"\b(?:wrote|written|writing|left) (?:a |my )?(?:letters?|notes?) (?:to|for) (?:my|everyone|each of)\b[^.!?;]{0,60}\b(?:will find (?:them|it|me)|when i am gone|after i am gone|goodbye|last)\b",
            @"\b(?:they|someone|somebody|my \w+) will find (?:my body|me dead|me hanging|me in the morning|me tomorrow)\b",
            @"\bi will not be (?:here|around|alive) (?:tomorrow|much longer|by morning|for long|in the morning)\b",
            @"\bi will be (?:gone|dead) (?:by|before|tonight|soon|tomorrow)\b",
            @"\b(?:tell|please tell) (?:my (?:family|mom|mum|mother|dad|kids|sister|brother)|everyone|them) (?:that )?i (?:love|loved|am sorry)\b"),

        // ── English: high ──
        .. Build(RiskLevel.High, SuicidalIntent, RuleKind.Self | RuleKind.Intent,
            @"\bi (?:am |will |would )?(?:going to|gonna|about to|will|am planning to|plan to|am planning on|have decided to|decided to|am ready to|ready to|intend to|am finally going to|will finally) (?:just |finally |actually |really )?" + KillSelfEn,
            @"\b(?:going to|gonna|about to|planning to|planning on|ready to) (?:just |finally |actually |really )?" + KillSelfEn,
            @"\b(?:tonight|today|tomorrow) (?:is the night|is the day|i (?:will|am going to)) (?:i )?(?:" + KillSelfEn + @"|do it|end it)\b",
            @"\bi am (?:going to|gonna|about to) (?:do it|end it) (?:tonight|today|now|right now)\b",
            @"(?:^|[.!?;,] )(?:going to|about to) (?:do it|end it) (?:tonight|today|now|right now)\b",
            @"\bi am (?:walking|going|heading|driving|on my way) to (?:the )?(?:train tracks|railway tracks|railway line|ledge|edge of the cliff)\b"),
        .. Build(RiskLevel.High, SuicidalDesire, RuleKind.Self | RuleKind.Intent,
            @"\bi (?:just |really |honestly |kinda |kind of |sometimes |still |seriously |literally |actually |truly )?(?:want|need|would like|wish|feel like i want|feel like i need|feel like|am tempted|have the urge|have urges|get urges) to " + KillSelfEn,
            @"\b(?:want|need) to " + KillSelfEn),
        .. Build(RiskLevel.High, SuicidalDesire, RuleKind.Self | RuleKind.Jokey,
            @"\bi (?:just |really |honestly |kinda |kind of |sometimes |still |seriously |literally |actually |truly |so )?(?:want|need|would like|wish) to die\b",
            @"(?:^|[.!?;,] )(?:just |really |so |i )?(?:want|wanna|need) to die\b"),
        .. Build(RiskLevel.High, SuicidalDesire, RuleKind.Self,
            @"\bi (?:have been|have|keep|am|was) (?:\w+ )?wanting to (?:die|" + KillSelfEn + @")\b",
            @"\bi (?:just |really |honestly |kinda |kind of |sometimes |still )?(?:want|need|wish) to (?:stop living|not live anymore|not be alive|stop being alive)\b",
            @"\b(?:part of me|something in me|a part of me) (?:\w+ )?(?:wants|wishes|needs) to (?:die|" + KillSelfEn + @")\b",
            @"\bi (?:\w+ ){0,2}(?:do not|no longer) want to (?:live|be alive|stay alive|keep living|go on living)\b",
            @"\bi am (?:so |really |pretty |very )?(?:suicidal|feeling suicidal)\b",
            @"\b(?:feel|feeling|felt|been|getting|get) (?:really |so |very |kind of |kinda |a bit |a little |pretty |extremely |super |quite )?suicidal\b",
            @"\bsuicidal (?:thoughts|ideation|feelings|urges|again|tonight|today|right now)\b",
            @"\bi (?:am|feel) like (?:ending it|dying|killing myself)\b"),
        .. Build(RiskLevel.High, SuicidalDesire, RuleKind.Self | RuleKind.Jokey,
            @"\b(?:kill|killing) myself\b",
            @"\bend my (?:own )?life\b"),
        .. Build(RiskLevel.High, SuicidalThoughts, RuleKind.Self,
            @"\b(?:thinking|thought|thoughts|think|thinks|dreaming|fantasi[sz]ing|obsessing) (?:a lot |constantly |again |every day |all the time )?(?:about|of) (?:" + KillSelfEn + @"|suicide|ending things|ending it|how to die|ways to die)\b",
            @"\b(?:suicide|killing myself) (?:is|has been|keeps) (?:on my mind|crossing my mind|all i think about)\b",
            @"\bi (?:keep|cannot stop) (?:imagining|picturing|planning) (?:my (?:death|funeral|suicide)|how i would die|dying)\b",
            @"\bi have been (?:planning|researching) (?:my (?:death|suicide)|how to die|ways to die)\b"),
        .. Build(RiskLevel.High, SuicidalThoughts, RuleKind.Self,
            @"\b(?:suicide|killing myself|ending it|ending my life|taking my (?:own )?life) (?:feels like|seems like|is|looks like|sounds like) (?:the|my) only (?:way out|option|answer|choice|escape|solution|way)\b",
            @"\bthe only way out is (?:suicide|to kill myself|to end it|death|dying)\b",
            @"\b(?:better off dead|want to die|wish i (?:was|were) dead|not wake up|disappear forever)\b[^.!?;]{0,40}\b(?:thought|thinking|planned|planning|worked out) (?:about )?(?:how|when|where)\b(?! to (?:fix|solve|improve|help))",
            @"\bi (?:\w+ ){0,2}do not want to exist(?: anymore| any more)\b"),
        .. Build(RiskLevel.High, MethodSeeking, RuleKind.Self,
            @"\b(?:which|what) (?:pills|meds|medications?|medicines?|drugs|tablets|dose|amount) (?:are|is|would be|can be|could be) (?:lethal|fatal|deadly|enough to kill)\b(?! (?:for|to) (?:cats|dogs|pets|animals|kids|children|babies|a child|a dog|a cat))",
            @"\bhow (?:long|quickly|fast) (?:does it|would it|will it|did it) take (?:to |for (?:you|someone|a person|me) to )?(?:bleed out|bleed to death|die|suffocate|drown|hang)\b(?! (?:my|your|her|his|the|their|it) )",
            @"\bwhere (?:can|do|could) i (?:buy|get) (?:a gun|a rope|rope|pills|sleeping pills|a weapon)\b[^.!?;]{0,30}\b(?:fast|quickly|today|tonight|right now|no questions|without (?:a )?(?:background check|prescription))\b",
            @"\b(?:how (?:to|do i|can i|could i|would i|do you|does one|do people|should i)|best way to|easiest way to|quickest way to|fastest way to|painless(?:est)? way to|least painful way to|surest way to|quick way to|ways to) (?:" + KillSelfEn + @"|die|overdose|hang|slit my wrists|end it|kill yourself|commit suicide)\b",
            @"\b(?:how many|how much) (?:\w+ ){0,3}(?:would it take|does it take|to take|do i need|would i need|is needed|is enough) (?:to|for) (?:die|kill|overdose|be lethal|be fatal|a lethal)\b",
            @"\b(?:how many|how much) (?:\w+ ){0,3}(?:is|are) (?:lethal|fatal|deadly|an overdose)\b",
            @"\blethal dose\b",
            @"\b(?:most |least |a |the )?(?:painless(?:est)?|quickest|easiest|surest|least painful) (?:way|ways|method|methods) (?:to go|out|to do it|to not wake up|to never wake up)\b",
            @"\bhow (?:high|tall|far|deep|fast) (?:\w+ ){0,8}(?:would not|do not|did not|never|not|cannot|can not) survive\b",
            @"\bhow many\b[^.!?;]{0,40}\b(?:would|will|could|to|does it take to) (?:kill me|be fatal|be lethal|overdose|die)\b",
            @"\b(?:tie|tying|make|making) a noose\b",
            @"\b(?:which|what) (?:bridge|building|height) is (?:high|tall) enough\b",
            @"\bhow (?:high|tall|far) (?:\w+ ){0,5}(?:to die|to kill|to be fatal|is fatal|would kill)\b",
            @"\bwhere (?:can|do|could) i (?:buy|get) (?:a gun|a rope|rope|pills|sleeping pills)\b[^.!?;]{0,30}\b(?:to die|to end it|kill myself)\b"),
        .. Build(RiskLevel.High, SelfHarm, RuleKind.Self,
            @"\b(?:cutting|burning|hurting|harming|scratching|hitting|punching|starving|cut|burn|burned|burnt|hurt|harm|harmed) myself\b",
            @"\bi (?:want|need|have the urge|have urges|feel the urge|am tempted|feel like i want|feel like) to (?:cut|hurt|harm|burn) (?:myself|again)\b",
            @"\bi (?:am|have been|started|keep)\b[^.!?;]{0,20}\bself harm(?:ing)?\b",
            @"\bi (?:have|feel|get|am fighting) (?:the |an |a strong |strong |these )?urges? to (?:cut|self harm|hurt myself|burn|harm myself)\b",
            @"\bself harm(?:ing|ed)?\b[^.!?;]{0,20}\bagain\b",
            @"\burges? to (?:cut|self harm|burn)(?= (?:is|are|was|were|has|have|keeps|kept|comes|came|gets|got|again|today|tonight|right now|so)\b| ?[.!?,;]| ?$)",
            @"\bi (?:cut|harmed) again\b",
            @"\bi (?:have )?(?:started|been|keep|am) (?:cutting|burning|self harming|scratching)(?: myself)?(?: again)?\b",
            @"\bi relapsed\b[^.!?;]{0,30}\b(?:cut|cutting|self harm|harm)\b",
            @"\bi (?:\w+ )?(?:scratched|scratch|cut|burned|burnt|burn|hit|punched|bit|bite|picked at|pick at|carved|carve|dug into) (?:into )?my (?:arms?|wrists?|legs?|thighs?|skin|stomach|hips?|hands?)\b[^.!?;]{0,30}\b(?:until|till|til|so) (?:it|they|i) (?:bled|bleeds?|bruised|bruise|scarred|hurt)\b"),
        .. Build(RiskLevel.High, PastAttempt, RuleKind.Self | RuleKind.PastTense,
            @"\bi (?:tried|attempted|tryed|have tried|have attempted) (?:to )?(?:" + KillSelfEn + @"|die|suicide|overdose|end it)\b",
            @"\b(?:my|a) (?:suicide )?attempt\b",
            @"\bi (?:was|used to be) suicidal\b",
            @"\bi (?:wanted|used to want|wished) to (?:die|" + KillSelfEn + @")\b",
            @"\bi used to (?:cut|self harm|hurt myself|harm myself|burn myself|think about suicide|think about killing myself)\b"),

        // ── English: concern ──
        .. Build(RiskLevel.Concern, PassiveIdeation, RuleKind.Self,
            @"\bi (?:wish|wished) (?:i (?:was|were|could be) (?:dead|gone|never born)|i (?:could|would|did) (?:just )?(?:disappear|sleep forever|just not exist|not exist|fall asleep and (?:not|never) wake up|not wake up|die|just die|just disappear|stop existing)|i (?:had never been born|was not born|were not here|was not here))\b",
            @"\b(?:better off (?:dead|without me)|better off if i (?:was|were) (?:gone|dead|not here))\b",
            @"\b(?:would not|will not|would never) (?:miss|notice|care) if i (?:died|was gone|were gone|disappeared|was dead)\b",
            @"\b(?:nobody|no one|none of them) would (?:miss me|notice|care|even notice)\b",
            @"\b(?:would not|do not|would never|wouldnt) (?:care|mind) if (?:a (?:bus|car|truck|train|plane)|something|lightning|someone) (?:hit|hits|killed|kills|ran me over|runs me over)(?: me)?\b",
            @"\bi (?:hope|wish) (?:a (?:bus|car|truck|train)|something|lightning) (?:hits|hit|kills|killed) me\b",
            @"\bi (?:\w+ ){0,2}do not want to (?:be here|exist|wake up|be around)(?: anymore| any more| tomorrow)?\b",
            @"\bi (?:would not|do not|would(?: not)? even|really would not) mind (?:if i (?:did not|do not|never|would not|could not) (?:wake up|woke up|make it|come back)|(?:not |never )waking up|dying|being dead|if i died|if it all ended)\b",
            @"\bi (?:would rather|would sooner) (?:be dead|die|not exist|not be here|not wake up)\b",
            @"\bi (?:just |really )?want to (?:disappear|vanish|not exist|stop existing|sleep forever|fall asleep and never wake up|go to sleep and not wake up|go to sleep forever|not be here)\b",
            @"\bif i (?:just )?(?:died|was gone|were gone|disappeared|was dead|were dead|was not here|were not here|was not around|did not exist|was never born)\b",
            @"\bi (?:do not|no longer) (?:know|think) (?:if |whether )?i (?:can|want to) (?:go on|keep going|live|keep living|be here|stay alive)\b",
            @"\bnot sure (?:if |whether )?i want to (?:live|be here|go on|be alive|keep going)\b",
            @"\b(?:death|dying) (?:would be|seems like|feels like|sounds like) (?:a relief|the only way|easier|peaceful|an escape)\b"),
        .. Build(RiskLevel.Concern, Hopelessness, RuleKind.Self,
            @"\b(?:what is the point|no point|there is no point|pointless|what is even the point) (?:of |in |to )?(?:living|life|going on|anything|anything anymore|trying anymore|being alive|me being here|existing|waking up)\b",
            @"\b(?:thinking|think|thoughts) (?:a lot |constantly |all the time )?(?:about|of) (?:death|dying|being dead|not being here|not waking up)\b(?! (?:my|your|her|his|the) (?:hair|clothes|shirt))",
            @"\b(?:nothing|no reason|no reasons) (?:left )?to live for\b",
            @"\bno reason to (?:live|go on|keep going|be alive|stay)\b",
            @"\bi (?:cannot|can not) (?:go on|do this anymore|take (?:it|this) anymore|keep going|cope anymore|live like this|keep living|carry on|take it any more|do this any more|handle (?:it|this|life) anymore)\b",
            @"\bi (?:am|feel|feel like|feel like i am|have been feeling|am feeling|have been)(?: \w+){0,2} (?:a |such a )?(?:burden|hopeless|worthless|trapped|empty inside|like a burden|a waste of space|useless to everyone)\b",
            @"\b(?:do not|cannot|can not|fail to|do not really) see (?:any|a|the) (?:reason|point) (?:to|in|of|for) (?:living|live|life|going on|keep going|keeping going|carrying on|carry on|being alive|being here|trying anymore)\b",
            @"\b(?:any|a) reason to (?:live|go on|keep going|keep living|be alive|stay alive)\b(?<=\b(?:do not|cannot|can not|can't) (?:see |find |think of |have )?(?:\w+ )?(?:any|a) reason to \w+(?: \w+)?)",
            @"\b(?:everyone|everybody|my family|they) (?:would be|is|are|will be) (?:better|happier) (?:off )?without me\b",
            @"\b(?:i am )?done with (?:life|living|everything|it all)\b",
            @"\b(?:tired|sick|exhausted) of (?:living|life|being alive|existing|fighting|trying|everything)\b",
            @"\b(?:cannot|can not|do not|could not|no longer) see (?:a|any|my|much of a) future\b",
            @"\bi (?:feel|am) (?:so |completely |totally )?empty (?:all the time|inside|every day)\b",
            @"\bthere is no way out\b",
            @"\bnothing (?:is |will )?(?:ever )?(?:going to |gonna )?(?:get|gets|be|getting) (?:any )?better\b",
            @"\b(?:it|things|life|my life) (?:is|are|will) never (?:going to )?(?:get|be) (?:any )?better\b",
            @"\b(?:life|my life) is (?:not worth living|pointless|meaningless|over)\b",
            @"\bi (?:give|gave) up on (?:life|everything|myself)\b",
            @"\bi am (?:so |completely )?(?:alone|lonely) and (?:nobody|no one) (?:cares|would care)\b"),

        // ── Danger from others (English) ──
        .. Build(RiskLevel.Imminent, ViolenceFromOthers, RuleKind.Violence,
            Person + @" (?:is |are )?(?:breaking (?:in|down the door|the door)|banging on (?:the|my) door|trying to (?:get|break) in|coming (?:back |home |over )?(?:for me|to kill me|to hurt me|with a (?:gun|knife|weapon))|has (?:a|his|her) (?:gun|knife|weapon) (?:out|and|pointed)|(?:is )?(?:hitting|beating|choking|strangling|attacking|hurting|stabbing) me (?:right now|now))\b",
            @"\bi am (?:hiding|locked in|locked|trapped)\b[^.!?;]{0,40}\bfrom (?:him|her|them|my \w+)\b",
            Person + @" (?:is |are )?(?:banging|pounding|hammering|kicking|smashing) (?:on |in |down )?(?:the|my) (?:\w+ )?door\b",
            @"\b(?:esta|estan) (?:rompiendo|tirando abajo|golpeando|pateando|derribando) la puerta\b",
            @"\b(?:il|elle|mon \w+) (?:est en train de )?(?:defonce|defoncer|enfonce|enfoncer|cogne a|tape a) (?:la|ma) porte\b",
            @"\b(?:er|sie|mein \w+) (?:tritt|schlagt|hammert an) (?:die|meine) tur(?: ein)?\b",
            @"\b(?:dar[vw]a+[zj]a|gate) (?:tod|todne|peet|pitne) (?:raha|rahi|rahe|laga|lagi)\b",
            @"\b(?:he|she|they) (?:has|have|is holding) (?:a )?(?:gun|knife) (?:to|at|against) (?:me|my)\b",
            Person + @" (?:is |are )?(?:outside|here|at the door|in the house|at my door|outside the door|outside my door|in my room|downstairs)\b[^.!?;]{0,20}\bwith (?:a|his|her) (?:knife|gun|weapon|bat|hammer)\b",
            @"\b(?:he|she|they) (?:just )?(?:got|grabbed|pulled|took out|is holding) (?:a|his|her|the) (?:knife|gun|weapon)\b",
            @"\bi (?:am|was just) (?:bleeding|hurt) (?:because|after) (?:he|she|they|my \w+)\b"),
        .. Build(RiskLevel.High, ThreatFromOthers, RuleKind.Violence,
            @"\bj'ai peur qu'(?:il|elle) me tue\b",
            @"\b(?:screaming|yelling|shouting|saying) (?:that )?(?:he|she|they) (?:is|are) going to kill me\b"),
        .. Build(RiskLevel.High, ThreatFromOthers, RuleKind.Violence | RuleKind.Intent,
            Person + @" (?:is |are )?(?:going to|gonna|will|wants to|is trying to|tried to|threatened to|threatens to|keeps threatening to|said (?:he|she|they) (?:would|will|is going to|are going to|was going to)) (?:kill|hurt|shoot|stab|strangle|choke|beat|burn) me\b",
            @"\b(?:threatened|threatens|threatening) (?:to kill|to hurt|my life|me with a (?:gun|knife))\b"),
        .. Build(RiskLevel.High, ViolenceFromOthers, RuleKind.Violence,
            Person + @" (?:(?:has|have) )?(?:always |often |sometimes |still |again )?(?:hits|hit|beats|beat|beaten|punches|punched|kicks|kicked|slaps|slapped|chokes|choked|strangles|strangled|shoves|shoved|pushes|pushed|burns|burned|rapes|raped|abuses|abused|assaults|assaulted|attacks|attacked|hurts|hurt|throws things at|threw \w+ at|locks|locked|throws|threw|slams|slammed|drags|dragged|pins|pinned|bites|bit|spits on|spat on) me\b",
            Person + @" (?:has been|have been|keeps|kept|started|is always|was) (?:hitting|beating|punching|kicking|slapping|choking|hurting|abusing|raping|attacking) me\b",
            Person + @" (?:forces|forced) me to (?:have sex|sleep with)\b",
            @"\bi am (?:being )?(?:abused|beaten|hit|hurt|raped|threatened|assaulted|attacked) (?:at home|by (?:him|her|them|my))\b",
            @"\bi (?:am|have been|live with|experience|am experiencing|am suffering from|am a victim of) (?:\w+ ){0,2}(?:domestic|family) (?:violence|abuse)\b",
            @"\bi am not safe (?:at home|here|with (?:him|her|them|my \w+)|in my (?:own )?(?:home|house))\b",
            @"\b(?:scared|afraid|terrified|fear) for my life\b"),
        .. Build(RiskLevel.Concern, FearAtHome, RuleKind.Violence,
            @"\bi am (?:so |really |very )?(?:scared|afraid|terrified|frightened) (?:of (?:him|her|them|my (?:husband|wife|partner|boyfriend|girlfriend|dad|father|stepdad|stepfather|mom|mum|mother|stepmom|ex|brother|uncle|parents))|to go home|of going home|(?:he|she) will (?:hurt|hit|find)|to be (?:at )?home|to be alone with (?:him|her|them)|to go back home)\b",
            @"\bi (?:do not|cannot|never) feel safe (?:at home|in my (?:own )?(?:home|house)|around (?:him|her|them|my \w+)|with (?:him|her|them|my \w+))\b",
            Person + @" (?:controls|monitors|tracks|isolates|threatens|screams at|yells at|takes|checks|reads|goes through|watches) (?:me|my (?:phone|money|messages|texts|emails))\b",
            @"\b(?:scared|afraid|terrified|frightened) (?:of )?what (?:he|she|they|my \w+) (?:will|would|might|could|is going to) do\b"),
        .. Build(RiskLevel.High, HarmToOthers, RuleKind.Intent,
            @"\bi (?:am going to|am gonna|will|want to|am about to|plan to|am planning to|feel like i could) (?:kill|shoot|stab|murder|strangle|hurt|poison) (?:him|her|them|someone|somebody|everyone|people|my (?:\w+ )?\w+)\b"),

        // ── Someone else (English) ──
        .. Build(RiskLevel.Concern, SomeoneElse, RuleKind.Other,
            @"\b" + ThirdParty + @"\b[^.!?;]{0,40}\b(?:(?:kill|hurt|harm|cut|burn|hang|shoot|starv)\w* (?:himself|herself|themselves|themself)|(?:talk|post|writ|text|tweet|messag|jok)(?:s|es|ing|ed|e|ted|ting)? about (?:suicide|dying|wanting to die|killing (?:himself|herself|themselves)|ending (?:it|his life|her life|their life))|commit(?:ted|s)? suicide|died by suicide|took (?:his|her|their) (?:own )?life|(?:is|are|was|seems|sounds|feels|felt|been) (?:really |so |very )?suicidal|(?:wants|wanted|want) to die|(?:end|ended|ending) (?:his|her|their) (?:own )?life|self harm(?:s|ing|ed)?|overdosed|(?:tried|attempted) (?:to kill|suicide))\b"),

        // ── Spanish ──
        .. Build(RiskLevel.Imminent, ActUnderWay, RuleKind.Self,
            @"\b(?:me tome|tome|me he tomado|me acabo de tomar) (?:todas|muchas|un monton de|toda la caja de|la caja de|el bote de|\d+) (?:las |mis )?(?:pastillas|pildoras|medicinas|pastillas para dormir)\b",
            @"\b(?:ya )?me (?:tome|he tomado|acabo de tomar) (?:todas|todos) (?:las|los|mis) (?:pastillas|pildoras|medicinas|medicamentos|calmantes)\b",
            @"\btengo (?:las pastillas|la cuerda|el arma|una pistola|un arma|la soga) (?:listas?|preparad[ao]s?|aqui|conmigo)\b"),
        .. Build(RiskLevel.Imminent, Goodbye, RuleKind.Self,
            @"\b(?:esta es mi despedida|adios a todos para siempre|adios para siempre|cuando (?:leas|lean) esto (?:ya )?no estare)\b"),
        .. Build(RiskLevel.High, SuicidalIntent, RuleKind.Self | RuleKind.Intent,
            @"\b(?:me voy a (?:matar|suicidar|quitar la vida|tirar)|voy a (?:matarme|suicidarme|quitarme la vida|acabar con (?:todo|mi vida)|tirarme (?:de|del|por))|lo voy a hacer (?:hoy|esta noche|ya))\b"),
        .. Build(RiskLevel.High, SuicidalDesire, RuleKind.Self,
            @"\b(?:yo )?(?:quiero|quisiera|necesito|deseo|tengo ganas de|me dan ganas de|solo quiero) (?:morir(?:me)?|matarme|suicidarme|quitarme la vida|acabar con (?:todo|mi vida)|estar muert[oa])\b",
            @"\bme quiero (?:morir|matar|suicidar)\b",
            @"\bno quiero (?:vivir|seguir viviendo|estar viv[oa])(?: mas)?\b",
            @"\b(?:estoy|me siento) suicida\b"),
        .. Build(RiskLevel.High, SuicidalThoughts, RuleKind.Self,
            @"\b(?:pienso|pensando|he pensado|pensamientos|pensar) (?:mucho |siempre |todo el tiempo )?(?:en|de|sobre) (?:suicidarme|matarme|el suicidio|quitarme la vida|morirme|acabar con todo)\b",
            @"\bpensamientos suicidas\b"),
        .. Build(RiskLevel.High, MethodSeeking, RuleKind.Self,
            @"\b(?:como (?:matarme|suicidarme|morir sin dolor)|cuantas pastillas\b[^.!?;]{0,30}\b(?:morir|matar)|dosis letal)\b"),
        .. Build(RiskLevel.High, SelfHarm, RuleKind.Self,
            @"\bme (?:corto|he cortado|estoy cortando|sigo cortando|lastimo|he lastimado|hago dano|autolesiono|quemo) (?:a proposito|otra vez|los brazos|las munecas|las piernas)?\b"),
        .. Build(RiskLevel.High, PastAttempt, RuleKind.Self | RuleKind.PastTense,
            @"\b(?:ya )?pense (?:mucho )?(?:en|de|sobre) (?:suicidarme|matarme|el suicidio|quitarme la vida|morirme|acabar con todo)\b",
            @"\b(?:intente|trate de) (?:matarme|suicidarme|quitarme la vida)\b"),
        .. Build(RiskLevel.Concern, PassiveIdeation, RuleKind.Self,
            @"\b(?:quiero desaparecer|dejar de existir|ojala (?:no despertar|no despertara|estuviera muert[oa]|me muriera|no existiera)|seria mejor (?:no despertar(?:me)?|morir(?:me)?|no existir|no estar aqui|estar muert[oa])|seria mejor (?:si no estuviera|que no existiera|sin mi|estar muert[oa])|estarian mejor sin mi|no quiero (?:despertar|existir))\b"),
        .. Build(RiskLevel.Concern, Hopelessness, RuleKind.Self,
            @"\b(?:no (?:puedo|aguanto) mas|ya no puedo (?:mas|seguir)|no tengo (?:razones|motivos|nada) (?:para|por) (?:vivir|seguir)|soy una carga|nada tiene sentido|no vale la pena vivir|no (?:le )?(?:veo|encuentro) (?:ningun )?sentido (?:a|en) (?:nada|la vida|vivir|seguir))\b"),
        .. Build(RiskLevel.High, ViolenceFromOthers, RuleKind.Violence,
            @"\bme (?:pega|golpea|pego|golpeo|maltrata|maltrato|ahorca|ahorco|viola|violo|empuja|patea)\b",
            @"\b(?:amenaza|amenazo|amenazaron) con matarme\b",
            @"\b(?:me va a matar|va a matarme)\b"),
        .. Build(RiskLevel.Concern, FearAtHome, RuleKind.Violence,
            @"\btengo miedo de (?:el|ella|mi (?:esposo|marido|pareja|novio|padre|padrastro|madre)|volver a casa)\b",
            @"\bno me siento segur[oa] en (?:casa|mi casa)\b"),
        .. Build(RiskLevel.Concern, SomeoneElse, RuleKind.Other,
            @"\b(?:quiere|quieren|quiso) (?:morir|morirse|matarse|suicidarse)\b",
            @"\bse (?:quiere )?(?:matar|suicidar|suicido|mato)\b"),

        // ── French ──
        .. Build(RiskLevel.Imminent, ActUnderWay, RuleKind.Self,
            @"\bj'ai (?:pris|avale) (?:toutes|tous|plein de|une boite de|beaucoup de|la boite de|toute la boite de|toute une boite de|toute la plaquette de|toute la plaquette|toute la boite|\d+) (?:mes |les )?(?:cachets|medicaments|pilules|comprimes|somniferes)\b"),
        .. Build(RiskLevel.Imminent, Goodbye, RuleKind.Self,
            @"\b(?:c'est (?:mon|un) adieu|adieu a tous|adieu pour toujours|quand vous lirez (?:ce|ceci|ce message))\b"),
        .. Build(RiskLevel.High, SuicidalIntent, RuleKind.Self | RuleKind.Intent,
            @"\bje vais (?:me tuer|me suicider|en finir|mettre fin a (?:mes jours|ma vie)|me jeter|me pendre)\b",
            @"\bje (?:vais )?(?:saute|sauter|me jette|me jeter) (?:du|d'un|d un|de la|par la) (?:pont|toit|fenetre|immeuble|falaise|haut)\b"),
        .. Build(RiskLevel.High, SuicidalDesire, RuleKind.Self,
            @"\b(?:je veux|je voudrais|j'ai envie de|j'aimerais|je souhaite) (?:mourir|me tuer|me suicider|en finir(?: avec (?:la vie|tout))?|mettre fin a (?:mes jours|ma vie))\b",
            @"\bj'ai envie d'en finir\b",
            @"\b(?:je ne veux plus vivre|je veux plus vivre|je n'ai plus envie de vivre|j'ai plus envie de vivre|je suis suicidaire)\b"),
        .. Build(RiskLevel.High, SuicidalThoughts, RuleKind.Self,
            @"\b(?:je pense|j'y pense|je pensais) (?:a|au|souvent a) (?:me suicider|suicide|me tuer|mourir|en finir)\b",
            @"\b(?:idees|pensees) suicidaires\b"),
        .. Build(RiskLevel.High, MethodSeeking, RuleKind.Self,
            @"\b(?:comment (?:me suicider|me tuer|mourir sans douleur|en finir)|dose mortelle)\b"),
        .. Build(RiskLevel.High, SelfHarm, RuleKind.Self,
            @"\bje me (?:scarifie|mutile|fais du mal|coupe (?:les bras|les poignets|encore|expres)|suis (?:coupe|scarifie)e? (?:les bras|les poignets|expres|encore))\b"),
        .. Build(RiskLevel.High, PastAttempt, RuleKind.Self | RuleKind.PastTense,
            @"\bj'ai (?:essaye|tente) de (?:me suicider|me tuer|mettre fin a (?:mes jours|ma vie))\b"),
        .. Build(RiskLevel.Concern, PassiveIdeation, RuleKind.Self,
            @"\b(?:je veux disparaitre|j'aimerais disparaitre|idees noires|ils seraient mieux sans moi|j'aimerais ne jamais me reveiller)\b"),
        .. Build(RiskLevel.Concern, Hopelessness, RuleKind.Self,
            @"\bje ne vois (?:plus |pas |aucune )?(?:d'|de |aucune |plus d'|pas d')?(?:issue|sortie|solution|avenir)\b",
            @"\b(?:je n'en peux plus|j'en peux plus|je ne supporte plus (?:rien|la vie)|je suis un fardeau|(?:plus )?aucune raison de vivre|je suis epuisee? de vivre)\b"),
        .. Build(RiskLevel.High, ViolenceFromOthers, RuleKind.Violence,
            @"\b(?:il|elle|mon (?:mari|copain|pere|conjoint|ex|beau pere)|ma (?:femme|copine|mere)) (?:me (?:frappe|bat|etrangle|viole|menace)|m'a (?:frappee?|battue?|etranglee?|violee?|menacee?))\b",
            @"\b(?:menace|a menace) de me tuer\b",
            @"\bva me tuer\b"),
        .. Build(RiskLevel.Concern, FearAtHome, RuleKind.Violence,
            @"\bj'ai peur de (?:lui|mon (?:mari|copain|pere|conjoint)|rentrer a la maison)\b"),
        .. Build(RiskLevel.Concern, SomeoneElse, RuleKind.Other,
            @"\b(?:il|elle|mon ami|mon amie|ma soeur|mon frere) veut (?:mourir|se tuer|se suicider)\b",
            @"\bs'est suicidee?\b"),

        // ── German ──
        .. Build(RiskLevel.Imminent, ActUnderWay, RuleKind.Self,
            @"\bich habe (?:\w+ ){0,2}(?:alle|viele|eine (?:ganze )?packung|die ganzen|\d+) (?:meine |meiner )?(?:tabletten|pillen|schlaftabletten) (?:genommen|geschluckt)\b"),
        .. Build(RiskLevel.Imminent, Goodbye, RuleKind.Self,
            @"\b(?:das ist mein abschied|lebt wohl|lebewohl fur immer|wenn ihr das lest bin ich)\b"),
        .. Build(RiskLevel.High, SuicidalIntent, RuleKind.Self | RuleKind.Intent,
            @"\b(?:ich werde mich (?:\w+ ){0,3}(?:umbringen|toten|erhangen|aufhangen)|ich bringe? mich (?:\w+ ){0,3}um|bringe? ich mich (?:\w+ ){0,3}um|werde ich mich (?:\w+ ){0,3}(?:umbringen|toten)|ich werde mir das leben nehmen|ich werde (?:heute|jetzt) sterben)\b"),
        .. Build(RiskLevel.High, SuicidalDesire, RuleKind.Self,
            @"\bich (?:will|mochte|moechte|muss) (?:mich (?:umbringen|toten)|sterben|mir das leben nehmen|tot sein)\b",
            @"\bich (?:will|mag|kann) nicht mehr leben\b",
            @"\bich bin (?:suizidal|lebensmude)\b"),
        .. Build(RiskLevel.High, SuicidalThoughts, RuleKind.Self,
            @"\b(?:ich denke|denke ich|denke|ich habe) (?:oft |standig |immer |dauernd |manchmal )?(?:an|uber|daran(?: ?,)?|gedanken an) (?:selbstmord|suizid|mich umzubringen|zu sterben|mir das leben zu nehmen|mich zu toten|nicht mehr zu leben)\b",
            @"\b(?:suizidgedanken|selbstmordgedanken)\b"),
        .. Build(RiskLevel.High, MethodSeeking, RuleKind.Self,
            @"\b(?:wie (?:bringe ich mich um|kann ich mich umbringen|kann ich sterben)|tod?liche dosis)\b"),
        .. Build(RiskLevel.High, SelfHarm, RuleKind.Self,
            @"\b(?:ich ritze mich|ich (?:schneide|verletze) mich(?: selbst)?|ich habe mich (?:wieder )?(?:geritzt|geschnitten|verletzt))\b"),
        .. Build(RiskLevel.High, PastAttempt, RuleKind.Self | RuleKind.PastTense,
            @"\bich habe versucht,? mich umzubringen\b"),
        .. Build(RiskLevel.Concern, Hopelessness, RuleKind.Self,
            @"\bich (?:fuhle mich|bin) (?:so |total |vollig |einfach )?(?:hoffnungslos|wertlos|leer)\b",
            @"\bnichts wird (?:je |jemals |mehr |wieder )?(?:besser|gut)\b",
            @"\b(?:ich kann nicht mehr|ich bin eine last|alle waren besser dran ohne mich|es hat alles keinen sinn mehr|keinen sinn mehr zu leben|ich will einfach verschwinden|ich will nicht mehr aufwachen|(?:ich )?(?:wunschte|wunsche mir|wollte)(?: ich)?(?: ?,)? (?:ich )?(?:ware|waere) (?:\w+ )?(?:nicht mehr da|tot|nie geboren|weg))\b"),
        .. Build(RiskLevel.High, ViolenceFromOthers, RuleKind.Violence,
            @"\b(?:er|sie|mein (?:mann|freund|vater|stiefvater|ex|partner)|meine (?:frau|freundin|mutter)) (?:schlagt|schlaegt|schlug|verprugelt|wurgt|bedroht|vergewaltigt) mich\b",
            @"\b(?:hat mich (?:geschlagen|gewurgt|vergewaltigt|verprugelt))\b",
            @"\bdroht,? mich umzubringen\b"),
        .. Build(RiskLevel.Concern, FearAtHome, RuleKind.Violence,
            @"\bich habe angst (?:vor (?:ihm|ihr|meinem (?:mann|vater|freund))|nach hause zu gehen)\b"),
        .. Build(RiskLevel.Concern, SomeoneElse, RuleKind.Other,
            @"\b(?:er|sie|mein \w+|meine \w+) (?:will|mochte) (?:sterben|sich umbringen)\b",
            @"\bhat sich (?:umgebracht|das leben genommen)\b"),

        // ── Portuguese ──
        .. Build(RiskLevel.Imminent, ActUnderWay, RuleKind.Self,
            @"\btomei (?:todos|todas|muitos|muitas|uma cartela de|a cartela de|\d+) (?:os |as |meus |minhas )?(?:remedios|comprimidos|pilulas|calmantes)\b",
            @"\b(?:esta|ta|estao|tao) (?:arrombando|quebrando|chutando|esmurrando) a porta\b"),
        .. Build(RiskLevel.Imminent, Goodbye, RuleKind.Self,
            @"\b(?:(?:este|esse) e (?:meu|o meu) adeus|adeus a todos|adeus para sempre|quando voces lerem isso)\b"),
        .. Build(RiskLevel.High, SuicidalIntent, RuleKind.Self | RuleKind.Intent,
            @"\b(?:eu )?vou (?:me matar|me suicidar|tirar (?:a )?minha (?:propria )?vida|acabar com (?:tudo|minha vida)|me jogar)\b"),
        .. Build(RiskLevel.High, SuicidalDesire, RuleKind.Self,
            @"\b(?:eu )?(?:quero|queria|preciso|tenho vontade de|to com vontade de|estou com vontade de|so quero) (?:morrer|me matar|me suicidar|tirar (?:a )?minha (?:propria )?vida|acabar com (?:tudo|minha vida))\b",
            @"\bnao (?:quero|aguento) mais viver\b",
            @"\bnao quero (?:mais )?viver\b",
            @"\b(?:estou|to|tou) suicida\b"),
        .. Build(RiskLevel.High, SuicidalThoughts, RuleKind.Self,
            @"\b(?:penso|pensando|tenho pensado) (?:muito |sempre |todo dia |todos os dias )?em (?:me matar|suicidio|me suicidar|tirar minha vida|morrer)\b",
            @"\bpensamentos suicidas\b"),
        .. Build(RiskLevel.High, MethodSeeking, RuleKind.Self,
            @"\b(?:como (?:me matar|me suicidar|morrer sem dor)|quantos (?:comprimidos|remedios)\b[^.!?;]{0,30}\b(?:morrer|matar)|dose letal)\b"),
        .. Build(RiskLevel.High, SelfHarm, RuleKind.Self,
            @"\b(?:me corto|me cortei|estou me cortando|to me cortando|me machuco|me machuquei de proposito|me automutilo|me mutilo)\b"),
        .. Build(RiskLevel.High, PastAttempt, RuleKind.Self | RuleKind.PastTense,
            @"\btentei (?:me matar|suicidio|me suicidar|tirar minha vida)\b",
            @"\b(?:ja )?pensei (?:muito )?em (?:me matar|suicidio|me suicidar|tirar minha vida|morrer)\b"),
        .. Build(RiskLevel.Concern, PassiveIdeation, RuleKind.Self,
            @"\b(?:quero sumir|queria sumir|queria nao existir|seria melhor se eu nao existisse|melhor sem mim|ninguem sentiria (?:minha )?falta)\b"),
        .. Build(RiskLevel.Concern, Hopelessness, RuleKind.Self,
            @"\b(?:nao aguento mais|sou um fardo|nao vejo (?:sentido|razao) (?:em|pra|para) viver|nada faz sentido)\b"),
        .. Build(RiskLevel.High, ViolenceFromOthers, RuleKind.Violence,
            @"\b(?:ele|ela|meu (?:marido|namorado|pai|padrasto|ex|companheiro)|minha (?:mae|esposa|mulher)) me (?:bate|bateu|agride|agrediu|espanca|espancou|enforca|enforcou|estuprou|ameaca|ameacou)\b",
            @"\b(?:ameacou|ameaca) (?:me matar|de me matar)\b",
            @"\bvai me matar\b"),
        .. Build(RiskLevel.Concern, FearAtHome, RuleKind.Violence,
            @"\b(?:tenho medo de (?:ele|dele|meu (?:marido|pai|namorado)|voltar pra casa|voltar para casa)|nao me sinto segur[oa] em casa)\b"),
        .. Build(RiskLevel.Concern, SomeoneElse, RuleKind.Other,
            @"\b(?:quer|queria) (?:morrer|se matar|se suicidar)\b",
            @"\bse matou\b"),

        // ── Hindi (Latin script) ──
        .. Build(RiskLevel.Imminent, ActUnderWay, RuleKind.Self,
            @"\b(?:saari|sari|bahut saari|bahut sari|sab) (?:goliyan|goliya|dawai|dawaiyan|pills|tablets) (?:kha li|khaa li|le li|kha lee|kha lin|kha leen|kha liya|kha leen|le lin)\b"),
        .. Build(RiskLevel.Imminent, Goodbye, RuleKind.Self,
            @"\balvida (?:sabko|sab ko|hamesha ke liye|duniya)\b"),
        .. Build(RiskLevel.High, SuicidalIntent, RuleKind.Self | RuleKind.Intent,
            @"\b(?:khud ko|apne aap ko|apne ko) (?:maar|mar|khatam kar) (?:dunga|dungi|lunga|lungi|dalunga|daalunga|du|doon|daalungi|dalungi)\b",
            @"\b(?:suicide|khudkushi|aatmahatya|atmahatya) (?:kar lunga|kar lungi|karunga|karungi|kar lu|kar loon|kar doon|kar dunga|kar dungi)\b",
            @"\bmain mar (?:jaunga|jaungi|jaaunga|jaaungi)\b",
            @"\b(?:fansi|phansi|faansi|phaansi|fasi|fanda) (?:laga|lagaa|lga|le|lagake mar) (?:lunga|lungi|loon|lu|lenge|lega|legi|jaunga|jaungi)\b"),
        .. Build(RiskLevel.High, SuicidalDesire, RuleKind.Self,
            @"\b(?:main |mujhe )?(?:marna|mar jana|mar jaana|marjana) chahta hoon\b",
            @"\bmujhe (?:marna|mar jana|mar jaana) hai\b",
            @"\b(?:main )?(?:ab |aur |ab aur )?(?:jeena|jina) nahi chahta\b",
            @"\bmujhe (?:ab |aur |ab aur )?(?:jeena|jina) nahi hai\b",
            @"\b(?:mera )?(?:mann|man|dil) (?:karta|karta hai|kar raha hai) (?:ki )?(?:suicide|khudkushi|aatmahatya|atmahatya) kar (?:loon|lu|lun|lena)\b",
            @"\bjeene ka (?:mann|man|dil) nahi\b",
            @"\bjeene ki (?:ichha|icchha|iccha|wajah) nahi\b",
            @"\b(?:suicide|khudkushi|aatmahatya|atmahatya) (?:karna|karne ka mann|karne ka man|karne ko dil) (?:chahta(?! hai\b)|hai|karta)\b",
            @"\bzindagi (?:khatam|khtm) (?:karna|karni) (?:chahta|hai)\b"),
        .. Build(RiskLevel.High, SuicidalThoughts, RuleKind.Self,
            @"\b(?:suicide|khudkushi|aatmahatya|atmahatya|marne) (?:ke|ka) (?:ba+re (?:main|mein|me|men) )?(?:soch\w*|khayal|khyal|vichar)\b"),
        .. Build(RiskLevel.High, SelfHarm, RuleKind.Self,
            @"\b(?:khud ko|apne aap ko) (?:kaat|kaatna|kaata|cut|hurt|chot) (?:rahi|raha|leta|leti|karta|karti|kiya|liya|pahuncha|pahunchata)\b",
            @"\b(?:mainne|maine|main) (?:phir se |fir se |aaj |kal )?(?:khud ko|apne aap ko) (?:kaata|kata|kaat liya|kat liya|kaat diya|jalaya|jala liya)\b",
            @"\b(?:khud ko|apne aap ko) (?:kaatne|katne|jalane|hurt karne|chot pahunchane|nuksan pahunchane) (?:ka|ki) (?:mann|man|dil|ichha|iccha) (?:karta|hota|kar raha)\b"),
        .. Build(RiskLevel.Concern, Hopelessness, RuleKind.Self,
            @"\b(?:ab (?:aur )?nahi (?:seh sakta|sah sakta|sah sakti|seh sakti|sehta|jhel sakta|jhel sakti|hota)|koi (?:umeed|ummeed|ummid|umid|asha) nahi|sab (?:bekaar|bekar) (?:lagta|hai)|sab khatam ho gaya|koi fayda nahi (?:jeene|zindagi)|main bojh hoon|sab (?:mere bina|bina mere) (?:khush|better))\b"),
        .. Build(RiskLevel.High, ViolenceFromOthers, RuleKind.Violence,
            @"\b(?:wo|woh|vo|mera pati|pati|mere pati|papa|mera boyfriend|mera bf|boyfriend|mere papa|mere pita|mere sasur|meri saas) (?:mujhe (?:\w+ ){0,3})?(?:roz |har din |hamesha |bahut |phir se |fir se |kabhi kabhi |aaj bhi )?(?:maarta|marta|maarte|marte|maarti|peet ta|peetta|peette|pitta|pitte|pitai karta|pitai karte) (?:hai|he|hain|hei)\b",
            @"\bja+n se ma+r (?:dega|denge|dalega|daalega|dene ki dhamki)\b",
            @"\bmujhe maar (?:dega|dalega|daalega|degi|dalegi)\b"),
        .. Build(RiskLevel.Concern, SomeoneElse, RuleKind.Other,
            @"\b(?:marna|mar jana|suicide karna|khudkushi karna|aatmahatya karna|atmahatya karna) chahta hai\b",
            @"\b(?:suicide|khudkushi|aatmahatya) kar (?:li|liya|lega|legi)\b"),
    ];

    /// <summary>A time that turns an intent into an imminent one.</summary>
    internal static readonly Regex Time = new(
        @"\b(?:tonight|today|right now|now|this (?:evening|morning|afternoon|weekend)|tomorrow|in (?:an|a few|\d+|ten|five|two|one) (?:hour|hours|minutes|minute)|after (?:everyone|they|my \w+) (?:go|goes|is|are|falls?)|when (?:everyone|they) (?:is|are|go|goes) (?:asleep|to sleep|to bed)|esta noche|hoy|ahora|manana|ce soir|cette nuit|aujourd'hui|maintenant|demain|heute|jetzt|morgen|hoje|agora|esta noite|amanha|aaj|abhi|aaj raat)\b",
        Options);

    /// <summary>Words before a match that deny it ("I would never…", "no quiero…" is its own rule).</summary>
    internal static readonly Regex Negator = new(
        @"\b(?:not|never|no|no longer|no way|nunca|jamais|jamas|nie|niemals|nicht|kein|nao|nahi|mat|refuse to|wont ever)\b(?! (?:one|body|stop|help|sure|only|just|anymore|any more|reason|point|hope|matter|even)\b)",
        Options);

    /// <summary>Words that place what follows in the past (history, recovery).</summary>
    internal static readonly Regex Past = new(
        @"\b(?:used to|years ago|year ago|months ago|long time ago|when i was|back (?:then|in|when)|in the past|as a (?:kid|teen|teenager|child|student)|in (?:high school|college|middle school|university|my teens|my twenties)|in (?:19|20)\d\d|last year|recovered|recovering|recovery|clean (?:for|since)|\w+ (?:days|weeks|months|years) clean|survived|survivor|no longer|not anymore|not any more|at one point|once upon|hace (?:\d+|unos|muchos|varios) anos|il y a (?:\d+|des|quelques) ans|vor (?:\d+|vielen|einigen) jahren|fruher|antigamente|ha (?:\d+|muitos|alguns) anos|(?:saal|sal) (?:pehle|pahle)|pehle|pahle|(?:sochta|sochti|chahta|chahti|karta|karti) (?:tha|thi))\b",
        Options);

    /// <summary>Words that make a past event recent again ("last night", "again").</summary>
    internal static readonly Regex Recent = new(
        @"\b(?:just|tonight|today|yesterday|last night|last (?:weekend|week|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|the other day|(?:a few|two|three|couple of|a couple of) days ago|this (?:morning|week|evening|afternoon|weekend)|again|still|right now|currently|lately|recently|an hour ago|minutes ago|hoy|anoche|ayer|otra vez|de nuevo|ce soir|hier|encore|gestern|heute|wieder|ontem|hoje|de novo|aaj|kal raat|phir se)\b",
        Options);

    /// <summary>A sentence about a film, book, song, game or the news.</summary>
    internal static readonly Regex Fiction = new(
        @"\b(?:movie|movies|film|films|show|tv|series|episode|season|book|books|novel|novels|story|stories|character|characters|protagonist|narrator|song|songs|lyrics|lyric|poem|play|game|anime|manga|comic|news|article|articles|headline|headlines|report|reported|reports|documentary|podcast|essay|research|study|statistics|netflix|fanfic|fiction|plot|scene|actor|actress|journalist|pelicula|libro|serie|noticia|noticias|cancion|roman|livre|chanson|nouvelles|buch|nachrichten|artikel|lied|filme|livro|musica|noticia|kahani|gaana)\b",
        Options);

    /// <summary>Words that report what someone else said ("she said", "he texted me").</summary>
    internal static readonly Regex Reporting = new(
        @"\b(?:he|she|they|friend|brother|sister|mom|mum|dad|mother|father|someone|somebody|character|narrator|singer) (?:said|says|told me|texted|wrote|posted|screamed|yelled|sings|sang|keeps saying)\b",
        Options);

    /// <summary>Laughter in the same clause ("kms lol").</summary>
    internal static readonly Regex Laughter = new(@"\b(?:lol|lmao|lmfao|rofl|haha\w*|hehe\w*|jaja\w*|kkk+|mdr|xd)\b", Options);

    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled;

    private static SafetyRule[] Build(RiskLevel level, string signal, RuleKind kind, params string[] patterns)
        => [.. patterns.Select(pattern => new SafetyRule(new Regex(pattern, Options), level, signal, kind))];
}
