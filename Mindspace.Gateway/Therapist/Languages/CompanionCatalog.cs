using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Mindspace.Grains.Interfaces.Safety;

namespace Mindspace.Gateway.Therapist.Languages;

/// <summary>A feeling the engine recognises: the words that show it, ways to reflect it, and the flow it offers.</summary>
public sealed record FeelingText(Regex Pattern, string[] Reflections, string Offer);

/// <summary>A thinking trap: its name, a plain explanation, and (optionally) words that hint at it.</summary>
public sealed record TrapText(string Name, string Explanation, Regex? Pattern = null);

/// <summary>
/// Everything the companion's deterministic engine says, in one language: the crisis reply, ordinary
/// replies, the CBT flows' prompts and summaries, and the words it listens for. One instance per
/// language, each in its own file (<c>EnglishCompanion</c>, <c>SpanishCompanion</c>…); see
/// <see cref="CompanionCatalogs"/>. Regular expressions are matched against <see cref="CompanionCatalogs.Fold"/>'s
/// output: lower case, no accents, straight apostrophes, no Devanagari nukta.
/// </summary>
/// <remarks>The translations were written by the team, not by native-speaking clinicians: they need that review before launch (docs/therapist.md).</remarks>
public sealed class CompanionCatalog
{
    /// <summary>ISO 639-1 code, one of <see cref="SafetyLanguages.Supported"/>; or, for a second script of one of them, its BCP 47 tag (<see cref="CompanionCatalogs.HindiDevanagari"/>).</summary>
    public required string Language { get; init; }

    /// <summary>The language's name in English, for the model's instructions ("Spanish").</summary>
    public required string EnglishName { get; init; }

    /// <summary>What escalation means, read before the first chat (<c>GET /api/v1/therapist/notice</c>).</summary>
    public required string EscalationNotice { get; init; }

    /// <summary>The title of the journal entry a finished thought record is saved as.</summary>
    public required string ThoughtRecordTitle { get; init; }

    // ── Crisis ──
    public required string CrisisOpening { get; init; }
    public required string CrisisQuestion { get; init; }
    public required string FromOthersOpening { get; init; }
    public required string FromOthersQuestion { get; init; }
    public required Func<string, string> EmergencyCall { get; init; }
    public required string EmergencyCallNoNumber { get; init; }
    public required string ResourcesIntro { get; init; }
    public required Func<string, string> CallLine { get; init; }
    public required Func<string, string> TextLine { get; init; }
    public required string PlanIntro { get; init; }
    public required Func<string, string> PlanCopingStep { get; init; }
    public required Func<string, string> PlanPersonOrPlace { get; init; }
    public required Func<string, string> PlanReason { get; init; }
    public required string PlanOffer { get; init; }
    public required string MakePlanOffer { get; init; }
    public required string StayingWithYou { get; init; }

    // ── Ordinary replies ──
    public required string SlowDown { get; init; }
    public required string BudgetNote { get; init; }
    public required string ConcernOpening { get; init; }
    public required string ConcernSomeoneElse { get; init; }
    public required string ConcernSelf { get; init; }
    public required string[] Openers { get; init; }
    public required string[] Questions { get; init; }
    public required FeelingText[] Feelings { get; init; }
    public required Func<string, string> OfferFlow { get; init; }

    // ── Flows ──
    public required IReadOnlyDictionary<string, string> FlowTitles { get; init; }

    /// <summary>Words that ask for a flow by name, checked in order.</summary>
    public required (string Flow, Regex Pattern)[] FlowRequests { get; init; }
    public required Regex Yes { get; init; }
    public required Regex Stop { get; init; }
    public required string Stopped { get; init; }

    /// <summary>Each flow's prompts, one per step (the steps and the keys of their answers are in <see cref="FlowMachine"/>); the distortions flow's second step is <see cref="TrapPrompt"/>.</summary>
    public required IReadOnlyDictionary<string, string[]> FlowPrompts { get; init; }
    public required TrapText[] Traps { get; init; }

    /// <summary>The traps' list, and the names of those its words hint at (maybe none) with the first one's explanation.</summary>
    public required Func<string, IReadOnlyList<TrapText>, string> TrapPrompt { get; init; }

    /// <summary>The closing message of each flow, from its answers by key.</summary>
    public required Func<string, IReadOnlyDictionary<string, string>, string> Finish { get; init; }

    public string Title(string flow) => FlowTitles.TryGetValue(flow, out var title) ? title : flow;

    /// <summary>A bulleted list of the traps with their explanations.</summary>
    public string TrapList() => string.Join("\n", Traps.Select(t => $"• {t.Name}: {t.Explanation}"));
}

/// <summary>The companion's catalogues by language, and which one a message is answered in.</summary>
public static class CompanionCatalogs
{
    private const int WindowMessagesForLanguage = 4;

