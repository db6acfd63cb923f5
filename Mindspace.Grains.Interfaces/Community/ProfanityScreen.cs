using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mindspace.Grains.Interfaces.Community;

/// <summary>
/// Finds slurs and explicit terms from the CC BY 4.0 list in <c>Profanity/en.json</c> (credited in
/// <c>Profanity/NOTICE.md</c>) as whole words or whole phrases only, so ordinary words that contain
/// one ("Scunthorpe", "classic", "assessment", "cocktail") pass.
/// </summary>
/// <remarks>
/// Text is lower-cased and split into runs of letters and digits; a list entry matches when its own
/// words appear consecutively. Entries a peer-support community must be able to say are left out
/// (<see cref="Allowed"/>): survivors' and clinical words ("rape", "sexual", "incest"), everyday
/// swearing ("shit", "fuck", "sucks") and phrases made of ordinary words ("girl on", "tied up").
/// Words about harming oneself are never screened here: the safety classifier reads them first,
/// and they get care, not a rejection.
/// </remarks>
public static class ProfanityScreen
{
    /// <summary>Entries of the list that are not screened, and why (see the remarks).</summary>
    public static IReadOnlySet<string> Allowed { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        // Survivors' and clinical vocabulary: people must be able to talk about what happened to them.
        "rape", "raping", "rapist", "date rape", "daterape", "incest", "sex", "sexual", "sexually", "sexuality",
        "genitals", "penis", "vagina", "vulva", "clitoris", "anus", "rectum", "nipple", "nipples", "intercourse",
        "paedophile", "pedophile", "grope", "nude", "nudity", "ejaculation", "masturbation", "masturbate",
        "masturbating", "orgasm", "eunuch", "fecal", "sadism", "domination", "bondage", "escort", "undressing",
        "erotic", "homoerotic", "lovemaking", "viagra", "cialis", "porn", "porno", "pornography", "voyeur",
        // Method questions belong to the safety classifier (care), not to a rejection.
        "how to kill", "how to murder",
        // Everyday swearing and mild words: people in pain swear, and "life sucks" is not abuse.
        "shit", "shitty", "bullshit", "piece of shit", "fuck", "fuckin", "fucking", "clusterfuck", "god damn",
        "bastard", "bollocks", "suck", "sucks", "butt", "ass", "arsehole", "asshole", "tosser", "wank", "boob", "boobs",
        "pissing", "apeshit", "horny", "sexy", "kinky", "hardcore", "hard core", "nsfw",
        // Ordinary words and phrases, names and titles.
        "girl on", "girl on top", "tied up", "taste my", "tongue in a", "big black", "hot chick", "huge fat",
        "tight white", "tainted love", "jelly donut", "wet dream", "swinger", "playboy", "lolita", "xx",
        "scat", "snatch", "poof", "twinkie", "mong", "santorum", "octopussy", "threesome", "busty", "bimbos",
        "topless", "spread legs", "strip club", "booty call", "camel toe", "barenaked", "bastinado", "bastardo",
    };

    private static readonly string[][] Entries = Load();

    /// <summary>The first screened entry found in <paramref name="text"/>, or null when there is none.</summary>
    public static string? Find(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var words = Words(text);
        if (words.Count == 0)
        {
            return null;
        }

        var present = new HashSet<string>(words, StringComparer.Ordinal);
        foreach (var entry in Entries)
        {
            if (!present.Contains(entry[0]))
            {
                continue;
            }

            for (var i = 0; i + entry.Length <= words.Count; i++)
            {
                var all = true;
                for (var j = 0; j < entry.Length && all; j++)
                {
                    all = words[i + j] == entry[j];
                }

                if (all)
                {
                    return string.Join(' ', entry);
                }
            }
        }

        return null;
    }

    /// <summary>Whether any screened entry appears in <paramref name="text"/>.</summary>
    public static bool Contains(string? text) => Find(text) is not null;

    /// <summary>Lower-case runs of letters and digits; an emoji counts as a word (the list has one). "g-spot" is two words, in the list and in text alike.</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var enumerator = StringInfo.GetTextElementEnumerator(text.ToLowerInvariant());
        while (enumerator.MoveNext())
        {
            var element = enumerator.GetTextElement();
            if (element.Length == 1 && char.IsLetterOrDigit(element[0]))
            {
                current.Append(element);
                continue;
            }

            Flush();
            if (element.Length > 1 && !char.IsLetterOrDigit(element[0]))
            {
                words.Add(element);
            }
            else if (element.Length > 1)
            {
                current.Append(element);
            }
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }

    private static string[][] Load()
    {
        using var stream = typeof(ProfanityScreen).Assembly.GetManifestResourceStream("Mindspace.ProfanityList")
            ?? throw new InvalidOperationException("The profanity list is not embedded in the contracts assembly.");
        var list = JsonSerializer.Deserialize<string[]>(stream) ?? [];
        return [.. list
            .Select(e => e.Trim().ToLowerInvariant())
            .Where(e => e.Length > 0 && !Allowed.Contains(e))
            .Distinct(StringComparer.Ordinal)
            .Select(e => Words(e).ToArray())
            .Where(words => words.Length > 0)];
    }
}
