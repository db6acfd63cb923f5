namespace Mindspace.Grains.Interfaces.Safety;

/// <summary>
/// Grades texts longer than the classifier reads at once (a journal entry holds up to 50,000
/// characters plus a thought record): each part is cut at paragraph or sentence ends into pieces
/// the classifier reads whole, and the highest level wins. Nothing is kept or logged.
/// </summary>
public static class LongTextSafety
{
    /// <summary>The highest level any piece of any part shows, with the signals of every piece at that level or above, in order.</summary>
    public static SafetyAssessment Assess(IEnumerable<string?> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var assessments = new List<SafetyAssessment>();
        foreach (var part in parts)
        {
            foreach (var piece in Pieces(part))
            {
                assessments.Add(SafetyClassifier.Assess(piece));
            }
        }

        if (assessments.Count == 0)
        {
            return SafetyAssessment.Safe;
        }

        var level = assessments.Max(a => a.Level);
        if (level == RiskLevel.None)
        {
            return SafetyAssessment.Safe;
        }

        var signals = assessments.Where(a => a.Level == level).SelectMany(a => a.Signals).Distinct(StringComparer.Ordinal).ToList();
        return new SafetyAssessment(level, signals);
    }

    /// <summary>Pieces of at most <see cref="SafetyText.MaxLength"/> characters, cut after a line break or sentence end where there is one.</summary>
    public static IEnumerable<string> Pieces(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            yield break;
        }

        var start = 0;
        while (text.Length - start > SafetyText.MaxLength)
        {
            var window = text.AsSpan(start, SafetyText.MaxLength);
            var cut = window.LastIndexOf('\n');
            if (cut < SafetyText.MaxLength / 2)
            {
                cut = window.LastIndexOfAny(".!?");
            }

            var length = cut < SafetyText.MaxLength / 2 ? SafetyText.MaxLength : cut + 1;
            yield return text.Substring(start, length);
            start += length;
        }

        yield return text[start..];
    }
}