    /// <summary>Hindi in Devanagari script (BCP 47): the classifier's "hi" written as most Hindi readers write it.</summary>
    public const string HindiDevanagari = "hi-Deva";

    public static CompanionCatalog English => EnglishCompanion.Catalog;

    /// <summary>One catalogue for every language the safety classifier reads (a test holds this true).</summary>
    public static IReadOnlyDictionary<string, CompanionCatalog> All { get; } = new[]
    {
        EnglishCompanion.Catalog,
        SpanishCompanion.Catalog,
        FrenchCompanion.Catalog,
        GermanCompanion.Catalog,
        PortugueseCompanion.Catalog,
        HindiCompanion.Catalog,
    }.ToDictionary(c => c.Language, StringComparer.Ordinal);

    /// <summary>
    /// Catalogues for a second script of a classifier language, keyed by BCP 47 tag: Hindi in Devanagari
    /// (<see cref="All"/> holds Hindi in Latin script, as the classifier reads it).
    /// </summary>
    public static IReadOnlyDictionary<string, CompanionCatalog> Scripts { get; } = new[]
    {
        HindiDevanagariCompanion.Catalog,
    }.ToDictionary(c => c.Language, StringComparer.Ordinal);

    /// <summary>The catalogue of <paramref name="language"/> (a classifier language or a script tag), English when there is none.</summary>
    public static CompanionCatalog For(string? language)
        => language is null ? English
            : All.TryGetValue(language, out var catalog) ? catalog
            : Scripts.TryGetValue(language, out var script) ? script
            : English;

    /// <summary>
    /// The language to answer <paramref name="text"/> in: the message's own, else that of the person's
    /// recent messages in the conversation (a "70" or an "ok" mid-flow), else English.
    /// </summary>
    public static string LanguageOf(string text, IEnumerable<(bool FromUser, string Text)> window)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (Of(text) is { } language)
        {
            return language;
        }

        var recent = window.Where(m => m.FromUser).Select(m => m.Text).TakeLast(WindowMessagesForLanguage);
        return Of(string.Join(' ', recent)) ?? English.Language;
    }

    /// <summary>The catalogue language of <paramref name="text"/>, or null when it gives no evidence: Hindi in the script it is written in.</summary>
    private static string? Of(string text)
        => SafetyLanguages.Detect(text) switch
        {
            SafetyLanguages.Hindi when MostlyDevanagari(text) => HindiDevanagari,
            { } language when All.ContainsKey(language) => language,
            _ => null,
        };

    /// <summary>Whether most of the letters of <paramref name="text"/> are Devanagari.</summary>
    public static bool MostlyDevanagari(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var devanagari = 0;
        var other = 0;
        foreach (var c in text)
        {
            if (!char.IsLetter(c))
            {
                continue;
            }

            if (c is >= '\u0900' and <= '\u097F' or >= '\uA8E0' and <= '\uA8FF')
            {
                devanagari++;
            }
            else
            {
                other++;
            }
        }

        return devanagari > other;
    }

    /// <summary>
    /// The catalogue for an HTTP request's <c>Accept-Language</c> (the first of its tags, by weight, that the
    /// companion speaks), English when none. "hi" is Hindi in Devanagari, as browsers mean it; "hi-Latn" is Hinglish.
    /// </summary>
    public static CompanionCatalog ForAcceptLanguage(IEnumerable<Microsoft.Net.Http.Headers.StringWithQualityHeaderValue> accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        foreach (var tag in accepted.Where(t => (t.Quality ?? 1) > 0).OrderByDescending(t => t.Quality ?? 1).Select(t => t.Value.Value))
        {
            if (string.IsNullOrWhiteSpace(tag))
            {
                continue;
            }

            var parts = tag.Split('-');
            var primary = parts[0].ToLowerInvariant();
            if (primary == SafetyLanguages.Hindi)
            {
                return parts.Skip(1).Any(p => p.Equals("Latn", StringComparison.OrdinalIgnoreCase)) ? All[SafetyLanguages.Hindi] : Scripts[HindiDevanagari];
            }

            if (All.TryGetValue(primary, out var catalog))
            {
                return catalog;
            }
        }

        return English;
    }

    /// <summary>Lower case, Latin accents and the Devanagari nukta removed, curly apostrophes straightened, composed (NFC): what the catalogues' patterns are written against.</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var decomposed = text.ToLowerInvariant().Replace('\u2019', '\'').Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            // Latin accents go (the combining diacritics block), and Devanagari's nukta, which many people leave out;
            // Devanagari's vowel signs stay: they are letters of their words.
            if (c != '\u093C' && (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark || c > '\u036F'))
            {
                folded.Append(c == 'ß' ? "ss" : c.ToString());
            }
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }
}
