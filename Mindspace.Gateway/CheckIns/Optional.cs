using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mindspace.Gateway.CheckIns;

/// <summary>
/// A JSON member that may be absent, null or a value: what a JSON merge patch (RFC 7396) needs
/// to tell "leave it" (absent) from "clear it" (null).
/// </summary>
[JsonConverter(typeof(OptionalJsonConverterFactory))]
public readonly struct Optional<T>
{
    public Optional(T value)
    {
        Value = value;
        IsSet = true;
    }

    /// <summary>The member was present in the JSON (its value may be null).</summary>
    public bool IsSet { get; }

    public T Value { get; }
}

internal sealed class OptionalJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert)
        => typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
        => (JsonConverter)Activator.CreateInstance(typeof(OptionalJsonConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
}

internal sealed class OptionalJsonConverter<T> : JsonConverter<Optional<T>>
{
    // Without this a JSON null would never reach Read and would look like an absent member.
    public override bool HandleNull => true;

    public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.TokenType == JsonTokenType.Null
            ? new Optional<T>(default!)
            : new Optional<T>(JsonSerializer.Deserialize<T>(ref reader, options)!);

    public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options)
    {
        if (value.IsSet)
        {
            JsonSerializer.Serialize(writer, value.Value, options);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
