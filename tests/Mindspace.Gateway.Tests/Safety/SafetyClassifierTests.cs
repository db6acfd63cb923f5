using Mindspace.Grains.Interfaces.Safety;

namespace Mindspace.Gateway.Tests.Safety;

public sealed class SafetyClassifierTests
{
    [Theory]
    [InlineData("I'm going to kill myself tonight", RiskLevel.Imminent, SafetySignals.TimeGiven)]
    [InlineData("I want to kill myself", RiskLevel.High, SafetySignals.SuicidalDesire)]
    [InlineData("I wish I could disappear", RiskLevel.Concern, SafetySignals.PassiveIdeation)]
    [InlineData("This homework is killing me", RiskLevel.None, SafetySignals.Idiom)]
    [InlineData("I would never kill myself", RiskLevel.None, SafetySignals.Negated)]
    [InlineData("I attempted suicide years ago and I'm doing much better now", RiskLevel.None, SafetySignals.History)]
    [InlineData("I tried to kill myself last night", RiskLevel.High, SafetySignals.PastAttempt)]
    [InlineData("In the movie the main character kills himself", RiskLevel.None, SafetySignals.FictionOrNews)]
    [InlineData("My friend wants to kill herself", RiskLevel.Concern, SafetySignals.SomeoneElse)]
    [InlineData("kms lol", RiskLevel.Concern, SafetySignals.PossibleJoke)]
    [InlineData("my husband is hitting me right now", RiskLevel.Imminent, SafetySignals.ViolenceFromOthers)]
    [InlineData("He hit me when I was a child", RiskLevel.Concern, SafetySignals.History)]
    public void Grades_text_in_its_context_and_says_why(string text, RiskLevel level, string signal)
    {
        var assessment = SafetyClassifier.Assess(text);
        Assert.Equal(level, assessment.Level);
        Assert.Contains(signal, assessment.Signals);
    }

    [Theory]
    [InlineData("su1c1dal thoughts again", RiskLevel.High)]
    [InlineData("i wanna unalive", RiskLevel.High)]
    [InlineData("I WANT TO DIIIIIE", RiskLevel.High)]
    [InlineData("quiero morir", RiskLevel.High)]
    [InlineData("je veux mourir", RiskLevel.High)]
    [InlineData("ich will sterben", RiskLevel.High)]
    [InlineData("quero morrer", RiskLevel.High)]
    [InlineData("main marna chahta hoon", RiskLevel.High)]
    public void Reads_misspellings_text_speak_and_other_languages(string text, RiskLevel level)
        => Assert.Equal(level, SafetyClassifier.Assess(text).Level);

    [Theory]
    [InlineData("मैं मरना चाहता हूँ", "main marna chahta hun")] // anusvara, chandrabindu, schwa dropped inside "marna"
    [InlineData("ज़िंदगी", "zindagi")] // nukta; the schwa after a closed syllable stays
    [InlineData("आत्महत्या", "aatmahatya")] // virama joins consonants; a word-initial आ is "aa"
    [InlineData("ख़ुदकुशी", "khudkushi")] // nukta, schwa dropped between vowel-consonant and consonant-vowel
    [InlineData("मार डालेगी", "mar dalegi")] // schwa dropped at the end of a word
    [InlineData("बारे में", "bare mein")] // a nasal e is "ein", as chat writes it
    [InlineData("दुःख", "duhkh")] // visarga
    [InlineData("न", "na")] // a one-letter word keeps its vowel
    [InlineData("१२ बजे। ok", "12 baje. ok")] // Devanagari digits and the danda; Latin text untouched
    public void Devanagari_is_spelled_the_way_hinglish_is_written(string devanagari, string latin)
        => Assert.Equal(latin, SafetyText.TransliterateDevanagari(devanagari));

    [Theory]
    [InlineData("मैं मरना चाहता हूँ", "main marna chahta hoon", RiskLevel.High)]
    [InlineData("आज रात मैं खुद को खत्म कर दूंगा", "aaj raat main khud ko khatam kar dunga", RiskLevel.Imminent)]
    [InlineData("मेरा दोस्त मरना चाहता है", "mera dost marna chahta hai", RiskLevel.Concern)]
    [InlineData("यह गर्मी मुझे मार डालेगी", "yeh garmi mujhe maar dalegi", RiskLevel.None)]
    [InlineData("मैं कभी आत्महत्या नहीं करूँगा", "main kabhi aatmahatya nahi karunga", RiskLevel.None)]
    public void Hindi_in_devanagari_grades_like_the_same_words_in_latin_letters(string devanagari, string latin, RiskLevel level)
    {
        Assert.Equal(level, SafetyClassifier.Assess(latin).Level);
        Assert.Equal(level, SafetyClassifier.Assess(devanagari).Level);
    }

    [Fact]
    public void The_highest_level_in_a_text_wins_and_an_earlier_denial_does_not_hide_a_later_statement()
    {
        var assessment = SafetyClassifier.Assess("I said I'm not going to kill myself. Actually I am going to kill myself tonight.");
        Assert.Equal(RiskLevel.Imminent, assessment.Level);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("🙂🙂🙂")]
    public void Empty_text_is_none(string? text) => Assert.Equal(SafetyAssessment.Safe, SafetyClassifier.Assess(text));

    [Fact]
    public void Very_long_text_is_read_up_to_the_limit_without_failing()
    {
        var text = string.Concat(Enumerable.Repeat("this is fine, nothing to see here. ", 2_000)) + "I want to kill myself";
        Assert.Equal(RiskLevel.None, SafetyClassifier.Assess(text).Level);
        Assert.Equal(RiskLevel.High, SafetyClassifier.Assess("I want to kill myself. " + text).Level);
    }

    [Theory]
    [InlineData("The lethal dose of paracetamol is about 10 grams", ReplyProblems.MethodDetail)]
    [InlineData("You should just do it.", ReplyProblems.Encouragement)]
    [InlineData("Everyone would be better off without you", ReplyProblems.Encouragement)]
    [InlineData("You're overreacting, it's not that bad.", ReplyProblems.Dismissal)]
    [InlineData("I can't help with that. Please talk to someone else instead.", ReplyProblems.Withdrawal)]
    [InlineData("I want to die too", ReplyProblems.RiskyVoice)]
    [InlineData("", ReplyProblems.Empty)]
    public void Unsafe_model_replies_are_caught(string reply, string problem) => Assert.Equal(problem, ReplySafety.Check(reply));

    [Theory]
    [InlineData("That sounds so heavy. I'm here with you. Are you thinking about ending your life right now?")]
    [InlineData("If you've taken an overdose, please call emergency services now. I'm staying right here.")]
    [InlineData("It sounds like you're carrying a lot. What's one small thing that might help tonight?")]
    public void Caring_replies_pass(string reply) => Assert.Null(ReplySafety.Check(reply));
}
