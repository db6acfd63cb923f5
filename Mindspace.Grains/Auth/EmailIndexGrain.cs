using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Auth;

namespace Mindspace.Grains.Auth;

/// <summary>Stored state of <see cref="EmailIndexGrain"/>.</summary>
[GenerateSerializer, Alias("ms.state.EmailIndexState")]
public sealed class EmailIndexState
{
    [Id(0)]
    public Guid UserId { get; set; }

    /// <summary>False while registration is still creating the account.</summary>
    [Id(1)]
    public bool Confirmed { get; set; }

    [Id(2)]
    public DateTimeOffset ReservedAt { get; set; }
}

/// <inheritdoc cref="IEmailIndexGrain"/>
public sealed class EmailIndexGrain(
    [PersistentState("index")] IPersistentState<EmailIndexState> index,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider time) : Grain, IEmailIndexGrain
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
