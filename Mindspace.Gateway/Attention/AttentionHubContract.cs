using System.Text.Json.Nodes;
using Mindspace.Grains.Interfaces.Focus;
using static Mindspace.Gateway.Notifications.HubContractSchema;

namespace Mindspace.Gateway.Attention;

/// <summary>The <c>/hubs/attention</c> entry of <c>/openapi/hubs.json</c>: what docs/realtime.md says of the attention hub, for machines.</summary>
public static class AttentionHubContract
{
    public static JsonObject Build() => Hub(
        "attention",
        AttentionHub.Path,
        "Streams attention ticks in and pushes the person's focus session and friction changes out, to every connection of theirs on every gateway and to nobody else's. Pushes are not replayed: after reconnecting, ask GET /api/v1/focus/friction and GetFocusSession again. Details: docs/attention.md and docs/focus.md.",
        serverMethods: new JsonObject
        {
            [nameof(AttentionHub.SendTicks)] = Method(
                "Stores a batch of ticks; the result is its acknowledgement. A bad batch fails with a HubException and nothing of it is stored.",
                [("batch", "object", true, "{ ticks: [...] }: 1–500 ticks, as the body of POST /api/v1/attention/ticks.")],
                Shape(("accepted", Of("integer")), ("duplicates", Of("integer")), ("dropped", Of("integer")))),
            [nameof(AttentionHub.GetFocusSession)] = Method(
                "The running or paused focus session, or null.",
                [],
                NullableOf("object", "A focus session, the same object as GET /api/v1/focus/sessions/current answers.")),
        },
        clientMethods: new JsonObject
        {
            [AttentionHub.FocusSessionMethod] = Event(
                "The focus session that changed (started, paused, resumed, ended: an ended one carries its report), or null. Also sent once on connecting.",
                NullableOf("object", "A focus session, the same object as GET /api/v1/focus/sessions/current answers.")),
            [AttentionHub.FrictionChangedMethod] = Event(
                "The friction in force changed: a rule set created, edited or deleted, an unlock granted, a limit reached (or free again), a lockdown begun or ended. It names no rule or site: ask GET /api/v1/focus/friction again.",
                Shape(
                    ("cause", Enum("What changed.", FrictionCauses.Rules, FrictionCauses.Unlock, FrictionCauses.Limit, FrictionCauses.Lockdown)),
                    ("at", DateTime()))),
        });
}
