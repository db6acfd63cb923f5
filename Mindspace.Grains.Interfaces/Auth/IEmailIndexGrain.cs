namespace Mindspace.Grains.Interfaces.Auth;

/// <summary>
/// Which account an email belongs to. Keyed by <see cref="EmailKeys.For"/> (a hash of the
/// normalized email, so the address itself never appears in grain ids or logs). One grain per
/// email makes uniqueness hold under concurrent registrations: its calls run one at a time.
/// </summary>
/// <remarks>
/// Registration reserves first, creates the user, then confirms. A reservation that was never
/// confirmed (the process died in between) can be taken over after <see cref="ReservationTimeout"/>.
/// A confirmed holder whose account no longer exists (the process died while erasing it) is
/// released by the registering caller, who checks the account with the user grain.
/// This grain calls no other grain.
/// </remarks>
[Alias("ms.auth.IEmailIndexGrain")]
public interface IEmailIndexGrain : IGrainWithStringKey
{
    /// <summary>How long an unconfirmed reservation blocks the email.</summary>
    public static readonly TimeSpan ReservationTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Reserves the email for <paramref name="userId"/>, unless another account holds it.</summary>
    [Alias("reserve")]
    Task<EmailReservation> ReserveAsync(Guid userId);

    /// <summary>Makes a reservation permanent once the account exists.</summary>
    [Alias("confirm")]
    Task ConfirmAsync(Guid userId);

    /// <summary>Frees the email if <paramref name="userId"/> holds it (account deleted or registration failed).</summary>
    [Idempotent]
    [Alias("release")]
    Task ReleaseAsync(Guid userId);

    /// <summary>The confirmed account of this email, or null.</summary>
    [Alias("get-user-id")]
    Task<Guid?> GetUserIdAsync();
}

/// <summary>The outcome of <see cref="IEmailIndexGrain.ReserveAsync"/>.</summary>
/// <param name="Reserved">The email is now reserved for the caller.</param>
/// <param name="HolderId">Who holds it otherwise.</param>
/// <param name="HolderConfirmed">Whether the holder's account was created (false: registration in flight).</param>
[GenerateSerializer, Immutable, Alias("ms.auth.EmailReservation")]
public sealed record EmailReservation(bool Reserved, Guid? HolderId, bool HolderConfirmed);
