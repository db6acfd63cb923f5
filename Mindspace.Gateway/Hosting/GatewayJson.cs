using System.Text.Json;
using System.Text.Json.Serialization;
using Mindspace.Gateway.CheckIns;
using Mindspace.Grains.Interfaces.CheckIns;

namespace Mindspace.Gateway.Hosting;

/// <summary>
/// Compile-time JSON metadata for the requests and answers the API handles most (check-ins), put
/// first in the HTTP JSON options' resolver chain; every other type still goes to the reflection
/// resolver after it. What is written and read stays what the HTTP options say (names, nulls, escaping).
/// </summary>
public static class GatewayJson
{
    public static IServiceCollection AddMindspaceJson(this IServiceCollection services)
        => services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default));
}

/// <remarks>
/// Metadata only: System.Text.Json would use generated whole-object writers only with the default
/// encoder, and the HTTP options keep ASP.NET Core's relaxed one (changing it would change the bytes
/// of every answer holding non-ASCII text). The metadata saves the reflection pass that builds each
/// type's converter and property accessors.
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(EntryListResponse))]
[JsonSerializable(typeof(EntryView))]
[JsonSerializable(typeof(CreateEntryRequest))]
[JsonSerializable(typeof(UpdateEntryRequest))]
[JsonSerializable(typeof(MoodListResponse))]
[JsonSerializable(typeof(MoodView))]
[JsonSerializable(typeof(RecordMoodRequest))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
