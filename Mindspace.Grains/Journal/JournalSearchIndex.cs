using System.Globalization;
using System.Text;

namespace Mindspace.Grains.Journal;

/// <summary>
/// One user's journal as a small inverted index in memory, ranked with Okapi BM25 (k1 1.2, b 0.75).
/// Words are folded (lower case, accents removed: "café" finds "cafe"); each query word also
/// matches words it begins ("run" finds "running") at a slightly lower weight than an exact match.
/// </summary>
/// <remarks>
/// Our own rather than Lucene.Net: the index is one person's journal (thousands of documents, not
/// millions), it must never touch disk and it lives inside a grain activation, so a dictionary of
/// postings is all that is needed — no analyzer chain, segment merging or RAM directory to size.
/// Postings hold record keys and term counts only, never text; snippets are cut from the few
/// entries a page shows, decrypted when asked for.
/// </remarks>
internal sealed class JournalSearchIndex
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const double PrefixWeight = 0.8;
    private const int MinPrefixLength = 2;
    private const int MaxPrefixExpansions = 64;
    private const int MaxTermLength = 64;
    private const int SnippetLength = 180;

    private static readonly Comparer<(double Score, string Key)> WorstFirst =
        Comparer<(double Score, string Key)>.Create((a, b) => a.Score != b.Score ? a.Score.CompareTo(b.Score) : string.CompareOrdinal(a.Key, b.Key));

    private readonly Dictionary<string, List<Posting>> _postings = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _terms = new(StringComparer.Ordinal);

    /// <summary>Documents by number (postings hold numbers, so scoring works on arrays); a removed one's number is reused.</summary>
    private readonly List<Document?> _documents = [];
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly Stack<int> _freeNumbers = new();
    private long _totalLength;

    public int Count => _numbers.Count;

    /// <summary>Indexes (or re-indexes) a document.</summary>
    public void Put(string key, string text)
    {
        Remove(key);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var length = 0;
        foreach (var token in Tokens(text))
        {
            counts[token.Term] = counts.GetValueOrDefault(token.Term) + 1;
            length++;
        }

        var number = _freeNumbers.Count > 0 ? _freeNumbers.Pop() : _documents.Count;
        foreach (var (term, count) in counts)
        {
            if (!_postings.TryGetValue(term, out var list))
            {
                _postings[term] = list = [];
                _terms.Add(term);
            }

            list.Add(new Posting(number, count));
        }

        var document = new Document(key, [.. counts.Keys], length);
        if (number == _documents.Count)
        {
            _documents.Add(document);
        }
        else
        {
            _documents[number] = document;
        }

        _numbers[key] = number;
        _totalLength += length;
    }

    public void Remove(string key)
    {
        if (!_numbers.Remove(key, out var number))
        {
            return;
        }

        var document = _documents[number]!;
        _documents[number] = null;
        _freeNumbers.Push(number);
        _totalLength -= document.Length;
        foreach (var term in document.Terms)
        {
            var list = _postings[term];
            list.RemoveAll(p => p.Document == number);
            if (list.Count == 0)
            {
                _postings.Remove(term);
                _terms.Remove(term);
            }
        }
    }

    /// <summary>How many documents match, and the page [offset, offset + limit) of them, best first (ties: newest key first).</summary>
    public (int Total, List<(string Key, double Score)> Page) Search(string query, int offset, int limit)
    {
        if (_numbers.Count == 0)
        {
            return (0, []);
        }

        var scores = new double[_documents.Count];
        var best = new double[_documents.Count];
        var touched = new List<int>();
        var averageLength = Math.Max(1.0, (double)_totalLength / _numbers.Count);
        foreach (var queryTerm in QueryTerms(query))
        {
            // Per document the best of the exact term and the words it begins.
            touched.Clear();
            foreach (var (term, weight) in Expand(queryTerm))
            {
                var postings = _postings[term];
                var idf = Math.Log(1 + ((_numbers.Count - postings.Count + 0.5) / (postings.Count + 0.5)));
                foreach (var posting in postings)
                {
                    var length = _documents[posting.Document]!.Length;
                    var tf = posting.Count;
                    var score = weight * idf * (tf * (K1 + 1)) / (tf + (K1 * (1 - B + (B * length / averageLength))));
                    if (best[posting.Document] == 0)
                    {
                        touched.Add(posting.Document);
                    }

                    best[posting.Document] = Math.Max(best[posting.Document], score);
                }
            }

            foreach (var number in touched)
            {
                scores[number] += best[number];
                best[number] = 0;
            }
        }

        // The best offset + limit, kept in a heap whose top is the worst of them.
        var keep = offset + limit;
        var heap = new PriorityQueue<int, (double Score, string Key)>(WorstFirst);
        var total = 0;
        for (var number = 0; number < scores.Length; number++)
        {
            if (scores[number] <= 0)
            {
                continue;
            }

            total++;
            var priority = (Math.Round(scores[number], 4), _documents[number]!.Key);
            if (heap.Count < keep)
            {
                heap.Enqueue(number, priority);
            }
            else if (heap.TryPeek(out _, out var worst) && WorstFirst.Compare(priority, worst) > 0)
            {
                heap.DequeueEnqueue(number, priority);
            }
        }

        var ranked = new List<(string Key, double Score)>(heap.Count);
        while (heap.TryDequeue(out _, out var priority))
        {
            ranked.Add((priority.Key, priority.Score));
        }

        ranked.Reverse();
        return (total, ranked.Skip(offset).ToList());
    }

    /// <summary>
    /// The stretch of <paramref name="text"/> with the most matches of <paramref name="query"/>,
    /// HTML-escaped, matches in <c>&lt;mark&gt;</c>, line breaks as spaces, "…" where it was cut.
    /// </summary>
    public static string Snippet(string text, string query)
    {
        var queryTerms = QueryTerms(query).ToList();
        var matches = Tokens(text).Where(t => queryTerms.Any(q => Matches(t.Term, q))).ToList();
        int start;
        if (matches.Count == 0)
        {
            start = 0;
        }
        else
        {
            var bestCount = -1;
            start = 0;
            var j = 0;
            for (var i = 0; i < matches.Count; i++)
            {
                j = Math.Max(j, i);
                while (j < matches.Count && matches[j].End <= matches[i].Start + SnippetLength)
                {
                    j++;
                }

                var count = j - i;
                if (count > bestCount)
                {
                    bestCount = count;
                    start = matches[i].Start;
                }
            }

            // Some words of context before the first match, starting at a word.
            var contextStart = Math.Max(0, start - 40);
            var space = text.IndexOf(' ', contextStart, start - contextStart);
            start = contextStart == 0 ? 0 : space >= 0 ? space + 1 : start;
        }

        var end = Math.Min(text.Length, start + SnippetLength);
        if (end < text.Length && text.LastIndexOf(' ', end - 1, end - start) is var lastSpace and > 0 && lastSpace > start)
        {
            end = lastSpace;
        }

        var snippet = new StringBuilder();
        if (start > 0)
        {
            snippet.Append('…');
        }

        var position = start;
        foreach (var match in matches.Where(m => m.Start >= start && m.End <= end))
        {
            snippet.Append(Escape(text[position..match.Start])).Append("<mark>").Append(Escape(text[match.Start..match.End])).Append("</mark>");
            position = match.End;
        }

        snippet.Append(Escape(text[position..end]));
        if (end < text.Length)
        {
            snippet.Append('…');
        }

        return snippet.ToString();
    }

    /// <summary>The folded words of a query, distinct, in order.</summary>
    public static IEnumerable<string> QueryTerms(string query) => Tokens(query).Select(t => t.Term).Distinct(StringComparer.Ordinal);

    /// <summary>Words of a text with where they are: runs of letters, digits and combining marks, folded.</summary>
    public static IEnumerable<Token> Tokens(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (!IsWordChar(text, i))
            {
                i += char.IsSurrogatePair(text, i) ? 2 : 1;
                continue;
            }

            var start = i;
            while (i < text.Length && IsWordChar(text, i))
            {
                i += char.IsSurrogatePair(text, i) ? 2 : 1;
            }

            var term = Fold(text.AsSpan(start, i - start));
            if (term.Length is > 0 and <= MaxTermLength)
            {
                yield return new Token(term, start, i);
            }
        }
    }

    /// <summary>Lower case (invariant), accents and other combining marks removed, a few letters spelled out (ß → ss).</summary>
    public static string Fold(ReadOnlySpan<char> word)
    {
        // Most words are ASCII: lower-casing is all they need (Unicode normalisation goes through ICU, which costs microseconds a word).
        if (System.Text.Ascii.IsValid(word))
        {
            return string.Create(word.Length, word, static (span, source) => System.Text.Ascii.ToLower(source, span, out _));
        }

        var decomposed = word.ToString().Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            folded.Append(lower switch
            {
                'ß' => "ss",
                'æ' => "ae",
                'œ' => "oe",
                'ø' => "o",
                'ł' => "l",
                'đ' => "d",
                'ı' => "i",
                'þ' => "th",
                _ => lower.ToString(),
            });
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    private static bool Matches(string term, string queryTerm)
        => term == queryTerm || (queryTerm.Length >= MinPrefixLength && term.StartsWith(queryTerm, StringComparison.Ordinal));

    private IEnumerable<(string Term, double Weight)> Expand(string queryTerm)
    {
        if (_postings.ContainsKey(queryTerm))
        {
            yield return (queryTerm, 1.0);
        }

        if (queryTerm.Length < MinPrefixLength)
        {
            yield break;
        }

        var expansions = 0;
        foreach (var term in _terms.GetViewBetween(queryTerm, queryTerm + char.MaxValue))
        {
            if (term != queryTerm && term.StartsWith(queryTerm, StringComparison.Ordinal))
            {
                yield return (term, PrefixWeight);
                if (++expansions >= MaxPrefixExpansions)
                {
                    yield break;
                }
            }
        }
    }

    private static bool IsWordChar(string text, int i)
    {
        var category = CharUnicodeInfo.GetUnicodeCategory(text, i);
        return category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
    }

    /// <summary>Escapes the five characters that matter in HTML text and attributes; everything else stays readable.</summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                '\r' or '\n' or '\t' => " ",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }

    public readonly record struct Token(string Term, int Start, int End);

    private readonly record struct Posting(int Document, int Count);

    private sealed record Document(string Key, string[] Terms, int Length);
}
