using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Auth;

namespace Mindspace.Grains.Auth;

/// <summary>Stored state of <see cref="SessionGrain"/>. Token hashes only; never a token.</summary>
[GenerateSerializer, Alias("ms.state.SessionState")]
public sealed class SessionState
{
    [Id(0)]
    public Guid UserId { get; set; }

    [Id(1)]
    public DateTimeOffset CreatedAt { get; set; }

    [Id(2)]
    public string CurrentHash { get; set; } = string.Empty;

    [Id(3)]
    public DateTimeOffset CurrentExpiresAt { get; set; }

    /// <summary>Hashes of tokens already exchanged, newest last (bounded by <see cref="SessionGrain.RotatedHashesKept"/>).</summary>
    [Id(4)]
    public List<string> RotatedHashes { get; set; } = [];

    [Id(5)]
    public DateTimeOffset? LastRefreshedAt { get; set; }

    [Id(6)]
    public DateTimeOffset? EndedAt { get; set; }

    [Id(7)]
    public string? EndReason { get; set; }
}

/// <inheritdoc cref="ISessionGrain"/>
public sealed partial class SessionGrain(
    [PersistentState("session")] IPersistentState<SessionState> session,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider time,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain
{
    /// <summary>
    /// How many exchanged tokens are remembered for reuse detection. A refresh every 15 minutes
    /// for a month is ~3,000; older tokens have long expired, and an unknown token is refused anyway.
    /// </summary>
    public const int RotatedHashesKept = 4096;

    public async Task<bool> StartAsync(SessionStart start)
    {
        if (session.RecordExists)
        {
            return false;
        }

        session.State = new SessionState
        {
            UserId = start.UserId,
            CreatedAt = time.GetUtcNow(),
            CurrentHash = start.RefreshTokenHash,
            CurrentExpiresAt = start.RefreshExpiresAt,
        };
        await session.WriteStateAsync();
        return true;
    }

    public async Task<RefreshOutcome> RefreshAsync(RefreshExchange exchange)
    {
        if (!session.RecordExists)
        {
            return new RefreshOutcome(RefreshStatus.Invalid, null);
        }

        var state = session.State;
        var isCurrent = HashEquals(state.CurrentHash, exchange.PresentedHash);
        var wasRotated = !isCurrent && state.RotatedHashes.Any(h => HashEquals(h, exchange.PresentedHash));
        if (!isCurrent && !wasRotated)
        {
            return new RefreshOutcome(RefreshStatus.Invalid, null);
        }

        if (state.EndedAt is not null)
        {
            return new RefreshOutcome(RefreshStatus.Ended, state.UserId);
        }

        var now = time.GetUtcNow();
        if (wasRotated)
        {
            // Someone holds a token the rightful client already exchanged: one of the two copies is
            // stolen and we cannot tell which, so neither may continue.
            End(now, Interfaces.Users.SessionEndReasons.RefreshTokenReused);
            await session.WriteStateAsync();
            await PublishEndAsync(state.UserId);
            return new RefreshOutcome(RefreshStatus.ReuseDetected, state.UserId);
        }

        if (state.CurrentExpiresAt <= now)
        {
            return new RefreshOutcome(RefreshStatus.Expired, state.UserId);
        }

        state.RotatedHashes.Add(state.CurrentHash);
        if (state.RotatedHashes.Count > RotatedHashesKept)
        {
            state.RotatedHashes.RemoveRange(0, state.RotatedHashes.Count - RotatedHashesKept);
        }

        state.CurrentHash = exchange.NextHash;
        state.CurrentExpiresAt = exchange.NextExpiresAt;
        state.LastRefreshedAt = now;
        await session.WriteStateAsync();
        return new RefreshOutcome(RefreshStatus.Rotated, state.UserId);
    }

    public Task<SessionStatus> GetStatusAsync()
        => Task.FromResult(session.RecordExists
            ? new SessionStatus(session.State.EndedAt is null, session.State.UserId)
            : new SessionStatus(false, null));

    public async Task<bool> RevokeAsync(string reason)
    {
        if (!session.RecordExists || session.State.EndedAt is not null)
        {
            return false;
        }

        End(time.GetUtcNow(), reason);
        await session.WriteStateAsync();
        await PublishEndAsync(session.State.UserId);
        return true;
    }

    public async Task EraseAsync()
    {
        if (session.RecordExists)
        {
            var userId = session.State.UserId;
            await session.ClearStateAsync();
            await PublishEndAsync(userId);
        }

        DeactivateOnIdle();
    }

    /// <summary>
    /// Tells every gateway to forget this session (they cache that it is active), after the end is stored. A failure
    /// is logged, not thrown: the session has ended, and each gateway's cache lifetime bounds how long it may not know.
    /// </summary>
    private async Task PublishEndAsync(Guid userId)
    {
        try
        {
            await GrainFactory.GetGrain<ISessionRevocationsGrain>(SessionRevocationDelivery.Key)
                .PublishAsync(new SessionRevocation(this.GetPrimaryKey(), userId));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPublishFailed(logger, exception, this.GetPrimaryKey());
        }
    }

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "Could not publish the end of session {SessionId} to the gateways; their cache lifetime bounds the delay")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid sessionId);

    private void End(DateTimeOffset now, string reason)
    {
        session.State.EndedAt = now;
        session.State.EndReason = reason;
    }

    private static bool HashEquals(string stored, string presented)
        => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(presented));
}
