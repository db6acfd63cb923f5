using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Attention;
using Mindspace.Grains.Interfaces.Focus;

namespace Mindspace.Gateway.Attention;

/// <summary>What became of a batch handed to <see cref="AttentionIntake"/>.</summary>
public enum IntakeStatus
{
    Stored,
    Invalid,
    UnknownSession,
}

/// <summary>One path for ticks, whether they come over HTTP or the hub: validate, check session ids, store.</summary>
public sealed class AttentionIntake(IGrainFactory grains, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock)
{
    public async Task<(IntakeStatus Status, TickBatchResponse? Response, FieldErrors Errors)> AcceptAsync(Guid userId, TickBatchRequest? batch)
    {
        var errors = new FieldErrors();
        if (TickValidation.Read(batch, clock.GetUtcNow(), errors) is not { } read)
        {
            return (IntakeStatus.Invalid, null, errors);
        }

        if (read.SessionIds.Count > 0)
        {
            var focus = grains.GetGrain<IFocusGrain>(userId);
            foreach (var sessionId in read.SessionIds)
            {
                if (!await focus.OwnsSessionAsync(sessionId))
                {
                    return (IntakeStatus.UnknownSession, null, errors);
                }
            }
        }

        var result = read.Ticks.Count == 0
            ? new TickBatchResult(0, 0)
            : await grains.GetGrain<IAttentionGrain>(userId).AddTicksAsync(read.Ticks);
        return (IntakeStatus.Stored, new TickBatchResponse(result.Accepted, result.Duplicates, read.Dropped), errors);
    }
}
