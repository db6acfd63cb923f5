namespace Mindspace.Grains.Interfaces.Auth;

/// <summary>
/// One sign-in session, keyed by its id (the <c>sid</c> claim of its access tokens): a refresh-token
/// family. Holds only SHA-256 hashes of refresh tokens. Each refresh rotates the token; presenting
/// an already rotated token again revokes the whole family.
/// </summary>
/// <remarks>
/// This grain calls only <see cref="ISessionRevocationsGrain"/> (after it stores an end), which calls no grain,
/// so anyone may call it.
/// </remarks>
[Alias("ms.auth.ISessionGrain")]
public interface ISessionGrain : IGrainWithGuidKey
{
    /// <summary>Opens the session with its first refresh token. False when this id was already used.</summary>
    [Alias("start")]
    Task<bool> StartAsync(SessionStart start);

    /// <summary>Exchanges the presented refresh token (by hash) for the next one.</summary>
    [Alias("refresh")]
    Task<RefreshOutcome> RefreshAsync(RefreshExchange exchange);

    /// <summary>Whether access tokens of this session are still honoured, and whose session it is.</summary>
    [Alias("get-status")]
    Task<SessionStatus> GetStatusAsync();

    /// <summary>Ends the session: its refresh and access tokens stop working. False when it had already ended.</summary>
    [Idempotent]
    [Alias("revoke")]
    Task<bool> RevokeAsync(string reason);

    /// <summary>Forgets the session entirely (the account is being erased); its tokens stop working.</summary>
    [Idempotent]
    [Alias("erase")]
    Task EraseAsync();
}

/// <param name="RefreshTokenHash">SHA-256 (hex) of the first refresh token.</param>
[GenerateSerializer, Immutable, Alias("ms.auth.SessionStart")]
public sealed record SessionStart(Guid UserId, string RefreshTokenHash, DateTimeOffset RefreshExpiresAt);

/// <param name="PresentedHash">SHA-256 (hex) of the refresh token the client sent.</param>
/// <param name="NextHash">SHA-256 (hex) of the token that replaces it.</param>
[GenerateSerializer, Immutable, Alias("ms.auth.RefreshExchange")]
public sealed record RefreshExchange(string PresentedHash, string NextHash, DateTimeOffset NextExpiresAt);

[GenerateSerializer, Alias("ms.auth.RefreshStatus")]
public enum RefreshStatus
{
    /// <summary>The presented token was current; the next one is now current.</summary>
    Rotated = 0,

    /// <summary>The presented token had already been rotated: the family is now revoked.</summary>
    ReuseDetected = 1,

    /// <summary>The session had ended before (signed out, revoked, deleted account).</summary>
    Ended = 2,

    /// <summary>The token was current but past its expiry.</summary>
    Expired = 3,

    /// <summary>No such session, or a token this family never issued.</summary>
    Invalid = 4,
}

/// <summary>The outcome of a refresh; <paramref name="UserId"/> is set for every status but <see cref="RefreshStatus.Invalid"/>.</summary>
[GenerateSerializer, Immutable, Alias("ms.auth.RefreshOutcome")]
public sealed record RefreshOutcome(RefreshStatus Status, Guid? UserId);

/// <param name="UserId">Null when the session never existed.</param>
[GenerateSerializer, Immutable, Alias("ms.auth.SessionStatus")]
public sealed record SessionStatus(bool Active, Guid? UserId);
