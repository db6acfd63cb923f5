using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Mindspace.Grains.Interfaces.Safety;

/// <summary>
/// Puts text into the one shape the safety rules are written against: lower case, Latin letters
/// without accents, English contractions spelled out, text-speak and common misspellings replaced by
/// the words they stand for ("kms" → "kill myself", "su1c1de" → "suicide", "wanna" → "want to").
/// </summary>
public static partial class SafetyText
{
    /// <summary>Longest text the classifier reads; anything past it is ignored (a journal entry is 2,000 characters).</summary>
    public const int MaxLength = 20_000;

    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        // Text-speak and euphemisms for suicide and self-harm.
        ["kms"] = "kill myself",
        ["kmsl"] = "kill myself",
        ["kys"] = "kill yourself",
        ["ctb"] = "kill myself",
        ["unalive"] = "kill",
        ["unalived"] = "killed",
        ["unaliving"] = "killing",
        ["sewerslide"] = "suicide",
        ["suicidial"] = "suicidal",
        ["suicidle"] = "suicidal",
        ["suicidel"] = "suicidal",
        ["suicidall"] = "suicidal",
        ["selfharm"] = "self harm",
        ["selfharming"] = "self harming",
        ["kil"] = "kill",
        ["killl"] = "kill",
        ["mysef"] = "myself",
        ["meself"] = "myself",
        ["ded"] = "dead",
        ["diie"] = "die",
        ["diee"] = "die",
        ["dieee"] = "die",
        ["od"] = "overdose",
        ["oding"] = "overdosing",
        ["od'd"] = "overdosed",
        ["odd"] = "odd",

        // English contractions and chat spellings.
        ["im"] = "i am",
        ["i'm"] = "i am",
        ["imma"] = "i am going to",
        ["ima"] = "i am going to",
        ["gonna"] = "going to",
        ["gunna"] = "going to",
        ["finna"] = "going to",
        ["wanna"] = "want to",
        ["wana"] = "want to",
        ["wnt"] = "want",
        ["gotta"] = "have to",
        ["dont"] = "do not",
        ["don't"] = "do not",
        ["dnt"] = "do not",
        ["doesnt"] = "does not",
        ["didnt"] = "did not",
        ["cant"] = "cannot",
        ["can't"] = "cannot",
        ["cnt"] = "cannot",
        ["couldnt"] = "could not",
        ["wont"] = "will not",
        ["won't"] = "will not",
        ["wouldnt"] = "would not",
        ["isnt"] = "is not",
        ["wasnt"] = "was not",
        ["arent"] = "are not",
        ["aint"] = "am not",
        ["ain't"] = "am not",
        ["ive"] = "i have",
        ["i've"] = "i have",
        ["i'll"] = "i will",
        ["i'd"] = "i would",
        ["he's"] = "he is",
        ["she's"] = "she is",
        ["they're"] = "they are",
        ["it's"] = "it is",
        ["its"] = "it is",
        ["that's"] = "that is",
        ["thats"] = "that is",
        ["what's"] = "what is",
        ["whats"] = "what is",
        ["there's"] = "there is",
        ["theres"] = "there is",
        ["you're"] = "you are",
        ["youre"] = "you are",
        ["you'd"] = "you would",
        ["you'll"] = "you will",
        ["they'd"] = "they would",
        ["he'd"] = "he would",
        ["she'd"] = "she would",
        ["he'll"] = "he will",
        ["she'll"] = "she will",
        ["rly"] = "really",
        ["rlly"] = "really",
        ["realy"] = "really",
        ["srsly"] = "seriously",
        ["abt"] = "about",
        ["bout"] = "about",
        ["thinkin"] = "thinking",
        ["thinkn"] = "thinking",
        ["killin"] = "killing",
        ["cuttin"] = "cutting",
        ["dyin"] = "dying",
        ["wantin"] = "wanting",
        ["feelin"] = "feeling",
        ["nothin"] = "nothing",
        ["tryna"] = "trying to",
        ["hes"] = "he is",
        ["shes"] = "she is",
        ["u"] = "you",
        ["ur"] = "your",
        ["r"] = "are",
        ["tn"] = "tonight",
        ["2nite"] = "tonight",
        ["2night"] = "tonight",
        ["tonite"] = "tonight",
        ["rn"] = "right now",
        ["tmrw"] = "tomorrow",
        ["tmr"] = "tomorrow",
        ["tmrow"] = "tomorrow",
        ["2moro"] = "tomorrow",
        ["2day"] = "today",
        ["bf"] = "boyfriend",
        ["gf"] = "girlfriend",
        ["hubby"] = "husband",
        ["bc"] = "because",
        ["cuz"] = "because",
        ["coz"] = "because",
        ["pls"] = "please",
        ["plz"] = "please",
        ["ppl"] = "people",
        ["nobody's"] = "nobody is",
        ["everyone's"] = "everyone is",
        ["i"] = "i",

