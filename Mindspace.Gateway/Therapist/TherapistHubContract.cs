using System.Text.Json.Nodes;
using static Mindspace.Gateway.Notifications.HubContractSchema;

namespace Mindspace.Gateway.Therapist;

/// <summary>The <c>/hubs/therapist</c> entry of <c>/openapi/hubs.json</c>: what docs/therapist.md says of live chat, for machines.</summary>
public static class TherapistHubContract
{
    public static JsonObject Build() => Hub(
        "therapist",
        TherapistHub.Path,
        "Live chat with the companion. A reply streams as token events to every connection of the person and ends with message, which is also the result of Send and the reply of record. Details: docs/therapist.md.",
        serverMethods: new JsonObject
        {
            [nameof(TherapistHub.Send)] = Method(
                "Sends a message and returns the companion's reply. Sending the same clientMessageId again returns the first reply and stores nothing new. An unknown conversation, an empty or over-long text or a missing clientMessageId fails with a HubException.",
                [("request", "object", true, "{ conversationId (uuid), text (1–4,000 characters), clientMessageId (up to 100 characters) }.")],
                Message()),
            [nameof(TherapistHub.Resume)] = Method(
                "The messages after afterSequence (up to 100; call again for more), for a client that reconnected. A turn keeps running when its client disconnects.",
                [("conversationId", "string", true, "The conversation's id (uuid)."), ("afterSequence", "integer", true, "The last sequence the client saw.")],
                new JsonObject { ["type"] = "array", ["items"] = Message() }),
        },
        clientMethods: new JsonObject
        {
            [TherapistHub.TokenEvent] = Event(
                "A piece of a reply as it is written; concatenated in index order they are the reply so far.",
                Shape(("conversationId", Uuid()), ("clientMessageId", Of("string")), ("index", Of("integer")), ("text", Of("string")))),
            [TherapistHub.MessageEvent] = Event("The complete reply, the reply of record.", Message()),
            [TherapistHub.RetractEvent] = Event(
                "Drop the tokens received so far for this message: a different reply follows.",
                Shape(("conversationId", Uuid()), ("clientMessageId", Of("string")))),
        });

    private static JsonObject Message()
    {
        var message = Shape(
            ("id", Uuid()),
            ("conversationId", Uuid()),
            ("sequence", Of("integer")),
            ("role", Of("string")),
            ("text", Of("string")),
            ("safetyLevel", Enum("How the safety classifier graded the message.", "none", "concern", "high", "imminent")),
            ("signals", new JsonObject { ["type"] = "array", ["items"] = Of("string") }),
            ("clientMessageId", Of("string")),
            ("source", NullableOf("string", "model or engine; null on the person's own messages.")),
            ("flow", NullableOf("string", "The CBT flow the reply belongs to, if any.")),
            ("createdAt", DateTime()));
        var properties = (JsonObject)message["properties"]!;
        properties["crisis"] = NullableOf("object", "On a live reply to a high or imminent message: the crisis lines of the person's country and their safety plan.");
        properties["saveToJournal"] = NullableOf("string", "On the live reply that ends a thought record: where to POST to save it to the journal.");
        properties["language"] = NullableOf("string", "On a live reply: the language it is written in (ISO 639-1; hi-Deva is Hindi in Devanagari).");
        return message;
    }
}
