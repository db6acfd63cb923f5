using System.Text.Json;

namespace Mindspace.Grains.Records;

/// <summary>How records and grain state are written: camelCase JSON a person can read, the same in SQLite and PostgreSQL.</summary>
public static class RecordJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
