using System.Text.Json;
using System.Text.Json.Serialization;
using Mindspace.Runtime;

namespace Mindspace.Benchmarks;

/// <summary>The smallest useful grain call: an int in, an int out, no state.</summary>
public interface IPingGrain : IGrainWithStringKey
{
    Task<int> PingAsync(int value);
}

/// <summary>Stateless; also called directly (not through the runtime) as the floor baseline.</summary>
public sealed class PingGrain : Grain, IPingGrain
{
    public Task<int> PingAsync(int value) => Task.FromResult(value + 1);
}

/// <summary>A small "user" grain: one persistent state, read from storage when it activates.</summary>
public interface IUserLikeGrain : IGrainWithGuidKey
{
    Task<int> PingAsync(int value);
}

public sealed class UserLikeGrain([PersistentState("profile")] IPersistentState<UserProfileState> profile) : Grain, IUserLikeGrain
{
    public Task<int> PingAsync(int value) => Task.FromResult(value + profile.State.CheckIns);
}

/// <summary>About the size of a real user profile row (a name, a time zone, a counter, a date).</summary>
public sealed class UserProfileState
{
    public string DisplayName { get; set; } = "";

    public string TimeZone { get; set; } = "UTC";

    public int CheckIns { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(UserProfileState))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
