using System.Globalization;
using System.Text;

namespace Mindspace.Grains.Interfaces.Safety;

/// <summary>
/// The languages <see cref="SafetyClassifier"/> reads (its rules in <c>SafetyRules</c>), and a small
/// detector that tells which of them a message is written in, so a reply can be written in the same one.
/// </summary>
/// <remarks>
/// <para>
/// Why our own detector and not a general library: Hindi is written here in Latin script ("main marna
/// chahta hoon"), which general detectors read as Devanagari only, and the messages that matter most
/// are a few words long. This one only chooses among the classifier's own languages, by counting
/// everyday function words and the words the classifier's rules are built on (the same vocabulary the
/// classifier reads: "quiero", "morir", "umbringen", "marna"…). It is deterministic and takes
/// microseconds. With no evidence (a number, "ok", an emoji) it says so (null) and the caller keeps the
/// language of the conversation.
/// </para>
/// <para>
/// Adding a language to the classifier means adding it to <see cref="Supported"/> and a word list
/// here; the companion's tests then fail until it has replies in that language.
/// </para>
/// </remarks>
public static class SafetyLanguages
{
    public const string English = "en";
    public const string Spanish = "es";
    public const string French = "fr";
    public const string German = "de";
    public const string Portuguese = "pt";

    /// <summary>Hindi written in Latin script (Hinglish), as the classifier reads it.</summary>
    public const string Hindi = "hi";

    /// <summary>Every language the classifier's rules are written for (ISO 639-1 codes), English first.</summary>
    public static IReadOnlyList<string> Supported { get; } = [English, Spanish, French, German, Portuguese, Hindi];

    private static readonly Dictionary<string, string[]> Markers = new(StringComparer.Ordinal)
    {
        [English] =
        [
            "i", "im", "ive", "ill", "id", "am", "my", "myself", "you", "your", "the", "and", "is", "it", "its", "to", "of", "dont", "cant", "wont",
            "want", "feel", "feeling", "just", "so", "can", "not", "this", "that", "what", "today", "tonight", "life", "die", "kill", "really",
            "have", "been", "be", "with", "for", "nobody", "anymore", "m", "t", "s", "ve", "ll", "am", "was", "anxious", "sad", "lonely", "tired",
            "hurt", "help", "please", "everything", "nothing", "why", "how", "do", "does", "did", "at", "in", "on", "he", "she", "they", "we",
            "work", "day", "night", "now", "about", "like", "think", "know", "going", "gonna", "wanna", "alone", "stressed", "or", "if", "me",
            "wrote", "again", "yesterday", "last", "week", "husband", "boyfriend", "girlfriend", "partner", "hits", "hit", "punched", "choked", "hurts",
            "raped", "everyone", "would", "better", "off", "without", "there", "way", "out", "anyone", "pills", "took", "goodbye", "who", "are",
        ],
        [Spanish] =
        [
            "yo", "quiero", "estoy", "tengo", "muy", "pero", "porque", "el", "los", "las", "una", "es", "esta", "este", "como", "mi", "mis", "me",
            "y", "con", "para", "nada", "todo", "todos", "hoy", "noche", "vida", "siento", "puedo", "hacer", "ya", "mas", "solo", "sola", "triste",
            "ayuda", "que", "no", "de", "del", "al", "en", "lo", "le", "se", "si", "soy", "estar", "morir", "morirme", "matarme", "suicidarme",
            "vivir", "nadie", "hay", "ganas", "pastillas", "cuando", "donde", "usted", "tu", "te", "ti", "aqui", "ahora", "mucho", "poco", "bien",
            "mal", "casa", "trabajo", "dia", "voy", "matar", "aguanto", "pastilla", "la", "muero", "sueno", "brazos", "estresado", "estresada", "ansiedad", "ansioso", "ansiosa", "deprimido", "deprimida", "quieres",
            "puedes", "gracias", "pienso", "despedida", "esposo", "pega", "desaparecer", "carga", "amiga", "miedo", "volver", "sin", "sobre",
        ],
        [French] =
        [
            "je", "j", "suis", "pas", "ne", "n", "veux", "plus", "le", "la", "les", "et", "est", "c", "mon", "ma", "mes", "moi", "tout", "rien",
            "ce", "ca", "soir", "vie", "mourir", "me", "m", "tuer", "suicider", "avec", "pour", "dans", "sais", "peux", "seul", "seule", "triste",
            "aide", "aujourd", "hui", "nuit", "ai", "un", "une", "des", "du", "qui", "que", "il", "elle", "on", "nous", "vous", "tu", "te", "toi",
            "sur", "mais", "parce", "quand", "vraiment", "tres", "fatigue", "fatiguee", "angoisse", "stresse", "stressee", "travail", "maison",
            "envie", "vivre", "personne", "jamais", "toujours", "merci", "oui", "non", "ou", "au", "aux", "y", "en", "bien", "mal", "fais",
            "mari", "frappe", "adieu", "meurs", "plaquettes", "cachets", "comprimes", "disparaitre", "fardeau", "peur",
        ],
        [German] =
        [
            "ich", "bin", "nicht", "mehr", "will", "mochte", "der", "die", "das", "und", "ist", "mein", "meine", "meinen", "mich", "mir", "es",
            "ein", "eine", "einen", "heute", "nacht", "leben", "sterben", "umbringen", "allein", "alleine", "traurig", "hilfe", "kann", "habe",
            "auch", "nur", "alles", "nichts", "wie", "was", "zu", "mit", "von", "auf", "fur", "aber", "weil", "wenn", "dass", "sich", "sein",
            "keine", "kein", "niemand", "immer", "nie", "schon", "noch", "gerade", "sehr", "mude", "angst", "gestresst", "arbeit", "hause",
            "hier", "jetzt", "tot", "selbst", "mann", "schlagt", "abschied", "tabletten", "genommen", "verschwinden", "ja",
            "nein", "danke", "bitte", "wir", "du", "dich", "dir", "sie", "er", "geht", "gehts", "fuhle", "denke", "daran", "umzubringen",
        ],
        [Portuguese] =
        [
            "eu", "quero", "estou", "tenho", "muito", "mas", "nao", "o", "os", "as", "um", "uma", "e", "esta", "com", "para", "nada", "tudo",
            "hoje", "noite", "vida", "sinto", "posso", "fazer", "ja", "mais", "so", "sozinho", "sozinha", "triste", "ajuda", "voce", "minha",
            "meu", "isso", "vou", "morrer", "me", "matar", "que", "de", "do", "da", "dos", "das", "no", "na", "em", "se", "sou", "ninguem",
            "tem", "vontade", "comprimidos", "quando", "onde", "aqui", "agora", "bem", "mal", "casa", "trabalho", "dia", "estressado", "estressada",
            "ansiedade", "ansioso", "ansiosa", "deprimido", "deprimida", "obrigado", "obrigada", "penso", "despedida", "marido", "bate", "sumir",
            "fardo", "amiga", "medo", "corto", "ele", "ela", "ameacou", "voltar", "sem", "sobre", "pra", "pro", "ta", "to", "tou", "consigo", "viver", "tomei", "todos", "todas",
        ],
        [Hindi] =
        [
            "main", "mai", "mein", "mujhe", "mujhse", "mera", "meri", "mere", "hai", "hain", "hoon", "hu", "hun", "nahi", "nahin", "kya", "kuch",
            "koi", "aaj", "raat", "jeena", "jina", "jeene", "marna", "mar", "maar", "chahta", "chahti", "karna", "kar", "karta", "karti", "raha",
            "rahi", "gaya", "gayi", "bahut", "bohot", "yaar", "tha", "thi", "se", "ko", "ka", "ki", "ke", "aur", "bhi", "sab", "sabko", "ab",
            "kabhi", "akela", "akeli", "dukhi", "udaas", "udas", "pareshan", "lag", "lagta", "lagti", "zindagi", "khatam", "khud", "khudkushi",
            "dunga", "dungi", "goliyan", "kha", "li", "alvida", "mann", "baare", "soch", "ghar", "kaam", "dil", "tension", "thak", "thaka",
            "thaki", "hua", "hui", "ho", "rha", "rhi", "ni", "h", "pati", "maarta", "darr", "dar", "lagta", "accha", "acha", "haan", "bas",
        ],
    };

