using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Attention;
using Mindspace.Grains.Interfaces.Focus;

namespace Mindspace.Grains.Focus;

/// <summary>A paused stretch of a session.</summary>
[GenerateSerializer, Immutable, Alias("ms.state.FocusPause")]
public sealed record FocusPause(DateTimeOffset Start, DateTimeOffset End);

/// <summary>Stored state of <see cref="FocusSessionGrain"/>.</summary>
[GenerateSerializer, Alias("ms.state.FocusSessionState")]
public sealed class FocusSessionState
{
    [Id(0)]
    public Guid OwnerId { get; set; }

    [Id(1)]
    public int PlannedMinutes { get; set; }

    [Id(2)]
    public string Strictness { get; set; } = FocusRules.Gentle;

    [Id(3)]
    public DateTimeOffset? StartedAt { get; set; }

    [Id(4)]
    public DateTimeOffset? EndedAt { get; set; }

    [Id(5)]
    public DateTimeOffset? PausedAt { get; set; }

    [Id(6)]
    public List<FocusPause> Pauses { get; set; } = [];

    [Id(7)]
    public FocusSessionReport? Report { get; set; }
}

/// <inheritdoc cref="IFocusSessionGrain"/>
/// <remarks>
/// Interruptions are read from the owner's attention: every span on a site the owner counts as
/// distracting that falls in the session outside its pauses is one interruption. The report is
/// computed once at the end and stored with the session.
/// </remarks>
public sealed class FocusSessionGrain(
    [PersistentState("focus-session")] IPersistentState<FocusSessionState> session,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, IFocusSessionGrain
{
    public async Task<FocusSessionView> StartAsync(Guid ownerId, int plannedMinutes, string strictness)
    {
        if (session.State.StartedAt is null)
        {
            session.State = new FocusSessionState
            {
                OwnerId = ownerId,
                PlannedMinutes = plannedMinutes,
                Strictness = strictness,
                StartedAt = clock.GetUtcNow(),
            };
            await session.WriteStateAsync();
        }

        return await ViewAsync();
    }

    public async Task<FocusSessionView> PauseAsync()
    {
        if (session.State is { StartedAt: not null, EndedAt: null, PausedAt: null })
        {
            session.State.PausedAt = clock.GetUtcNow();
            await session.WriteStateAsync();
        }

        return await ViewAsync();
    }

    public async Task<FocusSessionView> ResumeAsync()
    {
        if (session.State is { StartedAt: not null, EndedAt: null, PausedAt: { } pausedAt })
        {
            session.State.Pauses.Add(new FocusPause(pausedAt, clock.GetUtcNow()));
            session.State.PausedAt = null;
            await session.WriteStateAsync();
        }

        return await ViewAsync();
    }

    public async Task<FocusSessionView> EndAsync()
    {
        if (session.State is { StartedAt: { } startedAt, EndedAt: null })
        {
            var now = clock.GetUtcNow();
            if (session.State.PausedAt is { } pausedAt)
            {
                session.State.Pauses.Add(new FocusPause(pausedAt, now));
                session.State.PausedAt = null;
            }

            var (interruptions, distracting, top) = await CountInterruptionsAsync(startedAt, now);
            var focused = (int)((now - startedAt).TotalMinutes - PausedSeconds(now) / 60.0);
            session.State.Report = new FocusSessionReport(
                session.State.PlannedMinutes, Math.Max(0, focused), interruptions, distracting, top, focused >= session.State.PlannedMinutes);
            session.State.EndedAt = now;
            await session.WriteStateAsync();
        }

        return await ViewAsync();
    }

    public async Task<FocusSessionView?> GetAsync() => session.State.StartedAt is null ? null : await ViewAsync();

    public async Task EraseAsync()
    {
        await session.ClearStateAsync();
        session.State = new FocusSessionState();
    }

    private async Task<FocusSessionView> ViewAsync()
    {
        var state = session.State;
        var now = clock.GetUtcNow();
        var interruptions = state.Report?.Interruptions ?? (await CountInterruptionsAsync(state.StartedAt!.Value, now)).Interruptions;
        var status = state.EndedAt is not null ? "ended" : state.PausedAt is not null ? "paused" : "running";
        return new FocusSessionView(
            this.GetPrimaryKey(), status, state.PlannedMinutes, state.Strictness, state.StartedAt!.Value, state.EndedAt, PausedSeconds(state.EndedAt ?? now), interruptions, state.Report);
    }

    private int PausedSeconds(DateTimeOffset now)
        => (int)(session.State.Pauses.Sum(p => (p.End - p.Start).TotalSeconds) + (session.State.PausedAt is { } at ? (now - at).TotalSeconds : 0));

    private async Task<(int Interruptions, int DistractingMinutes, IReadOnlyList<string> Top)> CountInterruptionsAsync(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return (0, 0, []);
        }

        var attention = GrainFactory.GetGrain<IAttentionGrain>(session.State.OwnerId);
        var categories = (await attention.GetSettingsAsync()).Categories;
        var spans = await attention.GetSpansAsync(from, to);
        var pauses = session.State.Pauses.ToList();
        if (session.State.PausedAt is { } pausedAt)
        {
            pauses.Add(new FocusPause(pausedAt, to));
        }

        var interruptions = 0;
        double seconds = 0;
        var bySite = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var span in spans.Where(s => SiteCategories.Of(s.Site, categories) == SiteCategories.Distracting))
        {
            var start = span.Start > from ? span.Start : from;
            var end = span.End < to ? span.End : to;
            if (end <= start || pauses.Any(p => start >= p.Start && end <= p.End))
            {
                continue;
            }

            interruptions++;
            seconds += (end - start).TotalSeconds;
            bySite[span.Site] = bySite.GetValueOrDefault(span.Site) + (end - start).TotalSeconds;
        }

        return (interruptions, (int)(seconds / 60), [.. bySite.OrderByDescending(s => s.Value).Take(3).Select(s => s.Key)]);
    }
}
