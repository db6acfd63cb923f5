using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Mindspace.Runtime.Serialization;

/// <summary>
/// The wire and storage format: System.Text.Json with web defaults (camelCase). Grain contracts
/// register source-generated contexts (<see cref="RuntimeOptions.JsonTypeInfoResolvers"/>);
/// reflection is the fallback for types no context knows.
/// </summary>
public sealed class GrainSerializer
{
    public GrainSerializer(IEnumerable<IJsonTypeInfoResolver> resolvers)
    {
        Options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine([.. resolvers, new DefaultJsonTypeInfoResolver()]),
        };
        Options.MakeReadOnly();
    }

    public JsonSerializerOptions Options { get; }

    public byte[] Serialize(object? value, Type type) => JsonSerializer.SerializeToUtf8Bytes(value, type, Options);

    public byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, typeof(T), Options);

    public object? Deserialize(ReadOnlySpan<byte> payload, Type type) => JsonSerializer.Deserialize(payload, type, Options);

    public T Deserialize<T>(ReadOnlySpan<byte> payload) => (T)JsonSerializer.Deserialize(payload, typeof(T), Options)!;

    /// <summary>A writer and its buffer kept per thread: every call serializes its arguments, so they are reused, not reallocated.</summary>
    [ThreadStatic]
    private static ArgumentWriter? _argumentWriter;

    /// <summary>Writes call arguments as one JSON array, each argument by its declared type.</summary>
    public byte[] SerializeArguments(ReadOnlySpan<object?> arguments, IReadOnlyList<Type> types)
    {
        // Taken, not borrowed: a converter that somehow serializes arguments again gets its own.
        var cached = _argumentWriter ?? new ArgumentWriter();
        _argumentWriter = null;
        var (buffer, writer) = (cached.Buffer, cached.Writer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);

        writer.WriteStartArray();
        for (var i = 0; i < types.Count; i++)
        {
            JsonSerializer.Serialize(writer, arguments[i], types[i], Options);
        }

        writer.WriteEndArray();
        writer.Flush();
        var payload = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity <= ArgumentWriter.MaxRetainedBytes)
        {
            _argumentWriter = cached;
        }

        return payload;
    }

    private sealed class ArgumentWriter
    {
        public const int MaxRetainedBytes = 64 * 1024;

        public ArrayBufferWriter<byte> Buffer { get; } = new(256);

        public Utf8JsonWriter Writer { get; }

        public ArgumentWriter() => Writer = new Utf8JsonWriter(Buffer);
    }

    /// <summary>Reads call arguments written by <see cref="SerializeArguments"/>.</summary>
    public object?[] DeserializeArguments(ReadOnlySpan<byte> payload, IReadOnlyList<Type> types)
    {
        var values = new object?[types.Count];
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Call arguments must be a JSON array.");
        }

        for (var i = 0; i < types.Count; i++)
        {
            if (!reader.Read())
            {
                throw new JsonException($"Call arguments end after {i} of {types.Count} values.");
            }

            values[i] = JsonSerializer.Deserialize(ref reader, types[i], Options);
        }

        return values;
    }
}
