namespace Mindspace.Grains.Interfaces.Community;

/// <summary>
/// What Mindspace says to someone whose post or comment was held because it reads as high or
/// imminent risk. Written to be warm and plain: it says what happened and why, that they are not in
/// trouble, and where help is right now. The HTTP response adds their country's crisis lines.
/// </summary>
public static class CommunityCare
{
    /// <summary>A safety notification: never turned off, never held by quiet hours.</summary>
    public const string HeldNotificationKind = "safety.community-post-held";

    public const string HeldTitle = "We're here with you";

    public const string HeldBody =
        "What you shared sounds really painful, and we want to make sure you're okay. For now only you can see it, " +
        "while someone from our care team reads it — you're not in trouble, and nothing you wrote is wrong to feel. " +
        "If you might act on these thoughts or you're in danger, please call your local emergency number or a crisis line now. " +
        "You can find them under Support, and you can reach someone any time.";

    /// <summary>The short reason shown with the held post in the response.</summary>
    public const string HeldReason =
        "Your words sounded like you might be going through something very hard right now, so we've kept this just between you and our care team for the moment. " +
        "It isn't hidden as a punishment — we want a person to check in first. Support is listed below if you'd like to talk to someone now.";
}
