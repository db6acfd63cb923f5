using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Shop;

/// <summary>The products an embedded (local) shop starts with, so there is something to browse.</summary>
public static class StarterCatalogue
{
    private const string Eur = "EUR";

    public static IReadOnlyList<ProductInput> Products { get; } =
    [
        Product("Gratitude Journal, linen cover", "A5 journal with 200 dotted pages and a gentle prompt at the top of each week. Lies flat, with a ribbon to keep your place.", 2400, "journals", ["gratitude", "paper", "gift"], 40),
        Product("Daily Check-in Journal", "Undated pages for a few lines each day: how you slept, how you feel, one small good thing. No pressure to fill every day.", 1900, "journals", ["mood", "daily", "paper"], 60),
        Product("Pocket Notebook Set (3)", "Three slim recycled-paper notebooks for thoughts on the go. Plain, lined and dotted.", 1200, "journals", ["paper", "travel"], 80),
        Product("Buckwheat Meditation Cushion", "Round zafu filled with buckwheat hulls that shape to you. Removable cotton cover, washable.", 4900, "cushions", ["meditation", "sitting", "cotton"], 25),
        Product("Folding Meditation Bench", "A low beech bench for kneeling meditation, folds flat for storage.", 6900, "cushions", ["meditation", "kneeling", "wood"], 12),
        Product("Zabuton Floor Mat", "A thick cotton mat to soften knees and ankles under your cushion.", 5900, "cushions", ["meditation", "cotton", "mat"], 15),
        Product("Travel Meditation Cushion", "Inflatable, light and small enough for a backpack; for sitting wherever you are.", 2900, "cushions", ["meditation", "travel"], 30),
        Product("Small Steps: Living Gently with Low Mood", "A warm, practical book of tiny actions for heavy days, written with people who have been there.", 1800, "books", ["depression", "self-care", "reading"], 50),
        Product("Ten Minutes of Quiet: A Beginner's Meditation Book", "Short guided practices you can read once and carry with you, one for each week of a season.", 1600, "books", ["meditation", "beginner", "reading"], 50),
        Product("Less Alone: Notes on Connection", "Essays and exercises on loneliness, reaching out and letting people in, at your own pace.", 2000, "books", ["loneliness", "connection", "reading"], 40),
        Product("The Calm Workbook", "Worksheets drawn from cognitive behavioural therapy for noticing thoughts and easing stress.", 2200, "books", ["stress", "cbt", "workbook"], 35),
        Product("Gift Card 10", "A Mindspace gift card worth 10 EUR, sent by email with a personal note.", 1000, "gift-cards", ["gift", "digital"], 10_000),
        Product("Gift Card 25", "A Mindspace gift card worth 25 EUR, sent by email with a personal note.", 2500, "gift-cards", ["gift", "digital"], 10_000),
        Product("Gift Card 50", "A Mindspace gift card worth 50 EUR, sent by email with a personal note.", 5000, "gift-cards", ["gift", "digital"], 10_000),
    ];

    private static ProductInput Product(string name, string description, long price, string category, string[] tags, int stock)
        => new(name, description, price, Eur, [$"/images/shop/{category}.svg"], category, tags, stock, Active: true);
}
