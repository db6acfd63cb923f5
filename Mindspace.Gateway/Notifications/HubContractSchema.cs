using System.Text.Json.Nodes;

namespace Mindspace.Gateway.Notifications;

/// <summary>
/// The pieces every hub's entry in <c>/openapi/hubs.json</c> is made of (<see cref="HubContracts"/>): one
/// way to write a parameter, a method, an event and a JSON schema, so the entries read alike.
/// </summary>
public static class HubContractSchema
{
    private const string Protocol = "SignalR (JSON hub protocol, version 1); WebSockets, Server-Sent Events or long polling";

    /// <summary>
    /// A hub's entry: what every hub shares (protocol, bearer authentication, the access_token query, then
    /// <paramref name="query"/>'s other parameters) around what is its own.
    /// </summary>
    public static JsonObject Hub(
        string name, string path, string? description, JsonObject serverMethods, JsonObject clientMethods, params (string Name, JsonObject Parameter)[] query)
    {
        var hub = new JsonObject
        {
            ["name"] = name,
            ["path"] = path,
            ["protocol"] = Protocol,
            ["authentication"] = BearerAuthentication(),
            ["query"] = AccessTokenQuery(query),
        };
        if (description is not null)
        {
            hub["description"] = description;
        }

        hub["serverMethods"] = serverMethods;
        hub["clientMethods"] = clientMethods;
        return hub;
    }

    /// <summary>How a client authenticates to a hub: the same for every hub, as they share the gateway's bearer scheme.</summary>
    private static JsonObject BearerAuthentication() => new()
    {
        ["scheme"] = "Bearer",
        ["description"] = "The access token from POST /api/v1/auth/login or /refresh. WebSocket and Server-Sent Events clients send it as the access_token query parameter; others may use the Authorization header. Anonymous, expired or signed-out tokens are refused with 401 before the connection opens; the connection closes when the token expires (reconnect with a refreshed one).",
    };

    /// <summary>A hub's query parameters: the access token, which every hub takes, then <paramref name="others"/>.</summary>
    private static JsonObject AccessTokenQuery(params (string Name, JsonObject Parameter)[] others)
    {
        var query = new JsonObject { ["access_token"] = Parameter("string", "The access token (WebSockets and Server-Sent Events).") };
        foreach (var (name, parameter) in others)
        {
            query[name] = parameter;
        }

        return query;
    }

    public static JsonObject Parameter(string type, string description) => new() { ["type"] = type, ["description"] = description };

    /// <summary>A server method: what it does, its arguments in order, and what the invocation returns (null: nothing).</summary>
    public static JsonObject Method(string description, IEnumerable<(string Name, string Type, bool Required, string Description)> arguments, JsonObject? returns = null)
    {
        var method = new JsonObject
        {
            ["description"] = description,
            ["arguments"] = new JsonArray([.. arguments.Select(a => (JsonNode)new JsonObject { ["name"] = a.Name, ["type"] = a.Type, ["required"] = a.Required, ["description"] = a.Description })]),
        };
        if (returns is not null)
        {
            method["returns"] = returns;
        }

        return method;
    }

    /// <summary>A client method (an event the server sends) with its one argument.</summary>
    public static JsonObject Event(string description, JsonObject schema) => new() { ["description"] = description, ["arguments"] = new JsonArray { schema } };

    /// <summary>An object whose properties are all required.</summary>
    public static JsonObject Shape(params (string Name, JsonObject Schema)[] properties)
    {
        var props = new JsonObject();
        var required = new JsonArray();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
            required.Add(name);
        }

        return new JsonObject { ["type"] = "object", ["required"] = required, ["properties"] = props };
    }

    public static JsonObject Of(string type) => new() { ["type"] = type };

    public static JsonObject Uuid() => new() { ["type"] = "string", ["format"] = "uuid" };

    public static JsonObject DateTime() => new() { ["type"] = "string", ["format"] = "date-time" };

    public static JsonObject NullableOf(string type, string description) => new() { ["type"] = new JsonArray(type, "null"), ["description"] = description };

    public static JsonObject Enum(string description, params string[] values) => new() { ["type"] = "string", ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]), ["description"] = description };

    /// <summary>An object described in words: the same object as an HTTP answer names.</summary>
    public static JsonObject Ref(string description) => new() { ["type"] = "object", ["description"] = description };
}
