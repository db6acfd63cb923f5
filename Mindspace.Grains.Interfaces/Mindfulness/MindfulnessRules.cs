namespace Mindspace.Grains.Interfaces.Mindfulness;

/// <summary>What a logged practice may be: checked by the gateway, enforced again by the grain.</summary>
public static class MindfulnessRules
{
    public const string Meditation = "meditation";
    public const string Yoga = "yoga";
    public const string Challenge = "challenge";

    public const int MinMinutes = 1;
    public const int MaxMinutes = 240;
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;

    public static readonly IReadOnlyList<string> Kinds = [Meditation, Yoga, Challenge];

    /// <summary>Practice can be logged up to this long after it happened.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(31);

    /// <summary>Clocks differ a little between devices: a completion this far ahead of the server is accepted.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static string? CheckKind(string? kind)
        => kind is null ? "Say what you practised: meditation, yoga or challenge."
            : Kinds.Contains(kind, StringComparer.Ordinal) ? null : "The kind is meditation, yoga or challenge.";

    /// <summary>Whether <paramref name="itemId"/> names something of <paramref name="kind"/> in the catalogue.</summary>
    public static string? CheckItem(string kind, string? itemId)
    {
        if (string.IsNullOrWhiteSpace(itemId))
        {
            return "Say which item you practised (its id from the catalogue).";
        }

        var known = kind switch
        {
            Meditation => MindfulnessCatalogue.FindMeditation(itemId) is not null,
            Yoga => MindfulnessCatalogue.FindPose(itemId) is not null,
            Challenge => MindfulnessCatalogue.FindChallenge(itemId) is not null,
            _ => false,
        };
        return known ? null : $"There is no {kind} with this id in the catalogue.";
    }

    public static string? CheckMinutes(int? minutes)
        => minutes is null ? "Say how many minutes it took (a whole number)."
            : minutes is < MinMinutes or > MaxMinutes ? $"Minutes are between {MinMinutes} and {MaxMinutes}." : null;

    public static string? CheckCompletedAt(DateTimeOffset completedAt, DateTimeOffset now)
        => completedAt > now + ClockSkew ? "This time is in the future."
            : completedAt < now - MaxAge ? $"Practice can be logged for the last {MaxAge.Days} days." : null;

    /// <summary>All rules at once; null when the session is fine.</summary>
    public static string? Check(NewPracticeSession session, DateTimeOffset now)
        => CheckKind(session.Kind) ?? CheckItem(session.Kind, session.ItemId) ?? CheckMinutes(session.Minutes) ?? CheckCompletedAt(session.CompletedAt, now);
}