        // Spanish, Portuguese and Hindi chat spellings.
        ["q"] = "que",
        ["xq"] = "porque",
        ["pq"] = "porque",
        ["vc"] = "voce",
        ["nahin"] = "nahi",
        ["nai"] = "nahi",
        ["nhi"] = "nahi",
        ["hu"] = "hoon",
        ["hun"] = "hoon",
        ["hoo"] = "hoon",
        ["chahti"] = "chahta",
        ["chahte"] = "chahta",
        ["chahata"] = "chahta",
        ["mai"] = "main",
        ["mujhko"] = "mujhe",
        ["khatm"] = "khatam",
        ["khtm"] = "khatam",
    };

    /// <summary>Words a misspelling one edit away is corrected to (only for words of five letters or more).</summary>
    private static readonly string[] Corrected =
        ["suicide", "suicidal", "myself", "overdose", "overdosed", "hopeless", "worthless", "himself", "herself", "themselves", "pills", "goodbye", "suicidarme", "suicidio", "selbstmord", "khudkushi", "aatmahatya"];

    /// <summary>Ordinary words that sit one edit from a corrected word and must stay as they are.</summary>
    private static readonly HashSet<string> KeepAsIs = new(StringComparer.Ordinal) { "itself", "yourself", "suicides", "suicider", "suicida", "suicidas", "suicidarse", "suicidaire", "suicidou", "suicidio", "suicidou", "spills", "hills", "kills", "mills", "fills", "bills", "wills", "gills", "skills", "pillows", "piles", "pilots" };

    /// <summary>The normalised text: single spaces, sentence punctuation and quotes kept, everything else a space.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var s = text.Length > MaxLength ? text[..MaxLength] : text;
        s = s.Replace('\u2019', '\'').Replace('\u2018', '\'').Replace('`', '\'').Replace('\u00b4', '\'')
            .Replace('\u201c', '"').Replace('\u201d', '"').Replace('\u00ab', '"').Replace('\u00bb', '"').Replace('\u201e', '"');
        s = Laughter().Replace(s, " lol ");
        s = s.ToLowerInvariant().Replace("\u00df", "ss", StringComparison.Ordinal);
        s = TransliterateDevanagari(s);
        s = StripLatinAccents(s);
        s = SymbolInWord().Replace(s, "i");
        s = Leet().Replace(s, match => UnLeet(match.Value));
        s = Repeats().Replace(s, "$1$1");
        s = Joined().Replace(s, match => match.Groups[1].Value + match.Groups[2].Value);
        s = Separators().Replace(s, " ");
        s = BareUnalive().Replace(s, "unalive myself");

        var builder = new StringBuilder(s.Length + 16);
        foreach (var token in Tokens().EnumerateMatches(s))
        {
            var word = s.Substring(token.Index, token.Length);
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(Replace(word));
        }

        // "i want 2 die": a lone 2 after a verb that takes "to" is "to".
        return ToAfterVerb.Replace(Spaces().Replace(builder.ToString(), " ").Trim(), "$1 to ");
    }

    private static readonly Regex ToAfterVerb = new(@"\b(want|need|going|have|ready|about|trying|try|used|wish|like|deserve|plan|planning) 2 (?=[a-z])", RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static string Replace(string word)
    {
        if (word.Length == 1 && !char.IsLetterOrDigit(word[0]))
        {
            return word;
        }

        if (Words.TryGetValue(word, out var replacement))
        {
            return replacement;
        }

        if (word.EndsWith("n't", StringComparison.Ordinal) && word.Length > 3)
        {
            return word[..^3] + " not";
        }

        if (word.EndsWith("'ll", StringComparison.Ordinal) && word.Length > 3)
        {
            return word[..^3] + " will";
        }

        if (word.EndsWith("'ve", StringComparison.Ordinal) && word.Length > 3)
        {
            return word[..^3] + " have";
        }

        if (word.EndsWith("'re", StringComparison.Ordinal) && word.Length > 3)
        {
            return word[..^3] + " are";
        }

        // A word spelled right is never "corrected" into its neighbour ("overdose" is not "overdosed").
        if (word.Length >= 5 && !KeepAsIs.Contains(word) && Array.IndexOf(Corrected, word) < 0)
        {
            foreach (var candidate in Corrected)
            {
                if (word != candidate && Math.Abs(word.Length - candidate.Length) <= 1 && WithinOneEdit(word, candidate))
                {
                    return candidate;
                }
            }
        }

        return word;
    }

    /// <summary>Whether one substitution, insertion, deletion or swap of neighbours turns <paramref name="a"/> into <paramref name="b"/>.</summary>
    private static bool WithinOneEdit(string a, string b)
    {
        if (a.Length == b.Length)
        {
            var first = -1;
            var differences = 0;
            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    differences++;
                    if (first < 0)
                    {
                        first = i;
                    }
                }
            }

            return differences == 1
                || (differences == 2 && first + 1 < a.Length && a[first] == b[first + 1] && a[first + 1] == b[first]);
        }

        var (shorter, longer) = a.Length < b.Length ? (a, b) : (b, a);
        int s = 0, l = 0;
        var skipped = false;
        while (s < shorter.Length && l < longer.Length)
        {
            if (shorter[s] == longer[l])
            {
                s++;
                l++;
            }
            else if (skipped)
            {
                return false;
            }
            else
            {
                skipped = true;
                l++;
            }
        }

        return true;
    }

    private static string StripLatinAccents(string s)
    {
        var decomposed = s.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var previous = '\0';
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark && previous < '\u0250')
            {
                continue;
            }

            builder.Append(c);
            previous = c;
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    private static string UnLeet(string token)
    {
        var chars = token.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                '1' => 'i',
                '3' => 'e',
                '0' => 'o',
                '4' or '@' => 'a',
                '5' or '$' => 's',
                '7' => 't',
                _ => chars[i],
            };
        }

        return new string(chars);
    }

    /// <summary>Laughing faces and the skull ("I'm dead 💀"): they mark a joke, so they become "lol".</summary>
    [GeneratedRegex("(\U0001F602|\U0001F923|\U0001F480|\u2620|\U0001F639|\U0001F606|\U0001F605)+")]
    private static partial Regex Laughter();

    /// <summary>A symbol standing for a letter inside a word ("k!ll", "s*icide", "k|ll").</summary>
    [GeneratedRegex(@"(?<=[a-z])[!*|](?=[a-z])")]
    private static partial Regex SymbolInWord();

    /// <summary>A word mixing letters with digits or symbols that stand for letters ("su1c1de", "d13", "$uicide").</summary>
    [GeneratedRegex(@"(?<![\w@$])(?=[\w@$]*[a-z])(?=[\w@$]*[013457@$])[a-z013457@$]{3,}(?![\w@$])")]
    private static partial Regex Leet();

    [GeneratedRegex(@"([a-z])\1{2,}")]
    private static partial Regex Repeats();

    /// <summary>Words people split or join: "my self", "sewer slide", "self-harm", "un alive".</summary>
    [GeneratedRegex(@"\b(my|him|her|them|your|sewer|un)[ -](self|selves|slide|alive|aliving|alived)\b")]
    private static partial Regex Joined();

    /// <summary>Everything but letters, digits, apostrophes, quotes and sentence ends becomes a space.</summary>
    [GeneratedRegex(@"[^\p{L}\p{M}\p{N}'"".!?;,\n]+")]
    private static partial Regex Separators();

    [GeneratedRegex(@"[\p{L}\p{M}\p{N}']+|["".!?;,\n]")]
    private static partial Regex Tokens();

    /// <summary>"unalive" with no object means the writer ("i wanna unalive").</summary>
    [GeneratedRegex(@"\bunalive\b(?! ?(?:my|myself|me|him|himself|her|herself|them|themselves|your|yourself|ur|urself|ourselves|someone|people|everyone)\b)")]
    private static partial Regex BareUnalive();

    [GeneratedRegex(@" {2,}")]
    private static partial Regex Spaces();
}
