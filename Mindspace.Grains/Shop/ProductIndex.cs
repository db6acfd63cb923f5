using System.Globalization;
using System.Text;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Grains.Shop;

/// <summary>
/// The catalogue's full-text index, in memory: each product's words with a weight per field (name
/// above tags and category above description). A query matches a product when every query word
/// is one of its words or the start of one; the score sums, per query word, the best field weight
/// times the word's rarity (inverse document frequency), so a rare word in a name ranks first.
/// </summary>
public sealed class ProductIndex
{
    private const double NameWeight = 3;
    private const double TagWeight = 2;
    private const double CategoryWeight = 2;
    private const double DescriptionWeight = 1;
    private const double PrefixFactor = 0.6;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "the", "for", "of", "with", "to", "in", "on", "or", "by", "your", "you", "is", "it",
    };

    private readonly Dictionary<Guid, Dictionary<string, double>> _words = [];
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);

    public void Put(Guid id, string name, string description, string category, IEnumerable<string> tags)
    {
        Remove(id);
        var words = new Dictionary<string, double>(StringComparer.Ordinal);
        Add(words, name, NameWeight);
        Add(words, category.Replace('-', ' '), CategoryWeight);
        foreach (var tag in tags)
        {
            Add(words, tag.Replace('-', ' '), TagWeight);
        }

        Add(words, description, DescriptionWeight);
        _words[id] = words;
        foreach (var word in words.Keys)
        {
            _documentFrequency[word] = _documentFrequency.GetValueOrDefault(word) + 1;
        }
    }

    public void Remove(Guid id)
    {
        if (!_words.Remove(id, out var old))
        {
            return;
        }

        foreach (var word in old.Keys)
        {
            if (--_documentFrequency[word] == 0)
            {
                _documentFrequency.Remove(word);
            }
        }
    }

    /// <summary>The query's words as the index keeps them (an empty list matches everything).</summary>
    public static IReadOnlyList<string> Terms(string? query) => query is null ? [] : Words(query).Distinct().ToList();

    /// <returns>The product's score for <paramref name="terms"/>, or null when it does not match them all.</returns>
    public double? Score(Guid id, IReadOnlyList<string> terms)
    {
        if (terms.Count == 0)
        {
            return 0;
        }

        if (!_words.TryGetValue(id, out var words))
        {
            return null;
        }

        var total = 0.0;
        var documents = Math.Max(1, _words.Count);
        foreach (var term in terms)
        {
            var best = 0.0;
            var frequency = 1;
            if (words.TryGetValue(term, out var exact))
            {
                best = exact;
                frequency = _documentFrequency.GetValueOrDefault(term, 1);
            }
            else if (term.Length >= 2)
            {
                foreach (var (word, weight) in words)
                {
                    if (word.StartsWith(term, StringComparison.Ordinal) && weight * PrefixFactor > best)
                    {
                        best = weight * PrefixFactor;
                        frequency = _documentFrequency.GetValueOrDefault(word, 1);
                    }
                }
            }

            if (best == 0)
            {
                return null;
            }

            total += best * Math.Log(1 + ((double)documents / frequency));
        }

        return Math.Round(total, 6);
    }

    private static void Add(Dictionary<string, double> words, string text, double weight)
    {
        foreach (var word in Words(text))
        {
            // A word repeated in one field counts a little more, with diminishing returns.
            words[word] = words.TryGetValue(word, out var existing) ? Math.Max(existing, weight) + (0.1 * weight) : weight;
        }
    }

    /// <summary>Lower-case words without accents or stop words; a plural "s" is dropped so "cushions" finds "cushion".</summary>
    private static IEnumerable<string> Words(string text)
    {
        var folded = Fold(text);
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var isWordChar = i < folded.Length && char.IsLetterOrDigit(folded[i]);
            if (isWordChar && start < 0)
            {
                start = i;
            }
            else if (!isWordChar && start >= 0)
            {
                var word = folded[start..i];
                start = -1;
                if (StopWords.Contains(word))
                {
                    continue;
                }

                yield return Stem(word);
            }
        }
    }

    private static string Stem(string word)
        => word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1] : word;

    private static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }
}
