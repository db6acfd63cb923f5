using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mindspace.Grains.Interfaces.Notifications;

/// <summary>Source-generated JSON for notifications.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UserNotification))]
public sealed partial class NotificationsJsonContext : JsonSerializerContext;
