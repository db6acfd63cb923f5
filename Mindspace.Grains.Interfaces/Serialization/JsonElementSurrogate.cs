using System.Text.Json;

namespace Mindspace.Grains.Interfaces.Serialization;

/// <summary>
/// How a <see cref="JsonElement"/> (a user's preferences object) crosses a grain boundary: Orleans
/// has no codec for it, so it travels as its JSON text.
/// </summary>
[GenerateSerializer, Immutable, Alias("ms.JsonElement")]
public readonly struct JsonElementSurrogate
{
    [Id(0)]
    public string Json { get; init; }
}

/// <summary>Converts <see cref="JsonElement"/> to and from <see cref="JsonElementSurrogate"/>.</summary>
[RegisterConverter]
public sealed class JsonElementSurrogateConverter : IConverter<JsonElement, JsonElementSurrogate>
{
    public JsonElement ConvertFromSurrogate(in JsonElementSurrogate surrogate)
    {
        using var document = JsonDocument.Parse(surrogate.Json);
        return document.RootElement.Clone();
    }

    public JsonElementSurrogate ConvertToSurrogate(in JsonElement value) => new() { Json = value.GetRawText() };
}
