namespace Mindspace.Grains.Interfaces.Safety;

/// <summary>One place to turn to in a crisis.</summary>
/// <param name="Kind">What it is for: <c>emergency</c>, <c>suicide-crisis</c>, <c>domestic-violence</c>, <c>text-line</c> or <c>directory</c>.</param>
/// <param name="Phone">What to dial, as people write it locally (null when there is no number).</param>
/// <param name="Text">How to reach it by text message, if it can be.</param>
/// <param name="Url">Its web page, if it has one.</param>
[GenerateSerializer, Immutable, Alias("ms.safety.CrisisLine")]
public sealed record CrisisLine(string Kind, string Name, string? Phone, string? Text = null, string? Url = null, string? Hours = null);

/// <summary>The crisis resources of one country (ISO 3166-1 alpha-2, upper case) or of <see cref="CrisisDirectory.International"/>.</summary>
[GenerateSerializer, Immutable, Alias("ms.safety.CountryResources")]
public sealed record CountryResources(string Country, IReadOnlyList<CrisisLine> Lines);

/// <summary>
/// Where people can turn in a crisis, per country. The defaults are a starting point only: every
/// number must be verified before launch and kept current (docs/safety.md). Operators replace or add
/// countries with a JSON file (<c>CRISIS_RESOURCES_FILE</c>).
/// </summary>
public sealed class CrisisDirectory
{
    /// <summary>The entry used when the country is unknown or has no entry.</summary>
    public const string International = "INTL";

    private readonly Dictionary<string, CountryResources> _countries;

    public CrisisDirectory(IEnumerable<CountryResources>? overrides = null)
    {
        _countries = Defaults.ToDictionary(c => c.Country, StringComparer.OrdinalIgnoreCase);
        foreach (var country in overrides ?? [])
        {
            _countries[country.Country.Trim().ToUpperInvariant()] = country with { Country = country.Country.Trim().ToUpperInvariant() };
        }
    }

    public IReadOnlyCollection<string> Countries => _countries.Keys;

    /// <summary>The resources for <paramref name="country"/>, or the international ones.</summary>
    public CountryResources For(string? country)
        => country is { Length: > 0 } && _countries.TryGetValue(country.Trim(), out var found) ? found : _countries[International];

    private static CrisisLine Emergency(string phone) => new("emergency", "Emergency services", phone);

    /// <summary>Defaults compiled in, December 2026. VERIFY EVERY NUMBER BEFORE LAUNCH.</summary>
    public static IReadOnlyList<CountryResources> Defaults { get; } =
    [
        new(International,
        [
            new("emergency", "Your local emergency number", null, Hours: "24/7"),
            new("directory", "Find a Helpline (helplines by country)", null, Url: "https://findahelpline.com"),
        ]),
        new("US", [Emergency("911"), new("suicide-crisis", "988 Suicide & Crisis Lifeline", "988", Text: "988", Url: "https://988lifeline.org", Hours: "24/7"), new("domestic-violence", "National Domestic Violence Hotline", "1-800-799-7233", Text: "START to 88788", Url: "https://www.thehotline.org", Hours: "24/7")]),
        new("CA", [Emergency("911"), new("suicide-crisis", "9-8-8 Suicide Crisis Helpline", "988", Text: "988", Url: "https://988.ca", Hours: "24/7")]),
        new("GB", [Emergency("999"), new("suicide-crisis", "Samaritans", "116 123", Url: "https://www.samaritans.org", Hours: "24/7"), new("text-line", "Shout", null, Text: "SHOUT to 85258", Url: "https://giveusashout.org", Hours: "24/7"), new("domestic-violence", "National Domestic Abuse Helpline", "0808 2000 247", Hours: "24/7")]),
        new("IE", [Emergency("112 or 999"), new("suicide-crisis", "Samaritans", "116 123", Url: "https://www.samaritans.org", Hours: "24/7"), new("text-line", "50808", null, Text: "HELLO to 50808", Hours: "24/7")]),
        new("AU", [Emergency("000"), new("suicide-crisis", "Lifeline", "13 11 14", Text: "0477 13 11 14", Url: "https://www.lifeline.org.au", Hours: "24/7"), new("domestic-violence", "1800RESPECT", "1800 737 732", Hours: "24/7")]),
        new("NZ", [Emergency("111"), new("suicide-crisis", "Need to talk? 1737", "1737", Text: "1737", Hours: "24/7")]),
        new("DE", [Emergency("112"), new("suicide-crisis", "TelefonSeelsorge", "0800 111 0 111", Url: "https://www.telefonseelsorge.de", Hours: "24/7"), new("suicide-crisis", "TelefonSeelsorge", "0800 111 0 222", Hours: "24/7"), new("domestic-violence", "Hilfetelefon Gewalt gegen Frauen", "116 016", Hours: "24/7")]),
        new("AT", [Emergency("112"), new("suicide-crisis", "TelefonSeelsorge", "142", Hours: "24/7")]),
        new("CH", [Emergency("112"), new("suicide-crisis", "Die Dargebotene Hand / La Main Tendue", "143", Hours: "24/7")]),
        new("FR", [Emergency("112 (SAMU 15)"), new("suicide-crisis", "3114 – numéro national de prévention du suicide", "3114", Url: "https://3114.fr", Hours: "24/7"), new("domestic-violence", "Violences Femmes Info", "3919", Hours: "24/7")]),
        new("ES", [Emergency("112"), new("suicide-crisis", "Línea 024 de atención a la conducta suicida", "024", Hours: "24/7"), new("domestic-violence", "016 – violencia de género", "016", Hours: "24/7")]),
        new("PT", [Emergency("112"), new("suicide-crisis", "SNS 24", "808 24 24 24", Hours: "24/7"), new("suicide-crisis", "SOS Voz Amiga", "213 544 545")]),
        new("BR", [Emergency("192 (SAMU)"), new("suicide-crisis", "CVV – Centro de Valorização da Vida", "188", Url: "https://cvv.org.br", Hours: "24/7"), new("domestic-violence", "Central de Atendimento à Mulher", "180", Hours: "24/7")]),
        new("MX", [Emergency("911"), new("suicide-crisis", "Línea de la Vida", "800 911 2000", Hours: "24/7")]),
        new("IN", [Emergency("112"), new("suicide-crisis", "Tele-MANAS", "14416", Hours: "24/7"), new("domestic-violence", "Women Helpline", "181")]),
    ];
}
