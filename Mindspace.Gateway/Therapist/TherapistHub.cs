using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Mindspace.Gateway.Auth;
using Mindspace.Grains.Interfaces.Therapist;

namespace Mindspace.Gateway.Therapist;

/// <summary>
/// Live chat with the companion. Invoke <c>Send {conversationId, text, clientMessageId}</c>: the reply
/// streams as <c>token</c> events and ends with <c>message</c> (also the invocation's result). A
/// repeated clientMessageId returns the first answer. After reconnecting, invoke
/// <c>Resume {conversationId, afterSequence}</c> for the messages missed. See docs/therapist.md.
/// </summary>
[Authorize(Policy = AuthPolicies.Member)]
public sealed class TherapistHub(TherapistTurns turns, IGrainFactory grains) : Hub
{
    public const string Path = "/hubs/therapist";
    public const string TokenEvent = "token";
    public const string MessageEvent = "message";
    public const string RetractEvent = "retract";

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, TherapistTurns.UserGroup(Context.User!.GetUserId()));
        await base.OnConnectedAsync();
    }

    public async Task<MessageView> Send(SendRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (TherapistRules.CheckText(request.Text) is { } textError)
        {
            throw new HubException(textError);
        }

        if (TherapistRules.CheckClientMessageId(request.ClientMessageId) is { } idError)
        {
            throw new HubException(idError);
        }

        return await turns.SendAsync(Context.User!.GetUserId(), request.ConversationId, request.ClientMessageId!, request.Text!)
            ?? throw new HubException("There is no conversation with this id.");
    }

    public async Task<IReadOnlyList<MessageView>> Resume(Guid conversationId, long afterSequence)
    {
        var conversation = grains.GetGrain<IConversationGrain>(TherapistRules.ConversationKey(Context.User!.GetUserId(), conversationId));
        var missed = await conversation.AfterAsync(afterSequence, TherapistRules.MaxPageSize);
        return [.. missed.Select(m => MessageView.Of(conversationId, m))];
    }
}
