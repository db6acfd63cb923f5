using System.Text;

namespace Mindspace.Grains.Interfaces.Safety;

/// <summary>
/// Hindi written in Devanagari, read as the Latin spellings people use for it in chat ("Hinglish"),
/// so the Hindi rules written for "main marna chahta hoon" also read "मैं मरना चाहता हूँ".
/// </summary>
/// <remarks>
/// A transliteration for matching, not for display: long and short vowels fold together (ा → a,
/// ी → i, ू → u, as chat spells "chahta", "jina", "dunga"; a word-initial आ stays "aa" for "aaj"),
/// nukta letters become their Urdu sounds (ज़ → z, फ़ → f), anusvara and chandrabindu become n, a
/// virama joins consonants, and the inherent schwa is dropped at the end of a word and between a
/// vowel-consonant and a consonant-vowel ("मरना" → "marna", not "marana"), after the usual rule of
/// Hindi schwa deletion. The danda ends a sentence; Devanagari digits become 0-9.
/// </remarks>
public static partial class SafetyText
{
    private static readonly Dictionary<char, string> Consonants = new()
    {
        ['क'] = "k",
        ['ख'] = "kh",
        ['ग'] = "g",
        ['घ'] = "gh",
        ['ङ'] = "n",
        ['च'] = "ch",
        ['छ'] = "chh",
        ['ज'] = "j",
        ['झ'] = "jh",
        ['ञ'] = "n",
        ['ट'] = "t",
        ['ठ'] = "th",
        ['ड'] = "d",
        ['ढ'] = "dh",
        ['ण'] = "n",
        ['त'] = "t",
        ['थ'] = "th",
        ['द'] = "d",
        ['ध'] = "dh",
        ['न'] = "n",
        ['ऩ'] = "n",
        ['प'] = "p",
        ['फ'] = "ph",
        ['ब'] = "b",
        ['भ'] = "bh",
        ['म'] = "m",
        ['य'] = "y",
        ['र'] = "r",
        ['ऱ'] = "r",
        ['ल'] = "l",
        ['ळ'] = "l",
        ['ऴ'] = "l",
        ['व'] = "v",
        ['श'] = "sh",
        ['ष'] = "sh",
        ['स'] = "s",
        ['ह'] = "h",

        // Precomposed nukta letters.
        ['\u0958'] = "k",
        ['\u0959'] = "kh",
        ['\u095A'] = "g",
        ['\u095B'] = "z",
        ['\u095C'] = "d",
        ['\u095D'] = "dh",
        ['\u095E'] = "f",
        ['\u095F'] = "y",
    };

    /// <summary>A consonant followed by the nukta sign (U+093C).</summary>
    private static readonly Dictionary<char, string> WithNukta = new()
    {
        ['क'] = "k",
        ['ख'] = "kh",
        ['ग'] = "g",
        ['ज'] = "z",
        ['ड'] = "d",
        ['ढ'] = "dh",
        ['फ'] = "f",
        ['य'] = "y",
    };

    private static readonly Dictionary<char, string> IndependentVowels = new()
    {
        ['अ'] = "a",
        ['आ'] = "aa",
        ['इ'] = "i",
        ['ई'] = "i",
        ['उ'] = "u",
        ['ऊ'] = "u",
        ['ऋ'] = "ri",
        ['ॠ'] = "ri",
        ['ए'] = "e",
        ['ऐ'] = "ai",
        ['ऍ'] = "e",
        ['ऎ'] = "e",
        ['ओ'] = "o",
        ['औ'] = "au",
        ['ऑ'] = "o",
        ['ऒ'] = "o",
    };

    /// <summary>Vowel signs (matras).</summary>
    private static readonly Dictionary<char, string> Matras = new()
    {
        ['\u093E'] = "a",
        ['\u093F'] = "i",
        ['\u0940'] = "i",
        ['\u0941'] = "u",
        ['\u0942'] = "u",
        ['\u0943'] = "ri",
        ['\u0944'] = "ri",
        ['\u0945'] = "e",
        ['\u0946'] = "e",
        ['\u0947'] = "e",
        ['\u0948'] = "ai",
        ['\u0949'] = "o",
        ['\u094A'] = "o",
        ['\u094B'] = "o",
        ['\u094C'] = "au",
        ['\u0962'] = "li",
        ['\u0963'] = "li",
    };

