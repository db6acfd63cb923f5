using System.Text.RegularExpressions;

namespace Mindspace.Gateway.Therapist.Languages;

/// <summary>The companion's words in French (tutoiement). Needs review by native-speaking clinicians before launch.</summary>
public static class FrenchCompanion
{
    public static CompanionCatalog Catalog { get; } = new()
    {
        Language = "fr",
        EnglishName = "French",

        EscalationNotice = """
            Avant de parler : le compagnon n'est ni un thérapeute ni un service d'urgence.
            Chaque message que tu envoies est vérifié automatiquement, pour repérer des signes que tu pourrais être en danger, à cause de toi-même ou de quelqu'un d'autre.
            Si un message laisse penser que tu pourrais être en risque élevé, trois choses se passent : le compagnon te pose directement la question de ta sécurité et te montre les lignes d'écoute de ton pays et ton plan de sécurité ; et un court extrait de ce message (160 caractères au plus), l'heure et le niveau de risque sont placés dans une file pour l'équipe d'accompagnement de Mindspace, formée pour cela, qui peut ainsi voir que tu as peut-être besoin de soutien.
            L'équipe d'accompagnement ne lit pas tes autres messages, et chaque fois qu'elle consulte la file, c'est enregistré.
            Mindspace ne peut pas envoyer d'aide là où tu es. Si tu es en danger immédiat, appelle le numéro d'urgence de ton pays.
            """,
        ThoughtRecordTitle = "Tableau de pensées avec le compagnon",

        CrisisOpening = "Merci de me l'avoir dit. J'entends à quel point tu souffres, et je reste là, avec toi.",
        CrisisQuestion = "Je veux te le demander directement, parce que c'est important : est-ce que tu penses à mettre fin à ta vie ? Es-tu en sécurité en ce moment ?",
        FromOthersOpening = "Je suis vraiment content que tu me l'aies dit, et je reste là, avec toi. Ce qui se passe n'est pas de ta faute, et tu mérites d'être en sécurité.",
        FromOthersQuestion = "J'ai besoin de te le demander directement : es-tu en sécurité en ce moment ? La personne qui t'a fait du mal est-elle près de toi ?",
        EmergencyCall = phone => $"Si tu es en danger maintenant ou si tu t'es déjà fait du mal, appelle le {phone} tout de suite, ou demande à quelqu'un près de toi d'appeler. Tu peux continuer à me parler pendant ce temps.",
        EmergencyCallNoNumber = "Si tu es en danger maintenant ou si tu t'es déjà fait du mal, appelle tout de suite le numéro d'urgence de ton pays, ou demande à quelqu'un près de toi d'appeler. Tu peux continuer à me parler pendant ce temps.",
        ResourcesIntro = "Tu n'as pas à traverser ça seul. Des personnes sont prêtes à t'écouter, à toute heure :",
        CallLine = phone => $"appelle le {phone}",
        TextLine = number => $"écris au {number}",
        PlanIntro = "Tu as fait un plan de sécurité pour des moments comme celui-ci.",
        PlanCopingStep = step => $"Une chose que tu as écrite et qui t'aide : « {step} ».",
        PlanPersonOrPlace = who => $"Tu as aussi écrit que ceci t'aide : {who}.",
        PlanReason = reason => $"Et tu as écrit cette raison de vivre : « {reason} ».",
        PlanOffer = "Veux-tu qu'on relise ton plan ensemble ?",
        MakePlanOffer = "Si ça peut t'aider, on peut faire un plan de sécurité ensemble, pas à pas : ce que tu remarques, ce qui t'aide, qui tu peux joindre.",
        StayingWithYou = "Je ne pars pas. Peux-tu me dire un peu où tu es et ce qui se passe en ce moment ?",

        SlowDown = "J'ai envie de donner à chacun de tes messages une vraie attention, et ils arrivent très vite : prenons une respiration ensemble. Je suis toujours là. Envoie-moi ta prochaine pensée dans une minute, et on reprendra à partir de là.",
        BudgetNote = "(J'ai atteint ma limite de réponses longues pour aujourd'hui, alors les miennes seront plus simples jusqu'à demain, mais je suis toujours là avec toi.)",
        ConcernOpening = "Ça a l'air vraiment lourd, et je suis content que tu me l'aies dit.",
        ConcernSomeoneElse = "C'est dur de porter de l'inquiétude pour quelqu'un qu'on aime. Cette personne est-elle en sécurité en ce moment ? Si tu penses qu'elle est en danger, tu as le droit d'appeler les secours. Et toi, comment tu tiens le coup ?",
        ConcernSelf = "Est-ce que je peux te poser une question directe, parce que c'est important : est-ce que tu as des pensées de ne plus vouloir vivre, ou de te faire du mal ? Quelle que soit ta réponse, je suis là pour t'écouter.",
        Openers =
        [
            "Merci de me le dire.",
            "Je t'écoute.",
            "Je t'entends.",
            "Ça fait beaucoup à porter.",
        ],
        Questions =
        [
            "Qu'est-ce qui t'a le plus occupé l'esprit aujourd'hui ?",
            "Comment est-ce que ça t'affecte ?",
            "De quoi penses-tu avoir le plus besoin en ce moment ?",
            "Quand as-tu commencé à te sentir comme ça ?",
            "Qu'est-ce qui t'a aidé, même un peu, les autres fois où tu t'es senti comme ça ?",
        ],
        Feelings =
        [
            new(R(@"\b(anxieu(x|se)|angoisse(e)?|inquiet(e)?|stresse(e)? par|nerveu(x|se)|je n'arrive pas a me detendre)\b"), ["On dirait que l'anxiété te serre fort en ce moment, et c'est épuisant.", "Être sur les nerfs comme ça, c'est vraiment inconfortable, et c'est normal de vouloir que ça s'apaise."], TherapistFlows.Breathing),
            new(R(@"\b(panique|crise d'angoisse|je n'arrive plus a respirer|le coeur qui bat|submerge(e)?|deborde(e)?)"), ["Ça a l'air submergeant. Ralentissons ensemble.", "Quand tout arrive d'un coup, revenir au moment présent peut aider."], TherapistFlows.Grounding),
            new(R(@"\b(triste|tristesse|deprime(e)?|deprimant|vide|deprim|a plat|sans energie|plus envie de rien|le moral a zero)\b"), ["Je suis désolé que ce soit si lourd. Les jours sans rendent tout plus difficile, même les petites choses.", "Ça a l'air vraiment épuisant. Quand le moral est bas, on peut avoir l'impression que rien n'aidera."], TherapistFlows.Activation),
            new(R(@"\b(je suis (un |une )?(rate(e)?|nul(le)?|bete|inutile|incapable)|je me deteste|c'est (de )?ma faute)\b"), ["Tu es vraiment dur avec toi-même. Cette voix intérieure peut être si forte.", "On dirait que ta tête te dit des choses très dures sur toi."], TherapistFlows.ThoughtRecord),
            new(R(@"\b(seul(e)?|solitude|isole(e)?|pas d'amis|personne a qui parler)\b"), ["La solitude fait mal. Je suis content que tu sois venu ici.", "Se sentir seul avec ça, c'est si dur. Je suis là avec toi maintenant."], TherapistFlows.Activation),
            new(R(@"\b(stress|stresse(e)?|pression|debord|trop de choses|burn-?out|epuise(e)?|creve(e)?)\b"), ["Tu as beaucoup de choses sur les épaules. Pas étonnant que tu te sentes à bout.", "On dirait que la pression s'accumule."], TherapistFlows.Distortions),
            new(R(@"\b(en colere|furieu(x|se)|enerve(e)?|rage|agace(e)?|marre)\b"), ["C'est compréhensible d'être en colère face à ça.", "Ça a l'air vraiment frustrant."], TherapistFlows.Breathing),
        ],
        OfferFlow = title => $"Veux-tu qu'on essaie {title} ensemble ? Dis simplement oui, ou on peut juste continuer à parler.",

        FlowTitles = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TherapistFlows.ThoughtRecord] = "un tableau de pensées",
            [TherapistFlows.Distortions] = "de repérer les pièges de la pensée",
            [TherapistFlows.Activation] = "de prévoir une petite chose",
            [TherapistFlows.Grounding] = "l'ancrage 5-4-3-2-1",
            [TherapistFlows.Breathing] = "la respiration lente",
        },
        FlowRequests =
        [
            (TherapistFlows.ThoughtRecord, R(@"\b(tableau de pensees|journal de pensees|colonnes de beck|noter (ma|la) pensee)")),
            (TherapistFlows.Distortions, R(@"\b(distorsion|pieges? de (la )?pensee|erreurs? de pensee|pensees? negatives?)")),
            (TherapistFlows.Activation, R(@"\b(activation comportementale|prevoir une petite chose|une petite chose|un petit pas)")),
            (TherapistFlows.Grounding, R(@"\b(ancrage|5-4-3-2-1|54321|cinq sens)")),
            (TherapistFlows.Breathing, R(@"\b(respiration|respirer|exercice de respi)")),
        ],
        Yes = R(@"^\s*(oui|ouais|d'accord|ok|okay|volontiers|bien sur|allons-y|vas-y|pourquoi pas|avec plaisir|je veux bien|s'il te plait)\b"),
        Stop = R(@"^\s*(stop|arrete|arretons|annule|ca suffit|pas maintenant|non merci|on arrete)\b"),
        Stopped = "Bien sûr, on peut s'arrêter là. Tu pourras reprendre quand tu veux. Qu'est-ce qui t'aiderait le plus maintenant ?",

        FlowPrompts = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            [TherapistFlows.ThoughtRecord] =
            [
                "Faisons un tableau de pensées ensemble, une étape à la fois ; tu peux dire « stop » quand tu veux. D'abord : quelle était la situation ? Où étais-tu, et que se passait-il ?",
                "Merci. Qu'est-ce qui t'est passé par la tête à ce moment-là ? Essaie de noter la pensée avec les mots qui sont venus.",
                "Qu'as-tu ressenti quand cette pensée est venue, et avec quelle intensité, de 0 à 100 ?",
                "Regardons-la comme un juge équitable. Qu'est-ce qui fait que la pensée te semble vraie ?",
                "Et qu'est-ce qui ne colle pas tout à fait avec cette pensée ? Quelque chose qui va dans l'autre sens, même un peu ?",
                "En gardant les deux côtés en tête, comment pourrais-tu le dire de façon juste et bienveillante ? Que dirais-tu à un ami qui aurait cette pensée ?",
                "Maintenant, en relisant cette pensée plus équilibrée : quelle est l'intensité de l'émotion, de 0 à 100 ?",
            ],
            [TherapistFlows.Distortions] =
            [
                "Cherchons les pièges de la pensée. Dis-moi une pensée qui te travaille, au plus près de la façon dont elle sonne dans ta tête.",
                "",
                "Si ce piège en fait partie, comment la pensée sonnerait-elle sans lui ? Pas besoin qu'elle soit positive, juste plus juste.",
            ],
            [TherapistFlows.Activation] =
            [
                "Prévoyons une petite chose, si petite qu'elle paraît presque trop facile. Quelque chose que tu aimais faire, ou qui te donnerait un petit sentiment d'avoir accompli quelque chose. Qu'est-ce qui te vient ?",
                "Ça me paraît une bonne idée. Quand pourrais-tu le faire, aujourd'hui ou demain ? Choisir une heure aide.",
                "À combien penses-tu que tu vas l'apprécier ou te sentir bien, de 0 à 10 ? Il n'y a pas de mauvaise réponse ; on comparera après.",
            ],
            [TherapistFlows.Grounding] =
            [
                "Ancrons-nous dans l'ici et maintenant avec le 5-4-3-2-1. Prends ton temps. Regarde autour de toi : quelles sont cinq choses que tu peux voir ?",
                "Bien. Maintenant quatre choses que tu peux sentir au toucher : tes pieds sur le sol, la chaise, l'air sur ta peau.",
                "Maintenant trois choses que tu peux entendre, proches ou lointaines.",
                "Deux choses que tu peux sentir, ou deux odeurs que tu aimes s'il n'y en a pas.",
                "Et une chose que tu peux goûter.",
            ],
            [TherapistFlows.Breathing] =
            [
                "Ralentissons la respiration ensemble : inspire par le nez en comptant jusqu'à 4, expire par la bouche en comptant jusqu'à 6 ; une expiration plus longue dit au corps qu'il est en sécurité. Dis « prêt » quand tu veux.",
                "Inspire… 2… 3… 4… et expire… 2… 3… 4… 5… 6.\nInspire… 2… 3… 4… et expire… 2… 3… 4… 5… 6.\nEncore une fois : inspire… 2… 3… 4… et expire doucement… 2… 3… 4… 5… 6.\nComment se sent ton corps maintenant, par rapport à il y a une minute ?",
            ],
        },
        Traps =
        [
            new("la pensée tout ou rien", "voir les choses comme une réussite totale ou un échec total", R(@"\b(toujours|jamais|completement|totalement|rien|tout|parfait(e)?|gache(e)?)\b")),
            new("la généralisation", "prendre un événement comme la preuve que ça arrive tout le temps", R(@"\b(chaque fois|tout le monde|personne|tout le temps)\b")),
            new("la catastrophisation", "sauter au pire scénario possible", R(@"\b(le pire|catastrophe|horrible|affreux|terrible)")),
            new("la lecture de pensée", "croire savoir ce que les autres pensent de nous", R(@"\b(ils pensent|il pense|elle pense|tout le monde pense|me juge(nt)?|me deteste(nt)?)\b")),
            new("la prédiction", "prédire que les choses vont mal tourner", R(@"\b(je n'y arriverai jamais|ca ne marchera pas|je vais echouer|ca va mal finir)\b")),
            new("l'étiquetage", "se résumer à un seul mot dur", R(@"\bje suis (un |une )?(rate(e)?|nul(le)?|idiot(e)?|bete|inutile|echec)\b")),
            new("les « je dois »", "s'imposer des règles rigides", R(@"\b(je dois|il faut|je devrais)\b")),
            new("le raisonnement émotionnel", "prendre un sentiment pour la preuve d'un fait", R(@"\bje me sens (un |une )?(rate(e)?|nul(le)?|inutile|coupable|bete)\b")),
        ],
        TrapPrompt = (list, found) => found.Count == 0
            ? $"Merci de l'avoir partagée. Voici quelques pièges de la pensée courants :\n{list}\nEst-ce que l'un d'eux te semble familier dans cette pensée ?"
            : $"Merci de l'avoir partagée. Je me demande s'il n'y a pas un peu de {string.Join(" ou de ", found.Select(t => t.Name))} là-dedans : {found[0].Explanation}. Voici les plus courants :\n{list}\nLesquels te semblent familiers, s'il y en a ?",
        Finish = (flow, a) => flow switch
        {
            TherapistFlows.ThoughtRecord =>
                $"Tu as fait tout le tableau de pensées, et ça demande un effort. Le voici :\n• Situation : {a["situation"]}\n• Pensée : {a["thought"]}\n• Émotion : {a["emotion"]}\n• Ce qui va dans son sens : {a["evidence-for"]}\n• Ce qui ne colle pas : {a["evidence-against"]}\n• Une pensée plus juste : {a["balanced"]}\n• Émotion maintenant : {a["rerate"]}\nMême un petit changement compte. Si tu veux le garder, tu peux l'enregistrer dans ton journal. Comment c'était de regarder la pensée de cette façon ?",
            TherapistFlows.Distortions =>
                $"Bien joué. Tu es parti de « {a["thought"]} » et tu as trouvé une façon plus juste de le dire : « {a["reframe"]} ». Les pièges de la pensée sont des habitudes, pas des vérités ; les remarquer, c'est déjà l'essentiel du travail. Veux-tu qu'on continue d'en parler ?",
            TherapistFlows.Activation =>
                $"Voici ton plan : {a["activity"]}, {a["when"]}. Tu t'attends à environ {a["expect"]} sur 10. Après, remarque comment tu t'es vraiment senti ; quand le moral est bas, on sous-estime souvent à quel point les petites choses aident. J'aimerais beaucoup savoir comment ça s'est passé.",
            TherapistFlows.Grounding =>
                "Tu as fait les cinq sens. Prends encore une respiration lente. Tu es ici, dans ce moment, et tu as traversé ces dernières minutes. Comment te sens-tu maintenant ?",
            TherapistFlows.Breathing =>
                "Merci d'avoir essayé avec moi. Tu peux revenir à cette respiration quand tu veux ; même un seul cycle aide. Y a-t-il quelque chose dont tu aimerais parler ?",
            _ => "Merci d'avoir fait ça avec moi.",
        },
    };

    private static Regex R(string pattern) => new(pattern, RegexOptions.CultureInvariant);
}
