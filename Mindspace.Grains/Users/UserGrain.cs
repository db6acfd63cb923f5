using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Mindspace.Grains.Interfaces.Auth;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Runtime;
using Mindspace.Runtime.Persistence;

namespace Mindspace.Grains.Users;

/// <inheritdoc cref="IUserGrain"/>
public sealed class UserGrain(
    [PersistentState("user")] IPersistentState<UserState> user,
    [RecordCollection("activity")] IRecordCollection<ActivityEntry> activity,
    IStorageProvider storage,
    TimeProvider time,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    /// <summary>Open sessions beyond this end, oldest first: a forgotten device should not stay signed in forever.</summary>
    public const int MaxOpenSessions = 50;

    /// <summary>Session metadata kept in all (open and ended).</summary>
    public const int MaxSessionsKept = 100;

    public const int MaxActivityPage = 100;

    private const string SignInTitle = "New sign-in";
    private const string SignInBody = "A new sign-in to your account just happened. If this wasn't you, you can sign out everywhere from your settings.";

    private static readonly PasswordHasher<UserState> Hasher = new();

    private long _lastActivityTicks;

    private Guid UserId => GetPrimaryKey();

    private bool Exists => user.RecordExists;

    public async Task<bool> RegisterAsync(NewUser newUser)
    {
        if (Exists)
        {
            return false;
        }

        if (UserRules.ValidateEmail(newUser.Email) is { } emailError)
        {
            throw new ArgumentException(emailError, nameof(newUser));
        }

        if ((UserRules.ValidatePassword(newUser.Password, newUser.Email) ?? UserRules.ValidateDisplayName(newUser.DisplayName)) is { } error)
        {
            throw new ArgumentException(error, nameof(newUser));
        }

        if (!UserRules.TryCanonicalTimeZone(newUser.TimeZone, out var timeZone))
        {
            throw new ArgumentException(UserRules.TimeZoneError, nameof(newUser));
        }

        var now = time.GetUtcNow();
        var state = new UserState
        {
            Email = newUser.Email.Trim(),
            NormalizedEmail = EmailKeys.Normalize(newUser.Email),
            DisplayName = newUser.DisplayName.Trim(),
            TimeZone = timeZone,
            Roles = newUser.GrantAdmin ? [UserRoles.Member, UserRoles.Admin] : [UserRoles.Member],
            CreatedAt = now,
            UpdatedAt = now,
        };
        state.PasswordHash = Hasher.HashPassword(state, newUser.Password);
        user.State = state;
        await user.WriteStateAsync();

        await AppendActivityAsync(ActivityKinds.AccountCreated, newUser.IpAddress);
        if (newUser.GrantAdmin)
        {
            await AppendActivityAsync(ActivityKinds.RoleGranted, newUser.IpAddress, new() { ["role"] = UserRoles.Admin, ["by"] = "configuration" });
        }

        return true;
    }

    public Task<bool> ExistsAsync() => Task.FromResult(Exists);

    public Task<UserProfile?> GetProfileAsync() => Task.FromResult(Exists ? Profile() : null);

    public async Task<SignInOutcome> SignInAsync(SignInAttempt attempt)
    {
        if (!Exists)
        {
            return new SignInOutcome(SignInStatus.NoSuchUser, []);
        }

        var state = user.State;
        var verification = Hasher.VerifyHashedPassword(state, state.PasswordHash, attempt.Password);
        if (verification == PasswordVerificationResult.Failed)
        {
            await AppendActivityAsync(ActivityKinds.SignInFailed, attempt.IpAddress);
            return new SignInOutcome(SignInStatus.WrongPassword, []);
        }

        var now = time.GetUtcNow();
        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
        {
            state.PasswordHash = Hasher.HashPassword(state, attempt.Password);
        }

        var grantedAdmin = attempt.GrantAdmin && !state.Roles.Contains(UserRoles.Admin);
        if (grantedAdmin)
        {
            state.Roles.Add(UserRoles.Admin);
        }

        state.Sessions.Add(new SessionInfo(attempt.SessionId, now, attempt.IpAddress, attempt.UserAgent, null, null));
        var superseded = TrimSessions(now);
        await RevokeSessionGrainsAsync(superseded, SessionEndReasons.SessionLimit);
        await user.WriteStateAsync();

        // The session is listed before it exists, so "sign out everywhere" can never miss one.
        var started = await GrainFactory.GetGrain<ISessionGrain>(attempt.SessionId)
            .StartAsync(new SessionStart(UserId, attempt.RefreshTokenHash, attempt.RefreshExpiresAt));
        if (!started)
        {
            throw new InvalidOperationException("The session id is already in use.");
        }

        await AppendActivityAsync(ActivityKinds.SignIn, attempt.IpAddress, new() { ["sessionId"] = attempt.SessionId.ToString("D") });
        if (grantedAdmin)
        {
            await AppendActivityAsync(ActivityKinds.RoleGranted, attempt.IpAddress, new() { ["role"] = UserRoles.Admin, ["by"] = "configuration" });
        }

        await NotifyAsync(new UserNotification(Guid.NewGuid(), NotificationKinds.SecuritySignIn, SignInTitle, SignInBody, now));
        return new SignInOutcome(SignInStatus.Succeeded, [.. state.Roles]);
    }

    public async Task NoteAccountLockedAsync(DateTimeOffset until, string? ipAddress)
    {
        if (Exists)
        {
            await AppendActivityAsync(ActivityKinds.AccountLocked, ipAddress, new() { ["until"] = until.ToString("O", CultureInfo.InvariantCulture) });
        }
    }

    public async Task<bool> EndSessionAsync(Guid sessionId, string reason, string? ipAddress)
    {
        if (!Exists || !user.State.Sessions.Any(s => s.SessionId == sessionId && s.EndedAt is null))
        {
            return false;
        }

        // Revoking is idempotent and must not wait on the state write: tokens stop working first.
        await GrainFactory.GetGrain<ISessionGrain>(sessionId).RevokeAsync(reason);
        MarkSessionEnded(sessionId, reason);
        await user.WriteStateAsync();
        await AppendActivityAsync(
            reason == SessionEndReasons.SignedOut ? ActivityKinds.SignOut : ActivityKinds.SessionRevoked,
            ipAddress,
            new() { ["sessionId"] = sessionId.ToString("D"), ["reason"] = reason });
        return true;
    }

    public async Task<int> EndAllSessionsAsync(string reason, string? ipAddress)
    {
        if (!Exists)
        {
            return 0;
        }

        var open = user.State.Sessions.Where(s => s.EndedAt is null).Select(s => s.SessionId).ToList();
        if (open.Count > 0)
        {
            await RevokeSessionGrainsAsync(open, reason);
            foreach (var sessionId in open)
            {
                MarkSessionEnded(sessionId, reason);
            }

            await user.WriteStateAsync();
        }

        await AppendActivityAsync(ActivityKinds.SessionRevoked, ipAddress, new() { ["reason"] = reason, ["count"] = open.Count.ToString(CultureInfo.InvariantCulture) });
        return open.Count;
    }

    public async Task NoteSessionEndedAsync(Guid sessionId, string reason, string? ipAddress)
    {
        if (Exists && MarkSessionEnded(sessionId, reason))
        {
            await user.WriteStateAsync();
            await AppendActivityAsync(ActivityKinds.SessionRevoked, ipAddress, new() { ["sessionId"] = sessionId.ToString("D"), ["reason"] = reason });
        }
    }

    public Task<IReadOnlyList<SessionInfo>?> GetSessionsAsync()
        => Task.FromResult(Exists ? (IReadOnlyList<SessionInfo>?)[.. Enumerable.Reverse(user.State.Sessions)] : null);

    public async Task<ProfileUpdateResult> UpdateProfileAsync(ProfileUpdate update)
    {
        if (!Exists)
        {
            return new ProfileUpdateResult(UpdateStatus.NotFound, null, null);
        }

        var errors = new Dictionary<string, string[]>();
        var changed = new List<string>();
        var state = user.State;

        string? displayName = null;
        if (update.DisplayName is not null)
        {
            if (UserRules.ValidateDisplayName(update.DisplayName) is { } error)
            {
                errors["displayName"] = [error];
            }
            else
            {
                displayName = update.DisplayName.Trim();
            }
        }

        string? timeZone = null;
        if (update.TimeZone is not null)
        {
            if (UserRules.TryCanonicalTimeZone(update.TimeZone, out var canonical))
            {
                timeZone = canonical;
            }
            else
            {
                errors["timeZone"] = [UserRules.TimeZoneError];
            }
        }

        System.Text.Json.JsonElement? preferences = null;
        if (update.PreferencesPatch is { } patch)
        {
            var (merged, error) = UserRules.MergePreferences(state.Preferences ?? UserRules.EmptyObject, patch);
            if (error is not null)
            {
                errors["preferences"] = [error];
            }
            else
            {
                preferences = merged;
            }
        }

        if (errors.Count > 0)
        {
            return new ProfileUpdateResult(UpdateStatus.Invalid, null, errors);
        }

        if (displayName is not null && displayName != state.DisplayName)
        {
            state.DisplayName = displayName;
            changed.Add("displayName");
        }

        if (timeZone is not null && timeZone != state.TimeZone)
        {
            state.TimeZone = timeZone;
            changed.Add("timeZone");
        }

        if (preferences is { } newPreferences && newPreferences.GetRawText() != (state.Preferences ?? UserRules.EmptyObject).GetRawText())
        {
            state.Preferences = newPreferences;
            changed.Add("preferences");
        }

        if (changed.Count > 0)
        {
            state.UpdatedAt = time.GetUtcNow();
            await user.WriteStateAsync();
            await AppendActivityAsync(ActivityKinds.ProfileUpdated, update.IpAddress, new() { ["fields"] = string.Join(",", changed) });
        }

        return new ProfileUpdateResult(UpdateStatus.Updated, Profile(), null);
    }

    public async Task<RolesResult> GrantRoleAsync(RoleChange change)
    {
        if (!Exists)
        {
            return new RolesResult(false, false, []);
        }

        var role = UserRoles.Normalize(change.Role) ?? throw new ArgumentException($"'{change.Role}' is not a role.", nameof(change));
        if (user.State.Roles.Contains(role))
        {
            return new RolesResult(true, false, [.. user.State.Roles]);
        }

        user.State.Roles.Add(role);
        user.State.UpdatedAt = time.GetUtcNow();
        await user.WriteStateAsync();
        await AppendActivityAsync(ActivityKinds.RoleGranted, change.IpAddress, new() { ["role"] = role, ["by"] = change.Actor });
        return new RolesResult(true, true, [.. user.State.Roles]);
    }

    public async Task<RolesResult> RevokeRoleAsync(RoleChange change)
    {
        if (!Exists)
        {
            return new RolesResult(false, false, []);
        }

        var role = UserRoles.Normalize(change.Role) ?? throw new ArgumentException($"'{change.Role}' is not a role.", nameof(change));
        if (role == UserRoles.Member)
        {
            throw new ArgumentException("Every account is a member; that role cannot be revoked.", nameof(change));
        }

        if (!user.State.Roles.Remove(role))
        {
            return new RolesResult(true, false, [.. user.State.Roles]);
        }

        user.State.UpdatedAt = time.GetUtcNow();
        await user.WriteStateAsync();
        await AppendActivityAsync(ActivityKinds.RoleRevoked, change.IpAddress, new() { ["role"] = role, ["by"] = change.Actor });
        return new RolesResult(true, true, [.. user.State.Roles]);
    }

    public async Task<ActivityPage?> GetActivityAsync(string? cursor, int limit)
    {
        if (!Exists)
        {
            return null;
        }

        limit = Math.Clamp(limit, 1, MaxActivityPage);
        var records = await activity.QueryAsync(new RecordQuery(After: cursor, Descending: true, Limit: limit + 1));
        var items = records.Take(limit).Select(r => r.Value).ToList();
        return new ActivityPage(items, records.Count > limit ? records[limit - 1].Key : null);
    }

    public async Task<UserDataExport?> ExportAsync()
    {
        if (!Exists)
        {
            return null;
        }

        var entries = new List<ActivityEntry>();
        string? after = null;
        while (true)
        {
            var page = await activity.QueryAsync(new RecordQuery(After: after, Descending: true, Limit: 500));
            entries.AddRange(page.Select(r => r.Value));
            if (page.Count < 500)
            {
                break;
            }

            after = page[^1].Key;
        }

        return new UserDataExport(Profile(), [.. Enumerable.Reverse(user.State.Sessions)], entries);
    }

    public async Task<PasswordCheck> ConfirmDeletionPasswordAsync(string password, string? ipAddress)
    {
        if (!Exists)
        {
            return PasswordCheck.NoSuchUser;
        }

        if (Hasher.VerifyHashedPassword(user.State, user.State.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            await AppendActivityAsync(ActivityKinds.DeletionRefused, ipAddress);
            return PasswordCheck.Wrong;
        }

        return PasswordCheck.Correct;
    }

    public async Task<bool> DeleteAsync()
    {
        if (!Exists)
        {
            return false;
        }

        // Tokens stop working first; then the data (activity, notifications, state) goes; the email is freed last, so a crash midway
        // leaves the email blocked (registration repairs that) rather than a second account beside leftovers.
        var sessions = user.State.Sessions.Select(s => s.SessionId).ToList();
        await Task.WhenAll(sessions.Select(id => GrainFactory.GetGrain<ISessionGrain>(id).EraseAsync()));
        var erasedEntries = await activity.ClearAsync();
        await storage.Streams.DeleteStreamAsync(NotificationStreams.ForUser(UserId), CancellationToken.None);
        var emailKey = EmailKeys.For(user.State.NormalizedEmail);
        await user.ClearStateAsync();
        await GrainFactory.GetGrain<IEmailIndexGrain>(emailKey).ReleaseAsync(UserId);
        UsersLog.Erased(logger, UserId, sessions.Count, erasedEntries);
        DeactivateOnIdle();
        return true;
    }

    private UserProfile Profile()
    {
        var state = user.State;
        return new UserProfile(
            UserId,
            state.Email,
            state.DisplayName,
            state.TimeZone,
            [.. state.Roles],
            state.CreatedAt,
            state.UpdatedAt,
            state.Preferences ?? UserRules.EmptyObject);
    }

    /// <returns>Whether the session was this user's and open.</returns>
    private bool MarkSessionEnded(Guid sessionId, string reason)
    {
        var index = user.State.Sessions.FindIndex(s => s.SessionId == sessionId);
        if (index < 0 || user.State.Sessions[index].EndedAt is not null)
        {
            return false;
        }

        user.State.Sessions[index] = user.State.Sessions[index] with { EndedAt = time.GetUtcNow(), EndReason = reason };
        return true;
    }

    /// <summary>Keeps the session list bounded; returns the open sessions it ended to make room.</summary>
    private List<Guid> TrimSessions(DateTimeOffset now)
    {
        var sessions = user.State.Sessions;
        var superseded = new List<Guid>();
        var open = sessions.Count(s => s.EndedAt is null);
        for (var i = 0; i < sessions.Count && open > MaxOpenSessions; i++)
        {
            if (sessions[i].EndedAt is null)
            {
                superseded.Add(sessions[i].SessionId);
                sessions[i] = sessions[i] with { EndedAt = now, EndReason = SessionEndReasons.SessionLimit };
                open--;
            }
        }

        while (sessions.Count > MaxSessionsKept && sessions.FindIndex(s => s.EndedAt is not null) is var oldestEnded and >= 0)
        {
            sessions.RemoveAt(oldestEnded);
        }

        return superseded;
    }

    private Task RevokeSessionGrainsAsync(IEnumerable<Guid> sessionIds, string reason)
        => Task.WhenAll(sessionIds.Select(id => GrainFactory.GetGrain<ISessionGrain>(id).RevokeAsync(reason)));

    private async Task AppendActivityAsync(string kind, string? ipAddress, Dictionary<string, string>? details = null)
    {
        var now = time.GetUtcNow();

        // Keys sort by time; two events in the same tick still get distinct, ordered keys.
        var ticks = Math.Max(now.UtcTicks, _lastActivityTicks + 1);
        _lastActivityTicks = ticks;
        var key = ticks.ToString("D19", CultureInfo.InvariantCulture);
        await activity.PutAsync(key, new ActivityEntry(key, kind, now, ipAddress, details));
    }

    private async Task NotifyAsync(UserNotification notification)
    {
        try
        {
            await GetStreamProvider().GetStream<UserNotification>(NotificationStreams.ForUser(UserId)).OnNextAsync(notification);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            UsersLog.NotificationFailed(logger, exception, UserId);
        }
    }
}