    private const char Virama = '\u094D';
    private const char Nukta = '\u093C';

    /// <summary>The text with every Devanagari word spelled in Latin letters; anything else as it was.</summary>
    public static string TransliterateDevanagari(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\u0900', '\u097F'))
        {
            return text;
        }

        var output = new StringBuilder(text.Length * 2);
        var i = 0;
        while (i < text.Length)
        {
            if (IsDevanagariLetter(text[i]))
            {
                var start = i;
                while (i < text.Length && IsDevanagariLetter(text[i]))
                {
                    i++;
                }

                AppendWord(text.AsSpan(start, i - start), output);
                continue;
            }

            var c = text[i];
            output.Append(c switch
            {
                '\u0964' or '\u0965' => '.',
                >= '\u0966' and <= '\u096F' => (char)('0' + (c - '\u0966')),
                _ => c,
            });
            i++;
        }

        return output.ToString();
    }

    private static bool IsDevanagariLetter(char c) => c is (>= '\u0900' and <= '\u0963') or (>= '\u0971' and <= '\u097F');

    private static void AppendWord(ReadOnlySpan<char> word, StringBuilder output)
    {
        var units = new List<Syllable>();
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            if (Consonants.TryGetValue(c, out var consonant))
            {
                if (i + 1 < word.Length && word[i + 1] == Nukta)
                {
                    consonant = WithNukta.GetValueOrDefault(c, consonant);
                    i++;
                }

                var unit = new Syllable { Consonant = consonant, Vowel = "a", Inherent = true };
                if (i + 1 < word.Length && word[i + 1] == Virama)
                {
                    unit.Vowel = string.Empty;
                    unit.Inherent = false;
                    i++;
                }
                else if (i + 1 < word.Length && Matras.TryGetValue(word[i + 1], out var matra))
                {
                    unit.Vowel = matra;
                    unit.Inherent = false;
                    i++;
                }

                units.Add(unit);
            }
            else if (IndependentVowels.TryGetValue(c, out var vowel))
            {
                units.Add(new Syllable { Vowel = vowel });
            }
            else if (c is '\u0900' or '\u0901' or '\u0902')
            {
                // Chandrabindu and anusvara: a nasal after the vowel ("हूँ" → "hun", "मैं" → "main").
                if (units.Count == 0)
                {
                    units.Add(new Syllable());
                }

                units[^1].Coda += "n";
            }
            else if (c == '\u0903' && units.Count > 0)
            {
                units[^1].Coda += "h";
            }
            else if (Matras.TryGetValue(c, out var stray))
            {
                units.Add(new Syllable { Vowel = stray });
            }
        }

        // Schwa deletion: the inherent "a" goes at the end of a word of more than one syllable…
        if (units.Count > 1 && units[^1].Inherent && units[^1].Coda.Length == 0)
        {
            units[^1].Vowel = string.Empty;
        }

        // …and, from the right, between an open syllable and a consonant with its vowel (VC_CV).
        for (var k = units.Count - 2; k >= 1; k--)
        {
            var unit = units[k];
            var previous = units[k - 1];
            var next = units[k + 1];
            if (unit.Inherent && unit.Coda.Length == 0
                && previous.Vowel.Length > 0 && previous.Coda.Length == 0
                && next.Consonant.Length > 0 && next.Vowel.Length > 0)
            {
                unit.Vowel = string.Empty;
            }
        }

        foreach (var unit in units)
        {
            // "में", "रहें": a nasal e is spelled "ein" in chat ("mein"), as "हैं" is "hain".
            output.Append(unit.Consonant).Append(unit.Vowel == "e" && unit.Coda == "n" ? "ei" : unit.Vowel).Append(unit.Coda);
        }
    }

    private sealed class Syllable
    {
        public string Consonant { get; init; } = string.Empty;

        public string Vowel { get; set; } = string.Empty;

        /// <summary>Whether <see cref="Vowel"/> is the consonant's inherent schwa (no matra, no virama).</summary>
        public bool Inherent { get; set; }

        public string Coda { get; set; } = string.Empty;
    }
}
