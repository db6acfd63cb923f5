using System.Buffers;
using System.Text.Json;
using Mindspace.Runtime.Streams;

namespace Mindspace.Runtime.Cluster.Signals;

/// <summary>
/// The PostgreSQL NOTIFY channels of the cluster. They carry only wake-ups, never data: whoever wakes
/// reads the tables. A lost notification delays a reaction until the next poll, never loses anything.
/// </summary>
internal static class ClusterChannels
{
    /// <summary>Membership or partition ownership changed: rebalance and refresh routing now.</summary>
    public const string Membership = "ms_membership";

    /// <summary>Streams that got new events, as a JSON array of [namespace, key] pairs.</summary>
    public const string Streams = "ms_streams";

    /// <summary>PostgreSQL refuses payloads of 8000 bytes or more; stay well below.</summary>
    public const int MaxPayloadBytes = 7000;

    /// <summary>Packs stream ids into as few payloads as fit under <see cref="MaxPayloadBytes"/>.</summary>
    public static IEnumerable<string> EncodeStreams(IEnumerable<StreamId> streamIds)
    {
        var buffer = new ArrayBufferWriter<byte>(MaxPayloadBytes);
        var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartArray();
        var count = 0;
        foreach (var id in streamIds)
        {
            if (count > 0 && buffer.WrittenCount + id.Namespace.Length + id.Key.Length + 16 > MaxPayloadBytes)
            {
                writer.WriteEndArray();
                writer.Flush();
                yield return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
                buffer.Clear();
                writer.Reset(buffer);
                writer.WriteStartArray();
                count = 0;
            }

            writer.WriteStartArray();
            writer.WriteStringValue(id.Namespace);
            writer.WriteStringValue(id.Key);
            writer.WriteEndArray();
            writer.Flush();
            count++;
        }

        if (count > 0)
        {
            writer.WriteEndArray();
            writer.Flush();
            yield return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        writer.Dispose();
    }

    /// <summary>Reads a payload of <see cref="EncodeStreams"/>; anything malformed yields nothing.</summary>
    public static IReadOnlyList<StreamId> DecodeStreams(string payload)
    {
        try
        {
            var pairs = JsonSerializer.Deserialize<string[][]>(payload);
            return pairs is null ? [] : [.. pairs.Where(p => p is [_, _]).Select(p => new StreamId(p[0], p[1]))];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
