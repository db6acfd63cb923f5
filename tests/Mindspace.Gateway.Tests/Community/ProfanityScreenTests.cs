using Mindspace.Grains.Interfaces.Community;

namespace Mindspace.Gateway.Tests.Community;

public sealed class ProfanityScreenTests
{
    [Theory]
    [InlineData("I grew up in Scunthorpe")]
    [InlineData("A classic film and a cocktail")]
    [InlineData("My assessment is on Tuesday; I passed the class")]
    [InlineData("Therapists in Essex and Middlesex")]
    [InlineData("I was raped two years ago and I'm still learning to talk about it")]
    [InlineData("Sexual abuse survivors group, anyone?")]
    [InlineData("Honestly life sucks today and I feel like shit")]
    [InlineData("I tied up the dog and went for a run, then a girl on the bus smiled")]
    public void Ordinary_words_and_what_survivors_need_to_say_pass(string text) => Assert.Null(ProfanityScreen.Find(text));

    [Theory]
    [InlineData("what a CUNT", "cunt")]
    [InlineData("go away, bukkake!", "bukkake")]
    [InlineData("some 2 Girls 1 Cup nonsense", "2 girls 1 cup")]
    [InlineData("stop being a twat.", "twat")]
    [InlineData("g-spot", "g spot")]
    [InlineData("🖕 you", "🖕")]
    public void Slurs_and_explicit_terms_are_found_as_whole_words_and_phrases(string text, string found) => Assert.Equal(found, ProfanityScreen.Find(text));
}
