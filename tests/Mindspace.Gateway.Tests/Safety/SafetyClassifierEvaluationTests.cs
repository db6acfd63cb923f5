using Mindspace.Grains.Interfaces.Safety;
using Xunit.Abstractions;

namespace Mindspace.Gateway.Tests.Safety;

/// <summary>The targets of issue 11 on our own labelled set (tests/…/Safety/safety-eval.tsv; figures in docs/safety.md).</summary>
public sealed class SafetyClassifierEvaluationTests(ITestOutputHelper output)
{
    private static readonly SafetyEvaluation Evaluation = SafetyEvaluation.Run();

    [Fact]
    public void The_labelled_set_is_large_enough_to_mean_something()
    {
        var lines = SafetyEvaluation.Load();
        Assert.True(lines.Count >= 300, $"{lines.Count} lines");
        foreach (var level in Enum.GetValues<RiskLevel>())
        {
            Assert.True(lines.Count(l => l.Expected == level) >= 40, $"{level}: {lines.Count(l => l.Expected == level)} lines");
        }

        Assert.True(lines.Count(l => l.Category == "idiom") >= 40);
        var all = lines.Concat(SafetyEvaluation.Load(SafetyEvaluation.HeldOutSet)).ToList();
        Assert.Equal(all.Count, all.Select(l => l.Text).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Recall_of_high_and_imminent_is_at_least_95_percent()
    {
        output.WriteLine(Evaluation.Report());
        foreach (var miss in Evaluation.Disagreements())
        {
            output.WriteLine(miss);
        }

        Assert.True(Evaluation.Recall(RiskLevel.High) >= 0.95, Evaluation.Report());
        Assert.True(Evaluation.Recall(RiskLevel.Imminent) >= 0.95, Evaluation.Report());
    }

    [Fact]
    public void Idioms_and_hyperbole_are_flagged_at_most_5_percent_of_the_time()
        => Assert.True(Evaluation.FalsePositiveRate("idiom") <= 0.05, Evaluation.Report());

    [Fact]
    public void Concern_is_recalled_and_everyday_text_is_left_alone()
    {
        Assert.True(Evaluation.Recall(RiskLevel.Concern) >= 0.90, Evaluation.Report());
        Assert.True(Evaluation.FalsePositiveRate(RiskLevel.Concern) <= 0.10, Evaluation.Report());
        Assert.True(Evaluation.FalsePositiveRate("everyday") <= 0.05, Evaluation.Report());
    }

    [Fact]
    public void Each_held_out_batch_on_its_own_recalls_high_and_imminent_and_leaves_idioms_alone()
    {
        var batches = SafetyEvaluation.RunHeldOutBatches();
        Assert.True(batches.Count >= 4, $"{batches.Count} held-out batches");
        foreach (var (batch, evaluation) in batches)
        {
            output.WriteLine($"held-out batch {batch}");
            output.WriteLine(evaluation.Report());
            foreach (var miss in evaluation.Disagreements())
            {
                output.WriteLine(miss);
            }
        }

        foreach (var (batch, evaluation) in batches)
        {
            Assert.True(evaluation.Recall(RiskLevel.High) >= 0.95, $"batch {batch}: {evaluation.Report()}");
            Assert.True(evaluation.Recall(RiskLevel.Imminent) >= 0.95, $"batch {batch}: {evaluation.Report()}");
            Assert.True(evaluation.FalsePositiveRate("idiom") <= 0.05, $"batch {batch}: {evaluation.Report()}");
        }
    }
}
