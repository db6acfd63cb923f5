using System.Text.RegularExpressions;

namespace Mindspace.Grains.Interfaces.Safety;

/// <summary>
/// Grades text for risk to the writer and danger from others, without any model: the same answer
/// for the same text, in microseconds, on every node. The therapist grades every message and every
/// model reply with it; the journal and community use it for entries and posts.
/// </summary>
/// <remarks>
/// <para>
/// How it reads: the text is normalised (<see cref="SafetyText"/>); idioms and hyperbole ("this
/// homework is killing me", "me muero de hambre") are blanked first so they can match nothing; then
/// every rule is matched sentence by sentence and each match is read in its clause: words that deny
/// it just before ("I would never…"), a past that is not recent ("years ago", "I used to"), quoted or
/// reported speech, a film, book, song or the news, someone else as the subject, a time that turns an
/// intent imminent ("tonight"), laughter that marks a likely joke. The highest level found wins.
/// </para>
/// <para>
/// It errs towards asking: a joke about killing oneself still comes out as a concern, so the
/// companion checks in gently rather than ignoring it. It is a screening aid, not a diagnosis; its
/// measured recall and false-positive rates are in docs/safety.md.
/// </para>
/// </remarks>
public static partial class SafetyClassifier
{
    /// <summary>Grades <paramref name="text"/> (any length; only the first <see cref="SafetyText.MaxLength"/> characters are read).</summary>
    public static SafetyAssessment Assess(string? text)
    {
        var normalized = SafetyText.Normalize(text);
        if (normalized.Length == 0)
        {
            return SafetyAssessment.Safe;
        }

        var result = new Findings();
        var working = normalized.ToCharArray();
        Consume(SafetyRules.Idioms, working, result);
        Consume(SafetyRules.Reframes, working, result);
        var remaining = new string(working);

        foreach (var sentence in Sentences().EnumerateMatches(remaining))
        {
            var sentenceText = remaining.Substring(sentence.Index, sentence.Length);
            if (sentenceText.Trim().Length == 0)
            {
                continue;
            }

            var fiction = SafetyRules.Fiction.IsMatch(sentenceText);
            var reported = SafetyRules.Reporting.IsMatch(sentenceText);
            foreach (var rule in SafetyRules.Rules)
            {
                foreach (Match match in rule.Pattern.Matches(sentenceText))
                {
                    Read(rule, match, sentenceText, fiction, reported, result);
                }
            }
        }

        return new SafetyAssessment(result.Level, result.Signals);
    }

    private static void Consume(SafetyRule[] rules, char[] working, Findings result)
    {
        foreach (var rule in rules)
        {
            foreach (Match match in rule.Pattern.Matches(new string(working)))
            {
                Array.Fill(working, '~', match.Index, match.Length);
                result.Add(rule.Level, rule.Signal);
            }
        }
    }

    private static void Read(SafetyRule rule, Match match, string sentence, bool fiction, bool reported, Findings result)
    {
        var (clauseStart, clauseEnd) = ClauseAround(sentence, match.Index);
        var clause = sentence[clauseStart..Math.Max(clauseEnd, Math.Min(sentence.Length, match.Index + match.Length))];
        var before = sentence[clauseStart..match.Index];

        if (rule.Kind.HasFlag(RuleKind.Other))
        {
            if (fiction)
            {
                result.Add(RiskLevel.None, SafetySignals.FictionOrNews);
            }
            else
            {
                result.Add(RiskLevel.Concern, SafetySignals.SomeoneElse);
            }

            return;
        }

        if (IsNegated(before))
        {
            result.Add(RiskLevel.None, SafetySignals.Negated);
            return;
        }

        if (InQuotes(sentence, match.Index) && (fiction || reported))
        {
            if (fiction)
            {
                result.Add(RiskLevel.None, SafetySignals.FictionOrNews);
            }
            else
            {
                result.Add(RiskLevel.Concern, SafetySignals.SomeoneElse);
            }

            return;
        }

        if (fiction && reported)
        {
            result.Add(RiskLevel.None, SafetySignals.FictionOrNews);
            return;
        }

        var level = rule.Level;
        var recent = SafetyRules.Recent.IsMatch(clause);
        var past = rule.Kind.HasFlag(RuleKind.PastTense) || SafetyRules.Past.IsMatch(clause);
        if (past && !recent)
        {
            if (rule.Kind.HasFlag(RuleKind.Violence))
            {
                result.Add(RiskLevel.Concern, rule.Signal);
                result.Add(RiskLevel.Concern, SafetySignals.History);
            }
            else
            {
                result.Add(RiskLevel.None, SafetySignals.History);
                result.Add(RiskLevel.None, rule.Signal);
            }

            return;
        }

        if (rule.Kind.HasFlag(RuleKind.Intent) && SafetyRules.Time.IsMatch(clause))
        {
            result.Add(RiskLevel.Imminent, rule.Signal);
            result.Add(RiskLevel.Imminent, SafetySignals.TimeGiven);
            return;
        }

        if (rule.Kind.HasFlag(RuleKind.Jokey) && SafetyRules.Laughter.IsMatch(clause))
        {
            result.Add(RiskLevel.Concern, rule.Signal);
            result.Add(RiskLevel.Concern, SafetySignals.PossibleJoke);
            return;
        }

        result.Add(level, rule.Signal);
    }

    /// <summary>Whether the last few words before a match (in its part of the clause) deny it.</summary>
    private static bool IsNegated(string before)
    {
        var cut = Joiners().Matches(before) is { Count: > 0 } joiners ? joiners[^1].Index + joiners[^1].Length : 0;
        var words = before[cut..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var window = string.Join(' ', words.Skip(Math.Max(0, words.Length - 5)));
        return SafetyRules.Negator.IsMatch(window);
    }

    private static bool InQuotes(string sentence, int index)
    {
        var quotes = 0;
        for (var i = 0; i < index; i++)
        {
            if (sentence[i] == '"')
            {
                quotes++;
            }
        }

        return quotes % 2 == 1;
    }

    /// <summary>The part of the sentence between contrasting joiners ("…, but…") that holds the match.</summary>
    private static (int Start, int End) ClauseAround(string sentence, int index)
    {
        var start = 0;
        var end = sentence.Length;
        foreach (Match contrast in Contrasts().Matches(sentence))
        {
            if (contrast.Index + contrast.Length <= index)
            {
                start = contrast.Index + contrast.Length;
            }
            else if (contrast.Index >= index)
            {
                end = contrast.Index;
                break;
            }
        }

        return (start, end);
    }

    [GeneratedRegex(@"[^.!?;\n]+")]
    private static partial Regex Sentences();

    [GeneratedRegex(@"\b(?:but|although|though|however|pero|aunque|mais|aber|mas|lekin|par|magar)\b")]
    private static partial Regex Contrasts();

    [GeneratedRegex(@",|~|\b(?:and|because|so|then|y|et|und|aur|porque|parce que|weil)\b")]
    private static partial Regex Joiners();

    private sealed class Findings
    {
        private readonly List<string> _signals = [];

        public RiskLevel Level { get; private set; }

        public IReadOnlyList<string> Signals => _signals;

        public void Add(RiskLevel level, string signal)
        {
            if (level > Level)
            {
                Level = level;
            }

            if (!_signals.Contains(signal))
            {
                _signals.Add(signal);
            }
        }
    }
}
