using System.Globalization;
using Mindspace.Grains.Interfaces.Safety;

namespace Mindspace.Gateway.Tests.Safety;

/// <summary>One labelled line of <c>safety-eval.tsv</c> or <c>safety-heldout.tsv</c>.</summary>
/// <param name="Batch">In the held-out set, the batch the line was written in (1, 2, …); 0 in the development set.</param>
public sealed record LabelledText(RiskLevel Expected, string Category, string Text, int Batch = 0);

/// <summary>Recall and false-positive rate per level of the classifier on our labelled set.</summary>
public sealed class SafetyEvaluation
{
    /// <summary>The lines the rules were developed on.</summary>
    public const string DevelopmentSet = "safety-eval.tsv";

    /// <summary>Lines written after the rules, scored once before they informed any change (docs/safety.md).</summary>
    public const string HeldOutSet = "safety-heldout.tsv";

    private SafetyEvaluation(IReadOnlyList<(LabelledText Line, SafetyAssessment Got)> results) => Results = results;

    public IReadOnlyList<(LabelledText Line, SafetyAssessment Got)> Results { get; }

    public static IReadOnlyList<LabelledText> Load(string file = DevelopmentSet)
    {
        var lines = new List<LabelledText>();
        var batch = file == HeldOutSet ? 1 : 0;
        foreach (var raw in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Safety", file)))
        {
            if (raw.Length == 0 || raw.StartsWith('#'))
            {
                // "# Second batch (…)", "# Third batch (…)": each later batch opens with such a comment.
                if (batch > 0 && raw.Contains(" batch (", StringComparison.Ordinal))
                {
                    batch++;
                }

                continue;
            }

            var parts = raw.Split('\t');
            Assert.True(parts.Length == 3, $"Bad line: {raw}");
            var level = RiskLevels.Parse(parts[0]) ?? throw new InvalidDataException($"Unknown level in: {raw}");
            lines.Add(new LabelledText(level, parts[1], parts[2], batch));
        }

        return lines;
    }

    /// <summary>Grades every line of both sets.</summary>
    public static SafetyEvaluation Run() => Run(Load(DevelopmentSet).Concat(Load(HeldOutSet)));

    /// <summary>Grades the given lines.</summary>
    public static SafetyEvaluation Run(IEnumerable<LabelledText> lines) => new([.. lines.Select(line => (line, SafetyClassifier.Assess(line.Text)))]);

    /// <summary>Grades each held-out batch on its own, by batch number.</summary>
    public static IReadOnlyDictionary<int, SafetyEvaluation> RunHeldOutBatches()
        => Load(HeldOutSet).GroupBy(l => l.Batch).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => Run(g));

    /// <summary>Of the lines labelled <paramref name="level"/>, the share graded at that level or above.</summary>
    /// <remarks>"At or above" because a higher grade still brings the person the care the level asks for.</remarks>
    public double Recall(RiskLevel level)
    {
        var labelled = Results.Where(r => r.Line.Expected == level).ToList();
        return labelled.Count == 0 ? 1 : labelled.Count(r => r.Got.Level >= level) / (double)labelled.Count;
    }

    /// <summary>Of the lines labelled below <paramref name="level"/>, the share graded at that level or above.</summary>
    public double FalsePositiveRate(RiskLevel level)
    {
        var below = Results.Where(r => r.Line.Expected < level).ToList();
        return below.Count == 0 ? 0 : below.Count(r => r.Got.Level >= level) / (double)below.Count;
    }

    /// <summary>Share of lines in <paramref name="category"/> graded above their label.</summary>
    public double FalsePositiveRate(string category)
    {
        var lines = Results.Where(r => r.Line.Category == category).ToList();
        return lines.Count == 0 ? 0 : lines.Count(r => r.Got.Level > r.Line.Expected) / (double)lines.Count;
    }

    /// <summary>Share of lines graded exactly as labelled.</summary>
    public double ExactAgreement => Results.Count(r => r.Got.Level == r.Line.Expected) / (double)Results.Count;

    public int Count(RiskLevel level) => Results.Count(r => r.Line.Expected == level);

    public IEnumerable<string> Disagreements()
        => Results.Where(r => r.Got.Level != r.Line.Expected)
            .Select(r => $"{RiskLevels.Name(r.Line.Expected)} → {RiskLevels.Name(r.Got.Level)} [{r.Line.Category}] {r.Line.Text} ({string.Join(',', r.Got.Signals)})");

    public string Report()
    {
        var lines = new List<string> { "level\tlines\trecall\tfalse-positive rate" };
        foreach (var level in new[] { RiskLevel.Concern, RiskLevel.High, RiskLevel.Imminent })
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{RiskLevels.Name(level)}\t{Count(level)}\t{Recall(level):0.000}\t{FalsePositiveRate(level):0.000}"));
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"idiom false positives\t{Results.Count(r => r.Line.Category == "idiom")}\t{FalsePositiveRate("idiom"):0.000}"));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"exact agreement\t{Results.Count}\t{ExactAgreement:0.000}"));
        return string.Join(Environment.NewLine, lines);
    }
}
