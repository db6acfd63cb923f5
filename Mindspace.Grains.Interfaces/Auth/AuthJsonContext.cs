using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mindspace.Grains.Interfaces.Auth;

/// <summary>Source-generated JSON for the auth grains' contracts.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EmailReservation))]
[JsonSerializable(typeof(SessionStart))]
[JsonSerializable(typeof(RefreshExchange))]
[JsonSerializable(typeof(RefreshOutcome))]
[JsonSerializable(typeof(SessionStatus))]
[JsonSerializable(typeof(LoginThrottlePolicy))]
[JsonSerializable(typeof(Guid?))]
[JsonSerializable(typeof(DateTimeOffset?))]
public sealed partial class AuthJsonContext : JsonSerializerContext;
