using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Mindspace.Gateway.Auth;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Focus;

namespace Mindspace.Gateway.Attention;

/// <summary>
/// Streams ticks (<c>SendTicks</c>: each batch acknowledged by its result, or refused with a
/// <see cref="HubException"/> and nothing stored) and pushes the user's focus session as it
/// changes (client method <c>focusSession</c>), and says when the friction in force changed (client
/// method <c>frictionChanged</c>: a rule set, an unlock, a limit or a lockdown). Connect with the access token.
/// </summary>
/// <remarks>
/// Session changes reach the user's connections on every gateway (<see cref="FocusSessionRelay"/>):
/// each connection also receives the current session when it connects and can ask with
/// <c>GetFocusSession</c>.
/// </remarks>
[Authorize(Policy = AuthPolicies.Member)]
public sealed class AttentionHub(IGrainFactory grains, FocusSessionRelay relay, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Hub
{
    private readonly AttentionIntake _intake = new(grains, clock);

    public const string Path = "/hubs/attention";
    public const string FocusSessionMethod = "focusSession";

    /// <summary>Client method: the friction in force changed (<see cref="FrictionChangedEvent"/>); ask for it again.</summary>
    public const string FrictionChangedMethod = "frictionChanged";

    public static string GroupOf(Guid userId) => $"attention:{userId:N}";

    public override async Task OnConnectedAsync()
    {
        var userId = Context.User!.GetUserId();
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(userId), Context.ConnectionAborted);
        await relay.ConnectAsync(Context.ConnectionId, userId);
        var session = await grains.GetGrain<IFocusGrain>(userId).GetActiveSessionAsync();
        await Clients.Caller.SendAsync(FocusSessionMethod, session, Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await relay.DisconnectAsync(Context.ConnectionId, Context.User!.GetUserId());
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>Stores a batch of ticks; the result is its acknowledgement.</summary>
    public async Task<TickBatchResponse> SendTicks(TickBatchRequest batch)
    {
        var (status, response, errors) = await _intake.AcceptAsync(Context.User!.GetUserId(), batch);
        return status switch
        {
            IntakeStatus.Stored => response!,
            IntakeStatus.Invalid => throw new HubException("Nothing was stored: " + string.Join(" ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))),
            _ => throw new HubException("Nothing was stored: a tick names a focus session that is not one of yours."),
        };
    }

    /// <summary>The running or paused focus session, or null.</summary>
    public Task<FocusSessionView?> GetFocusSession() => grains.GetGrain<IFocusGrain>(Context.User!.GetUserId()).GetActiveSessionAsync();
}
