using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Grains.Users;

/// <summary>The bookkeeping of <see cref="UserState.Sessions"/> (oldest first): which are open, ending one, keeping the list bounded.</summary>
internal static class SessionList
{
    /// <summary>Open sessions beyond this end, oldest first: a forgotten device should not stay signed in forever.</summary>
    public const int MaxOpen = 50;

    /// <summary>Session metadata kept in all (open and ended).</summary>
    public const int MaxKept = 100;

    public static bool IsOpen(this List<SessionInfo> sessions, Guid sessionId)
        => sessions.Exists(s => s.SessionId == sessionId && s.EndedAt is null);

    public static List<Guid> OpenIds(this List<SessionInfo> sessions)
        => [.. sessions.Where(s => s.EndedAt is null).Select(s => s.SessionId)];

    /// <returns>Whether the session was in the list and open.</returns>
    public static bool End(this List<SessionInfo> sessions, Guid sessionId, string reason, DateTimeOffset now)
    {
        var index = sessions.FindIndex(s => s.SessionId == sessionId);
        if (index < 0 || sessions[index].EndedAt is not null)
        {
            return false;
        }

        sessions[index] = sessions[index] with { EndedAt = now, EndReason = reason };
        return true;
    }

    /// <summary>Ends the oldest open sessions beyond <see cref="MaxOpen"/> and drops the oldest ended ones beyond <see cref="MaxKept"/>.</summary>
    /// <returns>The open sessions it ended (their grains still need revoking).</returns>
    public static List<Guid> Trim(this List<SessionInfo> sessions, DateTimeOffset now)
    {
        var superseded = new List<Guid>();
        var open = sessions.Count(s => s.EndedAt is null);
        for (var i = 0; i < sessions.Count && open > MaxOpen; i++)
        {
            if (sessions[i].EndedAt is null)
            {
                superseded.Add(sessions[i].SessionId);
                sessions[i] = sessions[i] with { EndedAt = now, EndReason = SessionEndReasons.SessionLimit };
                open--;
            }
        }

        while (sessions.Count > MaxKept && sessions.FindIndex(s => s.EndedAt is not null) is var oldestEnded and >= 0)
        {
            sessions.RemoveAt(oldestEnded);
        }

        return superseded;
    }
}
