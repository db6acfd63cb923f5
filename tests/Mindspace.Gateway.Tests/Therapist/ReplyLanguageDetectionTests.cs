using Mindspace.Gateway.Tests.Safety;
using Mindspace.Grains.Interfaces.Safety;
using Xunit.Abstractions;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>
/// The companion answers in the language of the message: the detector, measured on the classifier's own
/// labelled lines (tests/…/Safety/safety-*.tsv), whose language categories name the languages it reads.
/// </summary>
public sealed class ReplyLanguageDetectionTests(ITestOutputHelper output)
{
    private static readonly string[] EnglishCategories = ["direct", "plan", "act", "goodbye", "method", "selfharm", "passive", "hopeless", "violence", "fear"];

    private static IEnumerable<LabelledText> AllLines()
        => SafetyEvaluation.Load(SafetyEvaluation.DevelopmentSet).Concat(SafetyEvaluation.Load(SafetyEvaluation.HeldOutSet));

    [Fact]
    public void Every_language_the_evaluation_set_holds_is_one_the_classifier_declares()
    {
        // A category that is a two-letter code is a language; a new one must be declared (and then needs replies).
        var languages = AllLines().Select(l => l.Category).Where(c => c.Length == 2).Distinct(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(languages);
        foreach (var language in languages)
        {
            Assert.Contains(language, SafetyLanguages.Supported);
        }

        foreach (var language in SafetyLanguages.Supported.Where(l => l != SafetyLanguages.English))
        {
            Assert.Contains(language, languages);
        }
    }

    [Fact]
    public void Lines_in_each_language_of_the_evaluation_set_are_detected_as_that_language()
    {
        var lines = AllLines()
            .Select(l => (Line: l, Expected: l.Category.Length == 2 ? l.Category : EnglishCategories.Contains(l.Category) ? SafetyLanguages.English : null))
            .Where(l => l.Expected is not null)
            .ToList();
        var misses = lines.Where(l => SafetyLanguages.Detect(l.Line.Text) != l.Expected).ToList();
        foreach (var (line, expected) in misses)
        {
            output.WriteLine($"{expected} → {SafetyLanguages.Detect(line.Text) ?? "(none)"}: {line.Text}");
        }

        foreach (var group in lines.GroupBy(l => l.Expected))
        {
            var right = group.Count(l => SafetyLanguages.Detect(l.Line.Text) == l.Expected);
            output.WriteLine($"{group.Key}: {right}/{group.Count()}");
            Assert.True(right == group.Count(), $"{group.Key}: {right} of {group.Count()} detected");
        }
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("70", null)]
    [InlineData("🙂", null)]
    [InlineData("I feel so anxious about work today", "en")]
    [InlineData("Me siento muy sola y no sé qué hacer", "es")]
    [InlineData("Je suis tellement stressée par le travail", "fr")]
    [InlineData("Ich fühle mich heute so allein", "de")]
    [InlineData("Estou muito ansiosa com o trabalho", "pt")]
    [InlineData("aaj main bahut udaas hoon yaar", "hi")]
    public void Short_messages_are_detected_or_left_undecided(string text, string? expected)
        => Assert.Equal(expected, SafetyLanguages.Detect(text));
}
