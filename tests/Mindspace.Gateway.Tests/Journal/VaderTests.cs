using Mindspace.Grains.Journal;
using Mindspace.Grains.Journal.Sentiment;

namespace Mindspace.Gateway.Tests.Journal;

/// <summary>VADER against the example sentences and scores published with the reference implementation (vaderSentiment's README).</summary>
public sealed class VaderTests
{
    public static TheoryData<string, double, double, double, double> PublishedExamples => new()
    {
        { "VADER is smart, handsome, and funny.", 0.0, 0.254, 0.746, 0.8316 },
        { "VADER is smart, handsome, and funny!", 0.0, 0.248, 0.752, 0.8439 },
        { "VADER is very smart, handsome, and funny.", 0.0, 0.299, 0.701, 0.8545 },
        { "VADER is VERY SMART, handsome, and FUNNY.", 0.0, 0.246, 0.754, 0.9227 },
        { "VADER is VERY SMART, handsome, and FUNNY!!!", 0.0, 0.233, 0.767, 0.9342 },
        { "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", 0.0, 0.294, 0.706, 0.9469 },
        { "VADER is not smart, handsome, nor funny.", 0.646, 0.354, 0.0, -0.7424 },
        { "The book was good.", 0.0, 0.508, 0.492, 0.4404 },
        { "At least it isn't a horrible book.", 0.0, 0.637, 0.363, 0.431 },
        { "The book was only kind of good.", 0.0, 0.697, 0.303, 0.3832 },
        { "The plot was good, but the characters are uncompelling and the dialog is not great.", 0.327, 0.579, 0.094, -0.7042 },
        { "Today SUX!", 0.779, 0.221, 0.0, -0.5461 },
        { "Today only kinda sux! But I'll get by, lol", 0.127, 0.556, 0.317, 0.5249 },
        { "Make sure you :) or :D today!", 0.0, 0.294, 0.706, 0.8633 },
        { "Not bad at all", 0.0, 0.513, 0.487, 0.431 },
    };

    [Theory]
    [MemberData(nameof(PublishedExamples))]
    public void Published_examples_score_as_published(string sentence, double negative, double neutral, double positive, double compound)
    {
        var scores = Vader.Score(sentence);
        Assert.Equal(compound, scores.Compound);
        Assert.Equal(negative, scores.Negative);
        Assert.Equal(neutral, scores.Neutral);
        Assert.Equal(positive, scores.Positive);
    }

    [Fact]
    public void Text_without_words_scores_zero()
    {
        Assert.Equal(0, Vader.Compound(""));
        Assert.Equal(0, Vader.Compound("  ...  \n\n"));
        Assert.Equal(default, Vader.Score(""));
    }

    [Fact]
    public void A_longer_text_is_the_mean_of_its_sentences()
    {
        var first = Vader.Score("The book was good.").Compound;
        var second = Vader.Score("Today SUX!").Compound;
        Assert.Equal(Math.Round((first + second) / 2, 4), Vader.Compound("The book was good.\nToday SUX!"));
    }

    [Theory]
    [InlineData(-0.9, 1)]
    [InlineData(-0.2, 2)]
    [InlineData(0.0, 3)]
    [InlineData(0.3, 4)]
    [InlineData(0.8, 5)]
    public void Compound_maps_to_a_suggested_mood(double compound, int mood) => Assert.Equal(mood, JournalGrain.MoodOf(compound));
}
