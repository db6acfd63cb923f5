using System.Globalization;
using System.Reflection;

namespace Mindspace.Grains.Journal.Sentiment;

/// <summary>VADER's four scores for a text.</summary>
/// <param name="Compound">Sum of valences normalised to [-1, 1] (x / sqrt(x² + 15)), rounded to 4 places.</param>
public readonly record struct VaderScores(double Negative, double Neutral, double Positive, double Compound);

/// <summary>
/// VADER (Hutto and Gilbert, 2014): lexicon valences adjusted by rules — negation within three
/// words, boosters and dampeners (decaying with distance), ALL CAPS emphasis among mixed case,
/// "but" (what comes before counts half, after one and a half), "least", "never so", "without
/// doubt", a few idioms and special cases, then "!" and "?" emphasis and the compound normalisation.
/// It follows the reference implementation (vaderSentiment 3.3) rule for rule, quirks included,
/// so its published example scores come out the same.
/// </summary>
public static class Vader
{
    private const double BoostIncrement = 0.293;
    private const double BoostDecrement = -0.293;
    private const double CapsIncrement = 0.733;
    private const double NegationScalar = -0.74;
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private static readonly Lazy<Dictionary<string, double>> LazyLexicon = new(LoadLexicon);

    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
        "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
        "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
        "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
        "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
        "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
        "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
        "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
    };

    private static readonly Dictionary<string, double> Boosters = BuildBoosters();

    private static readonly Dictionary<string, double> SpecialCases = new(StringComparer.Ordinal)
    {
        ["the shit"] = 3,
        ["the bomb"] = 3,
        ["bad ass"] = 1.5,
        ["badass"] = 1.5,
        ["bus stop"] = 0.0,
        ["yeah right"] = -2,
        ["kiss of death"] = -1.5,
        ["to die for"] = 3,
        ["beating heart"] = 3.1,
        ["broken heart"] = -2.9,
    };

    private static Dictionary<string, double> Lexicon => LazyLexicon.Value;

    /// <summary>Scores one sentence or short text, as VADER's <c>polarity_scores</c> does.</summary>
    public static VaderScores Score(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        var words = Words(text);
        var capsDiffer = CapsDiffer(words);
        var sentiments = new List<double>(words.Count);
        for (var i = 0; i < words.Count; i++)
        {
            var lower = Lower(words[i]);
            if (Boosters.ContainsKey(lower)
                || (i < words.Count - 1 && lower == "kind" && Lower(words[i + 1]) == "of"))
            {
                sentiments.Add(0);
                continue;
            }

            sentiments.Add(Valence(words, i, capsDiffer));
        }

        ButCheck(words, sentiments);
        return ScoreValence(sentiments, text);
    }

    /// <summary>
    /// A longer text: the mean compound of its sentences (split at . ! ? and line breaks), which is how
    /// VADER's authors recommend scoring paragraphs. Empty or wordless text scores 0.
    /// </summary>
    public static double Compound(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        double sum = 0;
        var count = 0;
        foreach (var sentence in Sentences(text))
        {
            sum += Score(sentence).Compound;
            count++;
        }

        return count == 0 ? 0 : Math.Round(sum / count, 4);
    }

    private static IEnumerable<string> Sentences(string text)
    {
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var end = i == text.Length || text[i] is '\n' or '\r';
            if (!end && text[i] is '.' or '!' or '?')
            {
                // Keep a run of ! and ? with its sentence: it is emphasis.
                while (i + 1 < text.Length && text[i + 1] is '.' or '!' or '?')
                {
                    i++;
                }

                var sentence = text[start..(i + 1)];
                start = i + 1;
                if (sentence.Any(char.IsLetterOrDigit))
                {
                    yield return sentence;
                }

                continue;
            }

            if (end)
            {
                var sentence = text[start..i];
                start = i + 1;
                if (sentence.Any(char.IsLetterOrDigit))
                {
                    yield return sentence;
                }
            }
        }
    }

    private static double Valence(List<string> words, int i, bool capsDiffer)
    {
        var item = words[i];
        var lower = Lower(item);
        if (!Lexicon.TryGetValue(lower, out var valence))
        {
            return 0;
        }

        // "no" before another lexicon word negates it rather than counting on its own.
        if (lower == "no" && i != words.Count - 1 && Lexicon.ContainsKey(Lower(words[i + 1])))
        {
            valence = 0;
        }

        if ((i > 0 && Lower(words[i - 1]) == "no")
            || (i > 1 && Lower(words[i - 2]) == "no")
            || (i > 2 && Lower(words[i - 3]) == "no" && Lower(words[i - 1]) is "or" or "nor"))
        {
            valence = Lexicon[lower] * NegationScalar;
        }

        if (IsUpper(item) && capsDiffer)
        {
            valence += valence > 0 ? CapsIncrement : -CapsIncrement;
        }

        for (var start = 0; start < 3; start++)
        {
            if (i > start && !Lexicon.ContainsKey(Lower(words[i - (start + 1)])))
            {
                var scalar = ScalarIncDec(words[i - (start + 1)], valence, capsDiffer);
                if (start == 1 && scalar != 0)
                {
                    scalar *= 0.95;
                }

                if (start == 2 && scalar != 0)
                {
                    scalar *= 0.9;
                }

                valence += scalar;
                valence = NegationCheck(valence, words, start, i);
                if (start == 2)
                {
                    valence = SpecialIdiomsCheck(valence, words, i);
                }
            }
        }

        return LeastCheck(valence, words, i);
    }

    private static double ScalarIncDec(string word, double valence, bool capsDiffer)
    {
        if (!Boosters.TryGetValue(Lower(word), out var scalar))
        {
            return 0;
        }

        if (valence < 0)
        {
            scalar *= -1;
        }

        if (IsUpper(word) && capsDiffer)
        {
            scalar += valence > 0 ? CapsIncrement : -CapsIncrement;
        }

        return scalar;
    }

    private static double NegationCheck(double valence, List<string> words, int start, int i)
    {
        string W(int offset) => Lower(At(words, i - offset));
        switch (start)
        {
            case 0:
                return Negated(W(1)) ? valence * NegationScalar : valence;
            case 1:
                if (W(2) == "never" && W(1) is "so" or "this")
                {
                    return valence * 1.25;
                }

                if (W(2) == "without" && W(1) == "doubt")
                {
                    return valence;
                }

                return Negated(W(2)) ? valence * NegationScalar : valence;
            default:
                // The reference groups this as (never and (so or this)) or (so or this), and so do we.
                if ((W(3) == "never" && W(2) is "so" or "this") || W(1) is "so" or "this")
                {
                    return valence * 1.25;
                }

                if (W(3) == "without" && (W(2) == "doubt" || W(1) == "doubt"))
                {
                    return valence;
                }

                return Negated(W(3)) ? valence * NegationScalar : valence;
        }
    }

    private static bool Negated(string lowerWord) => Negations.Contains(lowerWord) || lowerWord.Contains("n't", StringComparison.Ordinal);

    private static double SpecialIdiomsCheck(double valence, List<string> words, int i)
    {
        // Negative offsets wrap around to the end of the text, as Python's indexing does in the reference.
        string W(int index) => Lower(At(words, index));
        var oneZero = $"{W(i - 1)} {W(i)}";
        var twoOneZero = $"{W(i - 2)} {W(i - 1)} {W(i)}";
        var twoOne = $"{W(i - 2)} {W(i - 1)}";
        var threeTwoOne = $"{W(i - 3)} {W(i - 2)} {W(i - 1)}";
        var threeTwo = $"{W(i - 3)} {W(i - 2)}";
        foreach (var sequence in new[] { oneZero, twoOneZero, twoOne, threeTwoOne, threeTwo })
        {
            if (SpecialCases.TryGetValue(sequence, out var special))
            {
                valence = special;
                break;
            }
        }

        if (words.Count - 1 > i && SpecialCases.TryGetValue($"{W(i)} {W(i + 1)}", out var zeroOne))
        {
            valence = zeroOne;
        }

        if (words.Count - 1 > i + 1 && SpecialCases.TryGetValue($"{W(i)} {W(i + 1)} {W(i + 2)}", out var zeroOneTwo))
        {
            valence = zeroOneTwo;
        }

        foreach (var gram in new[] { threeTwoOne, threeTwo, twoOne })
        {
            if (Boosters.TryGetValue(gram, out var boost))
            {
                valence += boost;
            }
        }

        return valence;
    }

    private static double LeastCheck(double valence, List<string> words, int i)
    {
        if (i > 1 && !Lexicon.ContainsKey(Lower(words[i - 1])) && Lower(words[i - 1]) == "least")
        {
            if (Lower(words[i - 2]) is not ("at" or "very"))
            {
                valence *= NegationScalar;
            }
        }
        else if (i > 0 && !Lexicon.ContainsKey(Lower(words[i - 1])) && Lower(words[i - 1]) == "least")
        {
            valence *= NegationScalar;
        }

        return valence;
    }

    /// <summary>
    /// Before the first "but" counts half, after it one and a half. The reference finds each value's
    /// position with <c>list.index</c> (its first equal value), and so does this, to give the same scores.
    /// </summary>
    private static void ButCheck(List<string> words, List<double> sentiments)
    {
        var but = words.FindIndex(w => Lower(w) == "but");
        if (but < 0)
        {
            return;
        }

        for (var k = 0; k < sentiments.Count; k++)
        {
            var sentiment = sentiments[k];
            var index = sentiments.IndexOf(sentiment);
            if (index < but)
            {
                sentiments[index] = sentiment * 0.5;
            }
            else if (index > but)
            {
                sentiments[index] = sentiment * 1.5;
            }
        }
    }

    private static VaderScores ScoreValence(List<double> sentiments, string text)
    {
        if (sentiments.Count == 0)
        {
            return default;
        }

        var sum = sentiments.Sum();
        var emphasis = PunctuationEmphasis(text);
        if (sum > 0)
        {
            sum += emphasis;
        }
        else if (sum < 0)
        {
            sum -= emphasis;
        }

        var compound = Math.Clamp(sum / Math.Sqrt((sum * sum) + 15), -1, 1);
        double positive = 0, negative = 0;
        var neutral = 0;
        foreach (var s in sentiments)
        {
            if (s > 0)
            {
                positive += s + 1;
            }

            if (s < 0)
            {
                negative += s - 1;
            }

            if (s == 0)
            {
                neutral++;
            }
        }

        if (positive > Math.Abs(negative))
        {
            positive += emphasis;
        }
        else if (positive < Math.Abs(negative))
        {
            negative -= emphasis;
        }

        var total = positive + Math.Abs(negative) + neutral;
        return new VaderScores(
            Math.Round(Math.Abs(negative / total), 3),
            Math.Round(Math.Abs(neutral / total), 3),
            Math.Round(Math.Abs(positive / total), 3),
            Math.Round(compound, 4));
    }

    private static double PunctuationEmphasis(string text)
    {
        var exclamations = Math.Min(text.Count(c => c == '!'), 4);
        var questions = text.Count(c => c == '?');
        var questionEmphasis = questions > 1 ? (questions <= 3 ? questions * 0.18 : 0.96) : 0;
        return (exclamations * 0.292) + questionEmphasis;
    }

    /// <summary>Whitespace-separated tokens of two or more characters, leading and trailing punctuation stripped unless that leaves two characters or fewer (an emoticon).</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var token in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var stripped = token.Trim(Punctuation.ToCharArray());
            var word = stripped.Length <= 2 ? token : stripped;

            // Single characters ("a", "I") are dropped, as in the release that produced the published scores.
            if (word.Length > 1)
            {
                words.Add(word);
            }
        }

        return words;
    }

    /// <summary>Whether some but not all words are in capitals.</summary>
    private static bool CapsDiffer(List<string> words)
    {
        var upper = words.Count(IsUpper);
        var difference = words.Count - upper;
        return difference > 0 && difference < words.Count;
    }

    /// <summary>Python's <c>str.isupper</c>: at least one cased character, and no lower-case one.</summary>
    private static bool IsUpper(string word)
    {
        var cased = false;
        foreach (var c in word)
        {
            if (char.IsLower(c))
            {
                return false;
            }

            if (char.IsUpper(c))
            {
                cased = true;
            }
        }

        return cased;
    }

    private static string Lower(string word) => word.ToLowerInvariant();

    private static string At(List<string> words, int index) => words[((index % words.Count) + words.Count) % words.Count];

    private static Dictionary<string, double> BuildBoosters()
    {
        var boosters = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var word in "absolutely amazingly awfully completely considerable considerably decidedly deeply effing enormous enormously entirely especially exceptional exceptionally extreme extremely fabulously flipping flippin frackin fracking fricking frickin frigging friggin fully fuckin fucking fuggin fugging greatly hella highly hugely incredible incredibly intensely major majorly more most particularly purely quite really remarkably so substantially thoroughly total totally tremendous tremendously uber unbelievably unusually utter utterly very".Split(' '))
        {
            boosters[word] = BoostIncrement;
        }

        foreach (var word in "almost|barely|hardly|just enough|kind of|kinda|kindof|kind-of|less|little|marginal|marginally|occasional|occasionally|partly|scarce|scarcely|slight|slightly|somewhat|sort of|sorta|sortof|sort-of".Split('|'))
        {
            boosters[word] = BoostDecrement;
        }

        return boosters;
    }

    private static Dictionary<string, double> LoadLexicon()
    {
        var lexicon = new Dictionary<string, double>(8_000, StringComparer.Ordinal);
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Mindspace.Grains.Journal.Sentiment.vader_lexicon.txt")
            ?? throw new InvalidOperationException("The VADER lexicon is missing from Mindspace.Grains.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split('\t');
            if (parts.Length >= 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var valence))
            {
                // Later lines win, as in the reference's dictionary.
                lexicon[parts[0]] = valence;
            }
        }

        return lexicon;
    }
}