    private static readonly Dictionary<string, HashSet<string>> Lexicons = Markers.ToDictionary(
        pair => pair.Key,
        pair => new HashSet<string>(pair.Value, StringComparer.Ordinal),
        StringComparer.Ordinal);

    /// <summary>
    /// The supported language <paramref name="text"/> is most likely written in, or null when it gives
    /// no evidence (no marker word, or two languages equally likely).
    /// </summary>
    public static string? Detect(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // Script first: text that is mostly Devanagari letters is Hindi (the only classifier language written in it),
        // whatever its words; the word lists below are Latin script only.
        var devanagari = 0;
        var otherLetters = 0;
        foreach (var c in text)
        {
            if (c is >= '\u0900' and <= '\u097F' or >= '\uA8E0' and <= '\uA8FF')
            {
                devanagari += char.IsLetter(c) ? 1 : 0;
            }
            else if (char.IsLetter(c))
            {
                otherLetters++;
            }
        }

        if (devanagari > otherLetters)
        {
            return Hindi;
        }

        var words = Words(text);
        if (words.Count == 0)
        {
            return null;
        }

        string? best = null;
        var bestScore = 0.0;
        var tie = false;
        foreach (var language in Supported)
        {
            var lexicon = Lexicons[language];
            var score = 0.0;
            foreach (var word in words)
            {
                if (lexicon.Contains(word))
                {
                    // Longer words say more about the language than one-letter ones.
                    score += word.Length >= 3 ? 1.0 : 0.5;
                }
            }

            if (score > bestScore)
            {
                (best, bestScore, tie) = (language, score, false);
            }
            else if (score > 0 && score == bestScore)
            {
                tie = true;
            }
        }

        return tie ? null : best;
    }

    /// <summary>The words of <paramref name="text"/>: lower case, accents removed, split at anything that is not a letter.</summary>
    private static List<string> Words(string text)
    {
        var decomposed = (text.Length > SafetyText.MaxLength ? text[..SafetyText.MaxLength] : text).ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (c == 'ß')
            {
                current.Append("ss");
            }
            else if (char.IsLetter(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
