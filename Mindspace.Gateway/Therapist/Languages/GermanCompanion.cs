using System.Text.RegularExpressions;

namespace Mindspace.Gateway.Therapist.Languages;

/// <summary>The companion's words in German (du). Needs review by native-speaking clinicians before launch.</summary>
public static class GermanCompanion
{
    public static CompanionCatalog Catalog { get; } = new()
    {
        Language = "de",
        EnglishName = "German",

        EscalationNotice = """
            Bevor wir sprechen: Der Begleiter ist kein Therapeut und kein Notdienst.
            Jede Nachricht, die du schickst, wird automatisch auf Anzeichen geprüft, dass du in Gefahr sein könntest – durch dich selbst oder durch jemand anderen.
            Wenn eine Nachricht so aussieht, als ob du in hoher Gefahr sein könntest, passieren drei Dinge: Der Begleiter fragt dich direkt nach deiner Sicherheit und zeigt dir die Krisentelefone deines Landes und deinen Sicherheitsplan; und ein kurzer Ausschnitt dieser Nachricht (höchstens 160 Zeichen), die Uhrzeit und die Risikostufe kommen in eine Warteschlange für das geschulte Care-Team von Mindspace, das so sehen kann, dass du vielleicht Unterstützung brauchst.
            Das Care-Team liest deine anderen Nachrichten nicht, und jedes Mal, wenn es in die Warteschlange schaut, wird das festgehalten.
            Mindspace kann keine Hilfe zu dir schicken. Wenn du in akuter Gefahr bist, ruf bitte die Notrufnummer bei dir vor Ort an.
            """,
        ThoughtRecordTitle = "Gedankenprotokoll mit dem Begleiter",

        CrisisOpening = "Danke, dass du mir das sagst. Ich spüre, wie groß dein Schmerz ist, und ich bleibe hier bei dir.",
        CrisisQuestion = "Ich möchte dich direkt fragen, weil es wichtig ist: Denkst du daran, dir das Leben zu nehmen? Bist du gerade in Sicherheit?",
        FromOthersOpening = "Ich bin wirklich froh, dass du es mir erzählst, und ich bleibe hier bei dir. Was passiert, ist nicht deine Schuld, und du hast es verdient, sicher zu sein.",
        FromOthersQuestion = "Ich muss dich direkt fragen: Bist du gerade in Sicherheit? Ist die Person, die dir wehgetan hat, in deiner Nähe?",
        EmergencyCall = phone => $"Wenn du gerade in Gefahr bist oder dich schon verletzt hast, ruf bitte jetzt die {phone} an, oder bitte jemanden in deiner Nähe, anzurufen. Du kannst währenddessen weiter mit mir schreiben.",
        EmergencyCallNoNumber = "Wenn du gerade in Gefahr bist oder dich schon verletzt hast, ruf bitte jetzt den Notruf an, oder bitte jemanden in deiner Nähe, anzurufen. Du kannst währenddessen weiter mit mir schreiben.",
        ResourcesIntro = "Du musst da nicht allein durch. Es gibt Menschen, die jederzeit für dich da sind:",
        CallLine = phone => $"anrufen: {phone}",
        TextLine = number => $"schreiben: {number}",
        PlanIntro = "Du hast für solche Momente einen Sicherheitsplan gemacht.",
        PlanCopingStep = step => $"Etwas, das dir hilft, hast du so aufgeschrieben: „{step}“.",
        PlanPersonOrPlace = who => $"Du hast auch aufgeschrieben, dass das hilft: {who}.",
        PlanReason = reason => $"Und du hast diesen Grund zu leben aufgeschrieben: „{reason}“.",
        PlanOffer = "Möchtest du deinen Plan mit mir zusammen durchgehen?",
        MakePlanOffer = "Wenn es dir hilft, können wir zusammen einen Sicherheitsplan machen, Schritt für Schritt: was du bemerkst, was dir hilft, wen du erreichen kannst.",
        StayingWithYou = "Ich gehe nirgendwohin. Magst du mir ein wenig erzählen, wo du bist und was gerade passiert?",

        SlowDown = "Ich möchte jeder deiner Nachrichten echte Aufmerksamkeit schenken, und sie kommen gerade sehr schnell: Lass uns zusammen einmal durchatmen. Ich bin noch da. Schick mir deinen nächsten Gedanken in einer Minute, dann machen wir weiter.",
        BudgetNote = "(Für heute habe ich mein Limit für längere Antworten erreicht, meine Antworten sind bis morgen einfacher, aber ich bin weiter für dich da.)",
        ConcernOpening = "Das klingt wirklich schwer, und ich bin froh, dass du es mir erzählst.",
        ConcernSomeoneElse = "Es ist schwer, sich um jemanden zu sorgen, der einem wichtig ist. Ist diese Person gerade in Sicherheit? Wenn du glaubst, dass sie in Gefahr ist, ist es in Ordnung, den Notruf zu wählen. Und wie geht es dir selbst damit?",
        ConcernSelf = "Darf ich dich etwas direkt fragen, weil es wichtig ist: Hast du Gedanken, nicht mehr leben zu wollen, oder dir etwas anzutun? Egal, wie die Antwort lautet, ich bin da und höre dir zu.",
        Openers =
        [
            "Danke, dass du mir das erzählst.",
            "Ich höre dir zu.",
            "Ich verstehe dich.",
            "Das klingt nach ganz schön viel, was du trägst.",
        ],
        Questions =
        [
            "Was hat dich heute am meisten beschäftigt?",
            "Wie wirkt sich das auf dich aus?",
            "Was glaubst du, brauchst du gerade am meisten?",
            "Wann hast du zum ersten Mal gemerkt, dass es dir so geht?",
            "Was hat dir früher geholfen, wenn auch nur ein bisschen, als es sich so angefühlt hat?",
        ],
        Feelings =
        [
            new(R(@"\b(angst|angstlich|besorgt|sorgen|nervos|unruhig|kann nicht abschalten|kann mich nicht entspannen)\b"), ["Es klingt, als hätte die Angst dich gerade fest im Griff, und das ist erschöpfend.", "So angespannt zu sein ist wirklich unangenehm, und es ist verständlich, dass du willst, dass es nachlässt."], TherapistFlows.Breathing),
            new(R(@"\b(panik|panikattacke|kriege keine luft|bekomme keine luft|herzrasen|uberfordert|uberwaltigt)"), ["Das klingt überwältigend. Lass uns zusammen langsamer werden.", "Wenn alles auf einmal kommt, kann es helfen, in den Moment zurückzukommen."], TherapistFlows.Grounding),
            new(R(@"\b(traurig|deprimiert|depressiv|niedergeschlagen|leer|antriebslos|keine energie|keine kraft|down)\b"), ["Es tut mir leid, dass es sich so schwer anfühlt. An schlechten Tagen wird alles mühsamer, auch kleine Dinge.", "Das klingt wirklich zermürbend. Wenn die Stimmung unten ist, kann es sich anfühlen, als würde nichts helfen."], TherapistFlows.Activation),
            new(R(@"\b(ich bin (ein |eine )?(versager(in)?|nutzlos|dumm|wertlos|nicht gut genug)|ich hasse mich|meine schuld)\b"), ["Du bist gerade sehr hart zu dir. Diese innere Stimme kann so laut sein.", "Es klingt, als würde dein Kopf dir sehr harte Dinge über dich sagen."], TherapistFlows.ThoughtRecord),
            new(R(@"\b(einsam|allein|alleine|isoliert|keine freunde|niemand zum reden)\b"), ["Einsamkeit tut weh. Ich bin froh, dass du hier schreibst.", "Sich damit allein zu fühlen ist so schwer. Ich bin jetzt hier bei dir."], TherapistFlows.Activation),
            new(R(@"\b(stress|gestresst|druck|zu viel|ausgebrannt|burnout|erschopft|uberlastet)\b"), ["Das ist eine Menge auf einmal. Kein Wunder, dass du am Limit bist.", "Es klingt, als würde sich der Druck immer weiter aufstauen."], TherapistFlows.Distortions),
            new(R(@"\b(wutend|wut|sauer|genervt|verargert|zornig)\b"), ["Es ist verständlich, darüber wütend zu sein.", "Das klingt wirklich frustrierend."], TherapistFlows.Breathing),
        ],
        OfferFlow = title => $"Möchtest du {title} zusammen mit mir ausprobieren? Sag einfach ja, oder wir reden einfach weiter.",

        FlowTitles = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TherapistFlows.ThoughtRecord] = "ein Gedankenprotokoll",
            [TherapistFlows.Distortions] = "das Erkennen von Denkfallen",
            [TherapistFlows.Activation] = "das Planen einer kleinen Sache",
            [TherapistFlows.Grounding] = "die 5-4-3-2-1-Übung",
            [TherapistFlows.Breathing] = "langsames Atmen",
        },
        FlowRequests =
        [
            (TherapistFlows.ThoughtRecord, R(@"\b(gedankenprotokoll|gedankentagebuch|gedanken aufschreiben)")),
            (TherapistFlows.Distortions, R(@"\b(denkfalle|denkfehler|kognitive verzerrung|verzerrung)")),
            (TherapistFlows.Activation, R(@"\b(verhaltensaktivierung|eine kleine sache|einen kleinen schritt|kleiner schritt)")),
            (TherapistFlows.Grounding, R(@"\b(erdung|grounding|5-4-3-2-1|54321|funf sinne)")),
            (TherapistFlows.Breathing, R(@"\b(atemubung|atmung|atmen)")),
        ],
        Yes = R(@"^\s*(ja|jep|jo|klar|gern|gerne|okay|ok|einverstanden|bitte|na gut|warum nicht|lass uns|sicher)\b"),
        Stop = R(@"^\s*(stopp|stop|abbrechen|aufhoren|hor auf|genug|nicht jetzt|nein danke|lass uns aufhoren|uberspringen)\b"),
        Stopped = "Natürlich, wir können hier aufhören. Du kannst jederzeit wieder einsteigen. Was wäre dir jetzt am hilfreichsten?",

        FlowPrompts = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            [TherapistFlows.ThoughtRecord] =
            [
                "Lass uns zusammen ein Gedankenprotokoll schreiben, Schritt für Schritt; du kannst jederzeit „stopp“ sagen. Zuerst: Was war die Situation? Wo warst du, und was ist passiert?",
                "Danke. Was ist dir in dem Moment durch den Kopf gegangen? Versuch, den Gedanken in den Worten festzuhalten, in denen er kam.",
                "Was hast du gefühlt, als der Gedanke kam, und wie stark, von 0 bis 100?",
                "Schauen wir ihn an wie ein fairer Richter. Was lässt den Gedanken wahr erscheinen?",
                "Und was passt nicht ganz zu dem Gedanken? Irgendetwas, das in die andere Richtung zeigt, auch nur ein wenig?",
                "Mit beiden Seiten im Blick: Wie könntest du es fair und freundlich ausdrücken? Was würdest du einer Freundin oder einem Freund mit diesem Gedanken sagen?",
                "Und jetzt, wenn du den ausgewogeneren Gedanken liest: Wie stark ist das Gefühl, von 0 bis 100?",
            ],
            [TherapistFlows.Distortions] =
            [
                "Lass uns nach Denkfallen suchen. Erzähl mir einen Gedanken, der dich belastet, möglichst so, wie er in deinem Kopf klingt.",
                "",
                "Wenn diese Falle ein Teil davon ist: Wie könnte der Gedanke ohne sie klingen? Er muss nicht positiv sein, nur fairer.",
            ],
            [TherapistFlows.Activation] =
            [
                "Lass uns eine kleine Sache planen, so klein, dass sie sich fast zu leicht anfühlt. Etwas, das dir früher Freude gemacht hat, oder etwas, das dir ein kleines Gefühl gibt, etwas geschafft zu haben. Was fällt dir ein?",
                "Das klingt gut. Wann könntest du es machen, heute oder morgen? Eine Uhrzeit hilft.",
                "Wie sehr, glaubst du, wird es dir Freude machen oder guttun, von 0 bis 10? Es gibt keine falsche Antwort; wir vergleichen hinterher.",
            ],
            [TherapistFlows.Grounding] =
            [
                "Lass uns mit 5-4-3-2-1 im Hier und Jetzt ankommen. Nimm dir Zeit. Schau dich um: Welche fünf Dinge kannst du sehen?",
                "Gut. Jetzt vier Dinge, die du spüren kannst: deine Füße auf dem Boden, den Stuhl, die Luft auf deiner Haut.",
                "Jetzt drei Dinge, die du hören kannst, nah oder fern.",
                "Zwei Dinge, die du riechen kannst, oder zwei Gerüche, die du magst, wenn gerade nichts da ist.",
                "Und eine Sache, die du schmecken kannst.",
            ],
            [TherapistFlows.Breathing] =
            [
                "Lass uns zusammen langsamer atmen: durch die Nase einatmen und bis 4 zählen, durch den Mund ausatmen und bis 6 zählen; ein längeres Ausatmen sagt dem Körper, dass er sicher ist. Sag „bereit“, wenn du so weit bist.",
                "Einatmen… 2… 3… 4… und aus… 2… 3… 4… 5… 6.\nEin… 2… 3… 4… und aus… 2… 3… 4… 5… 6.\nNoch einmal: ein… 2… 3… 4… und langsam aus… 2… 3… 4… 5… 6.\nWie fühlt sich dein Körper jetzt an, verglichen mit vor einer Minute?",
            ],
        },
        Traps =
        [
            new("Schwarz-Weiß-Denken", "Dinge als völligen Erfolg oder völliges Versagen sehen", R(@"\b(immer|nie|niemals|komplett|total|nichts|alles|perfekt|ruiniert)\b")),
            new("Verallgemeinern", "ein Ereignis als Beweis nehmen, dass es immer so ist", R(@"\b(jedes mal|alle|niemand|die ganze zeit)\b")),
            new("Katastrophisieren", "gleich vom schlimmsten Ausgang ausgehen", R(@"\b(das schlimmste|katastrophe|schrecklich|furchtbar|entsetzlich)")),
            new("Gedankenlesen", "annehmen, dass wir wissen, was andere über uns denken", R(@"\b(sie denken|er denkt|sie denkt|alle denken|verurteilen mich|hassen mich|hasst mich)\b")),
            new("Wahrsagen", "vorhersagen, dass es schlecht ausgehen wird", R(@"\b(werde es nie|wird nie|wird nicht klappen|werde versagen|geht bestimmt schief)\b")),
            new("Etikettieren", "uns selbst mit einem harten Wort zusammenfassen", R(@"\bich bin (ein |eine )?(versager(in)?|idiot(in)?|dumm|nutzlos|wertlos)\b")),
            new("„Muss“-Sätze", "uns an starre Regeln binden", R(@"\b(ich muss|ich sollte|man muss)\b")),
            new("emotionales Schlussfolgern", "ein Gefühl für den Beweis einer Tatsache halten", R(@"\bich fuhle mich (wie )?(ein |eine )?(versager(in)?|dumm|nutzlos|wertlos|schuldig)\b")),
        ],
        TrapPrompt = (list, found) => found.Count == 0
            ? $"Danke, dass du ihn teilst. Hier sind einige häufige Denkfallen:\n{list}\nKommt dir davon etwas in diesem Gedanken bekannt vor?"
            : $"Danke, dass du ihn teilst. Ich frage mich, ob darin ein bisschen {string.Join(" oder ", found.Select(t => t.Name))} steckt: {found[0].Explanation}. Hier sind die häufigsten:\n{list}\nKommt dir davon etwas bekannt vor?",
        Finish = (flow, a) => flow switch
        {
            TherapistFlows.ThoughtRecord =>
                $"Du hast das ganze Gedankenprotokoll gemacht, das kostet Kraft. Hier ist es:\n• Situation: {a["situation"]}\n• Gedanke: {a["thought"]}\n• Gefühl: {a["emotion"]}\n• Was dafür spricht: {a["evidence-for"]}\n• Was dagegen spricht: {a["evidence-against"]}\n• Ein fairerer Gedanke: {a["balanced"]}\n• Gefühl jetzt: {a["rerate"]}\nAuch eine kleine Veränderung zählt. Wenn du es behalten möchtest, kannst du es in deinem Tagebuch speichern. Wie war es, den Gedanken so anzuschauen?",
            TherapistFlows.Distortions =>
                $"Gut gemacht. Du hast mit „{a["thought"]}“ angefangen und einen faireren Weg gefunden, es zu sagen: „{a["reframe"]}“. Denkfallen sind Gewohnheiten, keine Wahrheiten; sie zu bemerken ist schon der größte Teil der Arbeit. Möchtest du weiter darüber reden?",
            TherapistFlows.Activation =>
                $"Das ist dein Plan: {a["activity"]}, {a["when"]}. Du erwartest etwa {a["expect"]} von 10. Achte danach darauf, wie es sich wirklich angefühlt hat; gedrückte Stimmung unterschätzt oft, wie sehr kleine Dinge helfen. Ich würde gern hören, wie es war.",
            TherapistFlows.Grounding =>
                "Du bist durch alle fünf Sinne gegangen. Nimm noch einen langsamen Atemzug. Du bist hier, in diesem Moment, und du hast die letzten Minuten geschafft. Wie fühlst du dich jetzt?",
            TherapistFlows.Breathing =>
                "Danke, dass du es mit mir ausprobiert hast. Du kannst jederzeit zu diesem Atem zurückkommen; schon eine Runde hilft. Gibt es etwas, worüber du reden möchtest?",
            _ => "Danke, dass du das mit mir gemacht hast.",
        },
    };

    private static Regex R(string pattern) => new(pattern, RegexOptions.CultureInvariant);
}
