using System.Text.Json;
using System.Text.Json.Nodes;
using Mindspace.Grains.Interfaces.Notifications;
using static Mindspace.Gateway.Notifications.HubContractSchema;

namespace Mindspace.Gateway.Notifications;

/// <summary>
/// The realtime contract as a JSON document served at <c>/openapi/hubs.json</c> (OpenAPI has no
/// words for hubs). docs/realtime.md says the same for people.
/// </summary>
public static class HubContracts
{
    public const string Path = "/openapi/hubs.json";

    public static string Json { get; } = Build().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static JsonObject Build() => new()
    {
        ["title"] = "Mindspace realtime hubs",
        ["version"] = "1",
        ["documentation"] = "docs/realtime.md",
        ["hubs"] = new JsonArray
        {
            NotificationsHubEntry(),
            Community.CommunityHubContract.Build(),
            Attention.AttentionHubContract.Build(),
            Therapist.TherapistHubContract.Build(),
        },
    };

    private static JsonObject NotificationsHubEntry()
    {
        var hub = Hub(
            "notifications",
            NotificationsHub.Path,
            description: null,
            serverMethods: [],
            clientMethods: new JsonObject
            {
                [NotificationsHub.NotificationMethod] = new JsonObject
                {
                    ["description"] = "One notification for the signed-in user, pushed in sequence order, each at most once per connection.",
                    ["arguments"] = new JsonArray { NotificationSchema() },
                },
            },
            (NotificationsHub.LastSequenceQuery, Parameter("integer", "Optional. The sequence of the last notification you handled: you first receive every later one, in order, then new ones. Without it you receive only notifications created after your connection request reached the server (everything created once the connection has started). 0 replays everything kept.")));
        hub["kinds"] = new JsonObject
        {
            [NotificationKinds.SecuritySignIn] = "Someone signed in to the account (sent after every successful sign-in).",
        };
        return hub;
    }

    private static JsonObject NotificationSchema() => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("id", "sequence", "kind", "title", "body", "createdAt"),
        ["properties"] = new JsonObject
        {
            ["id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
            ["sequence"] = new JsonObject { ["type"] = "integer", ["format"] = "int64", ["description"] = "Position in your notification stream: 1, 2, 3… Pass the last one you handled as lastSequence when reconnecting." },
            ["kind"] = new JsonObject { ["type"] = "string", ["example"] = NotificationKinds.SecuritySignIn },
            ["title"] = new JsonObject { ["type"] = "string" },
            ["body"] = new JsonObject { ["type"] = "string" },
            ["createdAt"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
        },
    };
}
