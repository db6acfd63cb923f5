using Mindspace.Grains.Interfaces.Auth;
using Mindspace.Runtime;

namespace Mindspace.Grains.Auth;

/// <summary>Stored state of <see cref="EmailIndexGrain"/>.</summary>
public sealed class EmailIndexState
{
    public Guid UserId { get; set; }

    /// <summary>False while registration is still creating the account.</summary>
    public bool Confirmed { get; set; }

    public DateTimeOffset ReservedAt { get; set; }
}

/// <inheritdoc cref="IEmailIndexGrain"/>
public sealed class EmailIndexGrain(
    [PersistentState("index")] IPersistentState<EmailIndexState> index,
    TimeProvider time) : Grain, IEmailIndexGrain
{
    public async Task<EmailReservation> ReserveAsync(Guid userId)
    {
        if (index.RecordExists && index.State.UserId != userId)
        {
            var abandoned = !index.State.Confirmed && time.GetUtcNow() - index.State.ReservedAt > IEmailIndexGrain.ReservationTimeout;
            if (!abandoned)
            {
                return new EmailReservation(false, index.State.UserId, index.State.Confirmed);
            }
        }

        index.State = new EmailIndexState { UserId = userId, Confirmed = false, ReservedAt = time.GetUtcNow() };
        await index.WriteStateAsync();
        return new EmailReservation(true, userId, false);
    }

    public async Task ConfirmAsync(Guid userId)
    {
        if (!index.RecordExists || index.State.UserId != userId)
        {
            throw new InvalidOperationException("The email is not reserved for this account.");
        }

        if (!index.State.Confirmed)
        {
            index.State.Confirmed = true;
            await index.WriteStateAsync();
        }
    }

    public async Task ReleaseAsync(Guid userId)
    {
        if (index.RecordExists && index.State.UserId == userId)
        {
            await index.ClearStateAsync();
        }
    }

    public Task<Guid?> GetUserIdAsync()
        => Task.FromResult(index.RecordExists && index.State.Confirmed ? index.State.UserId : (Guid?)null);
}
