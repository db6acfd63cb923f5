using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Auth;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Interfaces.Therapist;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Users;

/// <inheritdoc cref="IUserGrain"/>
public sealed class UserGrain(
    [PersistentState("user")] IPersistentState<UserState> user,
    [RecordCollection(UserGrain.ActivityTable)] IRecordCollection<ActivityEntry> activity,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider time,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    /// <summary>The activity log's table, one owner per user (the care queue reads it to find earlier care-team holders).</summary>
    public const string ActivityTable = "user_activity";

    private const string SignInTitle = "New sign-in";
    private const string SignInBody = "A new sign-in to your account just happened. If this wasn't you, you can sign out everywhere from your settings.";

    private readonly TimeProvider _time = time;
    private readonly ActivityLog _activity = new(activity, time);

    private Guid UserId => this.GetPrimaryKey();

    /// <summary>
    /// Keeps the care queue's list of whom to notify in step with the <c>care-team</c> role, after the
    /// role is stored. The queue calls back into no user grain, so this cannot deadlock.
    /// </summary>
    private Task SyncCareTeamAsync(string role, bool member)
        => role == UserRoles.CareTeam ? GrainFactory.GetGrain<ICareQueueGrain>(0).SetTeamMemberAsync(UserId, member) : Task.CompletedTask;

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

        var now = _time.GetUtcNow();
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
        state.PasswordHash = await PasswordWork.HashAsync(state, newUser.Password);
        user.State = state;
        await user.WriteStateAsync();

        await _activity.AppendAsync(ActivityKinds.AccountCreated, newUser.IpAddress);
        if (newUser.GrantAdmin)
        {
            await _activity.AppendAsync(ActivityKinds.RoleGranted, newUser.IpAddress, new() { ["role"] = UserRoles.Admin, ["by"] = "configuration" });
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
        var verification = await PasswordWork.VerifyAsync(state, attempt.Password);
        if (verification == PasswordVerificationResult.Failed)
        {
            await _activity.AppendAsync(ActivityKinds.SignInFailed, attempt.IpAddress);
            return new SignInOutcome(SignInStatus.WrongPassword, []);
        }

        var now = _time.GetUtcNow();
        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
        {
            state.PasswordHash = await PasswordWork.HashAsync(state, attempt.Password);
        }

        var grantedAdmin = attempt.GrantAdmin && !state.Roles.Contains(UserRoles.Admin);
        if (grantedAdmin)
        {
            state.Roles.Add(UserRoles.Admin);
        }

        state.Sessions.Add(new SessionInfo(attempt.SessionId, now, attempt.IpAddress, attempt.UserAgent, null, null));
        var superseded = state.Sessions.Trim(now);
        await RevokeSessionGrainsAsync(superseded, SessionEndReasons.SessionLimit);
        await user.WriteStateAsync();

        // The session is listed before it exists, so "sign out everywhere" can never miss one.
        var started = await GrainFactory.GetGrain<ISessionGrain>(attempt.SessionId)
            .StartAsync(new SessionStart(UserId, attempt.RefreshTokenHash, attempt.RefreshExpiresAt));
        if (!started)
        {
            throw new InvalidOperationException("The session id is already in use.");
        }

        await _activity.AppendAsync(ActivityKinds.SignIn, attempt.IpAddress, new() { ["sessionId"] = attempt.SessionId.ToString("D") });
        if (grantedAdmin)
        {
            await _activity.AppendAsync(ActivityKinds.RoleGranted, attempt.IpAddress, new() { ["role"] = UserRoles.Admin, ["by"] = "configuration" });
        }

        await NotifyAsync(new UserNotification(Guid.NewGuid(), NotificationKinds.SecuritySignIn, SignInTitle, SignInBody, now));
        return new SignInOutcome(SignInStatus.Succeeded, [.. state.Roles]);
    }

    public async Task NoteAccountLockedAsync(DateTimeOffset until, string? ipAddress)
    {
        if (Exists)
        {
            await _activity.AppendAsync(ActivityKinds.AccountLocked, ipAddress, new() { ["until"] = until.ToString("O", CultureInfo.InvariantCulture) });
        }
    }

    public async Task<bool> EndSessionAsync(Guid sessionId, string reason, string? ipAddress)
    {
        if (!Exists || !user.State.Sessions.IsOpen(sessionId))
        {
            return false;
        }

        // Revoking is idempotent and must not wait on the state write: tokens stop working first.
        await GrainFactory.GetGrain<ISessionGrain>(sessionId).RevokeAsync(reason);
        user.State.Sessions.End(sessionId, reason, _time.GetUtcNow());
        await user.WriteStateAsync();
        await _activity.AppendAsync(
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

        var open = user.State.Sessions.OpenIds();
        if (open.Count > 0)
        {
            await RevokeSessionGrainsAsync(open, reason);
            var now = _time.GetUtcNow();
            foreach (var sessionId in open)
            {
                user.State.Sessions.End(sessionId, reason, now);
            }

            await user.WriteStateAsync();
        }

        await _activity.AppendAsync(ActivityKinds.SessionRevoked, ipAddress, new() { ["reason"] = reason, ["count"] = open.Count.ToString(CultureInfo.InvariantCulture) });
        return open.Count;
    }

    public async Task NoteSessionEndedAsync(Guid sessionId, string reason, string? ipAddress)
    {
        if (Exists && user.State.Sessions.End(sessionId, reason, _time.GetUtcNow()))
        {
            await user.WriteStateAsync();
            await _activity.AppendAsync(ActivityKinds.SessionRevoked, ipAddress, new() { ["sessionId"] = sessionId.ToString("D"), ["reason"] = reason });
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

        var state = user.State;
        var errors = new Dictionary<string, string[]>();
        var displayName = update.DisplayName?.Trim();
        if (update.DisplayName is not null && UserRules.ValidateDisplayName(update.DisplayName) is { } nameError)
        {
            errors["displayName"] = [nameError];
        }

        string? timeZone = null;
        if (update.TimeZone is not null && !UserRules.TryCanonicalTimeZone(update.TimeZone, out timeZone))
        {
            errors["timeZone"] = [UserRules.TimeZoneError];
        }

        var currentPreferences = state.Preferences ?? UserRules.EmptyObject;
        System.Text.Json.JsonElement? preferences = null;
        if (update.PreferencesPatch is { } patch)
        {
            (preferences, var preferencesError) = UserRules.MergePreferences(currentPreferences, patch);
            if (preferencesError is not null)
            {
                errors["preferences"] = [preferencesError];
            }
        }

        if (errors.Count > 0)
        {
            return new ProfileUpdateResult(UpdateStatus.Invalid, null, errors);
        }

        var changed = new List<string>();
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

        if (preferences is { } newPreferences && newPreferences.GetRawText() != currentPreferences.GetRawText())
        {
            state.Preferences = newPreferences;
            changed.Add("preferences");
        }

        if (changed.Count > 0)
        {
            state.UpdatedAt = _time.GetUtcNow();
            await user.WriteStateAsync();
            await _activity.AppendAsync(ActivityKinds.ProfileUpdated, update.IpAddress, new() { ["fields"] = string.Join(",", changed) });
        }

        if (timeZone is not null)
        {
            // Told even when unchanged, so sending a zone again repairs a grain that missed a failed update's news.
            await GrainFactory.GetGrain<ICheckInsGrain>(UserId).UseTimeZoneAsync(timeZone);
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
        user.State.UpdatedAt = _time.GetUtcNow();
        await user.WriteStateAsync();
        await _activity.AppendAsync(ActivityKinds.RoleGranted, change.IpAddress, new() { ["role"] = role, ["by"] = change.Actor });
        await SyncCareTeamAsync(role, member: true);
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

        user.State.UpdatedAt = _time.GetUtcNow();
        await user.WriteStateAsync();
        await _activity.AppendAsync(ActivityKinds.RoleRevoked, change.IpAddress, new() { ["role"] = role, ["by"] = change.Actor });
        await SyncCareTeamAsync(role, member: false);
        return new RolesResult(true, true, [.. user.State.Roles]);
    }

    public async Task<ActivityPage?> GetActivityAsync(string? cursor, int limit)
    {
        if (!Exists)
        {
            return null;
        }

        return await _activity.ReadPageAsync(cursor, limit);
    }

    public async Task<UserDataExport?> ExportAsync()
    {
        if (!Exists)
        {
            return null;
        }

        return new UserDataExport(Profile(), [.. Enumerable.Reverse(user.State.Sessions)], await _activity.ReadAllAsync());
    }

    public async Task<PasswordCheck> ConfirmDeletionPasswordAsync(string password, string? ipAddress)
    {
        if (!Exists)
        {
            return PasswordCheck.NoSuchUser;
        }

        if (await PasswordWork.VerifyAsync(user.State, password) == PasswordVerificationResult.Failed)
        {
            await _activity.AppendAsync(ActivityKinds.DeletionRefused, ipAddress);
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
        var erasedEntries = await _activity.ClearAsync();
        await GrainFactory.GetGrain<INotificationInboxGrain>(UserId).EraseAsync();
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

    private Task RevokeSessionGrainsAsync(IEnumerable<Guid> sessionIds, string reason)
        => Task.WhenAll(sessionIds.Select(id => GrainFactory.GetGrain<ISessionGrain>(id).RevokeAsync(reason)));

    private async Task NotifyAsync(UserNotification notification)
    {
        try
        {
            await GrainFactory.GetGrain<INotificationInboxGrain>(UserId).AppendAsync(notification);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            UsersLog.NotificationFailed(logger, exception, UserId);
        }
    }
}
