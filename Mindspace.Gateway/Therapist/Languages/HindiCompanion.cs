using System.Text.RegularExpressions;

namespace Mindspace.Gateway.Therapist.Languages;

/// <summary>
/// The companion's words in Hindi written in Latin script (Hinglish, "aap"), the way the classifier reads
/// Hindi. Needs review by native-speaking clinicians before launch. Someone who writes in Devanagari is answered
/// from <see cref="HindiDevanagariCompanion"/>.
/// </summary>
public static class HindiCompanion
{
    public static CompanionCatalog Catalog { get; } = new()
    {
        Language = "hi",
        EnglishName = "Hindi written in Latin script (Hinglish)",

        EscalationNotice = """
            Baat shuru karne se pehle: yeh companion therapist nahi hai, aur emergency service bhi nahi hai.
            Aapka har message apne aap check hota hai, yeh dekhne ke liye ki kahin aap khatre mein to nahi hain, chahe khud se ya kisi aur se.
            Agar kisi message se lage ki aap bahut zyada khatre mein ho sakte hain, to teen cheezein hoti hain: companion aapse seedha aapki suraksha ke baare mein poochta hai aur aapko aapke desh ki crisis lines aur aapka safety plan dikhata hai; aur us message ka ek chhota hissa (zyada se zyada 160 akshar), samay aur khatre ka level Mindspace ki trained care team ki queue mein jaata hai, taaki woh dekh sakein ki aapko shayad sahare ki zaroorat hai.
            Care team aapke baaki messages nahi padhti, aur jab bhi woh queue dekhti hai, yeh record hota hai.
            Mindspace aapke paas madad nahi bhej sakta. Agar aap abhi khatre mein hain, to apne ilaake ke emergency number par call karein.
            """,
        ThoughtRecordTitle = "Companion ke saath thought record",

        CrisisOpening = "Mujhe batane ke liye shukriya. Main samajh sakta hoon ki aap kitne dard mein hain, aur main yahin aapke saath hoon.",
        CrisisQuestion = "Main aapse seedha poochna chahta hoon, kyunki yeh zaroori hai: kya aap apni jaan lene ke baare mein soch rahe hain? Kya aap abhi surakshit hain?",
        FromOthersOpening = "Mujhe sach mein achha laga ki aapne mujhe bataya, aur main yahin aapke saath hoon. Jo ho raha hai usmein aapki koi galti nahi hai, aur aap surakshit rehne ke haqdaar hain.",
        FromOthersQuestion = "Mujhe aapse seedha poochna hoga: kya aap abhi surakshit hain? Kya jis insaan ne aapko chot pahunchayi, woh aapke paas hai?",
        EmergencyCall = phone => $"Agar aap abhi khatre mein hain ya aapne khud ko chot pahuncha li hai, to kripya abhi {phone} par call karein, ya apne paas kisi se call karne ko kahein. Tab tak aap mujhse baat karte reh sakte hain.",
        EmergencyCallNoNumber = "Agar aap abhi khatre mein hain ya aapne khud ko chot pahuncha li hai, to kripya abhi apne ilaake ke emergency number par call karein, ya apne paas kisi se call karne ko kahein. Tab tak aap mujhse baat karte reh sakte hain.",
        ResourcesIntro = "Aapko yeh sab akele nahi jhelna hai. Log kisi bhi waqt aapse baat karne ke liye taiyaar hain:",
        CallLine = phone => $"call karein {phone}",
        TextLine = number => $"message karein {number}",
        PlanIntro = "Aapne aise pal ke liye ek safety plan banaya tha.",
        PlanCopingStep = step => $"Aapne likha tha ki yeh madad karta hai: \"{step}\".",
        PlanPersonOrPlace = who => $"Aapne yeh bhi likha tha ki {who} se madad milti hai.",
        PlanReason = reason => $"Aur aapne jeene ki yeh wajah likhi thi: \"{reason}\".",
        PlanOffer = "Kya aap chahenge ki hum saath mein aapka plan dekhein?",
        MakePlanOffer = "Agar madad mile, to hum saath mein ek safety plan bana sakte hain, ek chhota kadam ek baar mein: aap kya mehsoos karte hain, kya madad karta hai, kisse sampark kar sakte hain.",
        StayingWithYou = "Main kahin nahi ja raha. Kya aap mujhe thoda bata sakte hain ki aap kahan hain aur abhi kya ho raha hai?",

        SlowDown = "Main aapke har message par poora dhyaan dena chahta hoon, aur woh bahut tezi se aa rahe hain: chaliye saath mein ek gehri saans lete hain. Main abhi bhi yahin hoon. Ek minute mein apni agli baat bhejiye, phir wahin se aage badhenge.",
        BudgetNote = "(Aaj ke liye lambe jawab dene ki meri seema poori ho gayi hai, isliye kal tak mere jawab thode saral honge, lekin main abhi bhi aapke saath hoon.)",
        ConcernOpening = "Yeh sach mein bahut bhaari lag raha hai, aur mujhe achha laga ki aapne mujhe bataya.",
        ConcernSomeoneElse = "Jis insaan ki aap parwah karte hain, uski chinta uthana mushkil hota hai. Kya woh abhi surakshit hain? Agar aapko lagta hai ki woh khatre mein hain, to emergency ko call karna bilkul theek hai. Aur aap khud kaise sambhal rahe hain?",
        ConcernSelf = "Kya main aapse seedha kuch pooch sakta hoon, kyunki yeh zaroori hai: kya aapke mann mein jeena na chahne ke, ya khud ko chot pahunchane ke khayal aa rahe hain? Jawab jo bhi ho, main sunne ke liye yahin hoon.",
        Openers =
        [
            "Mujhe batane ke liye shukriya.",
            "Main sun raha hoon.",
            "Main aapki baat samajh raha hoon.",
            "Yeh uthane ke liye kaafi kuch lag raha hai.",
        ],
        Questions =
        [
            "Aaj aapke mann mein sabse zyada kya chal raha hai?",
            "Iska aap par kya asar pad raha hai?",
            "Aapko lagta hai abhi aapko sabse zyada kis cheez ki zaroorat hai?",
            "Aapne pehli baar kab mehsoos kiya ki aap aisa feel kar rahe hain?",
            "Pehle jab aisa laga tha, tab kis cheez se thodi bhi madad mili thi?",
        ],
        Feelings =
        [
            new(R(@"\b(anxiety|ghabrahat|ghabra|chinta|bechain|bechaini|tension|dar lag)"), ["Lagta hai abhi ghabrahat ne aapko kaskar pakda hua hai, aur yeh thaka deta hai.", "Is tarah bechain rehna sach mein bahut takleef deta hai, aur yeh samajh mein aata hai ki aap chahte hain yeh kam ho."], TherapistFlows.Breathing),
            new(R(@"\b(panic|saans nahi|dil tez|dil zor se|sab kuch ek saath)"), ["Yeh bahut bhaari lag raha hai. Chaliye saath mein thoda dheere chalte hain.", "Jab sab kuch ek saath aata hai, to is pal mein wapas aana madad kar sakta hai."], TherapistFlows.Grounding),
            new(R(@"\b(udaas|udas|dukhi|dukh|depressed|khaali|man nahi|mann nahi|koi energy nahi|thak gaya|thak gayi)\b"), ["Mujhe afsos hai ki yeh itna bhaari lag raha hai. Bure dinon mein chhoti cheezein bhi mushkil ho jaati hain.", "Yeh sach mein thaka dene wala lagta hai. Jab mann udaas ho, to lag sakta hai ki kuch bhi madad nahi karega."], TherapistFlows.Activation),
            new(R(@"\b(main (bekaar|nikamma|nikammi|bewakoof|kisi kaam ka nahi|kisi kaam ki nahi)|khud se nafrat|meri galti)\b"), ["Aap khud par bahut sakht ho rahe hain. Andar ki woh awaaz bahut tez ho sakti hai.", "Lagta hai aapka mann aapke baare mein bahut kadvi baatein keh raha hai."], TherapistFlows.ThoughtRecord),
            new(R(@"\b(akela|akeli|akelapan|tanha|koi dost nahi|baat karne ko koi nahi)\b"), ["Akelapan dard deta hai. Mujhe achha laga ki aapne yahan likha.", "Is sab ke saath akela mehsoos karna bahut mushkil hai. Main abhi aapke saath hoon."], TherapistFlows.Activation),
            new(R(@"\b(stress|stressed|pressure|dabav|bahut zyada kaam|thakaan|pareshan)\b"), ["Aapke upar bahut kuch hai. Koi hairaani nahi ki aap thake hue mehsoos kar rahe hain.", "Lagta hai dabav badhta ja raha hai."], TherapistFlows.Distortions),
            new(R(@"\b(gussa|naraz|chidh|irritate)"), ["Us baat par gussa aana samajh mein aata hai.", "Yeh sach mein bahut frustrating lagta hai."], TherapistFlows.Breathing),
        ],
        OfferFlow = title => $"Kya aap mere saath {title} try karna chahenge? Bas haan kahiye, ya hum yunhi baat karte reh sakte hain.",

        FlowTitles = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TherapistFlows.ThoughtRecord] = "ek thought record",
            [TherapistFlows.Distortions] = "soch ke jaal pehchanna",
            [TherapistFlows.Activation] = "ek chhoti si cheez plan karna",
            [TherapistFlows.Grounding] = "5-4-3-2-1 grounding",
            [TherapistFlows.Breathing] = "dheemi saans",
        },
        FlowRequests =
        [
            (TherapistFlows.ThoughtRecord, R(@"\b(thought record|vichar likh|soch likh)")),
            (TherapistFlows.Distortions, R(@"\b(soch ke jaal|soch ka jaal|distortion|galat soch)")),
            (TherapistFlows.Activation, R(@"\b(chhoti si cheez|chhota kadam|ek chhoti cheez)")),
            (TherapistFlows.Grounding, R(@"\b(grounding|5-4-3-2-1|54321|paanch indriyan)")),
            (TherapistFlows.Breathing, R(@"\b(saans ki exercise|saans lena|breathing|dheemi saans)")),
        ],
        Yes = R(@"^\s*(haan|han|ha|ji|ji haan|theek hai|thik hai|ok|okay|zaroor|chalo|bilkul|kyun nahi)\b"),
        Stop = R(@"^\s*(ruko|rukiye|bas karo|bas karein|band karo|rehne do|abhi nahi|nahi shukriya|stop|chhodo)\b"),
        Stopped = "Bilkul, hum yahin ruk sakte hain. Aap jab chahein ise phir se shuru kar sakte hain. Abhi aapko sabse zyada kis cheez se madad milegi?",

        FlowPrompts = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            [TherapistFlows.ThoughtRecord] =
            [
                "Chaliye saath mein ek thought record likhte hain, ek kadam ek baar mein; aap jab chahein \"ruko\" keh sakte hain. Pehle: situation kya thi? Aap kahan the, aur kya ho raha tha?",
                "Shukriya. Us pal mein aapke mann mein kya aaya? Us khayal ko unhi shabdon mein pakadne ki koshish kijiye jinmein woh aaya tha.",
                "Jab woh khayal aaya, to aapne kya mehsoos kiya, aur kitna tez, 0 se 100 tak?",
                "Chaliye ise ek nishpaksh judge ki tarah dekhte hain. Kya cheez is khayal ko sach jaisa mehsoos karati hai?",
                "Aur kya cheez is khayal se poori tarah mel nahi khaati? Kuch bhi jo doosri taraf ishara kare, thoda sa bhi?",
                "Dono taraf ko dhyaan mein rakhte hue, aap ise kaise nishpaksh aur naram tareeke se keh sakte hain? Agar kisi dost ke mann mein yeh khayal hota, to aap use kya kehte?",
                "Ab us zyada santulit khayal ko padhkar: feeling kitni tez hai, 0 se 100 tak?",
            ],
            [TherapistFlows.Distortions] =
            [
                "Chaliye soch ke jaal dhoondhte hain. Mujhe ek khayal bataiye jo aapko pareshan kar raha hai, jitna ho sake waise hi jaise woh aapke dimaag mein sunayi deta hai.",
                "",
                "Agar woh jaal iska hissa hai, to uske bina yeh khayal kaisa lagega? Ise positive hona zaroori nahi, bas thoda zyada nishpaksh.",
            ],
            [TherapistFlows.Activation] =
            [
                "Chaliye ek chhoti si cheez plan karte hain, itni chhoti ki lagbhag bahut aasaan lage. Kuch jo aapko pehle achha lagta tha, ya jisse thoda sa yeh ehsaas ho ki aapne kuch kiya. Mann mein kya aata hai?",
                "Yeh achha lag raha hai. Aap ise kab kar sakte hain, aaj ya kal? Ek samay tay karna madad karta hai.",
                "Aapko kitna lagta hai ki isse aapko achha lagega, 0 se 10 tak? Koi galat jawab nahi hai; hum baad mein milayenge.",
            ],
            [TherapistFlows.Grounding] =
            [
                "Chaliye 5-4-3-2-1 ke saath is pal mein wapas aate hain. Aaram se. Apne aas-paas dekhiye: aapko kaun si paanch cheezein dikh rahi hain?",
                "Bahut achha. Ab chaar cheezein jo aap chhoo kar mehsoos kar sakte hain: zameen par pair, kursi, tvacha par hawa.",
                "Ab teen cheezein jo aap sun sakte hain, paas ya door.",
                "Do cheezein jinki khushboo aa rahi ho, ya do khushbooein jo aapko pasand hain, agar abhi kuch na ho.",
                "Aur ek cheez jiska swaad aap le sakte hain.",
            ],
            [TherapistFlows.Breathing] =
            [
                "Chaliye saath mein saans dheemi karte hain: naak se 4 gin kar saans andar lijiye, munh se 6 gin kar bahar chhodiye; lambi saans chhodna shareer ko batata hai ki woh surakshit hai. Jab taiyaar hon to \"ready\" kahiye.",
                "Saans andar… 2… 3… 4… aur bahar… 2… 3… 4… 5… 6.\nAndar… 2… 3… 4… aur bahar… 2… 3… 4… 5… 6.\nEk baar aur: andar… 2… 3… 4… aur dheere se bahar… 2… 3… 4… 5… 6.\nEk minute pehle ke mukable ab aapka shareer kaisa mehsoos kar raha hai?",
            ],
        },
        Traps =
        [
            new("sab-ya-kuch-nahi wali soch", "cheezon ko ya to poori kamyabi ya poori nakami ki tarah dekhna", R(@"\b(hamesha|kabhi nahi|kuch nahi|sab kuch|poori tarah|barbaad)\b")),
            new("har baat par lagu karna", "ek ghatna ko saboot maan lena ki aisa hamesha hota hai", R(@"\b(har baar|sab log|koi nahi|hamesha hota)\b")),
            new("sabse bura sochna", "seedha sabse buri sambhavna par pahunch jaana", R(@"\b(sabse bura|tabahi|bhayanak|barbaadi)\b")),
            new("mann padhna", "maan lena ki hum jaante hain doosre hamare baare mein kya sochte hain", R(@"\b(log sochte|woh sochte|sab sochte|mujhse nafrat)\b")),
            new("bhavishya batana", "pehle se maan lena ki sab bura hi hoga", R(@"\b(kabhi nahi hoga|kaam nahi karega|fail ho jaunga|fail ho jaungi)\b")),
            new("label lagana", "khud ko ek kathor shabd mein samet dena", R(@"\bmain (bekaar|nikamma|nikammi|bewakoof|loser)\b")),
            new("\"chahiye\" wali baatein", "khud par sakht niyam lagana", R(@"\b(mujhe chahiye|karna hi hoga|hona chahiye)\b")),
            new("bhavna ko saboot maanna", "ek feeling ko kisi tathya ka saboot maan lena", R(@"\b(lagta hai main (bekaar|nikamma|nikammi|bura|buri))\b")),
        ],
        TrapPrompt = (list, found) => found.Count == 0
            ? $"Ise share karne ke liye shukriya. Yeh kuch aam soch ke jaal hain:\n{list}\nKya inmein se koi is khayal mein jaana-pehchana lagta hai?"
            : $"Ise share karne ke liye shukriya. Mujhe lagta hai ismein thoda sa {string.Join(" ya ", found.Select(t => t.Name))} ho sakta hai: {found[0].Explanation}. Yeh sabse aam jaal hain:\n{list}\nInmein se koi jaana-pehchana lagta hai?",
        Finish = (flow, a) => flow switch
        {
            TherapistFlows.ThoughtRecord =>
                $"Aapne poora thought record kar liya, ismein mehnat lagti hai. Yeh raha:\n• Situation: {a["situation"]}\n• Khayal: {a["thought"]}\n• Feeling: {a["emotion"]}\n• Jo mel khaata hai: {a["evidence-for"]}\n• Jo mel nahi khaata: {a["evidence-against"]}\n• Ek zyada nishpaksh khayal: {a["balanced"]}\n• Ab ki feeling: {a["rerate"]}\nChhota sa badlaav bhi maayne rakhta hai. Agar aap ise rakhna chahein, to apni journal mein save kar sakte hain. Khayal ko is tarah dekhna kaisa laga?",
            TherapistFlows.Distortions =>
                $"Bahut achha. Aapne \"{a["thought"]}\" se shuru kiya aur ise kehne ka ek zyada nishpaksh tareeka dhoondha: \"{a["reframe"]}\". Soch ke jaal aadatein hain, sach nahi; unhe pehchaan lena hi aadha kaam hai. Kya aap iske baare mein aur baat karna chahenge?",
            TherapistFlows.Activation =>
                $"Yeh raha aapka plan: {a["activity"]}, {a["when"]}. Aapko lagbhag {a["expect"]} out of 10 ki ummeed hai. Baad mein dekhiye ki asal mein kaisa laga; udaas mann aksar kam aankta hai ki chhoti cheezein kitni madad karti hain. Mujhe jaankar achha lagega ki kaisa raha.",
            TherapistFlows.Grounding =>
                "Aapne paanchon indriyan poori kar lin. Ek aur dheemi saans lijiye. Aap yahan hain, is pal mein, aur aapne pichhle kuch minute paar kar liye. Ab aap kaisa mehsoos kar rahe hain?",
            TherapistFlows.Breathing =>
                "Mere saath yeh try karne ke liye shukriya. Aap kabhi bhi is saans par wapas aa sakte hain; ek round bhi madad karta hai. Kya aapke mann mein kuch hai jiske baare mein aap baat karna chahenge?",
            _ => "Mere saath yeh karne ke liye shukriya.",
        },
    };

    private static Regex R(string pattern) => new(pattern, RegexOptions.CultureInvariant);
}
