using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Users;

/// <summary>
/// One account, keyed by the user id: profile, password hash, roles, preferences, the metadata of
/// its sessions and its own activity log. Every mutation is written before its side effects
/// (session grains, notifications) happen.
/// </summary>
/// <remarks>
/// This grain calls session and email-index grains, which never call back. Other modules' grains
/// (check-ins) are called by the gateway, not from here, so no call chain can loop back into it.
/// </remarks>
[Alias("ms.users.IUserGrain")]
public interface IUserGrain : IGrainWithGuidKey
{
    /// <summary>Creates the account. False when this id already holds an account.</summary>
    [Alias("register")]
    Task<bool> RegisterAsync(NewUser user);

    /// <summary>Whether the account exists (false before registration and after deletion).</summary>
    [Alias("exists")]
    Task<bool> ExistsAsync();

    /// <summary>The profile, or null when there is no such account.</summary>
    /// <remarks>Read-only: other modules read the profile's zone on every write, and a read may be sent again (<c>RejectedCallRetry</c>).</remarks>
    [ReadOnly]
    [Alias("get-profile")]
    Task<UserProfile?> GetProfileAsync();

    /// <summary>
    /// Checks the password; when right, opens the session (refresh family), logs the sign-in and then
    /// publishes a <c>security.sign-in</c> notification. A wrong password is logged as a failed sign-in.
    /// </summary>
    [Alias("sign-in")]
    Task<SignInOutcome> SignInAsync(SignInAttempt attempt);

    /// <summary>Logs that repeated failures locked sign-ins until <paramref name="until"/>.</summary>
    [Alias("note-account-locked")]
    Task NoteAccountLockedAsync(DateTimeOffset until, string? ipAddress);

    /// <summary>Ends one session of this user (its refresh family and access tokens). False when it is not theirs or already ended.</summary>
    [Alias("end-session")]
    Task<bool> EndSessionAsync(Guid sessionId, string reason, string? ipAddress);

    /// <summary>Ends every open session of this user; returns how many were ended.</summary>
    [Alias("end-all-sessions")]
    Task<int> EndAllSessionsAsync(string reason, string? ipAddress);

    /// <summary>Records that a session ended without this grain asking (refresh-token reuse found by the session grain).</summary>
    [Alias("note-session-ended")]
    Task NoteSessionEndedAsync(Guid sessionId, string reason, string? ipAddress);

    /// <summary>The sessions of this user, newest first; null when there is no such account.</summary>
    [Alias("get-sessions")]
    Task<IReadOnlyList<SessionInfo>?> GetSessionsAsync();

    /// <summary>Edits display name, time zone and preferences; all or nothing.</summary>
    [Alias("update-profile")]
    Task<ProfileUpdateResult> UpdateProfileAsync(ProfileUpdate update);

    [Alias("grant-role")]
    Task<RolesResult> GrantRoleAsync(RoleChange change);

    [Alias("revoke-role")]
    Task<RolesResult> RevokeRoleAsync(RoleChange change);

    /// <summary>
    /// Activity newest first, <paramref name="limit"/> at a time, after <paramref name="cursor"/>
    /// (a <see cref="ActivityPage.NextCursor"/>); null when there is no such account.
    /// </summary>
    [Alias("get-activity")]
    Task<ActivityPage?> GetActivityAsync(string? cursor, int limit);

    /// <summary>Everything this grain holds about the user; null when there is no such account.</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<UserDataExport?> ExportAsync();

    /// <summary>Confirms the password before the account is deleted; a wrong one is logged and changes nothing else.</summary>
    [Alias("confirm-deletion-password")]
    Task<PasswordCheck> ConfirmDeletionPasswordAsync(string password, string? ipAddress);

    /// <summary>
    /// Erases the account: ends every session, clears the activity log and the state, and releases
    /// the email so it can register again. False when there was no account. The caller confirms the
    /// password first and erases other modules' data. Every session grain is erased before anything
    /// else, so an account that is gone never has an active session: the gateway's per-request token
    /// check relies on this and asks only the session grain.
    /// </summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("delete")]
    Task<bool> DeleteAsync();
}
