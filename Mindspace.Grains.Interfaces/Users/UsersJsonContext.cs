using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mindspace.Grains.Interfaces.Users;

/// <summary>Source-generated JSON for the user grain's contracts.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NewUser))]
[JsonSerializable(typeof(UserProfile))]
[JsonSerializable(typeof(SignInAttempt))]
[JsonSerializable(typeof(SignInOutcome))]
[JsonSerializable(typeof(ProfileUpdate))]
[JsonSerializable(typeof(ProfileUpdateResult))]
[JsonSerializable(typeof(RoleChange))]
[JsonSerializable(typeof(RolesResult))]
[JsonSerializable(typeof(ActivityEntry))]
[JsonSerializable(typeof(ActivityPage))]
[JsonSerializable(typeof(SessionInfo))]
[JsonSerializable(typeof(IReadOnlyList<SessionInfo>))]
[JsonSerializable(typeof(UserDataExport))]
[JsonSerializable(typeof(PasswordCheck))]
public sealed partial class UsersJsonContext : JsonSerializerContext;
